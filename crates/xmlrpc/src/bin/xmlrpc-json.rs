//! `xmlrpc-json`: reads one XML-RPC document on stdin and prints its tagged JSON form
//! (the conformance corpus's "expected-value shapes"). Exit 0 on success; on a rejected
//! document one line on stderr and exit 1. No other exit code.

use std::io::{Read, Write};
use std::process::ExitCode;

use openspp_xmlrpc::{DecodeOptions, Document, FaultCode, Value};
use serde_json::{Map, Value as Json, json};

fn tagged(value: &Value) -> Json {
    match value {
        Value::Int(i) => json!({ "int": i }),
        Value::I8(i) => json!({ "i8": i }),
        Value::Bool(b) => json!({ "bool": b }),
        Value::Double(d) => json!({ "double": d }),
        Value::String(s) => json!({ "string": s }),
        Value::DateTime(dt) => json!({ "datetime": dt.to_string() }),
        Value::Base64(bytes) => {
            use base64::Engine;
            json!({ "base64": base64::engine::general_purpose::STANDARD.encode(bytes) })
        }
        Value::Nil => json!({ "nil": null }),
        Value::Array(items) => json!({ "array": items.iter().map(tagged).collect::<Vec<_>>() }),
        Value::Struct(members) => {
            let map: Map<String, Json> = members
                .iter()
                .map(|(k, v)| (k.clone(), tagged(v)))
                .collect();
            json!({ "struct": map })
        }
    }
}

fn document_json(doc: &Document) -> Json {
    match doc {
        Document::Call(call) => json!({
            "methodName": call.method,
            "params": call.params.iter().map(tagged).collect::<Vec<_>>(),
        }),
        Document::Response(value) => json!({ "params": [tagged(value)] }),
        Document::Fault(fault) => {
            let code = match &fault.code {
                FaultCode::Int(i) => json!({ "int": i }),
                FaultCode::String(s) => json!({ "string": s }),
            };
            json!({ "fault": { "faultCode": code, "faultString": { "string": fault.message } } })
        }
    }
}

fn run() -> Result<String, String> {
    let mut input = Vec::new();
    std::io::stdin()
        .read_to_end(&mut input)
        .map_err(|e| format!("cannot read stdin: {e}"))?;
    let doc = openspp_xmlrpc::parse_document(&input, &DecodeOptions::default())
        .map_err(|e| e.to_string())?;
    Ok(document_json(&doc).to_string())
}

fn fail(message: &str) -> ExitCode {
    let line = message.replace(['\n', '\r'], " ");
    let _ = writeln!(std::io::stderr(), "xmlrpc-json: {line}");
    ExitCode::from(1)
}

fn main() -> ExitCode {
    // A panic is a bug; even then, report it as a rejection and keep the exit code contract.
    std::panic::set_hook(Box::new(|_| {}));
    match std::panic::catch_unwind(run) {
        Ok(Ok(json)) => {
            let mut out = std::io::stdout().lock();
            match writeln!(out, "{json}").and_then(|()| out.flush()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => fail(&format!("cannot write stdout: {e}")),
            }
        }
        Ok(Err(message)) => fail(&message),
        Err(_) => fail("internal error (panic) while decoding"),
    }
}
