//! Which models the dump keeps: `--models`, `--exclude` and `--addons`.

use anyhow::{Context, bail};
use globset::{Glob, GlobSet, GlobSetBuilder};
use std::collections::BTreeSet;

/// The model selection of one run.
#[derive(Debug)]
pub struct Selection {
    include: Option<GlobSet>,
    exclude: GlobSet,
    addons: Option<BTreeSet<String>>,
}

fn globs(patterns: &[String], flag: &str) -> anyhow::Result<GlobSet> {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        let glob = Glob::new(pattern)
            .with_context(|| format!("{flag}: `{pattern}` is not a valid glob"))?;
        builder.add(glob);
    }
    builder
        .build()
        .with_context(|| format!("{flag}: cannot compile the globs"))
}

impl Selection {
    /// Builds the selection. An empty `models` list means every model.
    pub fn new(models: &[String], exclude: &[String], addons: &[String]) -> anyhow::Result<Self> {
        Ok(Selection {
            include: (!models.is_empty())
                .then(|| globs(models, "--models"))
                .transpose()?,
            exclude: globs(exclude, "--exclude")?,
            addons: (!addons.is_empty()).then(|| addons.iter().cloned().collect()),
        })
    }

    /// Refuses `--addons` names the server does not have installed.
    pub fn check_addons<'a>(
        &self,
        installed: impl IntoIterator<Item = &'a String>,
    ) -> anyhow::Result<()> {
        let Some(wanted) = &self.addons else {
            return Ok(());
        };
        let installed: BTreeSet<&String> = installed.into_iter().collect();
        let unknown: Vec<&str> = wanted
            .iter()
            .filter(|a| !installed.contains(a))
            .map(String::as_str)
            .collect();
        if !unknown.is_empty() {
            bail!(
                "--addons: not installed on the server: {}",
                unknown.join(", ")
            );
        }
        Ok(())
    }

    /// Whether the model `name`, belonging to `addon`, is dumped.
    pub fn keeps(&self, name: &str, addon: &str) -> bool {
        self.include.as_ref().is_none_or(|set| set.is_match(name))
            && !self.exclude.is_match(name)
            && self.addons.as_ref().is_none_or(|set| set.contains(addon))
    }

    /// Whether models of `addon` can be kept (`--addons` is not given, or names it).
    pub fn keeps_addon(&self, addon: &str) -> bool {
        self.addons.as_ref().is_none_or(|set| set.contains(addon))
    }

    /// Whether models are chosen by name (`--models` or `--exclude`).
    pub fn filters_names(&self) -> bool {
        self.include.is_some() || !self.exclude.is_empty()
    }

    /// Whether every model is kept (no filter given).
    pub fn is_everything(&self) -> bool {
        self.include.is_none() && self.exclude.is_empty() && self.addons.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn globs_and_addons_combine() {
        let s = Selection::new(&list(&["res.*", "g2p.*"]), &list(&["res.users*"]), &[]).unwrap();
        assert!(s.keeps("res.partner", "base"));
        assert!(s.keeps("g2p.program", "g2p_programs"));
        assert!(!s.keeps("res.users", "base"));
        assert!(!s.keeps("account.move", "account"));
        let s = Selection::new(&[], &[], &list(&["spp_area"])).unwrap();
        assert!(s.keeps("spp.area", "spp_area"));
        assert!(!s.keeps("res.partner", "base"));
        assert!(Selection::new(&[], &[], &[]).unwrap().is_everything());
    }

    #[test]
    fn bad_glob_and_unknown_addon_are_errors() {
        let error = Selection::new(&list(&["res.[x"]), &[], &[]).unwrap_err();
        assert!(format!("{error:#}").contains("--models"));
        let s = Selection::new(&[], &[], &list(&["nope"])).unwrap();
        let error = s.check_addons(&list(&["base"])).unwrap_err();
        assert!(error.to_string().contains("nope"));
    }
}
