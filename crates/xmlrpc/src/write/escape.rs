//! Character data for the writer: markup characters escaped, CR kept as `&#13;` (a raw CR
//! would be normalised to LF by the reader), characters XML 1.0 cannot carry refused.

use crate::error::{Error, ErrorKind, Result};

/// What to do with each ASCII byte: 0 copy, 1 escape, 2 forbidden.
const fn class_table() -> [u8; 128] {
    let mut t = [0u8; 128];
    let mut i = 0;
    while i < 0x20 {
        t[i] = 2;
        i += 1;
    }
    t[b'\t' as usize] = 0;
    t[b'\n' as usize] = 0;
    t[b'\r' as usize] = 1;
    t[b'<' as usize] = 1;
    t[b'>' as usize] = 1;
    t[b'&' as usize] = 1;
    t
}

const CLASS: [u8; 128] = class_table();

fn escape_of(b: u8) -> &'static [u8] {
    match b {
        b'<' => b"&lt;",
        b'>' => b"&gt;",
        b'&' => b"&amp;",
        _ => b"&#13;",
    }
}

/// Appends `s` escaped; a forbidden character is an error, or U+FFFD when `lossy`.
fn write(out: &mut Vec<u8>, s: &str, lossy: bool) -> Result<()> {
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let class = if b < 0x80 {
            CLASS[b as usize]
        } else if b == 0xEF
            && bytes.get(i + 1) == Some(&0xBF)
            && matches!(bytes.get(i + 2), Some(0xBE | 0xBF))
        {
            3
        } else {
            0
        };
        match class {
            0 => continue,
            1 => {
                out.extend_from_slice(&bytes[start..i]);
                out.extend_from_slice(escape_of(b));
                start = i + 1;
            }
            2 | 3 if lossy => {
                out.extend_from_slice(&bytes[start..i]);
                out.extend_from_slice("\u{FFFD}".as_bytes());
                start = i + if class == 3 { 3 } else { 1 };
            }
            _ => {
                let what = if class == 2 {
                    format!("control character U+{b:04X}")
                } else {
                    "U+FFFE/U+FFFF".to_owned()
                };
                return Err(Error::new(
                    ErrorKind::InvalidChar,
                    format!("{what} at byte {i} of a string cannot be carried by XML 1.0"),
                ));
            }
        }
    }
    // A lossy skip may have jumped past the end of the last iteration's index.
    if start < bytes.len() {
        out.extend_from_slice(&bytes[start..]);
    }
    Ok(())
}

/// Appends `s` escaped, refusing characters XML 1.0 forbids.
pub(crate) fn text(out: &mut Vec<u8>, s: &str) -> Result<()> {
    write(out, s, false)
}

/// Appends `s` escaped, replacing characters XML 1.0 forbids with U+FFFD.
pub(crate) fn text_lossy(out: &mut Vec<u8>, s: &str) {
    // Lossy mode never fails.
    let _ = write(out, s, true);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        let mut out = Vec::new();
        text(&mut out, "a<b>&c\r\n\té").unwrap();
        assert_eq!(out, "a&lt;b&gt;&amp;c&#13;\n\té".as_bytes());
        assert!(text(&mut Vec::new(), "a\u{1}").is_err());
        assert!(text(&mut Vec::new(), "a\u{FFFF}").is_err());
        let mut out = Vec::new();
        text_lossy(&mut out, "a\u{0}b\u{FFFE}c");
        assert_eq!(String::from_utf8(out).unwrap(), "a\u{FFFD}b\u{FFFD}c");
    }
}
