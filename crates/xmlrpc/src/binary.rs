//! `<base64>`: the [`Base64`] newtype and the strict-but-whitespace-tolerant codec behind it.

use std::fmt;

use base64::Engine;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use serde::de::{self, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Error, ErrorKind};

/// Standard alphabet, padding required; non-zero trailing bits tolerated (the bytes are unambiguous).
const ENGINE: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::RequireCanonical)
        .with_decode_allow_trailing_bits(true),
);

/// Bytes that travel as `<base64>`.
///
/// Serializing writes `<base64>`; deserializing accepts `<base64>` and also base64 text in a
/// string, which is how Odoo sends binary fields (`image_128`, attachments' `datas`).
///
/// ```
/// use openspp_xmlrpc::{Base64, to_value, Value};
/// assert_eq!(to_value(&Base64(b"hi".to_vec())).unwrap(), Value::Base64(b"hi".to_vec()));
/// let b: Base64 = openspp_xmlrpc::from_value(Value::String("aGk=".into())).unwrap();
/// assert_eq!(b.0, b"hi");
/// ```
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Base64(pub Vec<u8>);

impl fmt::Debug for Base64 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Base64({} bytes)", self.0.len())
    }
}

impl From<Vec<u8>> for Base64 {
    fn from(bytes: Vec<u8>) -> Self {
        Base64(bytes)
    }
}

impl Serialize for Base64 {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(&self.0)
    }
}

struct Base64Visitor;

impl<'de> Visitor<'de> for Base64Visitor {
    type Value = Base64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("base64 bytes or base64 text")
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Base64, E> {
        Ok(Base64(v.to_vec()))
    }

    fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<Base64, E> {
        Ok(Base64(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Base64, E> {
        decode(v).map(Base64).map_err(|e| E::custom(e.message()))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Base64, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(b) = seq.next_element::<u8>()? {
            out.push(b);
        }
        Ok(Base64(out))
    }
}

impl<'de> Deserialize<'de> for Base64 {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_byte_buf(Base64Visitor)
    }
}

fn is_xml_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// Decodes base64 text; XML whitespace anywhere is insignificant, anything else outside the
/// standard alphabet (or bad padding) is an error.
pub(crate) fn decode(text: &str) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    decode_into(text, &mut out)?;
    Ok(out)
}

/// [`decode`] into a reusable buffer (cleared first).
pub(crate) fn decode_into(text: &str, out: &mut Vec<u8>) -> Result<(), Error> {
    out.clear();
    let bytes = text.as_bytes();
    let result = if bytes.iter().any(|&b| is_xml_space(b)) {
        let compact: Vec<u8> = bytes
            .iter()
            .copied()
            .filter(|&b| !is_xml_space(b))
            .collect();
        ENGINE.decode_vec(&compact, out)
    } else {
        ENGINE.decode_vec(bytes, out)
    };
    result.map_err(|e| Error::new(ErrorKind::InvalidValue, format!("invalid base64: {e}")))
}

/// Appends the canonical padded encoding.
pub(crate) fn encode_into(bytes: &[u8], out: &mut String) {
    ENGINE.encode_string(bytes, out);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_rules() {
        assert_eq!(decode("aGk=").unwrap(), b"hi");
        assert_eq!(decode(" aG\n k= ").unwrap(), b"hi");
        assert_eq!(decode("").unwrap(), b"");
        assert!(decode("YQ").is_err());
        assert!(decode("@@@@").is_err());
        assert!(decode("aGk=aGk=").is_err());
    }
}
