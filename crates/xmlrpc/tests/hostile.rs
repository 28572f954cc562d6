//! Hostile and broken input: typed errors, never a panic, never unbounded work.

mod common;

use openspp_xmlrpc::{
    DecodeOptions, ErrorKind, Value, from_response, from_response_with, parse_document,
};
use serde::Deserialize;

fn nested(depth: usize, open: &str, close: &str) -> Vec<u8> {
    let mut s = String::from("<methodResponse><params><param><value>");
    for _ in 0..depth {
        s.push_str(open);
    }
    s.push_str("<int>1</int>");
    for _ in 0..depth {
        s.push_str(close);
    }
    s.push_str("</value></param></params></methodResponse>");
    s.into_bytes()
}

#[test]
fn deep_nesting_is_refused_without_recursing() {
    for (open, close) in [
        ("<array><data><value>", "</value></data></array>"),
        (
            "<struct><member><name>a</name><value>",
            "</value></member></struct>",
        ),
    ] {
        let body = nested(10_000, open, close);
        let err = from_response::<Value>(&body).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::TooDeep, "{err}");
        // Skipping (ignored_any) is bounded too.
        let err = from_response::<serde::de::IgnoredAny>(&body).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::TooDeep);
        // 256 levels are fine by default; a lower limit is honoured.
        assert!(
            from_response::<Value>(&nested(255, open, close))
                .unwrap()
                .is_ok()
        );
        let opts = DecodeOptions::new().max_depth(10);
        let err = from_response_with::<Value>(&nested(11, open, close), &opts).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::TooDeep);
    }
}

#[test]
fn entity_declarations_are_forbidden() {
    let laughs = br#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>
<methodResponse><params><param><value><string>&lol2;</string></value></param></params></methodResponse>"#;
    assert_eq!(
        from_response::<Value>(laughs).unwrap_err().kind(),
        ErrorKind::Forbidden
    );
    let external = br#"<!DOCTYPE r SYSTEM "http://127.0.0.1:1/x.dtd"><methodResponse/>"#;
    assert_eq!(
        from_response::<Value>(external).unwrap_err().kind(),
        ErrorKind::Forbidden
    );
}

#[test]
fn every_truncation_of_a_real_response_is_an_error() {
    let body = test_captures::read("odoo17/wire/read_res_partner.response.xml");
    for len in 0..body.len() {
        // The only prefix that may parse is the document minus trailing whitespace.
        if body[len..].iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        assert!(
            parse_document(&body[..len], &DecodeOptions::default()).is_err(),
            "prefix of {len} bytes accepted"
        );
    }
}

#[test]
fn size_limit_is_checked_before_parsing() {
    let body = openspp_xmlrpc::to_response(&"x".repeat(10_000)).unwrap();
    let opts = DecodeOptions::new().max_size(Some(1_000));
    assert_eq!(
        from_response_with::<String>(&body, &opts)
            .unwrap_err()
            .kind(),
        ErrorKind::TooLarge
    );
    let opts = DecodeOptions::new().max_size(Some(body.len()));
    assert!(from_response_with::<String>(&body, &opts).unwrap().is_ok());
}

#[test]
fn huge_numbers_fail_cleanly() {
    let body = format!(
        "<methodResponse><params><param><value><int>{}</int></value></param></params></methodResponse>",
        "9".repeat(100_000)
    );
    assert_eq!(
        from_response::<Value>(body.as_bytes()).unwrap_err().kind(),
        ErrorKind::IntOutOfRange
    );
    let body = format!(
        "<methodResponse><params><param><value><double>1{}</double></value></param></params></methodResponse>",
        "0".repeat(400)
    );
    assert_eq!(
        from_response::<Value>(body.as_bytes()).unwrap_err().kind(),
        ErrorKind::InvalidValue
    );
}

#[derive(Deserialize, Debug)]
#[allow(dead_code)]
struct Partner {
    id: i32,
    country_id: Option<(i32, String)>,
}

#[test]
fn errors_name_the_value_path_and_offset() {
    let mut rows: Vec<String> = (0..13)
        .map(|i| format!("<value><struct><member><name>id</name><value><int>{i}</int></value></member></struct></value>"))
        .collect();
    rows[12] = "<value><struct><member><name>id</name><value><int>12</int></value></member>\
        <member><name>country_id</name><value><array><data><value><string>BE</string></value></data></array></value></member>\
        </struct></value>"
        .to_owned();
    let body = format!(
        "<methodResponse><params><param><value><array><data>{}</data></array></value></param></params></methodResponse>",
        rows.concat()
    );
    let err = from_response::<Vec<Partner>>(body.as_bytes()).unwrap_err();
    assert_eq!(
        err.path().as_deref(),
        Some("params[0][12].country_id[0]"),
        "{err}"
    );
    assert_eq!(err.kind(), ErrorKind::UnexpectedType);
    let offset = err.offset().unwrap();
    assert!(
        body[offset..].starts_with("<string>BE"),
        "{err}: {}",
        &body[offset..]
    );
    let text = err.to_string();
    assert!(
        text.contains("params[0][12].country_id[0]") && text.contains("byte"),
        "{text}"
    );
}

#[test]
fn wrong_types_and_ranges_are_typed_errors() {
    let int = |v: &str| {
        format!(
            "<methodResponse><params><param><value>{v}</value></param></params></methodResponse>"
        )
    };
    let err = from_response::<u8>(int("<int>300</int>").as_bytes()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::IntOutOfRange, "{err}");
    let err = from_response::<i32>(int("<i8>5000000000</i8>").as_bytes()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::IntOutOfRange, "{err}");
    assert_eq!(
        from_response::<i64>(int("<int>-3</int>").as_bytes())
            .unwrap()
            .unwrap(),
        -3
    );
    let err = from_response::<bool>(int("<string>true</string>").as_bytes()).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnexpectedType);
    // A string's content is not quoted in the error (it may be a secret).
    let err = from_response::<i32>(int("<string>hunter2</string>").as_bytes()).unwrap_err();
    assert!(
        !err.to_string().contains("hunter2") && !format!("{err:?}").contains("hunter2"),
        "{err}"
    );
    // Too many elements for a tuple is an error, not silently dropped.
    let pair = int(
        "<array><data><value><int>1</int></value><value>a</value><value>b</value></data></array>",
    );
    assert_eq!(
        from_response::<(i32, String)>(pair.as_bytes())
            .unwrap_err()
            .kind(),
        ErrorKind::UnexpectedShape
    );
}

#[test]
fn encoder_refuses_what_odoo_cannot_read() {
    let err = openspp_xmlrpc::to_response(&5_000_000_000_i64).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::IntOutOfRange);
    assert_eq!(
        openspp_xmlrpc::to_response(&f64::NAN).unwrap_err().kind(),
        ErrorKind::InvalidValue
    );
    assert_eq!(
        openspp_xmlrpc::to_response("a\u{1}b").unwrap_err().kind(),
        ErrorKind::InvalidChar
    );
    let mut map = std::collections::BTreeMap::new();
    map.insert(1, 2);
    assert_eq!(
        openspp_xmlrpc::to_response(&map).unwrap_err().kind(),
        ErrorKind::UnexpectedType
    );
    let err = openspp_xmlrpc::to_call("m", &(1, vec![(2, u64::MAX)])).unwrap_err();
    assert_eq!(err.path().as_deref(), Some("params[1][0][1]"), "{err}");
    assert_eq!(
        openspp_xmlrpc::to_call("m", &5).unwrap_err().kind(),
        ErrorKind::UnexpectedShape
    );
}
