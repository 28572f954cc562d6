//! What PostgreSQL makes of a text compared with a `date`, `timestamp` or `int4` column:
//! Odoo 17 hands a domain's value to psycopg2 as text (`Field.convert_to_column` is
//! `pycompat.to_text` for dates, datetimes and `id`), and PostgreSQL parses it with its own
//! input rules (`DateStyle` `ISO, MDY`, the server default), or refuses it with the errors
//! psycopg2 raises: `InvalidDatetimeFormat`, `DatetimeFieldOverflow`,
//! `InvalidTextRepresentation`, `NumericValueOutOfRange`.
//!
//! The date input covered is PostgreSQL's common forms (`src/backend/utils/adt/datetime.c`):
//! numeric dates with `-`, `/` or `.` separators read year first when the first field has
//! three digits or more and month first otherwise (`1-1-1970`, `13/8/2024` refused),
//! two-digit years (`70` to `99` in the 1900s, else the 2000s), `YYYYMMDD`, month names
//! (`Jan 5 2024`, `5 January 2024`, `2024-Jan-05`), a `T` or a space before a time
//! `HH:MM[:SS[.fff]]` with `am`/`pm` and a zone (ignored, as `timestamp` ignores it), and
//! `epoch`, `today`, `yesterday`, `tomorrow`, `now`, `infinity`, `-infinity`.

use crate::fault::{OdooError, OdooResult};
use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};

/// Why PostgreSQL refused a date or time text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Refusal {
    /// `DTERR_BAD_FORMAT`.
    Syntax,
    /// `DTERR_FIELD_OVERFLOW`.
    Overflow,
    /// `DTERR_MD_FIELD_OVERFLOW`: out of range read as month-first, with a hint.
    MonthDayOverflow,
}

/// A parsed date or timestamp, or one of the infinities.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Moment {
    At(NaiveDateTime),
    Infinity,
    MinusInfinity,
}

/// A `date` column's value for `text`, as the column's text (`YYYY-MM-DD`; the infinities as
/// texts that sort after and before every date).
pub fn date(text: &str) -> OdooResult<String> {
    match parse(text) {
        Ok(Moment::At(at)) => Ok(at.date().format("%Y-%m-%d").to_string()),
        Ok(moment) => Ok(infinite(moment)),
        Err(refusal) => Err(refused(refusal, "date", text)),
    }
}

/// A `timestamp` column's value for `text` (`YYYY-MM-DD HH:MM:SS[.ffffff]`).
pub fn timestamp(text: &str) -> OdooResult<String> {
    match parse(text) {
        Ok(Moment::At(at)) => Ok(crate::clock::timestamp_text(at)),
        Ok(moment) => Ok(infinite(moment)),
        Err(refusal) => Err(refused(refusal, "timestamp", text)),
    }
}

/// An `int4` column's value for `text` (`int4in`: whitespace around an optional sign and
/// digits).
pub fn int4(text: &str) -> OdooResult<i64> {
    let trimmed = text.trim_matches(|c: char| c.is_ascii_whitespace());
    let digits = trimmed.strip_prefix(['-', '+']).unwrap_or(trimmed);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(OdooError::python(
            "psycopg2.errors.InvalidTextRepresentation",
            format!("invalid input syntax for type integer: \"{text}\""),
        ));
    }
    trimmed.parse::<i32>().map(i64::from).map_err(|_| {
        OdooError::python(
            "psycopg2.errors.NumericValueOutOfRange",
            format!("value \"{text}\" is out of range for type integer"),
        )
    })
}

fn infinite(moment: Moment) -> String {
    if moment == Moment::Infinity {
        "infinity".to_owned()
    } else {
        "-infinity".to_owned()
    }
}

fn refused(refusal: Refusal, kind: &str, text: &str) -> OdooError {
    match refusal {
        Refusal::Syntax => OdooError::python(
            "psycopg2.errors.InvalidDatetimeFormat",
            format!("invalid input syntax for type {kind}: \"{text}\""),
        ),
        Refusal::Overflow => OdooError::python(
            "psycopg2.errors.DatetimeFieldOverflow",
            format!("date/time field value out of range: \"{text}\""),
        ),
        Refusal::MonthDayOverflow => OdooError::python(
            "psycopg2.errors.DatetimeFieldOverflow",
            format!(
                "date/time field value out of range: \"{text}\"\nHINT:  Perhaps you need a different \"datestyle\" setting."
            ),
        ),
    }
}

/// One field of the date part.
#[derive(Debug, Clone)]
enum DateField {
    Number(String),
    Month(u32),
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

fn month_name(word: &str) -> Option<u32> {
    let full = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let word = word.to_ascii_lowercase();
    if word == "sept" {
        return Some(9);
    }
    MONTHS
        .iter()
        .zip(full)
        .position(|(short, long)| word == *short || word == long)
        .and_then(|i| u32::try_from(i + 1).ok())
}

fn parse(text: &str) -> Result<Moment, Refusal> {
    let trimmed = text.trim_matches(|c: char| c.is_ascii_whitespace());
    let lower = trimmed.to_ascii_lowercase();
    let now = now_utc();
    let today = now.date();
    let midnight = |d: NaiveDate| Moment::At(d.and_time(NaiveTime::MIN));
    match lower.as_str() {
        "" => return Err(Refusal::Syntax),
        "epoch" => {
            return NaiveDate::from_ymd_opt(1970, 1, 1)
                .map(midnight)
                .ok_or(Refusal::Syntax);
        }
        "today" => return Ok(midnight(today)),
        "yesterday" => return today.pred_opt().map(midnight).ok_or(Refusal::Syntax),
        "tomorrow" => return today.succ_opt().map(midnight).ok_or(Refusal::Syntax),
        "now" => return Ok(Moment::At(now)),
        "infinity" | "+infinity" => return Ok(Moment::Infinity),
        "-infinity" => return Ok(Moment::MinusInfinity),
        _ => {}
    }
    // a `T` between a date and a time is a separator
    let chars: Vec<char> = trimmed.chars().collect();
    let spaced: String = chars
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let between_digits = i > 0
                && chars[i - 1].is_ascii_alphanumeric()
                && chars.get(i + 1).is_some_and(char::is_ascii_digit);
            if (*c == 'T' || *c == 't') && between_digits {
                ' '
            } else {
                *c
            }
        })
        .collect();
    let mut fields: Vec<DateField> = Vec::new();
    let mut time: Option<(u32, u32, u32, u32)> = None;
    let mut pm: Option<bool> = None;
    for token in spaced
        .split(|c: char| c.is_ascii_whitespace() || c == ',')
        .filter(|t| !t.is_empty())
    {
        let lower = token.to_ascii_lowercase();
        if token.contains(':') && time.is_none() && !fields.is_empty() {
            // a time, possibly followed by a zone (`10:00:00+02`, `10:00Z`)
            let end = token
                .find(|c: char| c == '+' || c == '-' || c.is_ascii_alphabetic())
                .unwrap_or(token.len());
            time = Some(parse_time(&token[..end])?);
            if end < token.len() && !zone(&token[end..]) {
                return Err(Refusal::Syntax);
            }
        } else if lower == "am" || lower == "pm" {
            pm = Some(lower == "pm");
        } else if time.is_some() && zone(token) {
            // a zone after the time: `timestamp` ignores it
        } else if let Some(month) = month_name(token) {
            fields.push(DateField::Month(month));
        } else if token.contains(['-', '/', '.']) && time.is_none() {
            for part in token.split(['-', '/', '.']) {
                if part.is_empty() {
                    return Err(Refusal::Syntax);
                }
                if part.bytes().all(|b| b.is_ascii_digit()) {
                    fields.push(DateField::Number(part.to_owned()));
                } else {
                    fields.push(DateField::Month(month_name(part).ok_or(Refusal::Syntax)?));
                }
            }
        } else if token.bytes().all(|b| b.is_ascii_digit()) && time.is_none() {
            if fields.is_empty() && token.len() == 8 {
                for (a, b) in [(0, 4), (4, 6), (6, 8)] {
                    fields.push(DateField::Number(token[a..b].to_owned()));
                }
            } else if fields.is_empty() && token.len() == 6 {
                for (a, b) in [(0, 2), (2, 4), (4, 6)] {
                    fields.push(DateField::Number(token[a..b].to_owned()));
                }
            } else {
                fields.push(DateField::Number(token.to_owned()));
            }
        } else {
            return Err(Refusal::Syntax);
        }
    }
    let date = decode_date(&fields)?;
    let (mut hour, minute, second, micro) = time.unwrap_or((0, 0, 0, 0));
    match pm {
        Some(_) if !(1..=12).contains(&hour) => return Err(Refusal::Overflow),
        Some(true) if hour < 12 => hour += 12,
        Some(false) if hour == 12 => hour = 0,
        _ => {}
    }
    let at = if hour == 24 {
        date.succ_opt()
            .ok_or(Refusal::Overflow)?
            .and_time(NaiveTime::MIN)
    } else {
        date.and_time(
            NaiveTime::from_hms_micro_opt(hour, minute, second.min(59), micro)
                .ok_or(Refusal::Overflow)?,
        )
    };
    Ok(Moment::At(at))
}

/// The current time, naive UTC.
fn now_utc() -> NaiveDateTime {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    chrono::DateTime::from_timestamp(i64::try_from(secs).unwrap_or(0), 0)
        .map(|d| d.naive_utc())
        .unwrap_or_default()
}

/// A zone PostgreSQL accepts after a time: `Z`, `UTC`, `GMT`, `+HH[:MM]`, `-HHMM`.
fn zone(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    if matches!(lower.as_str(), "z" | "utc" | "gmt") {
        return true;
    }
    match lower.strip_prefix(['+', '-']) {
        Some(rest) => {
            let digits: String = rest.chars().filter(|c| *c != ':').collect();
            !digits.is_empty() && digits.len() <= 6 && digits.bytes().all(|b| b.is_ascii_digit())
        }
        None => false,
    }
}

/// `HH:MM[:SS[.fff]]`: hours to 24 (then only `24:00:00`), minutes to 59, seconds to 60.
fn parse_time(text: &str) -> Result<(u32, u32, u32, u32), Refusal> {
    let parts: Vec<&str> = text.split(':').collect();
    if !(2..=3).contains(&parts.len()) {
        return Err(Refusal::Syntax);
    }
    let number = |s: &str| -> Result<u32, Refusal> {
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Refusal::Syntax);
        }
        s.parse().map_err(|_| Refusal::Overflow)
    };
    let hour = number(parts[0])?;
    let minute = number(parts[1])?;
    let (second, micro) = match parts.get(2) {
        None => (0, 0),
        Some(s) => {
            let (whole, fraction) = s.split_once('.').unwrap_or((s, ""));
            let second = number(whole)?;
            if !fraction.bytes().all(|b| b.is_ascii_digit()) {
                return Err(Refusal::Syntax);
            }
            let digits: String = fraction.chars().chain("000000".chars()).take(6).collect();
            (second, digits.parse().unwrap_or(0))
        }
    };
    let total_over_day = hour == 24 && (minute > 0 || second > 0 || micro > 0);
    if hour > 24 || minute > 59 || second > 60 || total_over_day {
        return Err(Refusal::Overflow);
    }
    Ok((hour, minute, second, micro))
}

/// `DecodeDate` and `DecodeNumber` with `DateOrder` MDY, then `ValidateDate`.
fn decode_date(fields: &[DateField]) -> Result<NaiveDate, Refusal> {
    let (mut year, mut month, mut day): (Option<(i32, bool)>, Option<u32>, Option<u32>) =
        (None, None, None);
    let text_month = fields.iter().any(|f| matches!(f, DateField::Month(_)));
    for field in fields {
        if let DateField::Month(m) = field {
            if month.replace(*m).is_some() {
                return Err(Refusal::Syntax);
            }
        }
    }
    for field in fields {
        let DateField::Number(digits) = field else {
            continue;
        };
        let value: i64 = digits.parse().map_err(|_| Refusal::Overflow)?;
        let long = digits.len() >= 3;
        let as_year = |value: i64| -> Result<(i32, bool), Refusal> {
            Ok((i32::try_from(value).map_err(|_| Refusal::Overflow)?, !long))
        };
        let small = u32::try_from(value).map_err(|_| Refusal::Overflow)?;
        // `DecodeNumber`'s switch on the fields known so far (a text month is known first)
        match (year.is_some(), month.is_some(), day.is_some()) {
            // nothing yet: a long field is the year, else the month (MDY)
            (false, false, false) if long => year = Some(as_year(value)?),
            (false, false, false) => month = Some(small),
            // year first (YY-MM-DD): the month
            (true, false, false) => month = Some(small),
            // a text month alone: a long field is the year, else the day
            (false, true, false) if text_month && long => year = Some(as_year(value)?),
            // a month (MDY), or year and month: the day
            (false, true, false) | (true, true, false) => day = Some(small),
            // month and day: the year
            (false, true, true) => year = Some(as_year(value)?),
            _ => return Err(Refusal::Syntax),
        }
    }
    let (Some((mut year, two_digits)), Some(month), Some(day)) = (year, month, day) else {
        return Err(Refusal::Syntax);
    };
    if two_digits && (0..100).contains(&year) {
        year += if year < 70 { 2000 } else { 1900 };
    }
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return Err(Refusal::MonthDayOverflow);
    }
    if year <= 0 {
        return Err(Refusal::Overflow);
    }
    NaiveDate::from_ymd_opt(year, month, day)
        .filter(|d| d.year() == year)
        .ok_or(Refusal::Overflow)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_as_postgresql_reads_them() {
        for (text, expected) in [
            ("1970-01-01", "1970-01-01"),
            ("1-1-1970", "1970-01-01"),
            ("12/31/1999", "1999-12-31"),
            ("1970.1.2", "1970-01-02"),
            ("19700102", "1970-01-02"),
            ("Jan 5 2024", "2024-01-05"),
            ("5 January 2024", "2024-01-05"),
            ("January 5, 2024", "2024-01-05"),
            ("2024-Jan-05", "2024-01-05"),
            ("1/2/70", "1970-01-02"),
            ("1/2/69", "2069-01-02"),
            ("2024-02-29 10:00:00", "2024-02-29"),
            ("2024-02-29T10:00:00Z", "2024-02-29"),
            ("  2024-02-29  ", "2024-02-29"),
        ] {
            assert_eq!(date(text).unwrap(), expected, "{text}");
        }
        for (text, line) in [
            (
                "",
                "psycopg2.errors.InvalidDatetimeFormat: invalid input syntax for type date: \"\"",
            ),
            (
                "abc",
                "psycopg2.errors.InvalidDatetimeFormat: invalid input syntax for type date: \"abc\"",
            ),
            (
                "2026-02-30",
                "psycopg2.errors.DatetimeFieldOverflow: date/time field value out of range: \"2026-02-30\"",
            ),
            (
                "13/8/2024",
                "psycopg2.errors.DatetimeFieldOverflow: date/time field value out of range: \"13/8/2024\"\nHINT:  Perhaps you need a different \"datestyle\" setting.",
            ),
            (
                "2024-01-01 25:00",
                "psycopg2.errors.DatetimeFieldOverflow: date/time field value out of range: \"2024-01-01 25:00\"",
            ),
            (
                "5",
                "psycopg2.errors.InvalidDatetimeFormat: invalid input syntax for type date: \"5\"",
            ),
        ] {
            assert_eq!(date(text).unwrap_err().to_string(), line, "{text:?}");
        }
    }

    #[test]
    fn timestamps_and_integers() {
        assert_eq!(
            timestamp("2024-01-05 10:30").unwrap(),
            "2024-01-05 10:30:00"
        );
        assert_eq!(
            timestamp("2024-01-05 1:30 pm").unwrap(),
            "2024-01-05 13:30:00"
        );
        assert_eq!(
            timestamp("2024-01-05 24:00:00").unwrap(),
            "2024-01-06 00:00:00"
        );
        assert_eq!(
            timestamp("2024-01-05T10:30:00.25+02").unwrap(),
            "2024-01-05 10:30:00.250000"
        );
        assert_eq!(int4(" 42 ").unwrap(), 42);
        assert_eq!(
            int4("3000000000").unwrap_err().to_string(),
            "psycopg2.errors.NumericValueOutOfRange: value \"3000000000\" is out of range for type integer"
        );
        assert_eq!(
            int4("1.5").unwrap_err().to_string(),
            "psycopg2.errors.InvalidTextRepresentation: invalid input syntax for type integer: \"1.5\""
        );
    }
}
