//! The report as Markdown: summary counts first, then the changes grouped by addon and model.

use super::Report;
use super::change::{Capability, Change, Flag, Impact, Kind, RustItem, Shape, Side};
use std::collections::BTreeMap;
use std::fmt::Write;

/// Renders `report`; the same report always gives the same bytes.
pub fn render(report: &Report) -> String {
    let mut out = String::from("# Schema changes\n\n");
    let sides = format!(
        "From Odoo {} ({} models) to Odoo {} ({} models)",
        report.from.server_version, report.from.models, report.to.server_version, report.to.models
    );
    let scope = match &report.selection {
        Some(selection) => format!(", {selection}"),
        None => String::new(),
    };
    if report.changes.is_empty() {
        let _ = writeln!(out, "{sides}{scope}: no changes.");
        return out;
    }
    let _ = writeln!(out, "{sides}{scope}.\n");
    summary(report, &mut out);
    let mut addon: Option<&str> = None;
    let mut model: Option<&str> = None;
    for change in &report.changes {
        let new_addon = addon != Some(change.addon.as_str());
        if new_addon {
            addon = Some(&change.addon);
            let _ = write!(out, "\n## Addon {}\n", code(&change.addon));
        }
        if new_addon || model != change.model.as_deref() {
            model = change.model.as_deref();
            if let Some(name) = model {
                let _ = write!(out, "\n### {}\n", code(name));
            }
            out.push('\n');
        }
        line(change, &mut out);
    }
    out
}

/// The counts: per impact, then per kind of change.
fn summary(report: &Report, out: &mut String) {
    let mut rows: BTreeMap<&str, [usize; 3]> = BTreeMap::new();
    let mut totals = [0usize; 3];
    for change in &report.changes {
        let column = Impact::ALL
            .iter()
            .position(|i| *i == change.impact)
            .expect("every impact has a column");
        rows.entry(change.kind.summary_row()).or_default()[column] += 1;
        totals[column] += 1;
    }
    out.push_str("| | ");
    out.push_str(&Impact::ALL.map(Impact::label).join(" | "));
    out.push_str(" |\n|---|--:|--:|--:|\n");
    let row = |name: &str, counts: [usize; 3]| {
        let counts = counts.map(|n| n.to_string());
        format!("| {name} | {} |\n", counts.join(" | "))
    };
    out.push_str(&row("**all changes**", totals));
    for (name, counts) in rows {
        out.push_str(&row(name, counts));
    }
}

fn line(change: &Change, out: &mut String) {
    let _ = writeln!(out, "- **{}**: {}", change.impact.label(), describe(change));
    for item in &change.rust {
        let _ = writeln!(out, "  - {}", rust_item(item));
    }
}

fn rust_item(item: &RustItem) -> String {
    let role = item.role.label();
    match (&item.from, &item.to) {
        (Some(from), Some(to)) if from == to => format!("{role} {}", code(from)),
        (Some(from), Some(to)) => format!("{role} {} → {}", code(from), code(to)),
        (Some(from), None) => format!("{role} {} goes", code(from)),
        (None, Some(to)) => format!("{role} {} comes", code(to)),
        (None, None) => role.to_owned(),
    }
}

/// One change as a sentence.
fn describe(change: &Change) -> String {
    let field = change.field.as_deref().map(code).unwrap_or_default();
    match &change.kind {
        Kind::AddonAdded => "addon installed".into(),
        Kind::AddonRemoved => "addon no longer installed".into(),
        Kind::AddonVersion { from, to } => format!("addon version {} → {}", code(from), code(to)),
        Kind::ModelAdded { label } => format!("model added ({})", quoted(label)),
        Kind::ModelRemoved { label } => format!("model removed ({})", quoted(label)),
        Kind::ModelRenamed { to, label } => format!(
            "model probably renamed to {} (the same label, {})",
            code(to),
            quoted(label)
        ),
        Kind::ModelUnreadable { side, fault } => format!(
            "not compared: the dump of {} skipped it (fault {})",
            side_flag(*side),
            escape(fault)
        ),
        Kind::ModelAddon { from, to } => {
            format!("moved from addon {} to addon {}", code(from), code(to))
        }
        Kind::ModelLabel { from, to } => format!("label {} → {}", quoted(from), quoted(to)),
        Kind::ModelTransient { from, to } => {
            format!("transient (a wizard): {} → {}", yes_no(*from), yes_no(*to))
        }
        Kind::FieldAdded { shape: s, label } => {
            format!("field {field} added ({}, {})", shape(s), quoted(label))
        }
        Kind::FieldRemoved { shape: s, label } => {
            format!("field {field} removed ({}, {})", shape(s), quoted(label))
        }
        Kind::FieldRenamed {
            to,
            shape: s,
            label,
        } => format!(
            "field {field} probably renamed to {} (both {}, {})",
            code(to),
            shape(s),
            quoted(label)
        ),
        Kind::FieldType { from, to } => {
            format!("field {field} type {} → {}", shape(from), shape(to))
        }
        Kind::FieldFlag { flag, from, to } => {
            let flag = match flag {
                Flag::Required => "required",
                Flag::Readonly => "readonly",
                Flag::Stored => "stored",
                Flag::Searchable => "searchable",
            };
            format!("field {field} {flag}: {} → {}", yes_no(*from), yes_no(*to))
        }
        Kind::CreateArgument { to: true, .. } => {
            format!("field {field} must now be given to `create`")
        }
        Kind::CreateArgument { to: false, .. } => {
            format!("field {field} no longer has to be given to `create`")
        }
        Kind::FieldCapability {
            capability,
            from,
            to,
        } => {
            let (verb, yes, no) = match capability {
                Capability::Search => ("searched", "Searchable", "NotSearchable"),
                Capability::Sort => ("sorted by", "Sortable", "NotSortable"),
                Capability::Write => ("written", "Writable", "NotWritable"),
            };
            let marker = |b: bool| if b { yes } else { no };
            let now = if *to {
                "can now be"
            } else {
                "can no longer be"
            };
            format!(
                "field {field} {now} {verb} ({} → {})",
                code(marker(*from)),
                code(marker(*to))
            )
        }
        Kind::SelectionRemoved { values } => {
            format!("field {field} selection keys removed: {}", keys(values))
        }
        Kind::SelectionAdded { values } => {
            format!("field {field} selection keys added: {}", keys(values))
        }
        Kind::FieldLabel { from, to } => {
            format!("field {field} label {} → {}", quoted(from), quoted(to))
        }
    }
}

fn side_flag(side: Side) -> &'static str {
    match side {
        Side::From => "`--from`",
        Side::To => "`--to`",
    }
}

fn yes_no(value: bool) -> &'static str {
    if value { "yes" } else { "no" }
}

fn shape(shape: &Shape) -> String {
    match &shape.relation {
        Some(relation) => format!("{} to {}", escape(&shape.odoo_type), code(relation)),
        None => escape(&shape.odoo_type),
    }
}

/// Keys listed in full up to this many; a longer list (a `reference` field's selection lists
/// every model) shows this many and a count, the JSON report has them all.
const KEYS_SHOWN: usize = 12;

fn keys(values: &[String]) -> String {
    let shown: Vec<String> = values.iter().take(KEYS_SHOWN).map(|v| code(v)).collect();
    match values.len().saturating_sub(KEYS_SHOWN) {
        0 => shown.join(", "),
        more => format!("{} and {more} more (`--json` lists them)", shown.join(", ")),
    }
}

/// Inline code that holds any text: fenced with one more backtick than the text's longest run,
/// padded when the text holds one; the empty text (a selection's empty key) in words.
fn code(text: &str) -> String {
    if text.is_empty() {
        return "(empty)".to_owned();
    }
    let text = text.replace('\n', " ");
    let longest = text
        .split(|c| c != '`')
        .map(str::len)
        .max()
        .unwrap_or_default();
    let fence = "`".repeat(longest + 1);
    if longest == 0 {
        format!("{fence}{text}{fence}")
    } else {
        format!("{fence} {text} {fence}")
    }
}

/// A label, quoted, with Markdown's special characters escaped.
fn quoted(text: &str) -> String {
    format!("\"{}\"", escape(text))
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' | '\r' => out.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_spans_hold_backticks_and_labels_are_escaped() {
        assert_eq!(code("res.partner"), "`res.partner`");
        assert_eq!(code("a`b"), "`` a`b ``");
        assert_eq!(code(""), "(empty)");
        assert_eq!(quoted("Tax | *Rate*\n"), "\"Tax \\| \\*Rate\\* \"");
        let many: Vec<String> = (0..14).map(|i| i.to_string()).collect();
        assert!(keys(&many).ends_with("`11` and 2 more (`--json` lists them)"));
        assert_eq!(keys(&many[..12]).matches('`').count(), 24);
    }
}
