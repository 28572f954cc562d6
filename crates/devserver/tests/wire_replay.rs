//! Replays every request captured from the real Odoo 17 + OpenSPP server
//! (`../shared/odoo17/wire`) against the dev server, seeded with the records those captures
//! show, and compares each answer's shape with the captured one: the same fields, the same
//! types (Odoo's `false` for "empty" matches any type), the same fault codes and exception
//! lines.

mod support;

use openspp_devserver::{Config, Seed};
use openspp_schema::SchemaSet;
use openspp_xmlrpc::{Fault, Value};
use serde_json::{Map, Value as Json, json};
use std::collections::BTreeMap;
use support::*;

/// Server bugs of the captured OpenSPP build that the dev server does not reproduce: the
/// capture faults, the dev server answers what a correct server answers.
const SERVER_BUGS: [&str; 3] = [
    "create_res_partner_multi", // Expected singleton: res.partner(60, 61)
    "unlink_res_partner",       // deletes, then cannot marshal None
    "search_read_g2p_entitlement_allfields_fault", // a computed field fails
];

fn exchange(name: &str, suffix: &str) -> Vec<u8> {
    std::fs::read(shared().join("wire").join(format!("{name}.{suffix}"))).expect("capture")
}

fn decode(bytes: &[u8]) -> Result<Value, Fault> {
    openspp_xmlrpc::from_response::<Value>(bytes).expect("a well-formed response")
}

/// The records the captured answers show, as a seed: every record read, and a stub for every
/// record they point at (named as the capture shows it).
fn seed_from_captures(schemas: &SchemaSet, index: &[Json]) -> Json {
    let mut records: BTreeMap<String, BTreeMap<i64, Map<String, Json>>> = BTreeMap::new();
    let mut stubs: Vec<(String, i64, Map<String, Json>)> = Vec::new();
    for entry in index {
        let name = entry["name"].as_str().unwrap();
        let (_, params): (String, Vec<Value>) =
            openspp_xmlrpc::from_call(&exchange(name, "request.xml")).unwrap();
        let method = params.get(4).cloned();
        if !matches!(method, Some(Value::String(ref m)) if m == "search_read" || m == "read") {
            continue;
        }
        let Ok(Value::Array(rows)) = decode(&exchange(name, "response.xml")) else {
            continue;
        };
        let Some(Value::String(model)) = params.get(3) else {
            continue;
        };
        let Some(schema) = schemas.models.get(model) else {
            continue;
        };
        // the equalities the search asked for hold on the records it found
        let mut implied = Map::new();
        if let Some(Value::Array(args)) = params.get(5) {
            if let Some(Value::Array(domain)) = args.first() {
                for leaf in domain {
                    if let Value::Array(parts) = leaf {
                        if let [Value::String(f), Value::String(op), v] = parts.as_slice() {
                            if op == "=" {
                                implied.insert(f.clone(), odoo_value_to_json(v));
                            }
                        }
                    }
                }
            }
        }
        for row in rows {
            let Value::Struct(row) = row else { continue };
            let Some(Value::Int(id)) = row.get("id") else {
                continue;
            };
            let mut record = implied.clone();
            for (field, value) in &row {
                let Some(fs) = schema.fields.get(field) else {
                    continue;
                };
                if field == "id" || !fs.store() {
                    continue;
                }
                let relation = fs.relation().unwrap_or_default().to_owned();
                match (fs.field_type(), value) {
                    ("many2one", Value::Array(pair)) => {
                        if let [Value::Int(target), Value::String(label)] = pair.as_slice() {
                            record.insert(field.clone(), json!(target));
                            let label = label.rsplit(", ").next().unwrap_or(label);
                            stubs.push((
                                relation,
                                i64::from(*target),
                                Map::from_iter([("name".to_owned(), json!(label))]),
                            ));
                        }
                    }
                    ("many2many", Value::Array(targets)) => {
                        let ids: Vec<i64> = targets
                            .iter()
                            .filter_map(|t| {
                                if let Value::Int(t) = t {
                                    Some(i64::from(*t))
                                } else {
                                    None
                                }
                            })
                            .collect();
                        for target in &ids {
                            stubs.push((
                                relation.clone(),
                                *target,
                                Map::from_iter([(
                                    "name".to_owned(),
                                    json!(format!("Stub {target}")),
                                )]),
                            ));
                        }
                        record.insert(field.clone(), json!(ids));
                    }
                    ("one2many", Value::Array(targets)) => {
                        let inverse = fs.relation_field().unwrap_or_default().to_owned();
                        for target in targets {
                            if let Value::Int(target) = target {
                                stubs.push((
                                    relation.clone(),
                                    i64::from(*target),
                                    Map::from_iter([(inverse.clone(), json!(id))]),
                                ));
                            }
                        }
                    }
                    (_, other) => {
                        record.insert(field.clone(), odoo_value_to_json(other));
                    }
                }
            }
            records
                .entry(model.clone())
                .or_default()
                .entry(i64::from(*id))
                .or_default()
                .extend(record);
        }
    }
    for (model, id, values) in stubs {
        let entry = records.entry(model).or_default().entry(id).or_default();
        for (k, v) in values {
            entry.entry(k).or_insert(v);
        }
    }
    // the records the captured calls write to or link
    let partner = records.entry("res.partner".into()).or_default();
    partner
        .entry(59)
        .or_default()
        .insert("name".into(), json!("Wire Capture Partner"));
    // the captured server's company, which res.partner's `company_id` defaults to (a required
    // field: without it the captured creates would fault)
    let company = &schemas.models["res.partner"].fields["company_id"];
    assert_eq!(company.default, Some(json!(1)), "the live dump's default");
    records
        .entry("res.company".into())
        .or_default()
        .entry(1)
        .or_default()
        .insert("name".into(), json!("YourCompany"));
    let tags = records.entry("res.partner.category".into()).or_default();
    for id in [4, 7] {
        tags.entry(id)
            .or_default()
            .insert("name".into(), json!(format!("Tag {id}")));
    }
    let mut seed = Map::new();
    for (model, rows) in records {
        let rows: Vec<Json> = rows
            .into_iter()
            .map(|(id, mut values)| {
                values.insert("id".into(), json!(id));
                if model == "res.partner" && !values.contains_key("name") {
                    values.insert("name".into(), json!(format!("Partner {id}")));
                }
                Json::Object(values)
            })
            .collect();
        seed.insert(model, Json::Array(rows));
    }
    Json::Object(seed)
}

fn odoo_value_to_json(value: &Value) -> Json {
    match value {
        Value::Int(i) => json!(i),
        Value::I8(i) => json!(i),
        Value::Bool(b) => json!(b),
        Value::Double(d) => json!(d),
        Value::String(s) => json!(s),
        Value::Array(items) => Json::Array(items.iter().map(odoo_value_to_json).collect()),
        Value::Struct(members) => Json::Object(
            members
                .iter()
                .map(|(k, v)| (k.clone(), odoo_value_to_json(v)))
                .collect(),
        ),
        other => panic!("unexpected value in a capture: {other:?}"),
    }
}

/// Whether `ours` has the shape of `theirs`; the first difference otherwise.
fn same_shape(theirs: &Value, ours: &Value, at: &str) -> Result<(), String> {
    match (theirs, ours) {
        (Value::Struct(a), Value::Struct(b)) => {
            let (ka, kb): (Vec<_>, Vec<_>) = (a.keys().collect(), b.keys().collect());
            if ka != kb {
                let missing: Vec<_> = ka.iter().filter(|k| !b.contains_key(**k)).collect();
                let extra: Vec<_> = kb.iter().filter(|k| !a.contains_key(**k)).collect();
                return Err(format!(
                    "{at}: keys differ: missing {missing:?}, extra {extra:?}"
                ));
            }
            for (k, v) in a {
                same_shape(v, &b[k], &format!("{at}.{k}"))?;
            }
            Ok(())
        }
        (Value::Array(a), Value::Array(b)) => {
            if a.is_empty() || b.is_empty() {
                return Ok(());
            }
            for (n, item) in b.iter().enumerate() {
                if !a
                    .iter()
                    .any(|candidate| same_shape(candidate, item, at).is_ok())
                {
                    return same_shape(&a[n.min(a.len() - 1)], item, &format!("{at}[{n}]"));
                }
            }
            Ok(())
        }
        // `false` is Odoo's "empty" for every type
        (Value::Bool(false), _) | (_, Value::Bool(false)) => Ok(()),
        (a, b) if std::mem::discriminant(a) == std::mem::discriminant(b) => Ok(()),
        (a, b) => Err(format!("{at}: captured {a:?}, got {b:?}")),
    }
}

fn exception(fault: &Fault) -> String {
    let line = last_line(fault);
    if code(fault) == 1 {
        line.split(':').next().unwrap_or_default().to_owned()
    } else {
        line.to_owned()
    }
}

#[tokio::test]
async fn every_captured_request_gets_an_answer_of_the_captured_shape() {
    let index: Vec<Json> =
        serde_json::from_slice(&std::fs::read(shared().join("wire/INDEX.json")).unwrap()).unwrap();
    assert_eq!(index.len(), 35);
    let set = schemas();
    let seed = seed_from_captures(&set, &index);
    let server = start(Some(Config::new(set).seed(Seed::Json(seed)))).await;
    let rpc = Rpc::new(server.url());
    let mut failures = Vec::new();
    for entry in &index {
        let name = entry["name"].as_str().unwrap();
        let endpoint = entry["endpoint"].as_str().unwrap();
        let (status, body) = rpc.post(endpoint, exchange(name, "request.xml")).await;
        assert_eq!(status, 200, "{name}");
        assert!(
            body.starts_with(b"<?xml version='1.0'?>\n<methodResponse>"),
            "{name}"
        );
        let captured = decode(&exchange(name, "response.xml"));
        let ours = decode(&body);
        let verdict = match (&captured, &ours) {
            _ if SERVER_BUGS.contains(&name) => match &ours {
                Ok(_) => Ok(()),
                Err(fault) => Err(format!("a correct server answers, got {fault:?}")),
            },
            (Ok(theirs), Ok(ours)) => same_shape(theirs, ours, "result"),
            (Err(theirs), Err(ours))
                if code(theirs) == code(ours) && exception(theirs) == exception(ours) =>
            {
                Ok(())
            }
            (theirs, ours) => Err(format!("captured {theirs:?}\n   got {ours:?}")),
        };
        if let Err(why) = verdict {
            failures.push(format!(
                "{name}: {}",
                why.chars().take(600).collect::<String>()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of 35 exchanges differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
    server.stop().await;
}

#[test]
fn shapes_compare_as_documented() {
    let rec = |v: Value| Value::Struct([("a".to_owned(), v)].into());
    assert!(same_shape(&rec(i(1)), &rec(i(2)), "r").is_ok());
    assert!(same_shape(&rec(Value::Bool(false)), &rec(s("x")), "r").is_ok());
    assert!(same_shape(&rec(i(1)), &rec(s("x")), "r").is_err());
    assert!(same_shape(&rec(i(1)), &Value::Struct(Default::default()), "r").is_err());
    assert!(
        same_shape(
            &arr(vec![arr(vec![i(1), s("n")])]),
            &arr(vec![arr(vec![i(2), s("m")])]),
            "r"
        )
        .is_ok()
    );
    assert!(same_shape(&arr(vec![rec(i(1))]), &arr(vec![rec(s("m"))]), "r").is_err());
}
