//! Property tests: decode(encode(v)) == v for arbitrary values, and the typed serde path agrees
//! with the `Value` path.

use std::collections::BTreeMap;

use openspp_xmlrpc::{Base64, DateTime, EncodeOptions, Struct, Value};
use proptest::prelude::*;
use serde::{Deserialize, Serialize};

/// Strings XML 1.0 can carry (C0 controls other than TAB/LF/CR and U+FFFE/U+FFFF excluded),
/// with the markup characters and CR well represented.
fn xml_string() -> impl Strategy<Value = String> {
    let ch = prop_oneof![
        4 => any::<char>().prop_filter("XML Char", |c| {
            (*c >= ' ' || matches!(c, '\t' | '\n' | '\r')) && !matches!(c, '\u{FFFE}' | '\u{FFFF}')
        }),
        1 => prop::sample::select(vec!['<', '>', '&', '\r', '\n', ']', '"', '\'', ' ']),
    ];
    prop::collection::vec(ch, 0..24).prop_map(|v| v.into_iter().collect())
}

fn datetime() -> impl Strategy<Value = DateTime> {
    (0u16..=9999, 1u8..=12, 1u8..=28, 0u8..24, 0u8..60, 0u8..60)
        .prop_map(|(y, mo, d, h, mi, s)| DateTime::new(y, mo, d, h, mi, s).unwrap())
}

fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        any::<i32>().prop_map(Value::Int),
        any::<i64>().prop_map(Value::I8),
        any::<bool>().prop_map(Value::Bool),
        any::<f64>()
            .prop_filter("finite", |d| d.is_finite())
            .prop_map(Value::Double),
        xml_string().prop_map(Value::String),
        datetime().prop_map(Value::DateTime),
        prop::collection::vec(any::<u8>(), 0..40).prop_map(Value::Base64),
        Just(Value::Nil),
    ];
    leaf.prop_recursive(5, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::btree_map(xml_string(), inner, 0..8).prop_map(Value::Struct),
        ]
    })
}

fn lossless() -> EncodeOptions {
    EncodeOptions::new().allow_i8(true).allow_nil(true)
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
enum Kind {
    Person,
    Company,
    Other(i32),
    Point { x: i32, y: String },
}

/// An Odoo-like record: options (Odoo's `false`), a many2one pair, id lists, enums, a date.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Record {
    id: i32,
    name: String,
    email: Option<String>,
    country_id: Option<(i32, String)>,
    category_id: Vec<i32>,
    active: bool,
    credit: f64,
    big: i64,
    kind: Kind,
    date: Option<DateTime>,
    image: Option<Base64>,
    extra: BTreeMap<String, Value>,
}

fn record() -> impl Strategy<Value = Record> {
    let kind = prop_oneof![
        Just(Kind::Person),
        Just(Kind::Company),
        any::<i32>().prop_map(Kind::Other),
        (any::<i32>(), xml_string()).prop_map(|(x, y)| Kind::Point { x, y }),
    ];
    (
        (
            any::<i32>(),
            xml_string(),
            prop::option::of(xml_string()),
            prop::option::of((any::<i32>(), xml_string())),
        ),
        (
            prop::collection::vec(any::<i32>(), 0..6),
            any::<bool>(),
            -1e12f64..1e12,
            any::<i64>(),
            kind,
        ),
        (
            prop::option::of(datetime()),
            prop::option::of(prop::collection::vec(any::<u8>(), 0..16).prop_map(Base64)),
            prop::collection::btree_map("[a-z]{1,6}", value(), 0..3),
        ),
    )
        .prop_map(
            |(
                (id, name, email, country_id),
                (category_id, active, credit, big, kind),
                (date, image, extra),
            )| {
                Record {
                    id,
                    name,
                    email,
                    country_id,
                    category_id,
                    active,
                    credit,
                    big,
                    kind,
                    date,
                    image,
                    extra,
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn value_round_trips_through_a_response(v in value()) {
        let bytes = openspp_xmlrpc::to_response_with(&v, &lossless()).unwrap();
        let back: Value = openspp_xmlrpc::from_response(&bytes).unwrap().unwrap();
        prop_assert_eq!(back, v);
    }

    #[test]
    fn params_round_trip_through_a_call(params in prop::collection::vec(value(), 0..5), method in "[a-z_.]{1,12}") {
        let bytes = openspp_xmlrpc::to_call_with(&method, &params, &lossless()).unwrap();
        let (m, p): (String, Vec<Value>) = openspp_xmlrpc::from_call(&bytes).unwrap();
        prop_assert_eq!((m, p), (method, params));
    }

    #[test]
    fn to_value_and_from_value_are_inverse(v in value()) {
        prop_assert_eq!(openspp_xmlrpc::to_value(&v).unwrap(), v.clone());
        let back: Value = openspp_xmlrpc::from_value(v.clone()).unwrap();
        prop_assert_eq!(back, v);
    }

    /// Typed straight from the wire == via Value; and the typed round trip is exact.
    #[test]
    fn serde_path_agrees_with_value_path(records in prop::collection::vec(record(), 0..4)) {
        let bytes = openspp_xmlrpc::to_response_with(&records, &lossless()).unwrap();
        let typed: Vec<Record> = openspp_xmlrpc::from_response(&bytes).unwrap().unwrap();
        prop_assert_eq!(&typed, &records);
        let value: Value = openspp_xmlrpc::from_response(&bytes).unwrap().unwrap();
        let via_value: Vec<Record> = openspp_xmlrpc::from_value(value.clone()).unwrap();
        prop_assert_eq!(&via_value, &records);
        prop_assert_eq!(openspp_xmlrpc::to_value(&records).unwrap(), value);
    }

    /// With Odoo's defaults, `None` is written as `false` and read back as `None`.
    #[test]
    fn odoo_defaults_round_trip_options(email in prop::option::of(xml_string()), n in prop::option::of(any::<i32>())) {
        let bytes = openspp_xmlrpc::to_response(&(email.clone(), n)).unwrap();
        prop_assert!(!String::from_utf8_lossy(&bytes).contains("<nil/>"));
        let back: (Option<String>, Option<i32>) = openspp_xmlrpc::from_response(&bytes).unwrap().unwrap();
        prop_assert_eq!(back, (email, n));
    }

    /// Decoding arbitrary bytes never panics.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        let _ = openspp_xmlrpc::parse_document(&bytes, &openspp_xmlrpc::DecodeOptions::default());
    }
}

#[test]
fn struct_keys_and_odd_values() {
    let mut s = Struct::new();
    s.insert("a&b<c>".into(), Value::String("x\r\ny\rz".into()));
    s.insert(String::new(), Value::Double(-0.0));
    let v = Value::Struct(s);
    let bytes = openspp_xmlrpc::to_response(&v).unwrap();
    let back: Value = openspp_xmlrpc::from_response(&bytes).unwrap().unwrap();
    assert_eq!(back, v);
}
