//! [`Watermark`]: how far a sync has read, in the server's own `write_date`s.

use std::fmt;
use std::time::Duration;

use chrono::{NaiveDateTime, TimeDelta};

/// How far back a sync reads again before its watermark, by default: five minutes. Odoo stamps
/// `write_date` with the writing transaction's start, and the row becomes visible only when it
/// commits; a sync delivers every change whose transaction committed within `overlap − 1 s`
/// of starting. Odoo's multi-worker servers kill a request or cron job after
/// `limit_time_real` (120 s by default), so five minutes covers what its default limits let
/// commit, with margin. A server in threaded mode (`workers = 0`) has no such limit: set
/// [`Changes::overlap`](super::Changes::overlap) to its longest job.
pub const DEFAULT_OVERLAP: Duration = Duration::from_secs(300);

/// Where the next sync starts: every record with a `write_date` before
/// [`read_before`](Watermark::read_before) that was committed when the sync that returned it
/// read its pages has been delivered. Store it (for example as
/// `read_before().to_string()`) and give it to the next
/// [`changed_since`](super::Export::changed_since).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Watermark(Option<NaiveDateTime>);

impl Watermark {
    /// Nothing read yet: the first sync exports every record.
    pub const BEGINNING: Watermark = Watermark(None);

    /// A watermark a sync returned earlier ([`Watermark::read_before`]), read back from
    /// storage.
    pub fn at(read_before: NaiveDateTime) -> Self {
        Watermark(Some(read_before))
    }

    /// The instant (UTC, whole seconds) before which everything was read; `None` for
    /// [`Watermark::BEGINNING`].
    pub fn read_before(self) -> Option<NaiveDateTime> {
        self.0
    }

    /// Where the next sync's window starts: `overlap` before the watermark.
    pub(super) fn window_start(self, overlap: Duration) -> Option<NaiveDateTime> {
        let overlap = TimeDelta::from_std(overlap).unwrap_or(TimeDelta::MAX);
        self.0
            .map(|at| at.checked_sub_signed(overlap).unwrap_or(NaiveDateTime::MIN))
    }
}

impl fmt::Display for Watermark {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(at) => write!(f, "{}", at.format("%Y-%m-%d %H:%M:%S")),
            None => f.write_str("the beginning"),
        }
    }
}
