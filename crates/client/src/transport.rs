//! HTTP transport: one pooled reqwest client, timeouts, a response size limit enforced while
//! streaming, and retries only where a retry cannot apply a change twice.

use std::time::Duration;

use bytes::{Bytes, BytesMut};
use reqwest::StatusCode;
use reqwest::header::{CONTENT_LENGTH, CONTENT_TYPE, HeaderMap};
use url::Url;

use crate::error::{Call, Error, ProtocolError, TransportError};

/// When a failed call may be sent again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Extra attempts after the first (0 disables retries).
    pub max_retries: u32,
    /// Delay before the first retry; doubled each time.
    pub base_delay: Duration,
    /// Upper bound of one delay.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 2,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(2),
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

    fn delay(&self, attempt: u32) -> Duration {
        let factor = 1u32.checked_shl(attempt).unwrap_or(u32::MAX);
        self.base_delay.saturating_mul(factor).min(self.max_delay)
    }
}

/// Connection settings.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub(crate) connect_timeout: Duration,
    pub(crate) call_timeout: Duration,
    pub(crate) max_response_bytes: usize,
    pub(crate) user_agent: String,
    pub(crate) retry: RetryPolicy,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            call_timeout: Duration::from_secs(120),
            max_response_bytes: 64 * 1024 * 1024,
            user_agent: concat!("odoo-client/", env!("CARGO_PKG_VERSION")).to_owned(),
            retry: RetryPolicy::default(),
        }
    }
}

/// The pooled HTTP client and the server's base URL.
#[derive(Debug)]
pub(crate) struct Transport {
    http: reqwest::Client,
    base: Url,
    pub(crate) settings: Settings,
}

/// Whether a request may be repeated after a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Idempotency {
    /// Reads: safe to resend after timeouts and broken connections.
    ReadOnly,
    /// May change data: resent only when the connection was never made.
    Mutating,
}

/// The media type of JSON requests and answers.
pub(crate) const JSON: &str = "application/json";

/// One HTTP request of a call: where, what and how it may be repeated.
#[derive(Debug)]
pub(crate) struct Request<'a> {
    /// The path below the server's base URL, e.g. `/xmlrpc/2/object`.
    pub(crate) path: &'a str,
    /// The request's Content-Type.
    pub(crate) content_type: &'static str,
    /// Extra headers (JSON-2's bearer key is marked sensitive, so it never prints).
    pub(crate) headers: Option<&'a HeaderMap>,
    /// The encoded call.
    pub(crate) body: Bytes,
    /// Whether a failure may be retried.
    pub(crate) idempotency: Idempotency,
    /// A timeout for this call instead of the client's.
    pub(crate) timeout: Option<Duration>,
    /// JSON-2 answers errors with a 4xx/5xx status and a JSON body: keep such answers
    /// instead of failing on their status.
    pub(crate) json_error_answers: bool,
}

/// A complete answer: 200, or an error status whose JSON body the caller asked to keep.
#[derive(Debug)]
pub(crate) struct Answer {
    pub(crate) status: StatusCode,
    pub(crate) body: Bytes,
}

impl Transport {
    pub(crate) fn new(url: &str, settings: Settings) -> Result<Self, Error> {
        let base = parse_base_url(url)?;
        let http = reqwest::Client::builder()
            .connect_timeout(settings.connect_timeout)
            .timeout(settings.call_timeout)
            .user_agent(settings.user_agent.clone())
            .pool_idle_timeout(Duration::from_secs(60))
            .tcp_keepalive(Duration::from_secs(30))
            .build()
            .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?;
        Ok(Self {
            http,
            base,
            settings,
        })
    }

    /// POSTs the request and returns the full answer (at most the size limit).
    pub(crate) async fn post(&self, call: &Call, request: &Request<'_>) -> Result<Answer, Error> {
        let path = request.path;
        let url = self
            .base
            .join(path)
            .map_err(|e| Error::Config(format!("cannot build the URL for {path}: {e}")))?;
        let mut attempt = 0;
        loop {
            match self.post_once(&url, request).await {
                Ok(answer) => return Ok(answer),
                Err(failure) => {
                    let retry = attempt < self.settings.retry.max_retries
                        && failure.retryable(request.idempotency);
                    if !retry {
                        return Err(failure.into_error(call.clone()));
                    }
                    let delay = self.settings.retry.delay(attempt);
                    tracing::debug!(%call, attempt, ?delay, error = %failure.describe(), "retrying");
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                }
            }
        }
    }

    async fn post_once(&self, url: &Url, request: &Request<'_>) -> Result<Answer, Failure> {
        let mut builder = self.http.post(url.clone());
        if let Some(headers) = request.headers {
            builder = builder.headers(headers.clone());
        }
        builder = builder
            .header(CONTENT_TYPE, request.content_type)
            .body(request.body.clone());
        if let Some(timeout) = request.timeout {
            builder = builder.timeout(timeout);
        }
        let mut response = builder.send().await.map_err(Failure::from_send)?;
        let status = response.status();
        let content_type = response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let limit = self.settings.max_response_bytes;
        if let Some(len) = response
            .headers()
            .get(CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok()?.parse::<u64>().ok())
        {
            if len > limit as u64 {
                return Err(Failure::Transport(TransportError::BodyTooLarge { limit }));
            }
        }
        let mut buf = BytesMut::new();
        while let Some(chunk) = response.chunk().await.map_err(Failure::from_body)? {
            if buf.len() + chunk.len() > limit {
                return Err(Failure::Transport(TransportError::BodyTooLarge { limit }));
            }
            buf.extend_from_slice(&chunk);
        }
        let body = buf.freeze();
        let json_error = request.json_error_answers
            && (status.is_client_error() || status.is_server_error())
            && content_type.starts_with(JSON);
        if status != StatusCode::OK && !json_error {
            return Err(Failure::Status {
                status: status.as_u16(),
                snippet: snippet(&body),
            });
        }
        if content_type.contains("html") {
            let snippet = snippet(&body);
            return Err(Failure::Protocol(
                if request.content_type.starts_with(JSON) {
                    ProtocolError::NotJson {
                        content_type,
                        snippet,
                    }
                } else {
                    ProtocolError::NotXmlRpc {
                        content_type,
                        snippet,
                    }
                },
            ));
        }
        Ok(Answer { status, body })
    }
}

/// One failed attempt, before deciding whether to retry.
#[derive(Debug)]
enum Failure {
    /// Nothing reached the server.
    Connect(String),
    Transport(TransportError),
    Status {
        status: u16,
        snippet: String,
    },
    Protocol(ProtocolError),
}

impl Failure {
    fn from_send(e: reqwest::Error) -> Self {
        if e.is_connect() {
            Failure::Connect(error_chain(e))
        } else {
            Self::from_body(e)
        }
    }

    fn from_body(e: reqwest::Error) -> Self {
        if e.is_timeout() {
            Failure::Transport(TransportError::Timeout)
        } else {
            Failure::Transport(TransportError::Io(error_chain(e)))
        }
    }

    fn retryable(&self, idempotency: Idempotency) -> bool {
        match self {
            Failure::Connect(_) => true,
            Failure::Transport(TransportError::BodyTooLarge { .. }) => false,
            Failure::Transport(_) => idempotency == Idempotency::ReadOnly,
            Failure::Status { status, .. } => {
                idempotency == Idempotency::ReadOnly && matches!(status, 502..=504)
            }
            Failure::Protocol(_) => false,
        }
    }

    fn describe(&self) -> String {
        match self {
            Failure::Connect(m) => format!("cannot connect: {m}"),
            Failure::Transport(t) => t.to_string(),
            Failure::Status { status, .. } => format!("HTTP status {status}"),
            Failure::Protocol(p) => p.to_string(),
        }
    }

    fn into_error(self, call: Call) -> Error {
        match self {
            Failure::Connect(m) => Error::Transport {
                call,
                kind: TransportError::Connect(m),
            },
            Failure::Transport(kind) => Error::Transport { call, kind },
            Failure::Status { status, snippet } => Error::Transport {
                call,
                kind: TransportError::Status { status, snippet },
            },
            Failure::Protocol(kind) => Error::Protocol { call, kind },
        }
    }
}

/// reqwest's message plus its sources ("error sending request: connection refused").
fn error_chain(e: reqwest::Error) -> String {
    let e = e.without_url();
    let mut text = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// The first 200 characters of a body, on one line.
pub(crate) fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(400)]);
    let one_line: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    one_line.chars().take(200).collect()
}

/// Parses the server URL: `https://` is assumed when no scheme is given; plain `http` is
/// allowed, with a warning when the host is not loopback (credentials travel in clear).
fn parse_base_url(url: &str) -> Result<Url, Error> {
    let with_scheme = if url.contains("://") {
        url.to_owned()
    } else {
        format!("https://{url}")
    };
    let parsed =
        Url::parse(&with_scheme).map_err(|e| Error::Config(format!("invalid URL {url:?}: {e}")))?;
    match parsed.scheme() {
        "https" => {}
        "http" => {
            if !is_loopback(&parsed) {
                tracing::warn!(
                    host = parsed.host_str().unwrap_or_default(),
                    "plain http to a non-loopback host: credentials are sent unencrypted"
                );
            }
        }
        other => {
            return Err(Error::Config(format!(
                "unsupported URL scheme {other:?} (use https or http)"
            )));
        }
    }
    if parsed.host().is_none() {
        return Err(Error::Config(format!("URL {url:?} has no host")));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(Error::Config(
            "credentials in the URL are not supported; pass them to login".to_owned(),
        ));
    }
    Ok(parsed)
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_default_to_https_and_reject_odd_ones() {
        assert_eq!(
            parse_base_url("odoo.example.com").unwrap().scheme(),
            "https"
        );
        assert_eq!(
            parse_base_url("http://127.0.0.1:8069").unwrap().scheme(),
            "http"
        );
        assert!(matches!(parse_base_url("ftp://x"), Err(Error::Config(_))));
        assert!(matches!(
            parse_base_url("http://u:p@x"),
            Err(Error::Config(_))
        ));
        assert!(matches!(parse_base_url("http://"), Err(Error::Config(_))));
    }

    #[test]
    fn loopback_hosts() {
        for url in [
            "http://localhost:1",
            "http://127.0.0.2",
            "http://[::1]:8069",
        ] {
            assert!(is_loopback(&Url::parse(url).unwrap()), "{url}");
        }
        assert!(!is_loopback(&Url::parse("http://10.0.0.1").unwrap()));
    }

    #[test]
    fn backoff_is_bounded() {
        let p = RetryPolicy::default();
        assert_eq!(p.delay(0), Duration::from_millis(100));
        assert_eq!(p.delay(1), Duration::from_millis(200));
        assert_eq!(p.delay(40), Duration::from_secs(2));
    }

    #[test]
    fn writes_are_never_resent_after_the_request_left() {
        let timeout = Failure::Transport(TransportError::Timeout);
        assert!(!timeout.retryable(Idempotency::Mutating));
        assert!(timeout.retryable(Idempotency::ReadOnly));
        assert!(Failure::Connect("refused".into()).retryable(Idempotency::Mutating));
        let bad_gateway = Failure::Status {
            status: 502,
            snippet: String::new(),
        };
        assert!(!bad_gateway.retryable(Idempotency::Mutating));
        assert!(bad_gateway.retryable(Idempotency::ReadOnly));
    }
}
