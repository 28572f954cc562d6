//! Any bytes through every decoding entry point: no panic, no stack overflow, and whatever
//! decodes re-encodes and decodes to the same value.
#![no_main]

use libfuzzer_sys::fuzz_target;
use openspp_xmlrpc::{DecodeOptions, Document, EncodeOptions, Value};
use serde::Deserialize;

/// A typed target exercising Option/false, many2one tuples, enums and skipping.
#[derive(Deserialize, Debug)]
#[allow(dead_code)]
struct Record {
    id: Option<i64>,
    name: Option<String>,
    country_id: Option<(i32, String)>,
    tags: Option<Vec<u32>>,
    kind: Option<Kind>,
    when: Option<openspp_xmlrpc::DateTime>,
    blob: Option<openspp_xmlrpc::Base64>,
}

#[derive(Deserialize, Debug)]
#[allow(dead_code)]
enum Kind {
    A,
    B(i32),
    C { x: f64 },
}

fuzz_target!(|data: &[u8]| {
    let opts = DecodeOptions::new().max_depth(64);
    let lossless = EncodeOptions::new().allow_i8(true).allow_nil(true);
    match openspp_xmlrpc::parse_document(data, &opts) {
        Ok(Document::Response(v)) => {
            let out = openspp_xmlrpc::to_response_with(&v, &lossless).expect("re-encode");
            let back: Value = openspp_xmlrpc::from_response(&out)
                .expect("re-decode")
                .expect("not a fault");
            assert_eq!(back, v);
        }
        Ok(Document::Call(call)) => {
            let out = openspp_xmlrpc::to_call_with(&call.method, &call.params, &lossless)
                .expect("re-encode");
            let (m, p): (String, Vec<Value>) = openspp_xmlrpc::from_call(&out).expect("re-decode");
            assert_eq!((m, p), (call.method, call.params));
        }
        Ok(Document::Fault(f)) => {
            let back =
                openspp_xmlrpc::from_response::<Value>(&openspp_xmlrpc::to_fault(&f)).expect("re-decode");
            assert_eq!(back, Err(f));
        }
        Err(_) => {}
    }
    let _ = openspp_xmlrpc::from_response_with::<Vec<Record>>(data, &opts);
    let _ = openspp_xmlrpc::from_response_with::<Record>(data, &opts);
    let _ = openspp_xmlrpc::from_call_with::<(String, i32, Vec<Value>)>(data, &opts);
});
