//! From raw bytes to clean UTF-8: size limit, BOM and declared encoding, UTF-8 validity,
//! the XML 1.0 `Char` production and end-of-line normalisation, all before parsing starts, so
//! the parser only ever sees valid characters and `\n` line ends.

use std::borrow::Cow;

use crate::error::{Error, ErrorKind, Result};
use crate::options::DecodeOptions;

/// The document as the parser sees it.
pub(crate) fn prepare<'a>(bytes: &'a [u8], opts: &DecodeOptions) -> Result<Cow<'a, str>> {
    if let Some(max) = opts.get_max_size() {
        if bytes.len() > max {
            return Err(Error::new(
                ErrorKind::TooLarge,
                format!(
                    "document of {} bytes exceeds the limit of {max} bytes",
                    bytes.len()
                ),
            ));
        }
    }
    let text = decode_encoding(bytes)?;
    if check_chars(&text)? {
        Ok(normalize_eol(text))
    } else {
        Ok(text)
    }
}

fn utf16_to_string(bytes: &[u8], big_endian: bool) -> Result<String> {
    if bytes.len() % 2 != 0 {
        return Err(Error::at(
            ErrorKind::InvalidUtf8,
            bytes.len() - 1,
            "odd number of bytes in UTF-16 input",
        ));
    }
    let units = bytes.chunks_exact(2).map(|c| {
        if big_endian {
            u16::from_be_bytes([c[0], c[1]])
        } else {
            u16::from_le_bytes([c[0], c[1]])
        }
    });
    let mut out = String::with_capacity(bytes.len() / 2);
    for (i, ch) in char::decode_utf16(units).enumerate() {
        match ch {
            Ok(c) => out.push(c),
            Err(_) => {
                return Err(Error::at(
                    ErrorKind::InvalidUtf8,
                    i * 2,
                    "unpaired surrogate in UTF-16 input",
                ));
            }
        }
    }
    Ok(out)
}

/// windows-1252: Latin-1 except 0x80..=0x9F, where five bytes are unassigned.
fn cp1252_to_string(bytes: &[u8]) -> Result<String> {
    const HIGH: [u16; 32] = [
        0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039,
        0x0152, 0, 0x017D, 0, 0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC,
        0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
    ];
    let mut out = String::with_capacity(bytes.len());
    for (i, &b) in bytes.iter().enumerate() {
        let c = match b {
            0x80..=0x9F => {
                char::from_u32(u32::from(HIGH[usize::from(b - 0x80)])).filter(|&c| c != '\0')
            }
            _ => Some(char::from(b)),
        };
        match c {
            Some(c) => out.push(c),
            None => {
                return Err(Error::at(
                    ErrorKind::InvalidUtf8,
                    i,
                    format!("byte 0x{b:02X} is unassigned in windows-1252"),
                ));
            }
        }
    }
    Ok(out)
}

/// The `encoding="..."` of an XML declaration at the very start, if any.
fn declared_encoding(text: &[u8]) -> Result<Option<&[u8]>> {
    if !text.starts_with(b"<?xml")
        || !text
            .get(5)
            .is_some_and(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
    {
        return Ok(None);
    }
    let Some(end) = memchr::memmem::find(text, b"?>") else {
        return Err(Error::at(
            ErrorKind::Syntax,
            0,
            "unterminated XML declaration",
        ));
    };
    let decl = &text[..end];
    let Some(at) = memchr::memmem::find(decl, b"encoding") else {
        return Ok(None);
    };
    let rest = &decl[at + 8..];
    let rest = trim_start(rest);
    let Some(rest) = rest.strip_prefix(b"=") else {
        return Ok(None);
    };
    let rest = trim_start(rest);
    let Some(&quote) = rest.first().filter(|q| matches!(q, b'"' | b'\'')) else {
        return Ok(None);
    };
    let Some(close) = memchr::memchr(quote, &rest[1..]) else {
        return Ok(None);
    };
    Ok(Some(&rest[1..1 + close]))
}

fn trim_start(s: &[u8]) -> &[u8] {
    let n = s
        .iter()
        .take_while(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
        .count();
    &s[n..]
}

fn label_is(label: &[u8], names: &[&str]) -> bool {
    names
        .iter()
        .any(|n| label.eq_ignore_ascii_case(n.as_bytes()))
}

const UTF8: &[&str] = &["utf-8", "utf8"];
const UTF16: &[&str] = &["utf-16", "utf-16le", "utf-16be", "utf16"];
const LATIN1: &[&str] = &[
    "iso-8859-1",
    "iso8859-1",
    "iso_8859-1",
    "latin-1",
    "latin1",
    "l1",
    "cp819",
    "iso-ir-100",
];
const CP1252: &[&str] = &["windows-1252", "cp1252", "x-cp1252"];
const ASCII: &[&str] = &["us-ascii", "ascii", "iso646-us"];

/// Honours a BOM or a declared encoding (XML 1.0 §4.3.3 and appendix F) and returns UTF-8.
fn decode_encoding(bytes: &[u8]) -> Result<Cow<'_, str>> {
    let (text, bom_utf16): (Cow<'_, [u8]>, bool) = match bytes {
        [0xEF, 0xBB, 0xBF, rest @ ..] => (Cow::Borrowed(rest), false),
        [0xFE, 0xFF, rest @ ..] => (Cow::Owned(utf16_to_string(rest, true)?.into_bytes()), true),
        [0xFF, 0xFE, rest @ ..] => (Cow::Owned(utf16_to_string(rest, false)?.into_bytes()), true),
        [0x00, b'<', 0x00, b'?', ..] => {
            (Cow::Owned(utf16_to_string(bytes, true)?.into_bytes()), true)
        }
        [b'<', 0x00, b'?', 0x00, ..] => (
            Cow::Owned(utf16_to_string(bytes, false)?.into_bytes()),
            true,
        ),
        _ => (Cow::Borrowed(bytes), false),
    };
    let declared = declared_encoding(&text)?;
    let had_utf8_bom = bytes.starts_with(&[0xEF, 0xBB, 0xBF]);
    match declared {
        Some(label) if bom_utf16 && !label_is(label, UTF16) => {
            return Err(Error::at(
                ErrorKind::UnsupportedEncoding,
                0,
                "UTF-16 input declares another encoding",
            ));
        }
        Some(_) if bom_utf16 => {}
        None => {}
        Some(label) if label_is(label, UTF8) => {}
        Some(_) if had_utf8_bom => {
            return Err(Error::at(
                ErrorKind::UnsupportedEncoding,
                0,
                "UTF-8 byte order mark with another declared encoding",
            ));
        }
        Some(label) if label_is(label, LATIN1) => {
            return Ok(Cow::Owned(text.iter().map(|&b| char::from(b)).collect()));
        }
        Some(label) if label_is(label, CP1252) => return cp1252_to_string(&text).map(Cow::Owned),
        Some(label) if label_is(label, ASCII) => {
            if let Some(i) = text.iter().position(|b| !b.is_ascii()) {
                return Err(Error::at(
                    ErrorKind::InvalidUtf8,
                    i,
                    "non-ASCII byte in a US-ASCII document",
                ));
            }
        }
        Some(label) => {
            return Err(Error::at(
                ErrorKind::UnsupportedEncoding,
                0,
                format!(
                    "unsupported encoding `{}`",
                    String::from_utf8_lossy(&label[..label.len().min(40)])
                ),
            ));
        }
    }
    match text {
        Cow::Borrowed(b) => std::str::from_utf8(b)
            .map(Cow::Borrowed)
            .map_err(|e| utf8_error(b, e)),
        Cow::Owned(b) => String::from_utf8(b).map(Cow::Owned).map_err(|e| {
            let at = e.utf8_error().valid_up_to();
            Error::at(ErrorKind::InvalidUtf8, at, "invalid UTF-8")
        }),
    }
}

fn utf8_error(_bytes: &[u8], e: std::str::Utf8Error) -> Error {
    Error::at(ErrorKind::InvalidUtf8, e.valid_up_to(), "invalid UTF-8")
}

/// Rejects characters outside the XML 1.0 `Char` production (C0 controls other than TAB, LF
/// and CR; U+FFFE and U+FFFF; surrogates cannot occur in a `str`) and tells whether a CR was
/// seen. One pass: a branch-free test per 64-byte chunk (it vectorises) flags the rare chunks
/// that need a closer look.
fn check_chars(text: &str) -> Result<bool> {
    const CHUNK: usize = 64;
    let bytes = text.as_bytes();
    let notable = |b: u8| (b < 0x20 && b != b'\t' && b != b'\n') | (b == 0xEF);
    let mut has_cr = false;
    let flagged = |chunk: &[u8]| chunk.iter().fold(0u8, |acc, &b| acc | u8::from(notable(b))) != 0;
    for (n, chunk) in bytes.chunks(CHUNK).enumerate() {
        let quick = match <&[u8; CHUNK]>::try_from(chunk) {
            Ok(full) => flagged(full),
            Err(_) => flagged(chunk),
        };
        if !quick {
            continue;
        }
        for (i, &b) in chunk.iter().enumerate() {
            let at = n * CHUNK + i;
            match b {
                b'\r' => has_cr = true,
                0xEF if bytes.get(at + 1) == Some(&0xBF)
                    && matches!(bytes.get(at + 2), Some(0xBE | 0xBF)) =>
                {
                    return Err(Error::at(
                        ErrorKind::InvalidChar,
                        at,
                        "U+FFFE and U+FFFF are not allowed in XML",
                    ));
                }
                0xEF => {}
                _ if notable(b) => {
                    return Err(Error::at(
                        ErrorKind::InvalidChar,
                        at,
                        format!("control character U+{b:04X} is not allowed in XML"),
                    ));
                }
                _ => {}
            }
        }
    }
    Ok(has_cr)
}

/// XML 1.0 §2.11: CRLF and lone CR become LF before parsing (CDATA included).
fn normalize_eol(text: Cow<'_, str>) -> Cow<'_, str> {
    let mut out = String::with_capacity(text.len());
    let mut rest: &str = &text;
    while let Some(i) = rest.find('\r') {
        out.push_str(&rest[..i]);
        out.push('\n');
        rest = &rest[i + 1..];
        if let Some(r) = rest.strip_prefix('\n') {
            rest = r;
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prep(b: &[u8]) -> Result<String> {
        prepare(b, &DecodeOptions::default()).map(Cow::into_owned)
    }

    #[test]
    fn encodings_and_chars() {
        assert_eq!(prep(b"\xEF\xBB\xBF<a/>").unwrap(), "<a/>");
        assert_eq!(
            prep(b"<?xml version='1.0' encoding='iso-8859-1'?><a>\xe9</a>").unwrap(),
            "<?xml version='1.0' encoding='iso-8859-1'?><a>\u{e9}</a>"
        );
        assert_eq!(prep(b"\xFF\xFE<\0a\0/\0>\0").unwrap(), "<a/>");
        let cp = prep(b"<?xml version='1.0' encoding='windows-1252'?><a>\x80\xe9</a>").unwrap();
        assert!(cp.ends_with("<a>\u{20AC}\u{e9}</a>"));
        assert!(prep(b"<?xml version='1.0' encoding='windows-1252'?><a>\x81</a>").is_err());
        assert_eq!(prep(b"a\r\nb\rc\n").unwrap(), "a\nb\nc\n");
        assert_eq!(prep(b"ab\xff").unwrap_err().kind(), ErrorKind::InvalidUtf8);
        assert_eq!(prep(b"a\x01b").unwrap_err().kind(), ErrorKind::InvalidChar);
        assert_eq!(
            prep("a\u{FFFE}".as_bytes()).unwrap_err().kind(),
            ErrorKind::InvalidChar
        );
        assert_eq!(
            prep(b"<?xml version='1.0' encoding='koi8-r'?><a/>")
                .unwrap_err()
                .kind(),
            ErrorKind::UnsupportedEncoding
        );
        let big = prepare(b"<a/>", &DecodeOptions::new().max_size(Some(3))).unwrap_err();
        assert_eq!(big.kind(), ErrorKind::TooLarge);
    }
}
