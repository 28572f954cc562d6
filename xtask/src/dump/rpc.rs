//! The dump's connection to the server: model method calls through openspp-client, over XML-RPC
//! or JSON-2 (Odoo 19+, chosen by `--protocol`), plus the `/jsonrpc` call used when XML-RPC
//! cannot carry an answer (JSON-2 carries `null`, so JSON-2 sessions never need it).
//!
//! Every call takes a permit from a semaphore sized by `--concurrency`, so that bounds the
//! number of requests in flight whatever phase the dump is in.

use super::credentials::Secret;
use anyhow::{Context, anyhow};
use openspp_client::{Args, Protocol};
use openspp_schema::Fault;
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use tokio::sync::Semaphore;

/// Why a call failed: the server answered with a fault, or something else went wrong
/// (network, HTTP status, malformed body), which always stops the dump.
#[derive(Debug)]
pub enum CallError {
    /// The server's fault.
    Fault(Fault),
    /// Anything else.
    Other(anyhow::Error),
}

impl CallError {
    /// The fault as the schema keeps it (code and last line), or the error itself.
    pub fn into_fault(self) -> Result<Fault, anyhow::Error> {
        match self {
            CallError::Fault(fault) => Ok(fault),
            CallError::Other(error) => Err(error),
        }
    }
}

impl From<anyhow::Error> for CallError {
    fn from(error: anyhow::Error) -> Self {
        CallError::Other(error)
    }
}

impl From<openspp_client::Error> for CallError {
    fn from(error: openspp_client::Error) -> Self {
        match error.fault() {
            Some(fault) => CallError::Fault(Fault::from_fault_string(
                match fault.code {
                    openspp_client::xmlrpc::FaultCode::Int(code) => i64::from(code),
                    // Only Odoo's legacy /xmlrpc/ endpoint sends string codes; the dump
                    // uses /xmlrpc/2/, where any other exception is code 1. (JSON-2 errors
                    // come with the code /xmlrpc/2/ gives the same exception.)
                    _ => 1,
                },
                &fault.message,
            )),
            None => CallError::Other(error.into()),
        }
    }
}

/// An authenticated session: openspp-client's, plus what the JSON-RPC fallback needs.
#[derive(Debug)]
pub struct Session {
    odoo: openspp_client::Session,
    http: reqwest::Client,
    url: String,
    db: String,
    login: String,
    secret: Secret,
    permits: Arc<Semaphore>,
    next_id: AtomicU64,
    /// An XML-RPC session beside a JSON one, opened when first needed.
    xmlrpc: tokio::sync::OnceCell<openspp_client::Session>,
}

/// `common.version()` (as JSON) and the login (`common.authenticate`, or JSON-2's
/// `res.users.context_get`), and the session they open.
pub async fn connect(
    url: &str,
    db: &str,
    user: &str,
    secret: Secret,
    protocol: Protocol,
    concurrency: usize,
) -> anyhow::Result<(Session, Value)> {
    // The client refuses a URL without a scheme (saying both choices) and keeps its path.
    let client = openspp_client::Client::builder(url, db)
        .protocol(protocol)
        .build()
        .context("cannot set up the client")?;
    let version = client
        .version()
        .await
        .context("/web/webclient/version_info failed")?;
    let version = json!({
        "server_version": version.server_version,
        "server_version_info": version.server_version_info,
        "server_serie": version.server_serie,
        "protocol_version": version.protocol_version,
    });
    let odoo = match client.login(user, secret.to_client()).await {
        Ok(session) => session,
        Err(openspp_client::Error::AuthenticationFailed { .. }) => anyhow::bail!(
            "authentication refused: user `{user}` on database `{db}` (wrong login, password or API key)"
        ),
        Err(error) => {
            return Err(anyhow!(error).context(format!("login on database `{db}` failed")));
        }
    };
    let http = reqwest::Client::builder()
        .build()
        .context("cannot build the HTTP client")?;
    let session = Session {
        odoo,
        http,
        url: url.trim_end_matches('/').to_owned(),
        db: db.to_owned(),
        login: user.to_owned(),
        secret,
        permits: Arc::new(Semaphore::new(concurrency.max(1))),
        next_id: AtomicU64::new(1),
        xmlrpc: tokio::sync::OnceCell::new(),
    };
    Ok((session, version))
}

impl Session {
    /// The protocol the session speaks.
    pub fn protocol(&self) -> Protocol {
        self.odoo.protocol()
    }

    /// `method` of `model` with named arguments, over the session's protocol.
    pub async fn call(&self, model: &str, method: &str, args: Args) -> Result<Value, CallError> {
        let _permit = self.permits.acquire().await.map_err(|e| anyhow!(e))?;
        Ok(self.odoo.call(model, method, args).await?)
    }

    /// Whether `/doc-bearer` can be asked: it takes only an API key.
    pub fn has_api_key(&self) -> bool {
        self.secret.is_api_key()
    }

    /// `GET /doc-bearer/<model>.json` (Odoo 19's `api_doc`), the API key as bearer token and
    /// the database in `X-Odoo-Database`: `Ok(Err(status))` when the server refuses it (404
    /// without `api_doc`, 403 for a user outside `api_doc.group_allow_doc`).
    pub async fn doc_bearer(&self, model: &str) -> anyhow::Result<Result<Value, u16>> {
        let _permit = self.permits.acquire().await.map_err(|e| anyhow!(e))?;
        let url = format!("{}/doc-bearer/{model}.json", self.url);
        let response = self
            .http
            .get(&url)
            .bearer_auth(self.secret.expose())
            .header("X-Odoo-Database", &self.db)
            .send()
            .await
            .with_context(|| format!("GET {url} failed"))?;
        let status = response.status();
        if !status.is_success() {
            return Ok(Err(status.as_u16()));
        }
        let doc = response
            .json()
            .await
            .with_context(|| format!("GET {url}: malformed JSON"))?;
        Ok(Ok(doc))
    }

    /// `method` of `model` over XML-RPC, from a session of its own (logged in on first use):
    /// what XML-RPC answers for a call the dump made over a JSON path.
    pub async fn call_xmlrpc(
        &self,
        model: &str,
        method: &str,
        args: Args,
    ) -> Result<Value, CallError> {
        let odoo = self
            .xmlrpc
            .get_or_try_init(|| async {
                openspp_client::Client::builder(&self.url, &self.db)
                    .protocol(Protocol::XmlRpc)
                    .build()?
                    .login(&self.login, self.secret.to_client())
                    .await
            })
            .await?;
        let _permit = self.permits.acquire().await.map_err(|e| anyhow!(e))?;
        Ok(odoo.call(model, method, args).await?)
    }

    /// `execute_kw` over Odoo's `/jsonrpc` endpoint, for answers XML-RPC cannot marshal (a
    /// `None` inside them).
    pub async fn execute_kw_jsonrpc(
        &self,
        model: &str,
        method: &str,
        args: Value,
        kwargs: Value,
    ) -> Result<Value, CallError> {
        let _permit = self.permits.acquire().await.map_err(|e| anyhow!(e))?;
        let url = format!("{}/jsonrpc", self.url);
        let body = json!({
            "jsonrpc": "2.0",
            "method": "call",
            "id": self.next_id.fetch_add(1, Ordering::Relaxed),
            "params": {
                "service": "object",
                "method": "execute_kw",
                "args": [self.db, self.odoo.uid(), self.secret.expose(), model, method, args, kwargs],
            },
        });
        let response = self
            .http
            .post(&url)
            .json(&body)
            .send()
            .await
            .with_context(|| format!("POST {url} failed"))?;
        let status = response.status();
        if !status.is_success() {
            return Err(anyhow!("POST {url}: HTTP {status}").into());
        }
        let mut answer: Value = response
            .json()
            .await
            .with_context(|| format!("POST {url}: malformed JSON-RPC response"))?;
        if let Some(error) = answer.get("error") {
            let data = error.get("data");
            let text = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or_default().to_owned();
            let debug = text(data.and_then(|d| d.get("debug")));
            let message = text(data.and_then(|d| d.get("message")));
            // The traceback's last line, as XML-RPC's fault string ends ("TypeError: …");
            // `message` alone lacks the class.
            let string = if debug.trim().is_empty() {
                message
            } else {
                debug
            };
            return Err(CallError::Fault(Fault::from_fault_string(1, &string)));
        }
        match answer.get_mut("result") {
            Some(result) => Ok(result.take()),
            None => Err(anyhow!("POST {url}: JSON-RPC response without result or error").into()),
        }
    }
}
