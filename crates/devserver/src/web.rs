//! The web client's front door (`addons/web/controllers/`): JSON-RPC routes under `/web/`
//! that OdooRPC, odooly and the browser use, with a session cookie instead of credentials in
//! every call.
//!
//! * `auth="none"`: `/web/webclient/version_info`, `/web/session/authenticate` (a password
//!   only: an API key opens no web session, as `_check_credentials` refuses keys to
//!   interactive logins), `/web/session/get_lang_list`, `/web/database/list`, and as Odoo 19
//!   `GET /web/version` (and `/json/version`).
//! * `auth="user"` (the `session_id` cookie of an open session, else code 100
//!   `odoo.http.SessionExpiredException`): `/web/session/get_session_info`, `check`,
//!   `destroy`, `/web/dataset/call_kw[/<path>]` and `call_button`, which run `model.method`
//!   through the same ORM as `execute_kw`.

use crate::auth::User;
use crate::fault::{OdooError, OdooResult};
use crate::jsonrpc::{Envelope, SESSION_EXPIRED};
use crate::reply::{Limits, Reply, json_response, read_body};
use crate::service::{App, Call, blocking, split_context};
use crate::session::{self, COOKIE, LIFETIME_SECONDS};
use crate::values::{json_to_value, value_to_json};
use crate::version::OdooVersion;
use hyper::body::Incoming;
use hyper::{Method, Request, StatusCode, header};
use openspp_xmlrpc::{Struct, Value};
use serde_json::{Map, Value as Json, json};
use std::sync::Arc;

/// Whether `path` is a route of this front door in `version`.
pub fn serves(path: &str, version: OdooVersion) -> bool {
    ROUTES.contains(&path)
        || PAGES.iter().any(|(page, _)| *page == path)
        || path.starts_with("/web/dataset/call_kw/")
        || path.starts_with("/web/dataset/call_button/")
        || (version >= OdooVersion::V19 && matches!(path, "/web/version" | "/json/version"))
}

const ROUTES: &[&str] = &[
    "/web/webclient/version_info",
    "/web/session/authenticate",
    "/web/session/get_session_info",
    "/web/session/get_lang_list",
    "/web/session/check",
    "/web/session/destroy",
    "/web/dataset/call_kw",
    "/web/dataset/call_button",
    "/web/database/list",
];

/// The pages of the web client: `/` and `/web` redirect as Odoo's do (a client follows them to
/// find the server's base), `/web/login` is a page that says this server has no web client.
const PAGES: &[(&str, Option<&str>)] = &[
    ("/", Some("/web")),
    ("/web", Some("/web/login")),
    ("/web/login", None),
];

fn page(path: &str) -> Option<Reply> {
    let (_, target) = PAGES.iter().find(|(page, _)| *page == path)?;
    Some(match target {
        Some(target) => {
            let mut response = crate::reply::respond(
                StatusCode::SEE_OTHER,
                "text/html; charset=utf-8",
                format!(
                    "<!doctype html>\n<title>Redirecting...</title>\n<a href=\"{target}\">{target}</a>\n"
                ),
            );
            response
                .headers_mut()
                .insert(header::LOCATION, header::HeaderValue::from_static(target));
            response
        }
        None => crate::reply::respond(
            StatusCode::OK,
            "text/html; charset=utf-8",
            "<!doctype html>\n<title>openspp-devserver</title>\n<p>This is openspp-devserver: it has no web \
             client. Log in over JSON-RPC (<code>/web/session/authenticate</code>), XML-RPC or JSON-2.</p>\n",
        ),
    })
}

/// What a route did besides answering: open a session, or close the caller's.
enum SessionChange {
    None,
    Open(String),
    Close,
}

/// Answers a request on one of the routes [`serves`] accepts.
pub async fn handle(app: Arc<App>, limits: Limits, request: Request<Incoming>) -> Reply {
    let path = request.uri().path().to_owned();
    if matches!(path.as_str(), "/web/version" | "/json/version") {
        return version(&app);
    }
    if let Some(reply) = page(&path) {
        return reply;
    }
    let sid = request
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(session::from_cookie)
        .map(str::to_owned);
    let is_post = request.method() == Method::POST;
    let body = match read_body(request, limits).await {
        Ok(body) => body,
        Err(response) => return response,
    };
    let envelope = match Envelope::read(&body) {
        Ok(envelope) => envelope,
        Err(response) => return *response,
    };
    let version = app.odoo_version;
    let outcome = if is_post {
        let params = envelope.params.clone();
        blocking(move || route(&app, &path, sid.as_deref(), params)).await
    } else {
        Err(OdooError::python(
            "werkzeug.exceptions.MethodNotAllowed",
            "405 Method Not Allowed: JSON-RPC routes are POST requests",
        ))
    };
    if let Err(error) = &outcome {
        tracing::info!(%error, "web call refused");
    }
    let (outcome, change) = match outcome {
        Ok((result, change)) => (Ok(result), change),
        Err(error) => (Err(error), SessionChange::None),
    };
    let mut response = envelope.answer(version, outcome);
    let cookie = match change {
        SessionChange::None => None,
        SessionChange::Open(sid) => Some(format!(
            "{COOKIE}={sid}; Max-Age={LIFETIME_SECONDS}; HttpOnly; Path=/"
        )),
        SessionChange::Close => Some(format!("{COOKIE}=; Max-Age=0; HttpOnly; Path=/")),
    };
    if let Some(value) = cookie.and_then(|c| header::HeaderValue::from_str(&c).ok()) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

/// `GET /web/version` (Odoo 19's `addons/rpc`): the release, without a session.
fn version(app: &App) -> Reply {
    let info = match &app.version {
        Value::Struct(s) => s.get("server_version_info").map(value_to_json),
        _ => None,
    };
    let serie = match &app.version {
        Value::Struct(s) => s.get("server_serie").map(value_to_json),
        _ => None,
    };
    json_response(
        StatusCode::OK,
        &json!({"version_info": info, "version": serie}),
    )
}

fn route(
    app: &App,
    path: &str,
    sid: Option<&str>,
    mut params: Map<String, Json>,
) -> OdooResult<(Json, SessionChange)> {
    let done = |value: Json| Ok((value, SessionChange::None));
    match path {
        "/web/webclient/version_info" => done(value_to_json(&app.version)),
        "/web/database/list" => done(json!([app.database])),
        "/web/session/get_lang_list" => done(json!([["en_US", "English (US)"]])),
        "/web/session/authenticate" => {
            let [db, login, password] = ["db", "login", "password"].map(|name| params.remove(name));
            let (Some(db), Some(login), Some(password)) = (db, login, password) else {
                return Err(OdooError::type_error(
                    "Session.authenticate() missing required arguments: 'db', 'login' and 'password'",
                ));
            };
            if db.as_str() != Some(app.database.as_str()) {
                return Err(OdooError::Access("Database not found.".into()));
            }
            let user = app
                .users
                .iter()
                .find(|u| Some(u.login.as_str()) == login.as_str())
                .filter(|u| password.as_str().is_some_and(|p| u.has_password(p)))
                .ok_or_else(|| {
                    app.count_failed_login();
                    OdooError::AccessDenied("Access Denied".into())
                })?;
            let info = session_info(app, user)?;
            Ok((info, SessionChange::Open(app.sessions.open(user.uid))))
        }
        _ => {
            let user = sid
                .and_then(|sid| app.sessions.uid(sid))
                .and_then(|uid| app.users.iter().find(|u| u.uid == uid))
                .ok_or_else(|| OdooError::python(SESSION_EXPIRED, "Session expired"))?;
            match path {
                "/web/session/get_session_info" => done(session_info(app, user)?),
                "/web/session/check" => done(Json::Null),
                "/web/session/destroy" => {
                    if let Some(sid) = sid {
                        app.sessions.close(sid);
                    }
                    Ok((Json::Null, SessionChange::Close))
                }
                _ => {
                    let button = path.starts_with("/web/dataset/call_button");
                    let result = call_kw(app, user, params)?;
                    // call_button answers an action dict, anything else as False
                    done(match result {
                        Json::Object(_) | Json::Bool(false) if button => result,
                        _ if button => Json::Bool(false),
                        other => other,
                    })
                }
            }
        }
    }
}

/// `DataSet.call_kw(model, method, args, kwargs)`: `check_method_name`, then `api.call_kw`.
fn call_kw(app: &App, user: &User, mut params: Map<String, Json>) -> OdooResult<Json> {
    let mut take = |name: &str| {
        params.remove(name).ok_or_else(|| {
            OdooError::type_error(format!(
                "DataSet.call_kw() missing 1 required positional argument: '{name}'"
            ))
        })
    };
    let (model, method, args, kwargs) = (
        take("model")?,
        take("method")?,
        take("args")?,
        take("kwargs")?,
    );
    let model = model.as_str().unwrap_or_default().to_owned();
    let method = method.as_str().unwrap_or_default().to_owned();
    if method.starts_with('_') {
        return Err(OdooError::Access(format!(
            "Private methods (such as {method}) cannot be called remotely."
        )));
    }
    if app.registry.model(&model).is_none() && app.registry.skipped(&model).is_none() {
        // `request.env[model]` on a model the registry does not have
        return Err(OdooError::python("KeyError", format!("'{model}'")));
    }
    let Value::Array(args) = json_to_value(&args) else {
        return Err(OdooError::type_error("args must be a list"));
    };
    let kwargs = match json_to_value(&kwargs) {
        Value::Struct(kwargs) => kwargs,
        Value::Nil => Struct::new(),
        _ => return Err(OdooError::type_error("kwargs must be a dict")),
    };
    let (context, kwargs) = split_context(kwargs)?;
    let result = app.call_method(
        user,
        &model,
        context,
        Call::new(&method, args, kwargs),
        true,
    )?;
    Ok(value_to_json(&result))
}

/// `ir.http.session_info()`: who the session is, read as superuser.
fn session_info(app: &App, user: &User) -> OdooResult<Json> {
    let who = app.user_summary(user)?;
    let version = |key: &str| match &app.version {
        Value::Struct(s) => s.get(key).map_or(Json::Null, value_to_json),
        _ => Json::Null,
    };
    let admin = matches!(user.access, crate::auth::Access::Full);
    let companies: Map<String, Json> = who
        .companies
        .iter()
        .map(|(id, name)| {
            (
                id.to_string(),
                json!({"id": id, "name": name, "sequence": 10, "child_ids": [], "parent_id": false}),
            )
        })
        .collect();
    Ok(json!({
        "uid": user.uid,
        "is_system": admin,
        "is_admin": admin,
        "is_internal_user": true,
        "user_context": {"lang": "en_US", "tz": false, "uid": user.uid},
        "db": app.database,
        "server_version": version("server_version"),
        "server_version_info": version("server_version_info"),
        "support_url": "https://www.odoo.com/buy",
        "name": who.name,
        "username": user.login,
        "partner_display_name": who.partner_name,
        "partner_id": who.partner_id,
        "web.base.url": "http://localhost:8069",
        "active_ids_limit": 20000,
        "max_file_upload_size": 134_217_728,
        "home_action_id": false,
        "currencies": {},
        "bundle_params": {"lang": "en_US"},
        "user_companies": {"current_company": who.company_id, "allowed_companies": companies},
    }))
}
