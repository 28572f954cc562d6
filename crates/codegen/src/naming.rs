//! Turning Odoo names (models, fields, selection values) into Rust identifiers.
//!
//! Rules, applied in this order:
//! 1. Case: modules and fields are `snake_case`, constants `UPPER_SNAKE_CASE`, types and enum
//!    variants `UpperCamelCase`. Word boundaries come from `.`, `_`, `-`, `/`, spaces and other
//!    punctuation, and from lower→upper case changes.
//! 2. Non-ASCII: each non-ASCII alphanumeric character becomes its code point in hex (`é` →
//!    `u00e9`), so identifiers stay ASCII (no `uncommon_codepoints` or confusable lints) and two
//!    distinct names never map to the same spelling because of transliteration.
//! 3. Empty results (a selection value `""` or `"-"`) become `empty` / `Empty`.
//! 4. A leading digit gets a prefix: `_` for snake and constant case (`_1st`), and a
//!    kind-specific letter for camel case (`V` for values: `V1`, `M` for models).
//! 5. Rust keywords become raw identifiers (`r#type`), except `self`, `Self`, `crate`, `super`
//!    and `_`, which cannot be raw: they get a trailing underscore (`self_`, `Self_`).
//! 6. Collisions inside one namespace (fields `x_a_b` and `x_a__b`; values `draft` and
//!    `Draft`) are resolved by [`Namespace::claim_all`]: names that are already spelt exactly
//!    as their identifier (`x_a_b`, `Draft`; for constants, once upper-cased) claim first, then the others; within each group
//!    names claim in the byte order of the original Odoo names. A name whose identifier is
//!    taken gets the first free suffix `_2`, `_3`, … (camel case: `2`, `3`, …). The outcome
//!    depends only on the set of names, never on the order of the schema files.

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};
use std::collections::BTreeSet;

/// Strict and reserved keywords of Rust 2024 (including `gen`, `async`, `try`).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be written as raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "crate", "super", "_"];

/// The case an identifier is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    /// `snake_case`: modules, struct fields, methods.
    Snake,
    /// `UPPER_SNAKE_CASE`: constants.
    Constant,
    /// `UpperCamelCase`: types and enum variants; the char is the prefix for a leading digit.
    Camel(char),
}

/// Replaces non-ASCII alphanumerics by their hex code point and other characters that cannot
/// be in an identifier by `_`, so that heck sees only ASCII words.
fn asciify(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if c.is_alphanumeric() {
            out.push_str(&format!("_u{:04x}_", c as u32));
        } else {
            out.push('_');
        }
    }
    out
}

/// Converts `name` to an identifier in `case`, following the module rules (without collision
/// handling). The result is a valid Rust identifier, possibly raw (`r#type`).
pub fn ident(name: &str, case: Case) -> String {
    let ascii = asciify(name);
    let mut out = match case {
        Case::Snake => ascii.to_snake_case(),
        Case::Constant => ascii.to_shouty_snake_case(),
        Case::Camel(_) => ascii.to_upper_camel_case(),
    };
    if out.is_empty() {
        out = match case {
            Case::Snake => "empty".to_owned(),
            Case::Constant => "EMPTY".to_owned(),
            Case::Camel(_) => "Empty".to_owned(),
        };
    }
    if out.starts_with(|c: char| c.is_ascii_digit()) {
        match case {
            Case::Snake | Case::Constant => out.insert(0, '_'),
            Case::Camel(prefix) => out.insert(0, prefix),
        }
    }
    escape_keyword(out)
}

/// Makes a keyword usable: raw identifier where Rust allows it, trailing `_` where not.
fn escape_keyword(name: String) -> String {
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// One namespace (a module's items, a struct's fields, an enum's variants) in which every
/// claimed identifier is unique. See the module docs for the collision rule.
#[derive(Debug, Default, Clone)]
pub struct Namespace {
    taken: BTreeSet<String>,
}

impl Namespace {
    /// An empty namespace.
    pub fn new() -> Self {
        Self::default()
    }

    /// A namespace where `reserved` names are already taken (for example the items every
    /// generated module defines).
    pub fn with_reserved<'a>(reserved: impl IntoIterator<Item = &'a str>) -> Self {
        Self {
            taken: reserved.into_iter().map(str::to_owned).collect(),
        }
    }

    /// Whether `ident` (an identifier, not an Odoo name) is still free.
    pub fn is_free(&self, ident: &str) -> bool {
        !self.taken.contains(ident)
    }

    /// Claims the identifier for `name` in `case`, adding a numeric suffix if it is taken.
    pub fn claim(&mut self, name: &str, case: Case) -> String {
        let base = ident(name, case);
        let mut candidate = base.clone();
        let mut n = 2u32;
        while self.taken.contains(&candidate) {
            let bare = base.trim_start_matches("r#").trim_end_matches('_');
            candidate = match case {
                Case::Camel(_) => format!("{bare}{n}"),
                Case::Snake | Case::Constant => format!("{bare}_{n}"),
            };
            n += 1;
        }
        self.taken.insert(candidate.clone());
        candidate
    }

    /// Claims identifiers for all `names` by the module's collision rule and returns them in
    /// the order given.
    pub fn claim_all(&mut self, names: &[&str], case: Case) -> Vec<String> {
        let mut order: Vec<usize> = (0..names.len()).collect();
        let canonical = |name: &str| match case {
            Case::Constant => ident(name, case) == name.to_ascii_uppercase(),
            Case::Snake | Case::Camel(_) => ident(name, case) == name,
        };
        order.sort_by_cached_key(|&i| (!canonical(names[i]), names[i]));
        let mut out = vec![String::new(); names.len()];
        for i in order {
            out[i] = self.claim(names[i], case);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn models_become_modules_and_types() {
        assert_eq!(ident("res.partner", Case::Snake), "res_partner");
        assert_eq!(ident("res.partner", Case::Camel('M')), "ResPartner");
        assert_eq!(
            ident("g2p.program_membership", Case::Camel('M')),
            "G2pProgramMembership"
        );
        assert_eq!(
            ident("account.edi.xml.ubl_20", Case::Snake),
            "account_edi_xml_ubl_20"
        );
        assert_eq!(ident("_unknown", Case::Camel('M')), "Unknown");
    }

    #[test]
    fn keywords_are_raw_or_suffixed() {
        assert_eq!(ident("type", Case::Snake), "r#type");
        assert_eq!(ident("async", Case::Snake), "r#async");
        assert_eq!(ident("gen", Case::Snake), "r#gen");
        assert_eq!(ident("self", Case::Snake), "self_");
        assert_eq!(ident("crate", Case::Snake), "crate_");
        assert_eq!(ident("super", Case::Snake), "super_");
        assert_eq!(ident("self", Case::Camel('V')), "Self_");
        assert_eq!(ident("type", Case::Constant), "TYPE");
    }

    #[test]
    fn digits_non_ascii_and_punctuation() {
        assert_eq!(ident("1", Case::Camel('V')), "V1");
        assert_eq!(ident("1st_choice", Case::Snake), "_1st_choice");
        assert_eq!(ident("1st_choice", Case::Constant), "_1ST_CHOICE");
        assert_eq!(ident("HALF-UP", Case::Camel('V')), "HalfUp");
        assert_eq!(
            ident("Africa/Porto-Novo", Case::Camel('V')),
            "AfricaPortoNovo"
        );
        assert_eq!(ident("café", Case::Snake), "caf_u00e9");
        assert_eq!(ident("日本", Case::Camel('V')), "U65e5U672c");
        assert_eq!(ident("", Case::Camel('V')), "Empty");
        assert_eq!(ident("-", Case::Snake), "empty");
        assert_eq!(ident("__new__", Case::Camel('V')), "New");
        assert_eq!(ident("_barcode_scanned", Case::Snake), "barcode_scanned");
    }

    #[test]
    fn collisions_are_resolved_by_sorted_original_name() {
        let mut ns = Namespace::new();
        let got = ns.claim_all(&["x_a__b", "x_a_b"], Case::Snake);
        assert_eq!(got, ["x_a_b_2", "x_a_b"]);
        let mut ns = Namespace::new();
        let got = ns.claim_all(&["x_a__b", "x_a_b"], Case::Constant);
        assert_eq!(got, ["X_A_B_2", "X_A_B"]);
        let mut ns = Namespace::new();
        let got = ns.claim_all(&["draft", "Draft"], Case::Camel('V'));
        assert_eq!(got, ["Draft2", "Draft"]);
        let mut ns = Namespace::new();
        assert_eq!(
            ns.claim_all(&["A", "a_2", "a"], Case::Snake),
            ["a_3", "a_2", "a"]
        );
        let mut ns = Namespace::with_reserved(["Model"]);
        assert_eq!(ns.claim("model", Case::Camel('V')), "Model2");
        let mut ns = Namespace::new();
        assert_eq!(
            ns.claim_all(&["self", "self_"], Case::Snake),
            ["self_2", "self_"]
        );
    }
}
