//! The XML-RPC decoder against quick-xml's reader: whatever `parse_document` accepts, quick-xml
//! must read as one well-formed element (matched tags, known entities, nothing but whitespace,
//! comments and processing instructions around the root, no DOCTYPE), and every text the
//! decoder returns (string values, member names, the method name, a fault's string) must be
//! the text quick-xml reads in a leaf element of the document (entities and character
//! references resolved, CDATA concatenated, line ends normalised as XML 1.0 says), as many
//! times at most as quick-xml found it. quick-xml decodes the encoding the declaration names
//! (its `encoding` feature), as the decoder does, ISO-8859-1 excepted (see [`LATIN_1`]).
#![no_main]

use std::collections::HashMap;

use libfuzzer_sys::fuzz_target;
use openspp_xmlrpc::{DecodeOptions, Document, Value};
use quick_xml::Reader;
use quick_xml::events::Event;

/// The leaf elements' texts quick-xml read, counted, and the root element's name.
struct Reading {
    root: String,
    texts: HashMap<String, usize>,
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

/// The labels of ISO-8859-1 the decoder takes. quick-xml's `encoding` feature reads them as
/// windows-1252 (the WHATWG rule for web pages), which differs in 0x80-0x9F; XML parsers
/// (expat, Python's) read them as ISO-8859-1, so the oracle transcodes those documents
/// itself, a byte per code point, and declares UTF-8.
const LATIN_1: &[&str] = &["iso-8859-1", "iso8859-1", "iso_8859-1", "latin-1", "latin1"];

fn as_utf8(data: &[u8]) -> Option<Vec<u8>> {
    // an XML declaration: `<?xml` and whitespace (`<?xmlfoo` is a processing instruction)
    let is_declaration = data.starts_with(b"<?xml")
        && data.get(5).is_some_and(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'));
    let end = data
        .windows(2)
        .position(|w| w == b"?>")
        .filter(|_| is_declaration)?;
    let declaration = std::str::from_utf8(&data[..end]).ok()?.to_ascii_lowercase();
    // `encoding`, `=` and the quoted label, with optional whitespace around `=`
    let after = declaration.split_once("encoding")?.1;
    let value = after.trim_start().strip_prefix('=')?.trim_start();
    let quote = value.chars().next().filter(|q| matches!(q, '"' | '\''))?;
    let label = value[1..].split(quote).next()?;
    let label = LATIN_1.iter().find(|known| **known == label)?;
    let at = end - after.len() + after.find(label)?;
    let mut out = Vec::with_capacity(data.len() * 2);
    out.extend_from_slice(&data[..at]);
    out.extend_from_slice(b"utf-8");
    let rest: String = data[at + label.len()..].iter().map(|b| char::from(*b)).collect();
    out.extend_from_slice(rest.as_bytes());
    Some(out)
}

fn read(data: &[u8]) -> Result<Reading, String> {
    let transcoded = as_utf8(data);
    let data = transcoded.as_deref().unwrap_or(data);
    struct Open {
        text: String,
        has_child: bool,
    }
    let mut reader = Reader::from_reader(data);
    let config = reader.config_mut();
    config.check_end_names = true;
    config.check_comments = true;
    config.expand_empty_elements = true;
    let mut open: Vec<Open> = Vec::new();
    let mut root = None;
    let mut texts = HashMap::new();
    let mut buf = Vec::new();
    loop {
        let event = reader.read_event_into(&mut buf).map_err(|e| e.to_string())?;
        match event {
            Event::Start(start) => {
                let name = reader
                    .decoder()
                    .decode(start.name().as_ref())
                    .map_err(|e| e.to_string())?
                    .into_owned();
                for attribute in start.attributes() {
                    attribute
                        .map_err(|e| e.to_string())?
                        .decode_and_unescape_value(reader.decoder())
                        .map_err(|e| e.to_string())?;
                }
                match open.last_mut() {
                    Some(parent) => parent.has_child = true,
                    None if root.is_some() => return Err("a second root element".into()),
                    None => root = Some(name),
                }
                open.push(Open {
                    text: String::new(),
                    has_child: false,
                });
            }
            Event::End(_) => {
                let element = open.pop().ok_or("an end tag without a start")?;
                if !element.has_child {
                    *texts.entry(element.text).or_insert(0) += 1;
                }
            }
            Event::Text(text) => {
                let text = text.xml10_content().map_err(|e| e.to_string())?;
                match open.last_mut() {
                    Some(element) => element.text.push_str(&text),
                    None if text.chars().all(is_space) => {}
                    None => return Err("text outside the root element".into()),
                }
            }
            Event::CData(cdata) => {
                let text = cdata.xml10_content().map_err(|e| e.to_string())?;
                open.last_mut()
                    .ok_or("CDATA outside the root element")?
                    .text
                    .push_str(&text);
            }
            Event::GeneralRef(reference) => {
                let c = match reference.resolve_char_ref().map_err(|e| e.to_string())? {
                    Some(c) => c,
                    None => match &*reference.decode().map_err(|e| e.to_string())? {
                        "amp" => '&',
                        "lt" => '<',
                        "gt" => '>',
                        "apos" => '\'',
                        "quot" => '"',
                        other => return Err(format!("unknown entity &{other};")),
                    },
                };
                open.last_mut()
                    .ok_or("a reference outside the root element")?
                    .text
                    .push(c);
            }
            Event::Comment(_) | Event::PI(_) | Event::Decl(_) => {}
            Event::DocType(_) => return Err("a DOCTYPE".into()),
            Event::Empty(_) => return Err("an empty element though they are expanded".into()),
            Event::Eof => break,
        }
        buf.clear();
    }
    if !open.is_empty() {
        return Err("elements left open".into());
    }
    Ok(Reading {
        root: root.ok_or("no root element")?,
        texts,
    })
}

/// Every text of a decoded value: strings, and struct member names.
fn texts<'v>(value: &'v Value, out: &mut Vec<&'v str>) {
    match value {
        Value::String(s) => out.push(s),
        Value::Array(items) => items.iter().for_each(|v| texts(v, out)),
        Value::Struct(members) => {
            for (name, v) in members {
                out.push(name);
                texts(v, out);
            }
        }
        _ => {}
    }
}

fuzz_target!(|data: &[u8]| {
    let opts = DecodeOptions::new().max_depth(64);
    let Ok(document) = openspp_xmlrpc::parse_document(data, &opts) else {
        return;
    };
    let reading = match read(data) {
        Ok(reading) => reading,
        Err(why) => panic!(
            "the decoder accepted what quick-xml refuses ({why}): {document:?}\n{}",
            String::from_utf8_lossy(data)
        ),
    };
    let mut decoded = Vec::new();
    let expected_root = match &document {
        Document::Call(call) => {
            decoded.push(call.method.as_str());
            call.params.iter().for_each(|v| texts(v, &mut decoded));
            "methodCall"
        }
        Document::Response(value) => {
            texts(value, &mut decoded);
            "methodResponse"
        }
        Document::Fault(fault) => {
            decoded.push(fault.message.as_str());
            if let openspp_xmlrpc::FaultCode::String(code) = &fault.code {
                decoded.push(code);
            }
            "methodResponse"
        }
    };
    assert_eq!(reading.root, expected_root, "{document:?}");
    let mut left = reading.texts.clone();
    for text in decoded {
        match left.get_mut(text) {
            Some(n) if *n > 0 => *n -= 1,
            _ => panic!(
                "the decoder returned {text:?}, which no leaf element holds as quick-xml reads it \
                 ({:?})\n{}",
                reading.texts,
                String::from_utf8_lossy(data)
            ),
        }
    }
});
