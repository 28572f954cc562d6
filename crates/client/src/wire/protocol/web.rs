//! The web client's session API: `/web/session/authenticate` with a password opens a
//! session (the `session_id` cookie), then each call is
//! `POST /web/dataset/call_kw/<model>/<method>` with `{model, method, args, kwargs}` and
//! the cookie (`addons/web/controllers/{session,dataset}.py`). No secret travels after
//! login, and the server skips the RPC service layer's per-call authentication.
//!
//! The cookie is a credential like the password: it is kept here only (no shared cookie
//! jar), sent only to the client's own URL (the transport follows no redirect), never
//! printed, and dropped by [`Web::logout`]. A session the server expired (JSON-RPC error
//! code 100, `odoo.http.SessionExpiredException`) is renewed once: a read-only call is
//! then sent again, any other call fails with [`Error::SessionExpired`] (it did not run).

use std::sync::RwLock;

use reqwest::header::{COOKIE, HeaderMap, HeaderValue, SET_COOKIE};
use serde::{Deserialize, Serialize};

use super::json::{JsonList, JsonStruct, RpcError};
use super::jsonrpc::{AfterCommit, Envelope, fault, send};
use super::{Decoder, Params, ProtocolClient, Sending, Serde, url_names};
use super::{Protocol, ServerVersion};
use crate::error::Idempotency;
use crate::error::{CallId, Error, FaultKind, ProtocolError};
use crate::secret::Secret;
use crate::wire::transport::Transport;

/// A web session: the login to renew it with, and its cookie.
pub(crate) struct Web {
    db: String,
    login: String,
    secret: Secret,
    cookie: RwLock<Cookie>,
    /// One renewal at a time: calls that find the session expired together renew it once.
    renewal: tokio::sync::Mutex<()>,
}

/// The current cookie; `generation` counts renewals.
struct Cookie {
    generation: u64,
    /// `Cookie: session_id=…`, marked sensitive; `None` after logout.
    header: Option<HeaderValue>,
}

impl ProtocolClient for Web {
    fn protocol(&self) -> Protocol {
        Protocol::Web
    }

    async fn execute<D: Decoder>(
        &self,
        transport: &Transport,
        sending: &Sending<'_>,
        params: Params,
        decoder: &D,
    ) -> Result<D::Output, Error> {
        let call = sending.call;
        let model = call.model.as_deref().unwrap_or_default();
        url_names(call, model, &call.method)?;
        let path = format!("/web/dataset/call_kw/{model}/{}", call.method);
        let (args, kwargs) = params.positional();
        let body = Envelope(&CallKw {
            model,
            method: &call.method,
            args: JsonList(&args),
            kwargs: JsonStruct(&kwargs),
        });
        let (generation, headers) = self.headers(call)?;
        match send(transport, sending, &path, Some(&headers), &body, decoder).await? {
            (Ok(result), _) => return Ok(result),
            (Err(error), _) if error.is_session_expired() => {}
            (Err(error), _) => return Err(self.fault(sending, error)),
        }
        tracing::debug!(%call, "web session expired; renewing it");
        self.renew(transport, generation).await?;
        if sending.idempotency == Idempotency::Mutating {
            return Err(Error::SessionExpired { call: call.clone() });
        }
        let (_, headers) = self.headers(call)?;
        match send(transport, sending, &path, Some(&headers), &body, decoder).await? {
            (Ok(result), _) => Ok(result),
            (Err(again), _) if again.is_session_expired() => {
                Err(Error::SessionExpired { call: call.clone() })
            }
            (Err(other), _) => Err(self.fault(sending, other)),
        }
    }
}

impl Web {
    /// The error of a call_kw error answer; `request.env[model]` of an unknown model is a
    /// `KeyError` naming it, the unknown model `/xmlrpc/2` reports as a user error.
    fn fault(&self, sending: &Sending<'_>, error: RpcError) -> Error {
        let mut error = fault(sending, error, AfterCommit::Never);
        if let Error::Fault(f) = &mut error {
            let model = sending.call.model.as_deref().unwrap_or_default();
            if f.kind
                == (FaultKind::Other {
                    exception: Some("KeyError".to_owned()),
                })
                && f.message == format!("KeyError: '{model}'")
            {
                f.kind = FaultKind::UnknownModel;
                f.code = openspp_xmlrpc::FaultCode::Int(2);
            }
        }
        error
    }

    /// The cookie header of the current session, and its generation.
    fn headers(&self, call: &CallId) -> Result<(u64, HeaderMap), Error> {
        let cookie = self.cookie.read().unwrap_or_else(|e| e.into_inner());
        let Some(header) = cookie.header.clone() else {
            return Err(Error::LoggedOut { call: call.clone() });
        };
        let mut headers = HeaderMap::with_capacity(1);
        headers.insert(COOKIE, header);
        Ok((cookie.generation, headers))
    }

    /// Opens a new session unless another call already renewed the one of `generation`.
    async fn renew(&self, transport: &Transport, generation: u64) -> Result<(), Error> {
        let _one_at_a_time = self.renewal.lock().await;
        {
            let cookie = self.cookie.read().unwrap_or_else(|e| e.into_inner());
            if cookie.generation != generation || cookie.header.is_none() {
                return Ok(());
            }
        }
        let (_, header) = authenticate(transport, &self.db, &self.login, &self.secret).await?;
        let mut cookie = self.cookie.write().unwrap_or_else(|e| e.into_inner());
        if cookie.header.is_some() {
            cookie.header = Some(header);
            cookie.generation += 1;
        }
        Ok(())
    }

    /// `/web/session/destroy`, after dropping the cookie: later calls are refused.
    pub(crate) async fn logout(&self, transport: &Transport) -> Result<(), Error> {
        let header = {
            let mut cookie = self.cookie.write().unwrap_or_else(|e| e.into_inner());
            cookie.generation += 1;
            cookie.header.take()
        };
        let Some(header) = header else {
            return Ok(());
        };
        let call = CallId::service("web", "session/destroy");
        let sending = Sending {
            call: &call,
            idempotency: Idempotency::Mutating,
            timeout: None,
        };
        let mut headers = HeaderMap::with_capacity(1);
        headers.insert(COOKIE, header);
        let body = Envelope(&Empty {});
        let decoder = Serde::<openspp_xmlrpc::Value>::new();
        match send(
            transport,
            &sending,
            "/web/session/destroy",
            Some(&headers),
            &body,
            &decoder,
        )
        .await?
        {
            (Ok(_), _) => Ok(()),
            // Already gone on the server: what logout wants.
            (Err(error), _) if error.is_session_expired() => Ok(()),
            (Err(error), _) => Err(fault(&sending, error, AfterCommit::Never)),
        }
    }
}

/// `/web/webclient/version_info`: `common.version()`'s answer on a JSON route every release
/// serves (XML-RPC or not, 17 and 19 alike), without login.
pub(crate) async fn version_info(transport: &Transport) -> Result<ServerVersion, Error> {
    let call = CallId::service("web", "webclient/version_info");
    let sending = Sending::read_only(&call);
    let body = Envelope(&Empty {});
    let decoder = Serde::<ServerVersion>::new();
    let path = "/web/webclient/version_info";
    match send(transport, &sending, path, None, &body, &decoder).await? {
        (Ok(version), _) => Ok(version),
        (Err(error), _) => Err(fault(&sending, error, AfterCommit::Never)),
    }
}

/// Logs in with a password and opens a web session.
pub(crate) async fn login(
    transport: &Transport,
    db: &str,
    login: &str,
    secret: Secret,
) -> Result<(i32, Web), Error> {
    let (uid, header) = authenticate(transport, db, login, &secret).await?;
    let web = Web {
        db: db.to_owned(),
        login: login.to_owned(),
        secret,
        cookie: RwLock::new(Cookie {
            generation: 0,
            header: Some(header),
        }),
        renewal: tokio::sync::Mutex::new(()),
    };
    Ok((uid, web))
}

/// `/web/session/authenticate`: the uid and the new session's cookie. A refused password
/// (`AccessDenied`), or a user who must pass a second factor (`uid: null`), is
/// [`Error::AuthenticationFailed`].
async fn authenticate(
    transport: &Transport,
    db: &str,
    login: &str,
    secret: &Secret,
) -> Result<(i32, HeaderValue), Error> {
    let call = CallId::service("web", "session/authenticate");
    let sending = Sending::read_only(&call);
    let refused = |reason: &str| Error::AuthenticationFailed {
        login: login.to_owned(),
        db: db.to_owned(),
        protocol: Protocol::Web,
        reason: reason.to_owned(),
    };
    let body = Envelope(&LoginParams {
        db,
        login,
        password: secret.param(),
    });
    let decoder = Serde::<SessionInfo>::new();
    let path = "/web/session/authenticate";
    let (info, headers) = match send(transport, &sending, path, None, &body, &decoder).await? {
        (Ok(info), headers) => (info, headers),
        (Err(error), _) => {
            return match fault(&sending, error, AfterCommit::Never) {
                Error::Fault(f) if f.kind == FaultKind::AccessDenied => Err(refused(&format!(
                    "/web/session/authenticate refused the password: {}",
                    f.message
                ))),
                other => Err(other),
            };
        }
    };
    let Some(uid) = info.uid else {
        return Err(refused(
            "/web/session/authenticate opened no session (uid null: the user must pass a \
             second factor, which an external client cannot)",
        ));
    };
    let cookie = session_cookie(&headers).ok_or_else(|| {
        Error::bad_answer(
            &call,
            ProtocolError::Unexpected("no session_id cookie in the login answer".to_owned()),
            Idempotency::ReadOnly,
        )
    })?;
    Ok((uid, cookie))
}

/// `session_id=…` from the answer's `Set-Cookie` headers, as a sensitive `Cookie` value.
fn session_cookie(headers: &HeaderMap) -> Option<HeaderValue> {
    headers.get_all(SET_COOKIE).iter().find_map(|value| {
        let pair = value.to_str().ok()?.split(';').next()?.trim();
        let (name, id) = pair.split_once('=')?;
        if name != "session_id" || id.is_empty() {
            return None;
        }
        let mut header = HeaderValue::from_str(pair).ok()?;
        header.set_sensitive(true);
        Some(header)
    })
}

/// The params of `/web/session/authenticate`.
#[derive(Serialize)]
struct LoginParams<'a> {
    db: &'a str,
    login: &'a str,
    password: crate::secret::SecretParam<'a>,
}

/// The params of `call_kw`.
#[derive(Serialize)]
struct CallKw<'a> {
    model: &'a str,
    method: &'a str,
    args: JsonList<'a>,
    kwargs: JsonStruct<'a>,
}

#[derive(Serialize)]
struct Empty {}

/// What the client needs of `session_info()`: the rest is skipped unread.
#[derive(Deserialize)]
struct SessionInfo {
    uid: Option<i32>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_cookie_is_found_and_marked_sensitive() {
        let mut headers = HeaderMap::new();
        headers.append(
            SET_COOKIE,
            HeaderValue::from_static("frontend_lang=en_US; Path=/"),
        );
        headers.append(
            SET_COOKIE,
            HeaderValue::from_static("session_id=abc123; Expires=x; HttpOnly; Path=/"),
        );
        let cookie = session_cookie(&headers).unwrap();
        assert_eq!(cookie.to_str().unwrap(), "session_id=abc123");
        assert!(cookie.is_sensitive());
        assert_eq!(format!("{cookie:?}"), "Sensitive");
        headers.remove(SET_COOKIE);
        assert!(session_cookie(&headers).is_none());
    }
}
