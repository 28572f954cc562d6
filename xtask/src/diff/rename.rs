//! Probable renames: a name gone while another with the same description appeared.

use std::collections::BTreeMap;

/// Pairs each removed name with the added name that has the same key, when exactly one removed
/// and one added name have that key (two candidates either way is no evidence: neither is
/// paired). Returns removed → added.
///
/// ```text
/// removed groups_id (many2many, res.groups, "Groups"), added group_ids (same): paired
/// removed a, b and added c, all (boolean, "Active"): none paired
/// ```
pub fn probable_renames<'a, K: Ord>(
    removed: impl IntoIterator<Item = (&'a str, K)>,
    added: impl IntoIterator<Item = (&'a str, K)>,
) -> BTreeMap<&'a str, &'a str> {
    let mut by_key: BTreeMap<K, (Vec<&'a str>, Vec<&'a str>)> = BTreeMap::new();
    for (name, key) in removed {
        by_key.entry(key).or_default().0.push(name);
    }
    for (name, key) in added {
        by_key.entry(key).or_default().1.push(name);
    }
    by_key
        .into_values()
        .filter_map(|(gone, new)| match (gone.as_slice(), new.as_slice()) {
            ([gone], [new]) => Some((*gone, *new)),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_unambiguous_pairs_are_renames() {
        let removed = [
            ("groups_id", "m2m Groups"),
            ("a", "bool"),
            ("b", "bool"),
            ("x", "char"),
        ];
        let added = [("group_ids", "m2m Groups"), ("c", "bool"), ("y", "int")];
        let renames = probable_renames(removed, added);
        assert_eq!(renames, BTreeMap::from([("groups_id", "group_ids")]));
    }
}
