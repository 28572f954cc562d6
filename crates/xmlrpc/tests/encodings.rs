//! Encodings and end-of-line handling (XML 1.0 §2.11 and §4.3.3).

use openspp_xmlrpc::{ErrorKind, Value, from_response};

fn doc(s: &str) -> String {
    format!("<methodResponse><params><param><value>{s}</value></param></params></methodResponse>")
}

fn utf16(s: &str, big_endian: bool) -> Vec<u8> {
    let mut out = if big_endian {
        vec![0xFE, 0xFF]
    } else {
        vec![0xFF, 0xFE]
    };
    for unit in s.encode_utf16() {
        out.extend_from_slice(&if big_endian {
            unit.to_be_bytes()
        } else {
            unit.to_le_bytes()
        });
    }
    out
}

#[test]
fn utf16_with_a_byte_order_mark() {
    let text = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-16\"?>{}",
        doc("<string>é 𝔘</string>")
    );
    for be in [false, true] {
        let v: String = from_response(&utf16(&text, be)).unwrap().unwrap();
        assert_eq!(v, "é 𝔘");
    }
    // An odd byte count or an unpaired surrogate is an encoding error.
    let mut odd = utf16(&text, false);
    odd.push(0);
    assert_eq!(
        from_response::<Value>(&odd).unwrap_err().kind(),
        ErrorKind::InvalidUtf8
    );
}

#[test]
fn end_of_line_normalisation_everywhere_but_char_refs() {
    let body = doc("<string>a\r\nb\rc<![CDATA[d\r\ne]]>&#13;&#10;</string>");
    let v: String = from_response(body.as_bytes()).unwrap().unwrap();
    assert_eq!(v, "a\nb\ncd\ne\r\n");
    // The encoder keeps CR as a character reference, so it survives the trip.
    let out = openspp_xmlrpc::to_response("x\r\ny").unwrap();
    assert_eq!(from_response::<String>(&out).unwrap().unwrap(), "x\r\ny");
}

#[test]
fn declared_single_byte_encodings() {
    let mut latin1 = b"<?xml version='1.0' encoding='ISO-8859-1'?>".to_vec();
    latin1.extend_from_slice(
        &doc("<string>caf\u{e9}</string>")
            .replace('\u{e9}', "\u{1}")
            .into_bytes(),
    );
    let pos = latin1.iter().position(|&b| b == 1).unwrap();
    latin1[pos] = 0xE9;
    assert_eq!(from_response::<String>(&latin1).unwrap().unwrap(), "café");
    let unknown = format!("<?xml version='1.0' encoding='EBCDIC-US'?>{}", doc("x"));
    assert_eq!(
        from_response::<Value>(unknown.as_bytes())
            .unwrap_err()
            .kind(),
        ErrorKind::UnsupportedEncoding
    );
}
