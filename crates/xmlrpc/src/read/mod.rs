//! Decoding: input preparation, the scanner, scalar lexing, the serde deserializer and the
//! document grammar.

pub(crate) mod de;
pub(crate) mod document;
pub(crate) mod input;
pub(crate) mod scalar;
pub(crate) mod scanner;

/// At most 40 characters of `s`, for messages (never a whole, possibly secret, value).
pub(crate) fn excerpt(s: &str) -> String {
    let mut out: String = s.chars().take(40).collect();
    if out.len() < s.len() {
        out.push('…');
    }
    out
}
