//! Date and datetime values as Odoo 17 converts them on `create` and `write`:
//! `fields.Date.to_date` and `fields.Datetime.to_datetime`, which hand strings to Python's
//! `datetime.strptime`, so this module reproduces what that accepts and the exceptions it
//! raises, word for word (CPython 3.11, the interpreter of the captured server).
//!
//! * `Date.to_date(value)`: `strptime(value[:10], '%Y-%m-%d')`: a longer text is cut, so
//!   `2026-11-30T10:00:00` is 2026-11-30, and `2026-1-5` is 2026-01-05.
//! * `Datetime.to_datetime(value)`: `strptime(value, '%Y-%m-%d %H:%M:%S'[:len(value) - 2])`:
//!   the format is cut to the length of the text, so `2026-11-30` is midnight and
//!   `2026-11-30 10:00` is 10:00, while `2026-11-30T10:00:00`, fractions and zones are refused.
//! * A false value (`False`, `""`, `0`, ...) is empty; any other non-string (an XML-RPC
//!   `<dateTime.iso8601>`, a number) is a `TypeError`, since the ORM slices or measures it.

use crate::fault::{OdooError, OdooResult};
use crate::values::{is_falsy, py_isspace, py_type, str_repr};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use openspp_xmlrpc::Value;

/// `DATETIME_FORMAT` of `odoo/tools/misc.py`.
const DATETIME_FORMAT: &str = "%Y-%m-%d %H:%M:%S";
/// `DATE_FORMAT`, and `DATE_LENGTH` its text length.
const DATE_FORMAT: &str = "%Y-%m-%d";
const DATE_LENGTH: usize = 10;

/// `fields.Date.to_date(value)`: `None` for a false value.
pub fn to_date(value: &Value) -> OdooResult<Option<NaiveDate>> {
    if is_falsy(value) {
        return Ok(None);
    }
    match value {
        Value::String(text) => {
            let head: String = text.chars().take(DATE_LENGTH).collect();
            strptime(&head, DATE_FORMAT).map(|dt| Some(dt.date()))
        }
        // value[:DATE_LENGTH] slices a list, then strptime refuses it
        Value::Array(_) => Err(strptime_type_error(value)),
        // a slice is not hashable before Python 3.12
        Value::Struct(_) => Err(OdooError::type_error("unhashable type: 'slice'")),
        other => Err(OdooError::type_error(format!(
            "'{}' object is not subscriptable",
            py_type(other)
        ))),
    }
}

/// `fields.Datetime.to_datetime(value)`: `None` for a false value.
pub fn to_datetime(value: &Value) -> OdooResult<Option<NaiveDateTime>> {
    if is_falsy(value) {
        return Ok(None);
    }
    match value {
        Value::String(text) => {
            let format = py_slice_to(DATETIME_FORMAT, text.chars().count() as i64 - 2);
            strptime(text, format).map(Some)
        }
        // len() works on containers, then strptime refuses them
        Value::Array(_) | Value::Struct(_) => Err(strptime_type_error(value)),
        other => Err(OdooError::type_error(format!(
            "object of type '{}' has no len()",
            py_type(other)
        ))),
    }
}

/// `Date.to_string`.
pub fn date_text(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// `Datetime.to_string`.
pub fn datetime_text(datetime: NaiveDateTime) -> String {
    datetime.format("%Y-%m-%d %H:%M:%S").to_string()
}

fn strptime_type_error(value: &Value) -> OdooError {
    OdooError::type_error(format!(
        "strptime() argument 1 must be str, not {}",
        py_type(value)
    ))
}

/// Python's `text[:end]` on an ASCII text (a negative end counts from the back).
fn py_slice_to(text: &str, end: i64) -> &str {
    let len = text.len() as i64;
    let end = if end < 0 {
        (len + end).max(0)
    } else {
        end.min(len)
    };
    &text[..end as usize]
}

/// One piece of a compiled format: a directive or literal text.
#[derive(Debug, Clone, Copy)]
enum Piece {
    /// `%Y`, `%m`, `%d`, `%H`, `%M`, `%S`.
    Directive(char),
    /// A space in the format, which `_strptime` turns into `\s+`.
    Spaces,
    /// A character that must appear as it is.
    Literal(char),
}

/// The alternatives `_strptime`'s `TimeRE` tries for a directive, in its order.
fn alternatives(directive: char) -> &'static [&'static str] {
    // each pattern is a sequence of classes: 'd' any digit, '_' a space, else the byte itself,
    // or a range written as two bytes after '['
    match directive {
        'Y' => &["dddd"],
        'm' => &["1[02", "0[19", "[19"],
        'd' => &["3[01", "[12d", "0[19", "[19", "_[19"],
        'H' => &["2[03", "[01d", "d"],
        'M' => &["[05d", "d"],
        _ => &["6[01", "[05d", "d"],
    }
}

/// Matches one alternative at the start of `text`; the length matched.
fn match_alternative(pattern: &str, text: &[char]) -> Option<usize> {
    let pattern = pattern.as_bytes();
    let (mut p, mut t) = (0, 0);
    while p < pattern.len() {
        let c = *text.get(t)?;
        let ok = match pattern[p] {
            b'd' => c.is_ascii_digit(),
            b'_' => c == ' ',
            b'[' => {
                let (lo, hi) = (char::from(pattern[p + 1]), char::from(pattern[p + 2]));
                p += 2;
                (lo..=hi).contains(&c)
            }
            byte => c == char::from(byte),
        };
        if !ok {
            return None;
        }
        p += 1;
        t += 1;
    }
    Some(t)
}

/// The fields a match fills, by directive.
#[derive(Debug, Default, Clone, Copy)]
struct Fields {
    year: i32,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
}

/// `re.match` of the compiled pieces at `text[at..]` with backtracking in the regex's order:
/// the end of the first match found.
fn match_pieces(pieces: &[Piece], text: &[char], at: usize, fields: &mut Fields) -> Option<usize> {
    let Some((piece, rest)) = pieces.split_first() else {
        return Some(at);
    };
    match *piece {
        Piece::Literal(c) => (text.get(at) == Some(&c))
            .then(|| match_pieces(rest, text, at + 1, fields))
            .flatten(),
        Piece::Spaces => {
            let run = text[at..].iter().take_while(|c| py_isspace(**c)).count();
            // greedy \s+, giving back one character at a time
            (1..=run)
                .rev()
                .find_map(|n| match_pieces(rest, text, at + n, fields))
        }
        Piece::Directive(d) => alternatives(d).iter().find_map(|pattern| {
            let len = match_alternative(pattern, &text[at..])?;
            let digits: String = text[at..at + len]
                .iter()
                .filter(|c| c.is_ascii_digit())
                .collect();
            let n: u32 = digits.parse().ok()?;
            let mut next = *fields;
            match d {
                'Y' => next.year = n as i32,
                'm' => next.month = n,
                'd' => next.day = n,
                'H' => next.hour = n,
                'M' => next.minute = n,
                _ => next.second = n,
            }
            let end = match_pieces(rest, text, at + len, &mut next)?;
            *fields = next;
            Some(end)
        }),
    }
}

/// `datetime.strptime(text, format)` for the formats Odoo uses (`%Y %m %d %H %M %S`,
/// `-`, `:` and spaces), with Python's messages.
fn strptime(text: &str, format: &str) -> OdooResult<NaiveDateTime> {
    let mut pieces = Vec::new();
    let mut chars = format.chars();
    while let Some(c) = chars.next() {
        pieces.push(match c {
            '%' => match chars.next() {
                Some(d) => Piece::Directive(d),
                None => {
                    return Err(OdooError::value(format!("stray % in format '{format}'")));
                }
            },
            c if c.is_whitespace() => Piece::Spaces,
            c => Piece::Literal(c),
        });
    }
    let chars: Vec<char> = text.chars().collect();
    // what a directive leaves unset: 1900-01-01 00:00:00
    let mut fields = Fields {
        year: 1900,
        month: 1,
        day: 1,
        ..Fields::default()
    };
    let end = match_pieces(&pieces, &chars, 0, &mut fields).ok_or_else(|| {
        OdooError::value(format!(
            "time data {} does not match format {}",
            str_repr(text),
            str_repr(format)
        ))
    })?;
    if end != chars.len() {
        let rest: String = chars[end..].iter().collect();
        return Err(OdooError::value(format!(
            "unconverted data remains: {rest}"
        )));
    }
    if fields.year == 0 {
        return Err(OdooError::value("year 0 is out of range"));
    }
    let date = NaiveDate::from_ymd_opt(fields.year, fields.month, fields.day)
        .ok_or_else(|| OdooError::value("day is out of range for month"))?;
    let time = NaiveTime::from_hms_opt(fields.hour, fields.minute, fields.second)
        .ok_or_else(|| OdooError::value("second must be in 0..59"))?;
    Ok(date.and_time(time))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Result<String, String> {
        to_date(&Value::String(text.into()))
            .map(|d| d.map(date_text).unwrap_or_default())
            .map_err(|e| e.to_string())
    }

    fn datetime(text: &str) -> Result<String, String> {
        to_datetime(&Value::String(text.into()))
            .map(|d| d.map(datetime_text).unwrap_or_default())
            .map_err(|e| e.to_string())
    }

    #[test]
    fn dates_are_what_date_to_date_accepts() {
        assert_eq!(date("2026-11-30").unwrap(), "2026-11-30");
        assert_eq!(date("2026-11-30T10:00:00Z").unwrap(), "2026-11-30");
        assert_eq!(date("2026-1-5").unwrap(), "2026-01-05");
        assert_eq!(date("").unwrap(), "");
        assert_eq!(
            date("2026-02-30").unwrap_err(),
            "ValueError: day is out of range for month"
        );
        assert_eq!(
            date("30/11/2026").unwrap_err(),
            "ValueError: time data '30/11/2026' does not match format '%Y-%m-%d'"
        );
        assert_eq!(
            date("2026-1-5 10").unwrap_err(),
            "ValueError: unconverted data remains:  1"
        );
        assert_eq!(
            to_date(&Value::Int(5)).unwrap_err().to_string(),
            "TypeError: 'int' object is not subscriptable"
        );
    }

    #[test]
    fn datetimes_are_what_datetime_to_datetime_accepts() {
        assert_eq!(
            datetime("2026-11-30 10:11:12").unwrap(),
            "2026-11-30 10:11:12"
        );
        assert_eq!(datetime("2026-11-30").unwrap(), "2026-11-30 00:00:00");
        assert_eq!(datetime("2026-11-30 10:00").unwrap(), "2026-11-30 10:00:00");
        assert_eq!(
            datetime("2026-11-30\t\t01:02:03").unwrap(),
            "2026-11-30 01:02:03"
        );
        assert_eq!(
            datetime("2026-11-30\t\t1:2:3").unwrap_err(),
            "ValueError: unconverted data remains: 3"
        );
        assert_eq!(
            datetime("2026-11-30T10:00:00").unwrap_err(),
            "ValueError: time data '2026-11-30T10:00:00' does not match format '%Y-%m-%d %H:%M:%S'"
        );
        assert_eq!(
            datetime("2026-11-30T10:00:00.123Z").unwrap_err(),
            "ValueError: time data '2026-11-30T10:00:00.123Z' does not match format '%Y-%m-%d %H:%M:%S'"
        );
        assert_eq!(
            datetime("2026-11-30 10:00:60").unwrap_err(),
            "ValueError: second must be in 0..59"
        );
        assert_eq!(
            datetime("2026-11-30 1").unwrap_err(),
            "ValueError: stray % in format '%Y-%m-%d %'"
        );
        assert_eq!(
            to_datetime(&Value::Double(1.5)).unwrap_err().to_string(),
            "TypeError: object of type 'float' has no len()"
        );
    }
}
