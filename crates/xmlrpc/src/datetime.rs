//! `<dateTime.iso8601>`: a naive date and time, validated.

use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Error, ErrorKind};

/// The newtype-struct name (and one-key map key) by which the codec recognises a [`DateTime`]
/// passing through serde.
pub(crate) const TOKEN: &str = "$openspp_xmlrpc::private::DateTime";

/// A naive (zone-less) date and time, as `<dateTime.iso8601>` carries it.
///
/// Odoo itself sends dates and datetimes as strings (`"2024-07-09 12:30:00"`, UTC); this type
/// deserializes from those strings too, and from the XML-RPC forms `19980717T14:08:55` and
/// `1998-07-17T14:08:55` (a trailing `Z` is accepted and dropped).
///
/// ```
/// use openspp_xmlrpc::DateTime;
/// let dt: DateTime = "19980717T14:08:55".parse().unwrap();
/// assert_eq!(dt, DateTime::new(1998, 7, 17, 14, 8, 55).unwrap());
/// assert_eq!(dt.to_string(), "19980717T14:08:55");
/// assert!(DateTime::new(2023, 2, 29, 0, 0, 0).is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateTime {
    /// Year, 0 to 9999.
    pub year: u16,
    /// Month, 1 to 12.
    pub month: u8,
    /// Day of the month, 1 to 28..31.
    pub day: u8,
    /// Hour, 0 to 23.
    pub hour: u8,
    /// Minute, 0 to 59.
    pub minute: u8,
    /// Second, 0 to 59.
    pub second: u8,
}

fn is_leap(year: u16) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

impl DateTime {
    /// A validated date and time.
    pub fn new(
        year: u16,
        month: u8,
        day: u8,
        hour: u8,
        minute: u8,
        second: u8,
    ) -> Result<Self, Error> {
        let dt = DateTime {
            year,
            month,
            day,
            hour,
            minute,
            second,
        };
        dt.validate()?;
        Ok(dt)
    }

    /// Checks the fields (they are public, so a value may have been built by hand).
    pub fn validate(&self) -> Result<(), Error> {
        let ok = self.year <= 9999
            && (1..=12).contains(&self.month)
            && self.day >= 1
            && self.day <= days_in_month(self.year, self.month)
            && self.hour < 24
            && self.minute < 60
            && self.second < 60;
        if ok {
            Ok(())
        } else {
            Err(Error::new(
                ErrorKind::InvalidValue,
                format!(
                    "invalid date/time {:04}-{:02}-{:02} {:02}:{:02}:{:02}",
                    self.year, self.month, self.day, self.hour, self.minute, self.second
                ),
            ))
        }
    }

    /// Parses the `<dateTime.iso8601>` text: `YYYYMMDDTHH:MM:SS` or `YYYY-MM-DDTHH:MM:SS`,
    /// with an optional trailing `Z`.
    pub(crate) fn parse_wire(text: &str) -> Result<Self, Error> {
        Self::parse_with(text, false)
    }

    fn parse_with(text: &str, allow_space: bool) -> Result<Self, Error> {
        let invalid = || {
            Error::new(
                ErrorKind::InvalidValue,
                format!("invalid dateTime.iso8601 `{}`", crate::read::excerpt(text)),
            )
        };
        let b = text.strip_suffix('Z').unwrap_or(text).as_bytes();
        let num = |s: &[u8]| -> Option<u16> {
            s.iter().try_fold(0u16, |acc, &c| {
                c.is_ascii_digit().then(|| acc * 10 + u16::from(c - b'0'))
            })
        };
        let (date, time) = match b.len() {
            17 if b[8] == b'T' => ([&b[0..4], &b[4..6], &b[6..8]], &b[9..]),
            19 if b[4] == b'-'
                && b[7] == b'-'
                && (b[10] == b'T' || (allow_space && b[10] == b' ')) =>
            {
                ([&b[0..4], &b[5..7], &b[8..10]], &b[11..])
            }
            _ => return Err(invalid()),
        };
        if time.len() != 8 || time[2] != b':' || time[5] != b':' {
            return Err(invalid());
        }
        let field = |s: &[u8]| num(s).ok_or_else(invalid);
        let small = |s: &[u8]| field(s).map(|v| v as u8);
        DateTime::new(
            field(date[0])?,
            small(date[1])?,
            small(date[2])?,
            small(&time[0..2])?,
            small(&time[3..5])?,
            small(&time[6..8])?,
        )
        .map_err(|_| invalid())
    }
}

impl std::str::FromStr for DateTime {
    type Err = Error;

    /// Accepts `YYYYMMDDTHH:MM:SS`, `YYYY-MM-DDTHH:MM:SS` and Odoo's `YYYY-MM-DD HH:MM:SS`.
    fn from_str(s: &str) -> Result<Self, Error> {
        Self::parse_with(s, true)
    }
}

impl fmt::Display for DateTime {
    /// The canonical XML-RPC form, `YYYYMMDDTHH:MM:SS`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}{:02}{:02}T{:02}:{:02}:{:02}",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }
}

impl Serialize for DateTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_newtype_struct(TOKEN, &self.to_string())
    }
}

/// Accepts the strings of [`FromStr`](std::str::FromStr) and the one-key map the codec's
/// deserializers produce for `<dateTime.iso8601>`.
pub(crate) struct DateTimeVisitor;

impl<'de> Visitor<'de> for DateTimeVisitor {
    type Value = DateTime;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a dateTime.iso8601 or a date-time string")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<DateTime, E> {
        v.parse().map_err(|e: Error| E::custom(e.message()))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<DateTime, A::Error> {
        let key: Option<std::borrow::Cow<'de, str>> = map.next_key()?;
        match key.as_deref() {
            Some(TOKEN) => {
                let text: std::borrow::Cow<'de, str> = map.next_value()?;
                DateTime::parse_wire(&text).map_err(|e| de::Error::custom(e.message()))
            }
            _ => Err(de::Error::invalid_type(de::Unexpected::Map, &self)),
        }
    }
}

impl<'de> Deserialize<'de> for DateTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(DateTimeVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_validates() {
        assert!(DateTime::parse_wire("19980717T14:08:55Z").is_ok());
        assert!(DateTime::parse_wire("1998-07-17T14:08:55").is_ok());
        assert!(DateTime::parse_wire("1998-07-17 14:08:55").is_err());
        assert!("1998-07-17 14:08:55".parse::<DateTime>().is_ok());
        assert!(DateTime::parse_wire("19980717T25:08:55").is_err());
        assert!(DateTime::parse_wire("20051310T11:41:23").is_err());
        assert!(DateTime::parse_wire("20240229T00:00:00").is_ok());
        assert!(DateTime::parse_wire("21000229T00:00:00").is_err());
        assert!(DateTime::parse_wire("").is_err());
        assert!(DateTime::parse_wire("1998071７T14:08:55").is_err());
    }
}
