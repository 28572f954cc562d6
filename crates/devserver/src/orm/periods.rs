//! The periods `read_group` groups dates and datetimes by (`date:day`, `create_date:week`,
//! ...), as Odoo 17's `_read_group_groupby` truncates them and `_read_group_format_result`
//! labels them: `READ_GROUP_TIME_GRANULARITY` for the length of a period and
//! `READ_GROUP_DISPLAY_FORMAT` through Babel 2.10 for the label, in the `en_US` locale
//! (weeks start on Sunday, `res.lang.week_start` 7).

use crate::fault::{OdooError, OdooResult};
use chrono::{Datelike, Duration, Months, NaiveDate, NaiveDateTime, Timelike};

/// A granularity of `READ_GROUP_TIME_GRANULARITY`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// `hour`.
    Hour,
    /// `day`.
    Day,
    /// `week`: Sunday to Saturday in `en_US`.
    Week,
    /// `month`, what a bare date or datetime groups by.
    Month,
    /// `quarter`.
    Quarter,
    /// `year`.
    Year,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl Period {
    /// The granularity named in a groupby spec, or `None` for a name Odoo does not know.
    pub fn named(name: &str) -> Option<Period> {
        Some(match name {
            "hour" => Period::Hour,
            "day" => Period::Day,
            "week" => Period::Week,
            "month" => Period::Month,
            "quarter" => Period::Quarter,
            "year" => Period::Year,
            _ => return None,
        })
    }

    /// SQLite for the start of the period holding `column` (a `YYYY-MM-DD` or
    /// `YYYY-MM-DD HH:MM:SS` text), as `YYYY-MM-DD HH:MM:SS`; NULL stays NULL.
    pub fn start_sql(self, column: &str) -> String {
        let start = match self {
            Period::Hour => format!("strftime('%Y-%m-%d %H:00:00', {column})"),
            Period::Day => format!("strftime('%Y-%m-%d 00:00:00', {column})"),
            // back to the Sunday (strftime %w: 0 is Sunday)
            Period::Week => format!(
                "strftime('%Y-%m-%d 00:00:00', {column}, '-' || strftime('%w', {column}) || ' days')"
            ),
            Period::Month => format!("strftime('%Y-%m-01 00:00:00', {column})"),
            Period::Quarter => format!(
                "printf('%s-%02d-01 00:00:00', strftime('%Y', {column}), (CAST(strftime('%m', {column}) AS INTEGER) - 1) / 3 * 3 + 1)"
            ),
            Period::Year => format!("strftime('%Y-01-01 00:00:00', {column})"),
        };
        format!("CASE WHEN {column} IS NULL THEN NULL ELSE {start} END")
    }

    /// The start of the next period.
    pub fn end(self, start: NaiveDateTime) -> NaiveDateTime {
        let months = |n| start.checked_add_months(Months::new(n)).unwrap_or(start);
        match self {
            Period::Hour => start + Duration::hours(1),
            Period::Day => start + Duration::days(1),
            Period::Week => start + Duration::days(7),
            Period::Month => months(1),
            Period::Quarter => months(3),
            Period::Year => months(12),
        }
    }

    /// The group's label, as Babel formats `READ_GROUP_DISPLAY_FORMAT` in `en_US`:
    /// `10:00 30 Nov`, `30 Nov 2026`, `W49 2026`, `November 2026`, `Q4 2026`, `2026`.
    /// `date:hour` fails as it does in Odoo, where Babel asks a date for its hour.
    pub fn label(self, start: NaiveDateTime, is_date: bool) -> OdooResult<String> {
        let month = MONTHS[start.month0() as usize];
        let abbreviation = &month[..3];
        Ok(match self {
            Period::Hour if is_date => {
                return Err(OdooError::python(
                    "AttributeError",
                    "'datetime.date' object has no attribute 'hour'",
                ));
            }
            // 'hh:00 dd MMM': hh is the 12-hour clock
            Period::Hour => format!(
                "{:02}:00 {:02} {abbreviation}",
                start.hour12().1,
                start.day()
            ),
            Period::Day => format!("{:02} {abbreviation} {:04}", start.day(), start.year()),
            Period::Week => {
                let date = start.date();
                format!("W{} {:04}", week_of_year(date), date.iso_week().year())
            }
            Period::Month => format!("{month} {:04}", start.year()),
            Period::Quarter => format!("Q{} {:04}", start.month0() / 3 + 1, start.year()),
            Period::Year => format!("{:04}", start.year()),
        })
    }
}

/// Babel 2.10's `w` in `en_US` (first day Sunday, one day makes a week): the week holding
/// 1 January is week 1. (`YYYY` beside it is the ISO year, as Babel 2.10 computes it.)
fn week_of_year(date: NaiveDate) -> i64 {
    const FIRST_WEEK_DAY: i64 = 6; // Babel numbers Monday 0, so Sunday is 6
    const MIN_WEEK_DAYS: i64 = 1;
    let day_of_year = i64::from(date.ordinal());
    let day_of_week = i64::from(date.weekday().num_days_from_monday());
    let first_day = (day_of_week - FIRST_WEEK_DAY - day_of_year + 1).rem_euclid(7);
    let mut week = (day_of_year + first_day - 1) / 7;
    if 7 - first_day >= MIN_WEEK_DAYS {
        week += 1;
    }
    week
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    #[test]
    fn labels_are_babels_en_us() {
        let start = at("2026-11-30 14:00:00");
        let label = |p: Period| p.label(start, false).unwrap();
        assert_eq!(label(Period::Hour), "02:00 30 Nov");
        assert_eq!(label(Period::Day), "30 Nov 2026");
        assert_eq!(label(Period::Month), "November 2026");
        assert_eq!(label(Period::Quarter), "Q4 2026");
        assert_eq!(label(Period::Year), "2026");
        // weeks start on Sunday; 1 January 2026 is a Thursday, in week 1
        let week = |d: &str| Period::Week.label(at(d), true).unwrap();
        assert_eq!(week("2026-11-29 00:00:00"), "W49 2026");
        assert_eq!(week("2025-12-28 00:00:00"), "W53 2025");
        assert_eq!(week("2026-12-27 00:00:00"), "W53 2026");
        assert_eq!(week("2027-01-03 00:00:00"), "W2 2026");
        assert_eq!(
            Period::Hour.label(start, true).unwrap_err().to_string(),
            "AttributeError: 'datetime.date' object has no attribute 'hour'"
        );
        assert_eq!(
            Period::Hour
                .label(at("2026-11-30 00:00:00"), false)
                .unwrap(),
            "12:00 30 Nov"
        );
    }

    #[test]
    fn periods_end_where_the_next_begins() {
        let start = at("2026-11-01 00:00:00");
        assert_eq!(Period::Month.end(start), at("2026-12-01 00:00:00"));
        assert_eq!(
            Period::Quarter.end(at("2026-10-01 00:00:00")),
            at("2027-01-01 00:00:00")
        );
        assert_eq!(
            Period::Week.end(at("2026-11-29 00:00:00")),
            at("2026-12-06 00:00:00")
        );
        assert_eq!(Period::Year.end(start), at("2027-11-01 00:00:00"));
    }
}
