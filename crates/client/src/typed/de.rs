//! Deserializers for [`Record`](crate::Record) structs, for fields whose wire form is not
//! serde's default: use them with `#[serde(deserialize_with = "...")]`.
//!
//! ```
//! use chrono::{NaiveDate, NaiveDateTime};
//!
//! #[derive(serde::Deserialize)]
//! struct Registrant {
//!     #[serde(deserialize_with = "openspp_client::de::date")]
//!     registration_date: Option<NaiveDate>,
//!     #[serde(deserialize_with = "openspp_client::de::datetime")]
//!     create_date: Option<NaiveDateTime>,
//! }
//!
//! let body = br#"<methodResponse><params><param><value><struct>
//!   <member><name>registration_date</name><value><string>2026-11-18</string></value></member>
//!   <member><name>create_date</name><value><boolean>0</boolean></value></member>
//! </struct></value></param></params></methodResponse>"#;
//! let r: Registrant = openspp_xmlrpc::from_response(body).unwrap().unwrap();
//! assert_eq!(r.registration_date, NaiveDate::from_ymd_opt(2026, 11, 18));
//! assert_eq!(r.create_date, None);
//! ```

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Deserializer, de};

use crate::typed::types::{DATE_FORMAT, DATETIME_FORMAT};

/// A date field: `"YYYY-MM-DD"`, or `false` when empty.
pub fn date<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<NaiveDate>, D::Error> {
    Option::<String>::deserialize(deserializer)?
        .map(|s| NaiveDate::parse_from_str(&s, DATE_FORMAT).map_err(de::Error::custom))
        .transpose()
}

/// A datetime field: `"YYYY-MM-DD HH:MM:SS"` (UTC), or `false` when empty.
pub fn datetime<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<NaiveDateTime>, D::Error> {
    Option::<String>::deserialize(deserializer)?
        .map(|s| NaiveDateTime::parse_from_str(&s, DATETIME_FORMAT).map_err(de::Error::custom))
        .transpose()
}
