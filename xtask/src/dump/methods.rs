//! A model's public methods, from either description the server gives: Odoo 19's
//! `/doc-bearer/<model>.json` listing, or the object buttons of its form view (what
//! `get_views` answers on Odoo 17, which has no listing). Private names (a leading underscore,
//! which Odoo refuses over RPC) are never kept.

use anyhow::{Context, bail};
use openspp_schema::MethodSchema;
use openspp_schema::method::is_public_method_name;
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use serde_json::Value;
use std::collections::BTreeMap;

/// The methods of `/doc-bearer/<model>.json` (`methods`, by name).
pub fn from_doc_bearer(model: &str, doc: &Value) -> anyhow::Result<BTreeMap<String, MethodSchema>> {
    let Some(methods) = doc.get("methods").and_then(Value::as_object) else {
        bail!("/doc-bearer/{model}.json has no `methods` object");
    };
    methods
        .iter()
        .filter(|(name, _)| is_public_method_name(name))
        .map(|(name, entry)| {
            let method = MethodSchema::from_doc_bearer(name, entry)
                .map_err(|e| anyhow::anyhow!(e))
                .with_context(|| format!("/doc-bearer/{model}.json"))?;
            Ok((name.clone(), method))
        })
        .collect()
}

/// The form view's arch out of `get_views([[False, "form"]])`'s answer.
pub fn form_arch(model: &str, views: &Value) -> anyhow::Result<String> {
    views
        .pointer("/views/form/arch")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .with_context(|| format!("get_views on {model}: no views.form.arch in the answer"))
}

/// The `<button type="object" name="...">` of a form arch: each a method the web client calls
/// on the record's ids. Buttons inside a `<field>` (the rows of an embedded one2many list)
/// call the field's comodel, not this model, and are left out. A name that appears on several
/// buttons keeps the first button's label, and the first confirm and groups any of them has.
pub fn form_buttons(arch: &str) -> anyhow::Result<BTreeMap<String, MethodSchema>> {
    let mut reader = Reader::from_str(arch);
    let mut methods: BTreeMap<String, MethodSchema> = BTreeMap::new();
    let mut field_depth = 0usize;
    loop {
        let event = reader
            .read_event()
            .with_context(|| format!("malformed arch at byte {}", reader.buffer_position()))?;
        match event {
            Event::Start(element) => {
                if element.name().as_ref() == b"field" {
                    field_depth += 1;
                } else if field_depth == 0 {
                    button(&element, &mut methods)?;
                }
            }
            Event::Empty(element) if field_depth == 0 => button(&element, &mut methods)?,
            Event::End(element) if element.name().as_ref() == b"field" => {
                field_depth = field_depth.saturating_sub(1);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(methods)
}

fn button(
    element: &BytesStart<'_>,
    methods: &mut BTreeMap<String, MethodSchema>,
) -> anyhow::Result<()> {
    if element.name().as_ref() != b"button" {
        return Ok(());
    }
    let mut attributes: BTreeMap<String, String> = BTreeMap::new();
    for attribute in element.attributes() {
        let attribute = attribute.context("malformed button attribute")?;
        let key = String::from_utf8_lossy(attribute.key.as_ref()).into_owned();
        let value = attribute
            .unescape_value()
            .context("malformed button attribute value")?
            .into_owned();
        attributes.insert(key, value);
    }
    let get = |key: &str| {
        attributes
            .get(key)
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    if get("type").as_deref() != Some("object") {
        return Ok(());
    }
    let Some(name) = get("name").filter(|n| is_public_method_name(n)) else {
        return Ok(());
    };
    let method = methods.entry(name).or_insert_with(|| {
        MethodSchema::form_button(get("string").or_else(|| get("title")).unwrap_or_default())
    });
    if method.label.is_empty() {
        method.label = get("string").or_else(|| get("title")).unwrap_or_default();
    }
    if method.confirm.is_none() {
        method.confirm = get("confirm");
    }
    if method.groups.is_none() {
        method.groups = get("groups");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use openspp_schema::MethodSource;

    #[test]
    fn buttons_inside_fields_belong_to_the_comodel() {
        let arch = r#"<form><header>
            <button type="object" name="approve" string="Approve" confirm="Sure?"/>
            <button type="object" name="approve" string="Approve again" groups="base.group_user"/>
            <button type="action" name="450" string="Print"/>
            <button type="object" name="_private" string="Hidden"/>
            <button name="no_type" string="Workflow"/>
            </header>
            <field name="cycle_ids"><tree><button type="object" name="open_cycle_form"/></tree></field>
            <div class="oe_button_box"><button type="object" name="open_members" title="Members"><span>3</span></button></div>
            </form>"#;
        let methods = form_buttons(arch).unwrap();
        assert_eq!(
            methods.keys().collect::<Vec<_>>(),
            ["approve", "open_members"]
        );
        let approve = &methods["approve"];
        assert_eq!(approve.source, MethodSource::FormButton);
        assert_eq!(approve.label, "Approve");
        assert_eq!(approve.confirm.as_deref(), Some("Sure?"));
        assert_eq!(approve.groups.as_deref(), Some("base.group_user"));
        assert_eq!(methods["open_members"].label, "Members");
    }

    /// The form archs of six OpenSPP 17 models, as `get_views` answered on the real server.
    #[test]
    fn openspp17_form_buttons() {
        let dir = test_captures::path("odoo17/views");
        let buttons = |model: &str| {
            let path = dir.join(format!("{model}.form.json"));
            let capture: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
            let views = serde_json::json!({"views": {"form": capture["form"]}});
            form_buttons(&form_arch(model, &views).unwrap()).unwrap()
        };
        let cycle = buttons("g2p.cycle");
        assert_eq!(cycle.len(), 17);
        for name in [
            "prepare_entitlement",
            "to_approve",
            "approve",
            "prepare_payment",
            "send_payment",
            "mark_ended",
        ] {
            assert!(cycle.contains_key(name), "{name}");
        }
        assert_eq!(cycle["prepare_entitlement"].label, "Prepare Entitlement");
        assert_eq!(
            cycle["action_filter_beneficiaries_by_compliance_criteria"]
                .confirm
                .as_deref(),
            Some("Filtering is one way action. Are you sure to do this?")
        );
        let program = buttons("g2p.program");
        assert_eq!(program.len(), 12);
        for name in [
            "enroll_eligible_registrants",
            "verify_eligibility",
            "create_new_cycle",
        ] {
            assert!(program.contains_key(name), "{name}");
        }
        assert!(
            !program.contains_key("open_cycle_form"),
            "a button of the cycles' list"
        );
        let change_request = buttons("spp.change.request");
        assert_eq!(change_request.len(), 11);
        for name in ["action_submit", "action_validate", "action_apply"] {
            assert!(change_request.contains_key(name), "{name}");
        }
        assert_eq!(buttons("res.partner").len(), 8);
        assert_eq!(buttons("g2p.entitlement").len(), 2);
        assert_eq!(buttons("g2p.program_membership").len(), 4);
        for model in ["g2p.cycle", "g2p.program", "res.partner"] {
            assert!(
                buttons(model)
                    .values()
                    .all(|m| !m.model && m.parameters.is_empty())
            );
        }
    }

    #[test]
    fn a_malformed_arch_is_an_error() {
        assert!(form_buttons("<form><button type='object' name='x'></form>").is_err());
    }
}
