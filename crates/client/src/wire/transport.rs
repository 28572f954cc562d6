//! HTTP transport: one pooled reqwest client and the one [`Transport::post`] path every
//! protocol codec sends through. It never follows a redirect, asks for and decodes gzip,
//! limits the answer while streaming, retries only what cannot be applied twice
//! ([`RetryPolicy`]), and says of every failure whether the request may have reached the
//! server (the table on [`Error::may_have_changed_data`]).

use std::time::{Duration, Instant, SystemTime};

use bytes::{Bytes, BytesMut};
use reqwest::StatusCode;
use reqwest::header::{
    CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE, HeaderMap, LOCATION, RETRY_AFTER,
};
use tracing::Instrument;
use url::Url;

use crate::error::{CallId, Error, Idempotency, ProtocolError, TransportError};
use crate::wire::retry::{RetryPolicy, parse_retry_after};

/// Connection settings.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub(crate) connect_timeout: Duration,
    pub(crate) call_timeout: Duration,
    pub(crate) max_response_bytes: usize,
    pub(crate) user_agent: String,
    pub(crate) retry: RetryPolicy,
    /// PEM certificates trusted besides the built-in roots.
    pub(crate) root_certificates: Vec<Vec<u8>>,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            call_timeout: Duration::from_secs(120),
            max_response_bytes: 64 * 1024 * 1024,
            user_agent: concat!("openspp-client/", env!("CARGO_PKG_VERSION")).to_owned(),
            retry: RetryPolicy::default(),
            root_certificates: Vec::new(),
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

/// The media type of JSON requests and answers.
pub(crate) const JSON: &str = "application/json";

/// One HTTP request of a call, for [`Transport::post`]: any body and content type.
#[derive(Debug)]
pub(crate) struct Request<'a> {
    /// The path below the server's base URL, e.g. `/xmlrpc/2/object`.
    pub(crate) path: &'a str,
    /// The request's Content-Type.
    pub(crate) content_type: &'static str,
    /// Extra headers (JSON-2's bearer key is marked sensitive, so it never prints).
    pub(crate) headers: Option<&'a HeaderMap>,
    /// The encoded call, cheap to clone for a retry.
    pub(crate) body: Bytes,
    /// Whether a failure may be retried, and whether it may have changed data.
    pub(crate) idempotency: Idempotency,
    /// A timeout for this call instead of the client's.
    pub(crate) timeout: Option<Duration>,
    /// JSON-2 answers errors with a 4xx/5xx status and a JSON body: keep such answers
    /// instead of failing on their status. `429` and `502`–`504` stay failures: proxies send
    /// them, and they carry `Retry-After` and an unknown outcome.
    pub(crate) json_error_answers: bool,
}

/// A complete answer: 200, or an error status whose JSON body the caller asked to keep.
#[derive(Debug)]
pub(crate) struct Answer {
    /// The HTTP status.
    pub(crate) status: StatusCode,
    /// The body, decompressed.
    pub(crate) body: Bytes,
    /// The answer's headers (the web session's `Set-Cookie`).
    pub(crate) headers: HeaderMap,
}

impl Transport {
    pub(crate) fn new(url: &str, settings: Settings) -> Result<Self, Error> {
        let base = parse_base_url(url)?;
        let mut builder = reqwest::Client::builder();
        for pem in &settings.root_certificates {
            let certificates = reqwest::Certificate::from_pem_bundle(pem)
                .map_err(|e| Error::Config(format!("invalid root certificate PEM: {e}")))?;
            if certificates.is_empty() {
                return Err(Error::Config(
                    "the root certificate PEM holds no certificate".to_owned(),
                ));
            }
            for certificate in certificates {
                builder = builder.add_root_certificate(certificate);
            }
        }
        let http = builder
            .connect_timeout(settings.connect_timeout)
            .timeout(settings.call_timeout)
            .user_agent(settings.user_agent.clone())
            .pool_idle_timeout(Duration::from_secs(60))
            .tcp_keepalive(Duration::from_secs(30))
            // A followed 307/308 re-posts the body (the credential inside) to wherever the
            // Location points; a 301/302/303 turns the call into a body-less GET. Neither is
            // ever right for an RPC: every 3xx is an error naming the URL to configure.
            .redirect(reqwest::redirect::Policy::none())
            .gzip(true)
            .build()
            .map_err(|e| Error::Config(format!("cannot build the HTTP client: {e}")))?;
        Ok(Self {
            http,
            base,
            settings,
        })
    }

    /// [`post`](Self::post) inside an `odoo_call` tracing span (model, method, sizes and
    /// duration; never the body, which carries the secret), then `decode` of the answer in
    /// the same span. Every call of either protocol goes through here.
    pub(crate) async fn post_traced<R>(
        &self,
        call: &CallId,
        request: &Request<'_>,
        decode: impl FnOnce(Answer) -> Result<R, Error>,
    ) -> Result<R, Error> {
        let span = tracing::info_span!(
            "odoo_call",
            service = call.service,
            model = call.model.as_deref().unwrap_or(""),
            method = %call.method,
            bytes_out = request.body.len(),
            bytes_in = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        async {
            let started = Instant::now();
            let answer = self.post(call, request).await;
            let span = tracing::Span::current();
            span.record("duration_ms", started.elapsed().as_millis() as u64);
            let answer = answer?;
            span.record("bytes_in", answer.body.len());
            decode(answer)
        }
        .instrument(span)
        .await
    }

    /// POSTs `request` and returns the complete answer (at most the size limit), retrying as
    /// the [`RetryPolicy`] allows for its idempotency.
    pub(crate) async fn post(&self, call: &CallId, request: &Request<'_>) -> Result<Answer, Error> {
        let idempotency = request.idempotency;
        let url = self
            .base
            .join(request.path.trim_start_matches('/'))
            .map_err(|e| {
                Error::Config(format!("cannot build the URL for {}: {e}", request.path))
            })?;
        let mut attempt = 0;
        loop {
            let failure = match self.post_once(&url, request).await {
                Ok(answer) => return Ok(answer),
                Err(failure) => failure,
            };
            let retry = failure.transport().and_then(|kind| {
                let delay = self
                    .settings
                    .retry
                    .wait_before_retry(attempt, kind, idempotency)?;
                Some((kind, delay))
            });
            let Some((kind, delay)) = retry else {
                return Err(failure.into_error(call.clone(), idempotency));
            };
            tracing::debug!(%call, attempt, ?delay, error = %kind, "retrying");
            tokio::time::sleep(delay).await;
            attempt += 1;
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
        // Taken, not copied: the body is read from `response` without them.
        let headers = std::mem::take(response.headers_mut());
        if status.is_redirection() {
            return Err(Failure::refused(TransportError::Redirect {
                status: status.as_u16(),
                location: redirect_target(url, &headers),
            }));
        }
        // reqwest decodes gzip and removes the header; anything left is an encoding it cannot
        // read, which would otherwise surface as invalid UTF-8 in the codec.
        if let Some(encoding) = headers.get(CONTENT_ENCODING) {
            let encoding = String::from_utf8_lossy(encoding.as_bytes())
                .trim()
                .to_owned();
            if !encoding.eq_ignore_ascii_case("identity") {
                return Err(Failure::unknown(TransportError::UnsupportedEncoding(
                    encoding,
                )));
            }
        }
        let content_type = headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let retry_after = headers
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| parse_retry_after(v, SystemTime::now()));
        let limit = self.settings.max_response_bytes;
        let length = headers
            .get(CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
        if length.is_some_and(|len| len > limit as u64) {
            return Err(Failure::unknown(TransportError::BodyTooLarge { limit }));
        }
        // One allocation of the announced size (a gzip answer grows past it): no copies
        // while growing, which a large answer would otherwise pay several times.
        let mut buf = BytesMut::with_capacity(length.map_or(0, |len| len as usize));
        while let Some(chunk) = response.chunk().await.map_err(Failure::from_body)? {
            if buf.len() + chunk.len() > limit {
                return Err(Failure::unknown(TransportError::BodyTooLarge { limit }));
            }
            buf.extend_from_slice(&chunk);
        }
        let body = buf.freeze();
        let json_error = request.json_error_answers
            && (status.is_client_error() || status.is_server_error())
            && !matches!(status.as_u16(), 429 | 502..=504)
            && content_type.starts_with(JSON);
        if status == StatusCode::OK || json_error {
            if content_type.contains("html") {
                let snippet = snippet(&body);
                return Err(Failure::Answer(if request.content_type.starts_with(JSON) {
                    ProtocolError::NotJson {
                        content_type,
                        snippet,
                    }
                } else {
                    ProtocolError::NotXmlRpc {
                        content_type,
                        snippet,
                    }
                }));
            }
            return Ok(Answer {
                status,
                body,
                headers,
            });
        }
        let kind = TransportError::Status {
            status: status.as_u16(),
            retry_after,
            snippet: snippet(&body),
        };
        // A 4xx (a proxy's 413 or 429, a 404 for a wrong path) refuses the request; a 5xx may
        // come after the server ran it.
        Err(if status.is_client_error() {
            Failure::refused(kind)
        } else {
            Failure::unknown(kind)
        })
    }
}

/// One failed attempt, before deciding whether to retry.
#[derive(Debug)]
enum Failure {
    /// An HTTP-level failure.
    Transport {
        kind: TransportError,
        /// The request may have reached the server and been run.
        may_have_run: bool,
    },
    /// A complete answer of the wrong kind (an HTML page): the server or a proxy answered.
    Answer(ProtocolError),
}

impl Failure {
    /// The server answered that it did not run the request (a redirect, a 4xx), or the
    /// connection was never made.
    fn refused(kind: TransportError) -> Self {
        Failure::Transport {
            kind,
            may_have_run: false,
        }
    }

    /// The body may have gone out: nothing says whether the server ran it.
    fn unknown(kind: TransportError) -> Self {
        Failure::Transport {
            kind,
            may_have_run: true,
        }
    }

    fn from_send(e: reqwest::Error) -> Self {
        if e.is_connect() {
            // DNS, refused connection, TLS handshake: no byte of the request was written.
            Self::refused(TransportError::Connect(error_chain(e)))
        } else {
            Self::from_body(e)
        }
    }

    fn from_body(e: reqwest::Error) -> Self {
        Self::unknown(if e.is_timeout() {
            TransportError::Timeout
        } else {
            TransportError::Io(error_chain(e))
        })
    }

    /// The transport error a retry is decided on (`None`: an answer, never retried).
    fn transport(&self) -> Option<&TransportError> {
        match self {
            Failure::Transport { kind, .. } => Some(kind),
            Failure::Answer(_) => None,
        }
    }

    fn into_error(self, call: CallId, idempotency: Idempotency) -> Error {
        match self {
            Failure::Transport { kind, may_have_run } => Error::Transport {
                call,
                kind,
                may_have_changed_data: may_have_run && idempotency == Idempotency::Mutating,
            },
            Failure::Answer(kind) => Error::bad_answer(&call, kind, idempotency),
        }
    }
}

/// The redirect's `Location`, resolved against the request URL (it may be relative).
fn redirect_target(url: &Url, headers: &HeaderMap) -> Option<String> {
    let location = String::from_utf8_lossy(headers.get(LOCATION)?.as_bytes()).into_owned();
    Some(url.join(&location).map_or(location, String::from))
}

/// reqwest's message plus its sources ("error sending request: connection closed before
/// message completed"), and what a reset or closed connection means in plain words.
fn error_chain(e: reqwest::Error) -> String {
    let e = e.without_url();
    let mut text = e.to_string();
    let mut plain = None;
    let mut source = std::error::Error::source(&e);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            plain = match io.kind() {
                std::io::ErrorKind::ConnectionReset => Some("the server reset the connection"),
                std::io::ErrorKind::UnexpectedEof | std::io::ErrorKind::ConnectionAborted => {
                    Some("the server closed the connection")
                }
                _ => plain,
            };
        }
        source = s.source();
    }
    match plain {
        Some(plain) => format!("{plain} ({text})"),
        None => text,
    }
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
    if !url.contains("://") {
        // Guessing would be wrong one way or the other: https to a plain-http dev server fails
        // with a TLS error, http to a real one sends the credentials in clear.
        return Err(Error::Config(format!(
            "URL {url:?} has no scheme: write https://{url} (a server behind TLS), or \
             http://{url} (a server on this machine)"
        )));
    }
    let mut parsed =
        Url::parse(url).map_err(|e| Error::Config(format!("invalid URL {url:?}: {e}")))?;
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
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(Error::Config(format!(
            "URL {url:?} has a query or fragment, which no route takes: give the server's base URL"
        )));
    }
    // A path is a prefix every route goes under (a server behind a reverse proxy at
    // `https://host/odoo/`): kept, with a trailing slash so that routes join below it.
    if !parsed.path().ends_with('/') {
        let path = format!("{}/", parsed.path());
        parsed.set_path(&path);
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
    fn urls_need_a_scheme_keep_their_path_and_reject_odd_ones() {
        let Err(Error::Config(message)) = parse_base_url("odoo.example.com") else {
            panic!("a URL without a scheme is refused");
        };
        assert!(
            message.contains("https://odoo.example.com")
                && message.contains("http://odoo.example.com"),
            "{message}"
        );
        let base = parse_base_url("http://127.0.0.1:8069").unwrap();
        assert_eq!(
            base.join("xmlrpc/2/object").unwrap().as_str(),
            "http://127.0.0.1:8069/xmlrpc/2/object"
        );
        for prefixed in ["https://host/odoo", "https://host/odoo/"] {
            let base = parse_base_url(prefixed).unwrap();
            assert_eq!(
                base.join("jsonrpc").unwrap().as_str(),
                "https://host/odoo/jsonrpc"
            );
        }
        for odd in [
            "ftp://x",
            "http://u:p@x",
            "http://",
            "https://host/?db=x",
            "https://host/#a",
        ] {
            assert!(
                matches!(parse_base_url(odd), Err(Error::Config(_))),
                "{odd}"
            );
        }
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
}
