//! The CPU a bench counts.

use std::time::Duration;

use nix::sys::resource::{UsageWho, getrusage};

/// User + system CPU of this process so far (every thread).
pub fn cpu() -> Duration {
    let usage = getrusage(UsageWho::RUSAGE_SELF).unwrap();
    let time =
        |t: nix::sys::time::TimeVal| Duration::new(t.tv_sec() as u64, (t.tv_usec() * 1000) as u32);
    time(usage.user_time()) + time(usage.system_time())
}
