//! What the server does with a field in `search`, `order` and `write`, as probed on a real
//! Odoo 17 + OpenSPP server (`../shared/odoo17/README.md`, "What `write` does").

/// Fields Odoo maintains itself: `write` and `create` silently ignore values for them.
pub const MAGIC_FIELDS: &[&str] = openspp_schema::MAGIC_FIELDS;

/// The `fields_get` facts that decide whether a write has an effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WriteFacts<'a> {
    /// The field name.
    pub name: &'a str,
    /// `store`: the value lives in a database column.
    pub store: bool,
    /// `readonly`: a UI hint, but for a non-stored field it also means "no inverse".
    pub readonly: bool,
}

/// Whether `write`/`create` has an effect on the field:
///
/// * magic log fields: ignored;
/// * stored: written, **even when `readonly`** (readonly is a UI hint that RPC does not enforce);
/// * not stored, not readonly (an inverse or a related field): written through the inverse;
/// * not stored and readonly (computed without inverse, e.g. `display_name`): ignored.
pub fn writable(facts: WriteFacts<'_>) -> bool {
    if MAGIC_FIELDS.contains(&facts.name) {
        return false;
    }
    facts.store || !facts.readonly
}

/// Whether the server can filter on the field: what `fields_get` says (`searchable` is
/// `store or search` in Odoo), or stored. On the reference server `spp_custom_filter_ui`
/// rewrites `searchable` to `false` for 118 stored fields of `res.partner` (and no other
/// model) to hide them from its filter UI; the ORM still searches every stored column.
pub fn searchable(searchable_attribute: bool, store: bool) -> bool {
    searchable_attribute || store
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(name: &str, store: bool, readonly: bool) -> bool {
        writable(WriteFacts {
            name,
            store,
            readonly,
        })
    }

    #[test]
    fn stored_fields_are_searchable_whatever_the_ui_says() {
        assert!(searchable(false, true));
        assert!(searchable(true, false));
        assert!(!searchable(false, false));
    }

    #[test]
    fn matches_the_probe_on_res_partner() {
        assert!(w("name", true, false));
        assert!(w("commercial_company_name", true, true));
        assert!(w("email_normalized", true, true));
        assert!(w("company_type", false, false));
        assert!(!w("display_name", false, true));
        assert!(!w("create_date", true, true));
        assert!(!w("write_uid", true, true));
        assert!(!w("id", true, true));
    }
}
