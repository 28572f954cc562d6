//! A whole schemas directory: `manifest.json` plus `models/<model>.json`.

use crate::error::Error;
use crate::json::{self, key_path};
use crate::manifest::Manifest;
use crate::model::ModelSchema;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// The manifest's file name inside a schemas directory.
pub const MANIFEST_FILE: &str = "manifest.json";
/// The directory of the per-model files inside a schemas directory.
pub const MODELS_DIR: &str = "models";

/// A manifest and its models: what a schemas directory holds.
///
/// ```
/// use openspp_schema::{Manifest, ModelSchema, SchemaSet, ServerVersion};
/// let mut set = SchemaSet::new(Manifest::new(ServerVersion::default()));
/// set.insert(ModelSchema::new("res.partner", "Contact", "base"));
/// let dir = tempfile::tempdir().unwrap();
/// let out = dir.path().join("schemas");
/// set.save(&out).unwrap();
/// assert_eq!(SchemaSet::load(&out).unwrap(), set);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct SchemaSet {
    /// The manifest. Its `models` map is kept in step with [`SchemaSet::models`] by
    /// [`SchemaSet::insert`] and checked by [`SchemaSet::load`].
    pub manifest: Manifest,
    /// Every model, by technical name.
    pub models: BTreeMap<String, ModelSchema>,
}

impl SchemaSet {
    /// A set with no models.
    pub fn new(manifest: Manifest) -> Self {
        SchemaSet {
            manifest,
            models: BTreeMap::new(),
        }
    }

    /// Adds (or replaces) a model and records its addon in the manifest.
    pub fn insert(&mut self, model: ModelSchema) {
        self.manifest
            .models
            .insert(model.model.clone(), model.addon.clone());
        self.models.insert(model.model.clone(), model);
    }

    /// Reads and checks a schemas directory.
    ///
    /// Fails with an error naming the file (and the JSON path inside it) on a malformed file,
    /// an unknown format version, a model file whose name or addon disagrees with the
    /// manifest, a model file the manifest does not list, or a listed model without a file.
    pub fn load(dir: impl AsRef<Path>) -> Result<Self, Error> {
        let dir = dir.as_ref();
        let manifest_path = dir.join(MANIFEST_FILE);
        let manifest: Manifest = json::from_value(
            &manifest_path,
            json::parse_value(&manifest_path, &read(&manifest_path)?)?,
        )?;
        manifest
            .validate()
            .map_err(|problem| problem.in_file(&manifest_path))?;

        let models_dir = dir.join(MODELS_DIR);
        let mut models = BTreeMap::new();
        let paths = json_files(&models_dir)?;
        let parsed = parallel_map(&paths, |path| ModelSchema::from_file(path));
        for (path, model) in paths.iter().zip(parsed) {
            let model = model?;
            let listed = manifest.models.get(&model.model).ok_or_else(|| {
                Error::invalid(
                    path,
                    ".model",
                    format!("`{}` is not listed in {MANIFEST_FILE}", model.model),
                )
            })?;
            if path.file_name().and_then(|n| n.to_str()) != Some(model.file_name().as_str()) {
                return Err(Error::invalid(
                    path,
                    ".model",
                    format!("model `{}` must be in {}", model.model, model.file_name()),
                ));
            }
            if *listed != model.addon {
                return Err(Error::invalid(
                    path,
                    ".addon",
                    format!(
                        "addon `{}` disagrees with {MANIFEST_FILE}, which says `{listed}`",
                        model.addon
                    ),
                ));
            }
            models.insert(model.model.clone(), model);
        }
        if let Some(missing) = manifest.models.keys().find(|m| !models.contains_key(*m)) {
            return Err(Error::invalid(
                &manifest_path,
                key_path(&key_path(".", "models"), missing),
                format!("no file {MODELS_DIR}/{missing}.json for this model"),
            ));
        }
        Ok(SchemaSet { manifest, models })
    }

    /// Every file of the set, by path relative to the schemas directory, as the exact bytes
    /// [`SchemaSet::save`] writes: canonical JSON, sorted keys, no timestamps.
    pub fn to_files(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        let mut files = BTreeMap::new();
        files.insert(
            PathBuf::from(MANIFEST_FILE),
            json::to_canonical_bytes(&self.manifest),
        );
        let models: Vec<&ModelSchema> = self.models.values().collect();
        let rendered = parallel_map(&models, |model| json::to_canonical_bytes(*model));
        for (model, bytes) in models.iter().zip(rendered) {
            files.insert(Path::new(MODELS_DIR).join(model.file_name()), bytes);
        }
        files
    }

    /// Writes the set to `dir`, replacing whatever `dir` held.
    ///
    /// The files are written to a fresh sibling directory first, which then takes `dir`'s
    /// place; an interrupted save leaves the old `dir` untouched (and, at worst, a stray
    /// `.<name>.new-*` sibling, which the next save removes). Only a kill in the instant
    /// between the two renames of the swap leaves no `dir`; the old one is then in
    /// `.<name>.old-*/<name>`. The directory is owned by the set: files
    /// of models that are no longer in the set go away.
    pub fn save(&self, dir: impl AsRef<Path>) -> Result<(), Error> {
        let dir = dir.as_ref();
        for model in self.models.values() {
            model
                .validate()
                .map_err(|p| p.in_file(dir.join(MODELS_DIR).join(model.file_name())))?;
        }
        if let Some(stray) = self
            .models
            .keys()
            .find(|m| !self.manifest.models.contains_key(*m))
        {
            return Err(Error::invalid(
                dir.join(MANIFEST_FILE),
                key_path(&key_path(".", "models"), stray),
                "model missing from the manifest (use SchemaSet::insert)",
            ));
        }
        let parent = match dir.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
            _ => PathBuf::from("."),
        };
        let name = dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "schemas".to_owned());
        fs::create_dir_all(&parent).map_err(|source| Error::Write {
            path: parent.clone(),
            source,
        })?;
        remove_stale_staging(&parent, &name)?;
        let staging = tempfile::Builder::new()
            .prefix(&format!(".{name}.new-"))
            .tempdir_in(&parent)
            .map_err(|source| Error::Write {
                path: parent.clone(),
                source,
            })?;
        fs::create_dir(staging.path().join(MODELS_DIR)).map_err(|source| Error::Write {
            path: staging.path().join(MODELS_DIR),
            source,
        })?;
        for (relative, bytes) in self.to_files() {
            let path = staging.path().join(relative);
            fs::write(&path, bytes).map_err(|source| Error::Write { path, source })?;
        }
        replace_dir(staging, dir, &parent, &name)
    }
}

impl ModelSchema {
    /// Reads and checks one model file.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self, Error> {
        let path = path.as_ref();
        let model: ModelSchema = json::from_value(path, json::parse_value(path, &read(path)?)?)?;
        model.validate().map_err(|problem| problem.in_file(path))?;
        Ok(model)
    }

    /// The exact bytes of the model's file.
    pub fn to_bytes(&self) -> Vec<u8> {
        json::to_canonical_bytes(self)
    }
}

/// Removes `.<name>.new-*` directories an earlier, killed save left behind (they never hold
/// the only copy of anything: the old directory stays in place until the swap).
fn remove_stale_staging(parent: &Path, name: &str) -> Result<(), Error> {
    let prefix = format!(".{name}.new-");
    let entries = fs::read_dir(parent).map_err(|source| Error::Read {
        path: parent.to_owned(),
        source,
    })?;
    for entry in entries.flatten() {
        let stale = entry
            .file_name()
            .to_str()
            .is_some_and(|n| n.starts_with(&prefix));
        if stale && entry.path().is_dir() {
            fs::remove_dir_all(entry.path()).map_err(|source| Error::Write {
                path: entry.path(),
                source,
            })?;
        }
    }
    Ok(())
}

/// Moves the staged directory into `dir`'s place: old `dir` aside, staged in, old removed.
fn replace_dir(
    staging: tempfile::TempDir,
    dir: &Path,
    parent: &Path,
    name: &str,
) -> Result<(), Error> {
    let write_err = |path: &Path| {
        let path = path.to_owned();
        move |source| Error::Write { path, source }
    };
    let old = if dir.exists() {
        let aside = tempfile::Builder::new()
            .prefix(&format!(".{name}.old-"))
            .tempdir_in(parent)
            .map_err(write_err(parent))?;
        let target = aside.path().join(name);
        fs::rename(dir, &target).map_err(write_err(dir))?;
        Some(aside)
    } else {
        None
    };
    let staged = staging.keep();
    if let Err(source) = fs::rename(&staged, dir) {
        // Put the old directory back so a failed save changes nothing.
        if let Some(aside) = &old {
            let _ = fs::rename(aside.path().join(name), dir);
        }
        let _ = fs::remove_dir_all(&staged);
        return Err(Error::Write {
            path: dir.to_owned(),
            source,
        });
    }
    if let Some(aside) = old {
        aside.close().map_err(write_err(dir))?;
    }
    Ok(())
}

/// `items.iter().map(f)` spread over the machine's cores, results in input order: a full set
/// is hundreds of files and megabytes of JSON.
fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = items.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let workers: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(|| part.iter().map(&f).collect::<Vec<R>>()))
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| match worker.join() {
                Ok(results) => results,
                Err(panic) => std::panic::resume_unwind(panic),
            })
            .collect()
    })
}

fn read(path: &Path) -> Result<Vec<u8>, Error> {
    fs::read(path).map_err(|source| Error::Read {
        path: path.to_owned(),
        source,
    })
}

/// The `*.json` files of a directory, sorted; any other entry is an error (it would be ignored
/// silently otherwise).
fn json_files(dir: &Path) -> Result<Vec<PathBuf>, Error> {
    let read_err = |source| Error::Read {
        path: dir.to_owned(),
        source,
    };
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).map_err(read_err)? {
        let path = entry.map_err(read_err)?.path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") || !path.is_file() {
            return Err(Error::invalid(
                &path,
                ".",
                "not a model file (expected only <model>.json files here)",
            ));
        }
        files.push(path);
    }
    files.sort();
    Ok(files)
}
