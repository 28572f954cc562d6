//! Web sessions (`odoo.http.Session`): opened by `/web/session/authenticate`, carried by the
//! `session_id` cookie, closed by `/web/session/destroy` or [`Sessions::expire_all`].

use std::collections::HashMap;
use std::fmt;
use std::hash::{BuildHasher, Hasher};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

/// The cookie that carries the session id.
pub const COOKIE: &str = "session_id";

/// How long the cookie lives, as Odoo's `SESSION_LIFETIME` (7 days).
pub const LIFETIME_SECONDS: u64 = 7 * 24 * 3600;

/// The open sessions: session id to uid.
#[derive(Default)]
pub struct Sessions {
    open: Mutex<HashMap<String, i64>>,
    counter: AtomicU64,
}

impl fmt::Debug for Sessions {
    // session ids are credentials: only their number is shown
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sessions")
            .field("open", &self.open.lock().map_or(0, |open| open.len()))
            .finish()
    }
}

impl Sessions {
    /// Opens a session for `uid` and returns its id: 40 url-safe characters, like
    /// `secrets.token_urlsafe(30)`, from the process's random hash keys.
    pub fn open(&self, uid: i64) -> String {
        let mut sid = String::with_capacity(40);
        while sid.len() < 40 {
            let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
            hasher.write_u64(self.counter.fetch_add(1, Ordering::Relaxed));
            hasher.write_u128(
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| d.as_nanos()),
            );
            let mut bits = hasher.finish();
            for _ in 0..10 {
                const ALPHABET: &[u8] =
                    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
                sid.push(char::from(ALPHABET[(bits & 63) as usize]));
                bits >>= 6;
            }
        }
        if let Ok(mut open) = self.open.lock() {
            open.insert(sid.clone(), uid);
        }
        sid
    }

    /// The uid of an open session.
    pub fn uid(&self, sid: &str) -> Option<i64> {
        self.open.lock().ok()?.get(sid).copied()
    }

    /// Closes one session.
    pub fn close(&self, sid: &str) {
        if let Ok(mut open) = self.open.lock() {
            open.remove(sid);
        }
    }

    /// Closes every session: the next call on any of them meets `SessionExpiredException`.
    pub fn expire_all(&self) {
        if let Ok(mut open) = self.open.lock() {
            open.clear();
        }
    }
}

/// The session id a `Cookie` header carries.
pub fn from_cookie(header: &str) -> Option<&str> {
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.trim())
        .filter(|value| !value.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_open_close_and_expire() {
        let sessions = Sessions::default();
        let (a, b) = (sessions.open(2), sessions.open(13));
        assert_eq!(a.len(), 40);
        assert_ne!(a, b);
        assert_eq!((sessions.uid(&a), sessions.uid(&b)), (Some(2), Some(13)));
        sessions.close(&a);
        assert_eq!(sessions.uid(&a), None);
        sessions.expire_all();
        assert_eq!(sessions.uid(&b), None);
        assert!(!format!("{sessions:?}").contains(&b));
        assert_eq!(from_cookie("a=1; session_id=xyz; b=2"), Some("xyz"));
        assert_eq!(from_cookie("session_id="), None);
    }
}
