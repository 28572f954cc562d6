//! Serde features the generated models and the client lean on: flatten, skipping unknown
//! members, enums for selection values, Odoo's `false`, many2one tuples, DateTime and Base64.

use openspp_xmlrpc::{Base64, DateTime, Struct, Value, from_response, from_value, to_response};
use serde::{Deserialize, Serialize};

fn response(value: &str) -> Vec<u8> {
    format!(
        "<methodResponse><params><param><value>{value}</value></param></params></methodResponse>"
    )
    .into_bytes()
}

fn member(name: &str, value: &str) -> String {
    format!("<member><name>{name}</name><value>{value}</value></member>")
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(rename_all = "lowercase")]
enum CompanyType {
    Person,
    Company,
}

#[derive(Debug, Deserialize, PartialEq)]
struct Known {
    id: i32,
    company_type: CompanyType,
    #[serde(flatten)]
    rest: Struct,
}

#[derive(Debug, Deserialize, PartialEq)]
struct Few {
    id: i32,
}

#[test]
fn flatten_collects_the_other_members() {
    let body = response(&format!(
        "<struct>{}{}{}{}</struct>",
        member("id", "<int>5</int>"),
        member("company_type", "<string>company</string>"),
        member("email", "<boolean>0</boolean>"),
        member(
            "create_date",
            "<dateTime.iso8601>20240709T12:00:00</dateTime.iso8601>"
        ),
    ));
    let known: Known = from_response(&body).unwrap().unwrap();
    assert_eq!(known.id, 5);
    assert_eq!(known.company_type, CompanyType::Company);
    assert_eq!(known.rest["email"], Value::Bool(false));
    assert_eq!(
        known.rest["create_date"],
        Value::DateTime("20240709T12:00:00".parse().unwrap())
    );
}

#[test]
fn unknown_members_are_skipped_but_still_checked() {
    let nested = "<array><data><value><struct>".to_owned()
        + &member("x", "<base64>aGk=</base64>")
        + "</struct></value><value>text &amp; more</value></data></array>";
    let body = response(&format!(
        "<struct>{}{}</struct>",
        member("skipped", &nested),
        member("id", "<int>1</int>")
    ));
    let few: Few = from_response(&body).unwrap().unwrap();
    assert_eq!(few, Few { id: 1 });
    // An invalid value in a skipped member still makes the document invalid.
    let body = response(&format!(
        "<struct>{}{}</struct>",
        member("skipped", "<base64>@@</base64>"),
        member("id", "<int>1</int>")
    ));
    assert!(from_response::<Few>(&body).is_err());
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
struct Row {
    when: DateTime,
    created: Option<DateTime>,
    image: Option<Base64>,
    partner_id: Option<(i32, String)>,
    ratio: f64,
}

#[test]
fn odoo_strings_for_dates_and_binary() {
    let body = response(&format!(
        "<struct>{}{}{}{}{}</struct>",
        member("when", "<string>2024-07-09 12:30:00</string>"),
        member("created", "<boolean>0</boolean>"),
        member("image", "<string>aGk=</string>"),
        member(
            "partner_id",
            "<array><data><value><int>3</int></value><value><string>Ada</string></value></data></array>"
        ),
        member("ratio", "<double>1e-07</double>"),
    ));
    let row: Row = from_response(&body).unwrap().unwrap();
    assert_eq!(row.when, DateTime::new(2024, 7, 9, 12, 30, 0).unwrap());
    assert_eq!(row.created, None);
    assert_eq!(row.image, Some(Base64(b"hi".to_vec())));
    assert_eq!(row.partner_id, Some((3, "Ada".to_owned())));
    assert_eq!(row.ratio, 1e-7);
    // Serializing writes <dateTime.iso8601> and <base64>, and it comes back the same.
    let out = to_response(&row).unwrap();
    let text = String::from_utf8(out.clone()).unwrap();
    assert!(
        text.contains("<dateTime.iso8601>20240709T12:30:00</dateTime.iso8601>")
            && text.contains("<base64>aGk=</base64>")
    );
    assert_eq!(from_response::<Row>(&out).unwrap().unwrap(), row);
    // And through Value.
    let value: Value = from_response(&out).unwrap().unwrap();
    assert_eq!(from_value::<Row>(value).unwrap(), row);
}

#[test]
fn from_value_errors_carry_the_path() {
    let mut s = Struct::new();
    s.insert("id".into(), Value::String("x".into()));
    let err = from_value::<Vec<Few>>(Value::Array(vec![Value::Struct(s)])).unwrap_err();
    assert_eq!(err.path().as_deref(), Some("[0].id"), "{err}");
}

#[derive(Debug, Deserialize, PartialEq)]
struct Contact {
    #[serde(default, deserialize_with = "openspp_xmlrpc::helpers::false_as_none")]
    email: Option<String>,
    #[serde(default, deserialize_with = "openspp_xmlrpc::helpers::false_as_none")]
    parent_id: Option<(i32, String)>,
}

#[derive(Debug, Deserialize, PartialEq)]
struct WithContact {
    id: i32,
    #[serde(flatten)]
    contact: Contact,
}

#[test]
fn false_as_none_inside_flatten() {
    let body = response(&format!(
        "<struct>{}{}{}</struct>",
        member("id", "<int>1</int>"),
        member("email", "<boolean>0</boolean>"),
        member(
            "parent_id",
            "<array><data><value><int>4</int></value><value>Acme</value></data></array>"
        ),
    ));
    let row: WithContact = from_response(&body).unwrap().unwrap();
    assert_eq!(
        row.contact,
        Contact {
            email: None,
            parent_id: Some((4, "Acme".into()))
        }
    );
    let body = response(&format!(
        "<struct>{}{}</struct>",
        member("id", "<int>1</int>"),
        member("email", "a@b.c")
    ));
    let row: WithContact = from_response(&body).unwrap().unwrap();
    assert_eq!(
        row.contact,
        Contact {
            email: Some("a@b.c".into()),
            parent_id: None
        }
    );
}
