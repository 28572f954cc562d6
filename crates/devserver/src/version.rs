//! The Odoo release the server presents itself as: what `common.version()` answers, and which
//! protocols and signatures follow from it.

use openspp_xmlrpc::Value;
use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

/// An Odoo release as `MAJOR.MINOR` (`17.0`, `18.3`, `19.0`), ordered by release.
///
/// It decides what the server speaks: `/json/2/<model>/<method>` from 19.0 on (Odoo 19's
/// `addons/rpc/controllers/json2.py`; older servers answer it 404), and the signatures that
/// changed between releases (`name_search` names its domain `args` before 18.3 and `domain`
/// from 18.3 on).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OdooVersion {
    /// `17` in `17.0`.
    pub major: u16,
    /// `0` in `17.0`.
    pub minor: u16,
}

impl OdooVersion {
    /// Odoo 17.0, the release of the captures in `../shared/odoo17` (OpenSPP 17).
    pub const V17: OdooVersion = OdooVersion::new(17, 0);
    /// Odoo 19.0, the first release with the JSON-2 API (OpenSPP 2).
    pub const V19: OdooVersion = OdooVersion::new(19, 0);

    /// `major.minor`.
    pub const fn new(major: u16, minor: u16) -> Self {
        OdooVersion { major, minor }
    }

    /// Whether this release serves `POST /json/2/<model>/<method>` (19.0 and later).
    pub fn serves_json2(self) -> bool {
        self >= Self::V19
    }

    /// The release a `common.version()` answer names, from its `server_version_info`
    /// (`[17, 0, 0, "final", 0, ""]`) or else its `server_serie` (`"17.0"`).
    pub fn from_version_info(info: &BTreeMap<String, serde_json::Value>) -> Option<Self> {
        let from_info = info
            .get("server_version_info")
            .and_then(serde_json::Value::as_array)
            .and_then(|parts| {
                let number = |i: usize| {
                    parts
                        .get(i)
                        .and_then(serde_json::Value::as_u64)
                        .and_then(|n| u16::try_from(n).ok())
                };
                Some(OdooVersion::new(number(0)?, number(1)?))
            });
        from_info.or_else(|| {
            info.get("server_serie")
                .and_then(serde_json::Value::as_str)
                .and_then(|serie| serie.parse().ok())
        })
    }

    /// What `common.version()` answers for this release when no captured answer is at hand:
    /// Odoo's `RPC_VERSION_1` for a final build (`odoo/release.py`, `odoo/service/common.py`).
    pub fn version_answer(self) -> Value {
        let serie = self.to_string();
        Value::Struct(
            [
                ("server_version".to_owned(), Value::String(serie.clone())),
                (
                    "server_version_info".to_owned(),
                    Value::Array(vec![
                        Value::Int(i32::from(self.major)),
                        Value::Int(i32::from(self.minor)),
                        Value::Int(0),
                        Value::String("final".into()),
                        Value::Int(0),
                        Value::String(String::new()),
                    ]),
                ),
                ("server_serie".to_owned(), Value::String(serie)),
                ("protocol_version".to_owned(), Value::Int(1)),
            ]
            .into(),
        )
    }
}

impl fmt::Display for OdooVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

/// A version that is not `MAJOR` or `MAJOR.MINOR` (`saas~` prefixes accepted, as in
/// `saas~18.3`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not an Odoo version (expected MAJOR.MINOR, like 17.0 or 19.0): {0:?}")]
pub struct BadVersion(String);

impl FromStr for OdooVersion {
    type Err = BadVersion;

    /// `19`, `19.0`, `saas~18.3`.
    fn from_str(text: &str) -> Result<Self, BadVersion> {
        let bad = || BadVersion(text.to_owned());
        let trimmed = text.trim();
        let number = trimmed.strip_prefix("saas~").unwrap_or(trimmed);
        let (major, minor) = number.split_once('.').unwrap_or((number, "0"));
        let parse = |part: &str| {
            if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            part.parse::<u16>().ok()
        };
        Ok(OdooVersion::new(
            parse(major).ok_or_else(bad)?,
            parse(minor).ok_or_else(bad)?,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_orders_releases() {
        assert_eq!("19".parse(), Ok(OdooVersion::V19));
        assert_eq!("17.0".parse(), Ok(OdooVersion::V17));
        assert_eq!("saas~18.3".parse(), Ok(OdooVersion::new(18, 3)));
        for bad in ["", "19.", "v19", "19.0.1", "-1", "99999999"] {
            assert!(bad.parse::<OdooVersion>().is_err(), "{bad}");
        }
        assert!(OdooVersion::new(18, 3) > OdooVersion::new(18, 0));
        assert!(OdooVersion::V19.serves_json2() && !OdooVersion::new(18, 4).serves_json2());
        assert_eq!(OdooVersion::new(18, 3).to_string(), "18.3");
    }

    #[test]
    fn reads_a_captured_version_answer() {
        let captured = serde_json::json!({"server_version": "17.0-20240709",
            "server_version_info": [17, 0, 0, "final", 0, ""], "server_serie": "17.0"});
        let serie_only = serde_json::json!({"server_serie": "18.3"});
        let info = |v: serde_json::Value| -> BTreeMap<String, serde_json::Value> {
            serde_json::from_value(v).unwrap_or_default()
        };
        assert_eq!(
            OdooVersion::from_version_info(&info(captured)),
            Some(OdooVersion::V17)
        );
        assert_eq!(
            OdooVersion::from_version_info(&info(serie_only)),
            Some(OdooVersion::new(18, 3))
        );
        assert_eq!(OdooVersion::from_version_info(&BTreeMap::new()), None);
    }
}
