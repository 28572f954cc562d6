//! The one [`Error`] of this crate, split into transport, protocol and server faults, and the
//! classification of Odoo faults into [`FaultKind`]s.

use std::fmt;

pub use openspp_xmlrpc::FaultCode;

/// Everything that can go wrong with a call.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request did not complete at the HTTP level (connect, timeout, status, redirect,
    /// size, encoding).
    #[error("{call}: {kind}{}", outcome_unknown(*.may_have_changed_data))]
    Transport {
        /// Which call failed.
        call: CallId,
        /// What failed.
        kind: TransportError,
        /// The call may change data and may have reached the server (see
        /// [`Error::may_have_changed_data`]).
        may_have_changed_data: bool,
    },
    /// The server answered with something that is not the expected answer.
    #[error("{call}: {kind}{}", outcome_unknown(*.may_have_changed_data))]
    Protocol {
        /// Which call failed.
        call: CallId,
        /// What was wrong with the answer.
        kind: ProtocolError,
        /// The call may change data and the server answered, so it may have run it (see
        /// [`Error::may_have_changed_data`]).
        may_have_changed_data: bool,
    },
    /// The server ran the call and raised an exception.
    #[error("{0}")]
    Fault(Box<ServerFault>),
    /// The server refused the login: wrong login, password or API key (`authenticate`
    /// answered `False`, the web login raised `AccessDenied`, JSON-2 refused the bearer key).
    #[error(
        "authentication failed for login {login:?} on database {db:?} over {}: {reason}",
        protocol_name(*.protocol)
    )]
    AuthenticationFailed {
        /// The login that was refused.
        login: String,
        /// The database.
        db: String,
        /// The path the login took (never [`Protocol::Auto`](crate::Protocol::Auto)).
        protocol: crate::Protocol,
        /// What the server answered, e.g. "common.authenticate answered False".
        reason: String,
    },
    /// The web session had expired when the server got this call, so the call did not run
    /// and nothing changed. The session was renewed: the call can be sent again. (Read-only
    /// calls are resent once by the client; this comes for the others.)
    #[error(
        "{call}: the web session had expired before the call ran, so nothing changed; \
         the session was renewed, the call can be sent again"
    )]
    SessionExpired {
        /// The call that did not run.
        call: CallId,
    },
    /// `create` was given values without fields the model requires; nothing was sent.
    #[error("create on {model} is missing required fields {fields:?}; nothing was sent")]
    MissingRequired {
        /// The model.
        model: &'static str,
        /// The missing field names.
        fields: Vec<&'static str>,
    },
    /// The program's arguments could not be encoded (e.g. a non-finite float); nothing was sent.
    #[error("{call}: cannot encode the request: {source}")]
    Encode {
        /// Which call.
        call: CallId,
        /// The codec's error.
        source: openspp_xmlrpc::Error,
    },
    /// An external id that does not name a record of the model asked for (or, for
    /// `set_xmlid`, already names one); nothing was changed.
    #[error("external id {xmlid:?}: {problem}")]
    ExternalId {
        /// The external id as given.
        xmlid: String,
        /// What is wrong with it.
        problem: XmlIdProblem,
    },
    /// A setting is unusable (bad URL, TLS setup, a protocol the secret cannot log in
    /// with); no call was made.
    #[error("invalid configuration: {0}")]
    Config(String),
    /// The call cannot be sent as written (arguments of the wrong shape, positional
    /// arguments on JSON-2, a name that cannot go in a URL); nothing was sent.
    #[error("{call}: {reason}; nothing was sent")]
    InvalidCall {
        /// Which call.
        call: CallId,
        /// What is wrong with it.
        reason: String,
    },
    /// The session was ended by [`Session::logout`](crate::Session::logout): log in again.
    #[error("{call}: the session was logged out; log in again")]
    LoggedOut {
        /// The call that was not sent.
        call: CallId,
    },
    /// The blocking client cannot wait here: called from inside an async runtime (whose
    /// thread it would block), or its own runtime could not start.
    #[error("{0}")]
    Blocking(String),
}

impl Error {
    /// The server fault, if this is one.
    pub fn fault(&self) -> Option<&ServerFault> {
        match self {
            Error::Fault(f) => Some(f),
            _ => None,
        }
    }

    /// True when the server may have applied the call even though it failed: the outcome is
    /// unknown, so the call must not be repeated blindly (a second `create` is a duplicate
    /// registrant or payment); read the data back first. Always false for read-only methods
    /// (`read`, `search_read`, `search`, `search_count`, `read_group`, `name_search`,
    /// `fields_get`, `default_get`, `check_access_rights` and every `common` call).
    ///
    /// For a method that may change data (`create`, `write`, `unlink`, any other method):
    ///
    /// | failure | may have changed data | why |
    /// |---|---|---|
    /// | [`TransportError::Connect`]: DNS, refused connection, TLS handshake | no | no byte of the request was written |
    /// | [`TransportError::Redirect`] (any 3xx) | no | the redirecting server did not run it and the client does not follow |
    /// | [`TransportError::Status`] 4xx (`404`, `413`, `429`, …) | no | the server or a proxy refused the request |
    /// | [`TransportError::Status`] 5xx (`500`, a proxy's `502`/`503`/`504`) | **yes** | the server may have run it before failing or before the proxy gave up |
    /// | [`TransportError::Timeout`] | **yes** | the server may still be running it, or finished after the client stopped waiting |
    /// | [`TransportError::Io`]: connection closed or reset | **yes** | the body may have been read before the connection broke |
    /// | [`TransportError::BodyTooLarge`], [`TransportError::UnsupportedEncoding`] | **yes** | the server answered, so it ran the call |
    /// | any [`Error::Protocol`]: truncated, malformed or unexpected answer | **yes** | the server answered, so it ran the call |
    /// | [`Error::Fault`] | only when the fault came after the commit | Odoo rolls a failed call back, but marshals the result after committing (Odoo 17's `unlink` on res.partner answers `cannot marshal None`) |
    /// | [`Error::MissingRequired`], [`Error::Encode`], [`Error::Config`], [`Error::InvalidCall`], [`Error::LoggedOut`], [`Error::Blocking`], [`Error::AuthenticationFailed`] | no | nothing was sent, or nothing was run |
    ///
    /// Read-only calls are retried by the client where the table says "yes" (within the
    /// [`RetryPolicy`](crate::RetryPolicy)); calls that may change data never are once the
    /// body may have gone out.
    pub fn may_have_changed_data(&self) -> bool {
        match self {
            Error::Fault(f) => f.may_have_changed_data,
            Error::Transport {
                may_have_changed_data,
                ..
            }
            | Error::Protocol {
                may_have_changed_data,
                ..
            } => *may_have_changed_data,
            _ => false,
        }
    }
}

impl Error {
    /// True when the call failed without changing anything and may succeed if sent again:
    /// a [`FaultKind::Conflict`] or [`FaultKind::Unavailable`] (the server rolled it back).
    /// Read-only calls are already retried within the [`RetryPolicy`](crate::RetryPolicy);
    /// a write is not retried silently, and this says sending it again is safe.
    /// [`Error::SessionExpired`] is one too: the server refused the call before running it.
    pub fn is_safe_to_retry(&self) -> bool {
        match self {
            Error::SessionExpired { .. } => true,
            _ => self
                .fault()
                .is_some_and(|f| f.kind.is_transient() && !f.may_have_changed_data),
        }
    }

    /// An answer to `call` that cannot be used: the server answered, so a call that may
    /// change data may have been applied.
    pub(crate) fn bad_answer(call: &CallId, kind: ProtocolError, idempotency: Idempotency) -> Self {
        Error::Protocol {
            call: call.clone(),
            kind,
            may_have_changed_data: idempotency == Idempotency::Mutating,
        }
    }
}

/// Whether a request may be repeated after a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Idempotency {
    /// Reads: safe to resend after timeouts and broken connections.
    ReadOnly,
    /// May change data: resent only when the connection was never made.
    Mutating,
}

/// A protocol's name in a sentence.
fn protocol_name(protocol: crate::Protocol) -> &'static str {
    match protocol {
        crate::Protocol::XmlRpc => "XML-RPC",
        crate::Protocol::JsonRpc => "JSON-RPC",
        crate::Protocol::Web => "the web session",
        crate::Protocol::Json2 => "JSON-2",
        _ => "the protocol chosen",
    }
}

/// The sentence an error ends with when the call may have been applied.
fn outcome_unknown(may_have_changed_data: bool) -> &'static str {
    if may_have_changed_data {
        "; the request may have reached the server, so the outcome is unknown: read the data back before retrying"
    } else {
        ""
    }
}

/// Which call an error belongs to (never includes credentials or arguments).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallId {
    /// `common` or `object` (XML-RPC), `jsonrpc`, `web` or `json2`.
    pub service: &'static str,
    /// The model, for `execute_kw`.
    pub model: Option<String>,
    /// The method name.
    pub method: String,
}

impl CallId {
    /// A call of a service's method that names no model (`common.authenticate`, a web route).
    pub(crate) fn service(service: &'static str, method: &str) -> Self {
        CallId {
            service,
            model: None,
            method: method.to_owned(),
        }
    }
}

impl fmt::Display for CallId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.model {
            Some(model) => write!(f, "{}.{} ({})", model, self.method, self.service),
            // a service's method carried by another path: `common.authenticate (jsonrpc)`
            None if self.method.contains('.') => write!(f, "{} ({})", self.method, self.service),
            None => write!(f, "{}.{}", self.service, self.method),
        }
    }
}

/// Why an external id does not give a record of the model asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum XmlIdProblem {
    /// Not `module.name`; nothing was sent.
    Malformed(&'static str),
    /// No `ir.model.data` row ("External ID not found in the system").
    NotFound,
    /// The id points to a record that no longer exists ("It may have been deleted").
    Deleted,
    /// The id names a record of another model (`env.ref` would return it; a typed
    /// [`Id`](crate::Id) cannot).
    WrongModel {
        /// The model asked for.
        expected: &'static str,
        /// The model of the record.
        found: String,
    },
    /// [`Repository::set_xmlid`](crate::Repository::set_xmlid): the id already names a record.
    Taken {
        /// Its model.
        model: String,
        /// Its record id.
        res_id: i32,
    },
}

impl fmt::Display for XmlIdProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            XmlIdProblem::Malformed(why) => f.write_str(why),
            XmlIdProblem::NotFound => f.write_str("External ID not found in the system"),
            XmlIdProblem::Deleted => {
                f.write_str("no record found for this external id; it may have been deleted")
            }
            XmlIdProblem::WrongModel { expected, found } => {
                write!(f, "names a {found} record, not a {expected} record")
            }
            XmlIdProblem::Taken { model, res_id } => {
                write!(f, "already names {model} record {res_id}")
            }
        }
    }
}

/// HTTP-level failures.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TransportError {
    /// The TCP/TLS connection could not be made (nothing was sent).
    #[error("cannot connect: {0}")]
    Connect(String),
    /// No complete answer within the configured time.
    #[error("timed out")]
    Timeout,
    /// An HTTP status other than 200 and 3xx (Odoo sends faults with 200).
    #[error("HTTP status {status}{}{}", retry_after_suffix(*.retry_after), snippet_suffix(.snippet))]
    Status {
        /// The status code.
        status: u16,
        /// The server's `Retry-After` (seconds or an HTTP-date), when it sent one.
        retry_after: Option<std::time::Duration>,
        /// The start of the body, for diagnosis.
        snippet: String,
    },
    /// A 3xx answer. Redirects are never followed: a followed `307`/`308` would re-send the
    /// body, credentials included, to another URL, and a `301`/`302`/`303` would turn the call
    /// into a GET without its body. The same rule holds for a same-origin redirect (one obvious
    /// behaviour; a proxy rewriting the path is a configuration to fix, not to follow).
    #[error(
        "HTTP status {status} redirects to {}; redirects are never followed (the request \
         carries credentials): configure the client with that URL directly \
         (http:// to https:// is the usual cause)",
        .location.as_deref().unwrap_or("no Location")
    )]
    Redirect {
        /// The status code (301, 302, 303, 307, 308, …).
        status: u16,
        /// The `Location` header, resolved against the request URL.
        location: Option<String>,
    },
    /// The answer is compressed with an encoding the client does not decode (it asks for
    /// and decodes `gzip` only).
    #[error(
        "the answer is compressed with Content-Encoding {0:?}, which the client cannot decode (it accepts gzip)"
    )]
    UnsupportedEncoding(String),
    /// The answer is larger than the configured limit; reading stopped at the limit.
    #[error("response body exceeds the {limit}-byte limit")]
    BodyTooLarge {
        /// The limit in bytes.
        limit: usize,
    },
    /// The connection broke while sending or receiving: closed or reset by the server or a
    /// proxy, or an answer shorter than its Content-Length.
    #[error("connection failed: {0}")]
    Io(String),
}

fn retry_after_suffix(retry_after: Option<std::time::Duration>) -> String {
    retry_after.map_or_else(String::new, |wait| {
        format!(" (Retry-After {} s)", wait.as_secs())
    })
}

fn snippet_suffix(snippet: &str) -> String {
    if snippet.is_empty() {
        String::new()
    } else {
        format!(": {snippet}")
    }
}

/// The answer is not the XML-RPC the call expects.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ProtocolError {
    /// A 200 answer that is not XML (e.g. an HTML error page from a proxy).
    #[error("not an XML-RPC answer (content-type {content_type:?}): {snippet}")]
    NotXmlRpc {
        /// The Content-Type header.
        content_type: String,
        /// The start of the body.
        snippet: String,
    },
    /// An answer to a JSON request (JSON-2, JSON-RPC or the web session's routes; the
    /// error's call names which) that is not JSON (e.g. an HTML page from a proxy).
    #[error("not a JSON answer (content-type {content_type:?}): {snippet}")]
    NotJson {
        /// The Content-Type header.
        content_type: String,
        /// The start of the body.
        snippet: String,
    },
    /// Malformed XML-RPC, or a value of the wrong shape; the codec's error has the byte
    /// offset and the value path.
    #[error("{0}")]
    Decode(openspp_xmlrpc::Error),
    /// Malformed JSON in a JSON answer (with its line and column).
    #[error("malformed JSON: {0}")]
    Json(String),
    /// A well-formed JSON answer with a value of the wrong shape for the call's result:
    /// serde_json's message (with line and column) and the value path, such as
    /// `[12].country_id`.
    #[error("{message}{}", path.as_deref().map(|p| format!(" at {p}")).unwrap_or_default())]
    JsonValue {
        /// What was wrong, where in the body.
        message: String,
        /// The path of the offending value, if not the whole result.
        path: Option<String>,
    },
    /// A well-formed answer with an impossible value (e.g. `write` answering `False`).
    #[error("unexpected answer: {0}")]
    Unexpected(String),
    /// A field value that does not fit its declared type.
    #[error("record {row}, field {field:?}: {message}")]
    Field {
        /// Index of the record in the answer.
        row: usize,
        /// The field name.
        field: String,
        /// What was wrong.
        message: String,
    },
}

/// An exception raised by the server, classified.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerFault {
    /// The call.
    pub call: CallId,
    /// The class of error.
    pub kind: FaultKind,
    /// The raw fault code. For a JSON-2 error answer, the code `/xmlrpc/2` gives the same
    /// exception (3 AccessDenied, 4 AccessError, 2 UserError and subclasses, 1 otherwise), so
    /// code-based handling works on both protocols.
    pub code: FaultCode,
    /// The message for people: the fault string, or the line of a traceback naming the
    /// exception (`Class: message`, never a PostgreSQL `^` marker or `HINT:`; the Display
    /// then names the class once).
    pub message: String,
    /// The full server traceback (fault code 1, or JSON-2's `debug`), kept for diagnosis.
    pub traceback: Option<String>,
    /// The server may already have applied the call (see [`Error::may_have_changed_data`]).
    pub may_have_changed_data: bool,
}

impl fmt::Display for ServerFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // "server error TypeError: TypeError: cannot marshal None" would say it twice.
        let kind: &dyn fmt::Display = match &self.kind {
            FaultKind::Other {
                exception: Some(class),
            } if self.message.starts_with(class.as_str()) => &"server error",
            kind => kind,
        };
        write!(f, "{}: {kind}: {}", self.call, self.message)?;
        if self.may_have_changed_data {
            f.write_str(" (the server may already have applied this call)")?;
        } else if self.kind.is_transient() {
            f.write_str(" (nothing was changed: the server rolled the call back, so sending it again is safe)")?;
        }
        Ok(())
    }
}

/// What kind of exception the server raised.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum FaultKind {
    /// Wrong credentials on the object service (fault 3).
    AccessDenied,
    /// The user may not do this (fault 4), including private methods.
    AccessError,
    /// A business error for the user (fault 2).
    UserError,
    /// Invalid data: a constraint or a missing required value (fault 2).
    ValidationError,
    /// A record does not exist or was deleted.
    MissingError,
    /// The model does not exist on the server (fault 2, "Object … doesn't exist"; JSON-2: 404).
    UnknownModel,
    /// The model has no such public method (fault 1 `AttributeError`; JSON-2: 404).
    UnknownMethod,
    /// A field the model does not have, in values or a domain (fault 1, `ValueError: Invalid field`).
    InvalidField,
    /// The transaction collided with a concurrent one and was rolled back after Odoo's own
    /// retries (`psycopg2.errors.SerializationFailure` "could not serialize access due to
    /// concurrent update", `DeadlockDetected`, `LockNotAvailable`). Nothing was written:
    /// sending the call again is safe. Read-only calls are retried within the
    /// [`RetryPolicy`](crate::RetryPolicy); others are left to the caller.
    Conflict,
    /// The server could not take the call: "The Connection Pool Is Full"
    /// (`psycopg2.pool.PoolError`), raised before the call ran. Nothing was written: sending
    /// the call again later is safe; read-only calls are retried like [`FaultKind::Conflict`].
    Unavailable,
    /// Any other exception; `exception` is its class as the traceback names it.
    Other {
        /// The exception class, e.g. `TypeError` or `psycopg2.OperationalError`.
        exception: Option<String>,
    },
}

impl fmt::Display for FaultKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FaultKind::AccessDenied => f.write_str("access denied"),
            FaultKind::AccessError => f.write_str("access error"),
            FaultKind::UserError => f.write_str("user error"),
            FaultKind::ValidationError => f.write_str("validation error"),
            FaultKind::MissingError => f.write_str("missing record"),
            FaultKind::UnknownModel => f.write_str("unknown model"),
            FaultKind::UnknownMethod => f.write_str("unknown method"),
            FaultKind::InvalidField => f.write_str("invalid field"),
            FaultKind::Conflict => f.write_str("conflict with a concurrent update"),
            FaultKind::Unavailable => f.write_str("server unavailable"),
            FaultKind::Other { exception: Some(e) } => write!(f, "server error {e}"),
            FaultKind::Other { exception: None } => f.write_str("server error"),
        }
    }
}

impl FaultKind {
    /// True for the failures that leave the database unchanged and may pass on their own
    /// ([`FaultKind::Conflict`], [`FaultKind::Unavailable`]): the same call may be sent again.
    pub fn is_transient(&self) -> bool {
        matches!(self, FaultKind::Conflict | FaultKind::Unavailable)
    }

    /// The kind of a Python exception class (as a traceback or JSON-2's `name` spells it)
    /// that says nothing was written: PostgreSQL's concurrency errors, which Odoo retries
    /// itself before giving up (`PG_CONCURRENCY_ERRORS_TO_RETRY` in `odoo/service/model.py`),
    /// and a full connection pool (`odoo/sql_db.py`).
    pub(crate) fn transient(class: &str, message: &str) -> Option<FaultKind> {
        match class.rsplit('.').next().unwrap_or_default() {
            "SerializationFailure" | "DeadlockDetected" | "LockNotAvailable" => {
                Some(FaultKind::Conflict)
            }
            "PoolError" if message.contains("The Connection Pool Is Full") => {
                Some(FaultKind::Unavailable)
            }
            _ => None,
        }
    }
}

/// Classifies an Odoo fault. `mutating` says whether the call may change data.
///
/// On `/xmlrpc/2` the class is in the code (3, 4) or, for code 1, in the traceback's last
/// line; code 2 covers UserError and its subclasses, told apart by Odoo's fixed texts. On the
/// legacy `/xmlrpc` endpoint the class is in the string code.
pub(crate) fn classify(call: CallId, fault: openspp_xmlrpc::Fault, mutating: bool) -> ServerFault {
    let openspp_xmlrpc::Fault { code, message } = fault;
    let (kind, text, traceback) = match &code {
        FaultCode::Int(3) => (FaultKind::AccessDenied, message, None),
        FaultCode::Int(4) => (FaultKind::AccessError, message, None),
        FaultCode::Int(2) => (classify_user_error(&message), message, None),
        FaultCode::Int(_) => {
            let last = cause_line(&message).to_owned();
            let (exception, detail) = match last.split_once(": ") {
                Some((class, detail)) if is_class_name(class) => {
                    (Some(class.to_owned()), detail.to_owned())
                }
                _ => (None, last.clone()),
            };
            let transient = exception
                .as_deref()
                .and_then(|class| FaultKind::transient(class, &detail));
            let kind = transient.unwrap_or_else(|| match exception.as_deref() {
                Some("ValueError") if detail.starts_with("Invalid field") => {
                    FaultKind::InvalidField
                }
                Some("AttributeError") if detail.contains("does not exist") => {
                    FaultKind::UnknownMethod
                }
                Some(class) if class.ends_with("MissingError") => FaultKind::MissingError,
                Some(class) if class.ends_with("ValidationError") => FaultKind::ValidationError,
                Some(class) if class.ends_with("AccessError") => FaultKind::AccessError,
                Some(class) if class.ends_with("UserError") => FaultKind::UserError,
                _ => FaultKind::Other {
                    exception: exception.clone(),
                },
            });
            let traceback = message.starts_with("Traceback").then(|| message.clone());
            (kind, last, traceback)
        }
        FaultCode::String(s) => classify_legacy(s, message),
    };
    // Odoo marshals the result after the transaction committed; a marshalling failure on a
    // mutating call means the change is already in the database (the unlink capture).
    let after_commit = traceback
        .as_deref()
        .is_some_and(|t| t.contains("cannot marshal") || t.contains("int exceeds XML-RPC limits"));
    ServerFault {
        call,
        kind,
        code,
        message: text,
        traceback,
        may_have_changed_data: mutating && after_commit,
    }
}

pub(crate) fn classify_user_error(message: &str) -> FaultKind {
    if message.starts_with("Object ") && message.trim_end().ends_with("doesn't exist") {
        FaultKind::UnknownModel
    } else if message.starts_with("The operation cannot be completed") {
        // IntegrityError (missing required value, unique/check constraint) becomes a
        // ValidationError with this text.
        FaultKind::ValidationError
    } else if message.starts_with("Record does not exist or has been deleted") {
        FaultKind::MissingError
    } else {
        FaultKind::UserError
    }
}

fn classify_legacy(code: &str, message: String) -> (FaultKind, String, Option<String>) {
    if code == "AccessDenied" {
        return (FaultKind::AccessDenied, message, None);
    }
    if let Some(rest) = code.strip_prefix("warning -- ") {
        let (class, text) = rest.split_once("\n\n").unwrap_or((rest, ""));
        let kind = match class {
            "MissingError" => FaultKind::MissingError,
            "AccessError" => FaultKind::AccessError,
            "UserError" => classify_user_error(text),
            _ => FaultKind::UserError,
        };
        return (kind, text.to_owned(), None);
    }
    let traceback = message.starts_with("Traceback").then(|| message.clone());
    (
        FaultKind::Other { exception: None },
        code.to_owned(),
        traceback,
    )
}

/// The line of a traceback that names the exception, `Class: message`: the first unindented
/// line after the last frame (`  File ...`, its source lines and `^` markers). Not the last
/// line, which for a PostgreSQL error is its `^` marker under `LINE 1: ...` or a `HINT:`;
/// a message of several lines gives its first. Text without frames gives its first
/// unindented line.
pub(crate) fn cause_line(text: &str) -> &str {
    let lines: Vec<&str> = text.lines().collect();
    let after_frames = lines
        .iter()
        .rposition(|line| line.starts_with("  File "))
        .map_or(0, |frame| frame + 1);
    lines[after_frames..]
        .iter()
        .find(|line| !line.trim().is_empty() && !line.starts_with([' ', '\t']))
        .map_or_else(|| last_line(text), |line| line.trim_end())
}

/// The last non-blank line of a text.
fn last_line(text: &str) -> &str {
    text.trim_end()
        .rsplit('\n')
        .next()
        .unwrap_or_default()
        .trim()
}

fn is_class_name(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
        && s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cause_line_names_the_exception_not_postgresql_markers() {
        let date = "Traceback (most recent call last):\n  File \"/odoo/sql_db.py\", line 332, in execute\n    res = self._obj.execute(query, params)\n          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\npsycopg2.errors.DatetimeFieldOverflow: date/time field value out of range: \"2026-02-30\"\nLINE 1: ...artner\" WHERE (\"res_partner\".\"birthdate\" >= '2026-02-3...\n                                                             ^\n";
        assert_eq!(
            cause_line(date),
            "psycopg2.errors.DatetimeFieldOverflow: date/time field value out of range: \"2026-02-30\""
        );
        let sum = "Traceback (most recent call last):\n  File \"/odoo/sql_db.py\", line 332, in execute\n    res = self._obj.execute(query, params)\npsycopg2.errors.UndefinedFunction: function sum(character varying) does not exist\nLINE 1: SELECT SUM(\"res_partner\".\"name\") FROM \"res_partner\"\n               ^\nHINT:  No function matches the given name and argument types. You might need to add explicit type casts.\n";
        assert_eq!(
            cause_line(sum),
            "psycopg2.errors.UndefinedFunction: function sum(character varying) does not exist"
        );
        let chained = "Traceback (most recent call last):\n  File \"a.py\", line 1, in f\n    g()\nKeyError: 'x'\n\nThe above exception was the direct cause of the following exception:\n\nTraceback (most recent call last):\n  File \"b.py\", line 2, in h\n    raise ValueError('bad') from exc\nValueError: bad\n";
        assert_eq!(cause_line(chained), "ValueError: bad");
        assert_eq!(cause_line("ValueError: plain"), "ValueError: plain");
    }

    fn call() -> CallId {
        CallId {
            service: "object",
            model: Some("res.partner".into()),
            method: "write".into(),
        }
    }

    fn fault(code: FaultCode, message: &str) -> openspp_xmlrpc::Fault {
        openspp_xmlrpc::Fault {
            code,
            message: message.into(),
        }
    }

    #[test]
    fn user_error_texts() {
        let kind = |m: &str| classify(call(), fault(FaultCode::Int(2), m), true).kind;
        assert_eq!(kind("Object x.y doesn't exist"), FaultKind::UnknownModel);
        assert_eq!(
            kind("Record does not exist or has been deleted.\n(Record: res.partner(9,), User: 2)"),
            FaultKind::MissingError
        );
        assert_eq!(
            kind("The operation cannot be completed: x"),
            FaultKind::ValidationError
        );
        assert_eq!(kind("You cannot do that."), FaultKind::UserError);
    }

    #[test]
    fn traceback_classes() {
        let tb = |last: &str| {
            classify(
                call(),
                fault(
                    FaultCode::Int(1),
                    &format!("Traceback (most recent call last):\n  File \"x\"\n{last}\n"),
                ),
                true,
            )
        };
        let f = tb("ValueError: Invalid field 'no_such_field' on model 'res.partner'");
        assert_eq!(f.kind, FaultKind::InvalidField);
        assert_eq!(
            f.message,
            "ValueError: Invalid field 'no_such_field' on model 'res.partner'"
        );
        let marshal = tb("TypeError: cannot marshal None unless allow_none is enabled");
        assert_eq!(
            marshal.to_string(),
            "res.partner.write (object): server error: TypeError: cannot marshal None unless \
             allow_none is enabled (the server may already have applied this call)"
        );
        assert!(f.traceback.is_some() && !f.may_have_changed_data);
        assert_eq!(
            tb("odoo.exceptions.MissingError: gone").kind,
            FaultKind::MissingError
        );
        let marshal = tb("OverflowError: int exceeds XML-RPC limits");
        assert!(marshal.may_have_changed_data);
        let plain = classify(call(), fault(FaultCode::Int(1), "boom"), true);
        assert_eq!(plain.kind, FaultKind::Other { exception: None });
        assert!(plain.traceback.is_none());
    }

    #[test]
    fn legacy_string_codes() {
        let legacy = |code: &str, message: &str| {
            classify(
                call(),
                fault(FaultCode::String(code.into()), message),
                false,
            )
        };
        let f = legacy("warning -- MissingError\n\nRecord does not exist", "");
        assert_eq!(
            (f.kind, f.message.as_str()),
            (FaultKind::MissingError, "Record does not exist")
        );
        assert_eq!(
            legacy("AccessDenied", "Access Denied").kind,
            FaultKind::AccessDenied
        );
        assert_eq!(
            legacy("warning -- AccessError\n\nno", "").kind,
            FaultKind::AccessError
        );
        assert_eq!(
            legacy("warning -- UserError\n\nObject a.b doesn't exist", "").kind,
            FaultKind::UnknownModel
        );
        let other = legacy(
            "division by zero",
            "Traceback (most recent call last):\n...",
        );
        assert_eq!(other.kind, FaultKind::Other { exception: None });
        assert!(other.traceback.is_some());
    }
}
