//! Every exchange captured from a real Odoo 17 + OpenSPP server decodes: responses as values
//! or faults (as INDEX.json says), requests as calls that re-encode to the same value.

mod common;

use openspp_xmlrpc::{DecodeOptions, Document, FaultCode, Value, parse_document};
use serde::Deserialize;

#[derive(Deserialize)]
struct Exchange {
    name: String,
    outcome: String,
}

fn exchanges() -> Vec<Exchange> {
    let index = test_captures::read("odoo17/wire/INDEX.json");
    let list: Vec<Exchange> = serde_json::from_slice(&index).unwrap();
    assert!(list.len() >= 35);
    list
}

fn read(name: &str, part: &str) -> Vec<u8> {
    test_captures::read(&format!("odoo17/wire/{name}.{part}.xml"))
}

#[test]
fn every_response_decodes_and_faults_are_faults() {
    for ex in exchanges() {
        let doc = parse_document(&read(&ex.name, "response"), &DecodeOptions::default())
            .unwrap_or_else(|e| panic!("{}: {e}", ex.name));
        match (ex.outcome.as_str(), &doc) {
            ("ok", Document::Response(_)) => {}
            ("fault", Document::Fault(f)) => {
                // /xmlrpc/2 codes are 1..=4; the faultString is never empty on that endpoint.
                assert!(
                    matches!(f.code, FaultCode::Int(1..=4)),
                    "{}: {:?}",
                    ex.name,
                    f.code
                );
                assert!(!f.message.is_empty(), "{}", ex.name);
            }
            (outcome, doc) => panic!("{}: outcome {outcome} but decoded {doc:?}", ex.name),
        }
        // The typed path agrees with the Value path.
        let typed = openspp_xmlrpc::from_response::<Value>(&read(&ex.name, "response")).unwrap();
        match (&doc, typed) {
            (Document::Response(v), Ok(t)) => assert_eq!(v, &t),
            (Document::Fault(f), Err(t)) => assert_eq!(f, &t),
            _ => panic!("{}: paths disagree", ex.name),
        }
    }
}

#[test]
fn every_request_decodes_and_re_encodes_to_the_same_call() {
    for ex in exchanges() {
        let doc = parse_document(&read(&ex.name, "request"), &DecodeOptions::default())
            .unwrap_or_else(|e| panic!("{}: {e}", ex.name));
        let Document::Call(call) = &doc else {
            panic!("{}: request is not a call", ex.name);
        };
        // Odoo's dialect: default options, no <i8>, no <nil/>.
        let bytes = openspp_xmlrpc::to_call(&call.method, &call.params).unwrap();
        let (method, params): (String, Vec<Value>) = openspp_xmlrpc::from_call(&bytes).unwrap();
        assert_eq!(
            (&method, &params),
            (&call.method, &call.params),
            "{}",
            ex.name
        );
    }
}

/// A partner as `search_read` returns it, with Odoo's `false` for empty fields.
#[derive(Deserialize, Debug)]
struct Partner {
    id: i32,
    name: Option<String>,
    email: Option<String>,
    country_id: Option<(i32, String)>,
    category_id: Vec<i32>,
}

#[test]
fn search_read_capture_decodes_into_typed_records() {
    let body = read("search_read_res_partner", "response");
    let partners: Vec<Partner> = openspp_xmlrpc::from_response(&body).unwrap().unwrap();
    assert!(partners.len() >= 40, "{}", partners.len());
    assert!(partners.iter().all(|p| p.id > 0));
    assert!(
        partners.iter().any(|p| p.email.is_none()),
        "some partner has no email (false)"
    );
    assert!(partners.iter().any(|p| p.country_id.is_some()));
    assert!(partners.iter().any(|p| p.name.is_some()));
    let _ = partners.iter().map(|p| p.category_id.len()).sum::<usize>();
}

#[test]
fn legacy_and_common_endpoints() {
    let version: Value = openspp_xmlrpc::from_response(&read("version", "response"))
        .unwrap()
        .unwrap();
    assert_eq!(
        version.as_struct().unwrap()["protocol_version"],
        Value::Int(1)
    );
    // authenticate with a wrong password is `false`, not a fault.
    let uid: Option<i32> =
        openspp_xmlrpc::from_response(&read("authenticate_bad_password", "response"))
            .unwrap()
            .unwrap();
    assert_eq!(uid, None);
    let uid: Option<i32> = openspp_xmlrpc::from_response(&read("authenticate_good", "response"))
        .unwrap()
        .unwrap();
    assert_eq!(uid, Some(2));
}
