//! The checked-in reference set (`schemas/`, dumped from the real OpenSPP server captures)
//! loads, and saving it reproduces every file byte for byte.

use openspp_schema::SchemaSet;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn schemas() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas")
}

fn files_on_disk(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(current) = stack.pop() {
        for entry in std::fs::read_dir(&current).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let bytes = std::fs::read(&path).unwrap();
                files.insert(path.strip_prefix(dir).unwrap().to_owned(), bytes);
            }
        }
    }
    files
}

#[test]
fn load_then_save_gives_identical_bytes_for_every_file() {
    let set = SchemaSet::load(schemas()).unwrap();
    assert_eq!(set.models.len(), 573);
    let on_disk = files_on_disk(&schemas());
    let rendered = set.to_files();
    assert_eq!(
        rendered.keys().collect::<Vec<_>>(),
        on_disk.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &rendered {
        assert!(
            on_disk[path] == *bytes,
            "{} differs after a round trip",
            path.display()
        );
    }

    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("schemas");
    set.save(&out).unwrap();
    assert!(files_on_disk(&out) == on_disk);
}

#[test]
fn the_reference_set_answers_the_questions_consumers_ask() {
    let set = SchemaSet::load(schemas()).unwrap();
    assert_eq!(set.manifest.server.major(), Some(17));
    assert_eq!(set.manifest.server.server_version(), Some("17.0-20240709"));
    let partner = &set.models["res.partner"];
    assert_eq!(partner.label, "Contact");
    assert_eq!(partner.addon, "base");
    let country = &partner.fields["country_id"];
    assert_eq!(country.field_type(), "many2one");
    assert_eq!(country.relation(), Some("res.country"));
    assert!(country.store() && country.sortable());
    // What the server says, even where it surprises: country_id is not searchable here.
    assert!(!country.searchable());
    assert!(partner.fields["name"].searchable());
    let display = &partner.fields["display_name"];
    assert!(!display.store() && display.readonly());
    let kinds = set.models["res.partner"].fields["company_type"]
        .selection()
        .unwrap();
    assert!(
        kinds
            .iter()
            .any(|o| o.value == "company" && o.label == "Company")
    );
    let closure = set.manifest.addon_closure(["g2p_registry_base"]).unwrap();
    assert!(closure.contains("g2p_registry_base"));
}
