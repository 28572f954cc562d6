//! When a failed call is sent again, and how long to wait first: exponential backoff, or the
//! server's `Retry-After` on a `429`/`503`.

use std::time::{Duration, SystemTime};

use crate::error::Idempotency;
use crate::error::{Error, TransportError};

/// When a failed call may be sent again.
///
/// A call that never left (connection refused, DNS, TLS handshake) is retried whatever it is.
/// A read-only call (`search_read`, `read`, `name_search`, …) is also retried after a timeout,
/// a closed or reset connection, a `502`/`503`/`504` from a proxy, and a `429`/`503`: with the
/// `Retry-After` the server asked for when it gave one and that wait is at most
/// [`max_retry_after`](Self::max_retry_after) (a longer wait fails at once with the status,
/// since the caller's deadline is better served by an error than a stalled task). A call that
/// may change data is never sent twice once its body may have gone out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Extra attempts after the first (0 disables retries).
    pub max_retries: u32,
    /// Delay before the first retry; doubled each time.
    pub base_delay: Duration,
    /// Upper bound of one backoff delay.
    pub max_delay: Duration,
    /// The longest `Retry-After` honoured (default 30 s); a server asking for more is not
    /// retried.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 2,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(2),
            max_retry_after: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub fn none() -> Self {
        Self {
            max_retries: 0,
            ..Self::default()
        }
    }

    /// The wait before attempt `attempt + 1` after `error`, or `None` when the call must not be
    /// sent again.
    pub(crate) fn wait_before_retry(
        &self,
        attempt: u32,
        error: &TransportError,
        idempotency: Idempotency,
    ) -> Option<Duration> {
        if attempt >= self.max_retries {
            return None;
        }
        match error {
            // Nothing reached the server.
            TransportError::Connect(_) => Some(self.backoff(attempt)),
            _ if idempotency == Idempotency::Mutating => None,
            TransportError::Timeout | TransportError::Io(_) => Some(self.backoff(attempt)),
            TransportError::Status {
                status: 429 | 503,
                retry_after: Some(wait),
                ..
            } => (*wait <= self.max_retry_after).then_some(*wait),
            TransportError::Status {
                status: 429 | 502..=504,
                ..
            } => Some(self.backoff(attempt)),
            _ => None,
        }
    }

    fn backoff(&self, attempt: u32) -> Duration {
        let factor = 1u32.checked_shl(attempt).unwrap_or(u32::MAX);
        self.base_delay.saturating_mul(factor).min(self.max_delay)
    }
}

/// Runs `attempt` (a read-only call) until it succeeds, fails otherwise than with a
/// transient fault ([`FaultKind::is_transient`](crate::FaultKind::is_transient): the server
/// rolled the call back), or `policy` allows no more retries. Calls that may change data do
/// not come here: a write that met a conflict is answered to the caller, whose error says
/// that sending it again is safe.
pub(crate) async fn retry_transient<T, F, Fut>(
    policy: &RetryPolicy,
    mut attempt: F,
) -> Result<T, Error>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, Error>>,
{
    let mut retries = 0;
    loop {
        match attempt().await {
            Err(e) if e.is_safe_to_retry() && retries < policy.max_retries => {
                let delay = policy.backoff(retries);
                tracing::debug!(error = %e, retries, ?delay, "retrying after a transient fault");
                tokio::time::sleep(delay).await;
                retries += 1;
            }
            result => return result,
        }
    }
}

/// A `Retry-After` header value (RFC 9110 §10.2.3): delay-seconds, or an HTTP-date (a date in
/// the past is no wait). `None` when it is neither.
pub(crate) fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(status: u16, retry_after: Option<Duration>) -> TransportError {
        TransportError::Status {
            status,
            retry_after,
            snippet: String::new(),
        }
    }

    #[test]
    fn backoff_is_bounded() {
        let p = RetryPolicy::default();
        assert_eq!(p.backoff(0), Duration::from_millis(100));
        assert_eq!(p.backoff(1), Duration::from_millis(200));
        assert_eq!(p.backoff(40), Duration::from_secs(2));
    }

    #[test]
    fn writes_are_never_resent_after_the_request_left() {
        let p = RetryPolicy::default();
        let retry = |e: &TransportError, i| p.wait_before_retry(0, e, i).is_some();
        use Idempotency::{Mutating, ReadOnly};
        for sent in [
            TransportError::Timeout,
            TransportError::Io("reset".into()),
            status(502, None),
            status(429, Some(Duration::ZERO)),
        ] {
            assert!(!retry(&sent, Mutating), "{sent}");
            assert!(retry(&sent, ReadOnly), "{sent}");
        }
        assert!(retry(&TransportError::Connect("refused".into()), Mutating));
        assert!(!retry(&status(500, None), ReadOnly));
        assert!(!retry(&TransportError::BodyTooLarge { limit: 1 }, ReadOnly));
        assert_eq!(
            p.wait_before_retry(2, &TransportError::Timeout, ReadOnly),
            None
        );
    }

    #[test]
    fn retry_after_is_honoured_up_to_the_cap() {
        let p = RetryPolicy::default();
        let wait = |s| p.wait_before_retry(0, &status(503, Some(s)), Idempotency::ReadOnly);
        assert_eq!(wait(Duration::from_secs(3)), Some(Duration::from_secs(3)));
        assert_eq!(wait(Duration::from_secs(31)), None);
    }

    #[test]
    fn retry_after_values() {
        let now = httpdate::parse_http_date("Tue, 01 Dec 2026 03:00:00 GMT").unwrap();
        assert_eq!(
            parse_retry_after(" 120 ", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(
            parse_retry_after("Tue, 01 Dec 2026 03:00:07 GMT", now),
            Some(Duration::from_secs(7))
        );
        assert_eq!(
            parse_retry_after("Mon, 30 Nov 2026 03:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-1", now), None);
    }
}
