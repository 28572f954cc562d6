//! The time the server stamps `create_date` and `write_date` with: the system clock, or a
//! [`ManualClock`] a test sets, so that it can write many records within one second (as a
//! busy real server does) or write a record dated before one already read (as a transaction
//! that commits late does: PostgreSQL's `now()` is the transaction's start).

use chrono::{NaiveDateTime, TimeDelta};
use std::sync::{Arc, Mutex, PoisonError};

/// A clock the test moves: each transaction reads it and advances it by one microsecond, so
/// stamps stay distinct and ordered, as PostgreSQL's are, while staying within one second
/// for up to a million transactions.
#[derive(Debug, Clone)]
pub struct ManualClock(Arc<Mutex<NaiveDateTime>>);

impl ManualClock {
    /// A clock showing `at` (naive UTC).
    pub fn new(at: NaiveDateTime) -> Self {
        ManualClock(Arc::new(Mutex::new(at)))
    }

    /// Shows `at` from now on (earlier than before is allowed: that is how a test writes a
    /// record stamped before what a reader already saw).
    pub fn set(&self, at: NaiveDateTime) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = at;
    }

    /// The time the next transaction will read.
    pub fn peek(&self) -> NaiveDateTime {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The time for one transaction, advancing the clock by a microsecond.
    fn tick(&self) -> NaiveDateTime {
        let mut now = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let at = *now;
        *now = at + TimeDelta::microseconds(1);
        at
    }
}

/// The server's clock: the system's, or a test's.
#[derive(Debug, Clone, Default)]
pub(crate) struct Clock(Option<ManualClock>);

impl Clock {
    pub(crate) fn manual(clock: ManualClock) -> Self {
        Clock(Some(clock))
    }

    /// A transaction's timestamp as PostgreSQL stores it (see [`timestamp_text`]).
    pub(crate) fn now_text(&self) -> String {
        let at = match &self.0 {
            Some(clock) => clock.tick(),
            None => system_now(),
        };
        timestamp_text(at)
    }
}

/// The system clock, naive UTC, to the microsecond.
fn system_now() -> NaiveDateTime {
    let since_epoch = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    chrono::DateTime::from_timestamp(
        i64::try_from(since_epoch.as_secs()).unwrap_or(0),
        since_epoch.subsec_micros() * 1000,
    )
    .map(|at| at.naive_utc())
    .unwrap_or_default()
}

/// A `timestamp` as this server stores it: `YYYY-MM-DD HH:MM:SS`, then `.ffffff` when the
/// microseconds are not zero (PostgreSQL's precision; sub-microseconds are dropped). One
/// text per instant, ordered as the instants are, so SQLite compares them as PostgreSQL
/// compares timestamps.
pub fn timestamp_text(at: NaiveDateTime) -> String {
    let micros = chrono::Timelike::nanosecond(&at) / 1000;
    let seconds = at.format("%Y-%m-%d %H:%M:%S");
    if micros == 0 {
        seconds.to_string()
    } else {
        format!("{seconds}.{micros:06}")
    }
}

/// What Odoo answers for a stored timestamp: `Datetime.to_string`, to the second.
pub fn to_the_second(stored: &str) -> &str {
    match stored.split_once('.') {
        Some((seconds, _)) if seconds.len() == 19 => seconds,
        _ => stored,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f").unwrap()
    }

    #[test]
    fn stamps_are_one_text_per_instant_in_instant_order() {
        assert_eq!(
            timestamp_text(at("2026-01-01 10:00:00")),
            "2026-01-01 10:00:00"
        );
        assert_eq!(
            timestamp_text(at("2026-01-01 10:00:00.5")),
            "2026-01-01 10:00:00.500000"
        );
        let texts: Vec<String> = [
            "2026-01-01 09:59:59.999999",
            "2026-01-01 10:00:00",
            "2026-01-01 10:00:00.000001",
            "2026-01-01 10:00:00.1",
            "2026-01-01 10:00:01",
        ]
        .iter()
        .map(|t| timestamp_text(at(t)))
        .collect();
        let mut sorted = texts.clone();
        sorted.sort();
        assert_eq!(texts, sorted);
        assert_eq!(
            to_the_second("2026-01-01 10:00:00.000001"),
            "2026-01-01 10:00:00"
        );
        assert_eq!(to_the_second("infinity"), "infinity");
    }

    #[test]
    fn a_manual_clock_ticks_a_microsecond_per_transaction() {
        let manual = ManualClock::new(at("2026-01-01 10:00:00"));
        let clock = Clock::manual(manual.clone());
        assert_eq!(clock.now_text(), "2026-01-01 10:00:00");
        assert_eq!(clock.now_text(), "2026-01-01 10:00:00.000001");
        manual.set(at("2026-01-01 09:00:00"));
        assert_eq!(clock.now_text(), "2026-01-01 09:00:00");
    }
}
