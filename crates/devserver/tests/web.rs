//! The web client's front door and the `/jsonrpc` `db` service, over real HTTP on 127.0.0.1, as
//! Odoo 17 and 19 answer them (`addons/web/controllers/`, `odoo/http.py`): session cookie,
//! session info, `call_kw`, and JSON-RPC error objects.

mod support;

use openspp_devserver::{Config, OdooVersion};
use serde_json::{Value as Json, json};
use support::*;

/// A JSON-RPC client keeping the session cookie, as OdooRPC and odooly do.
struct Web {
    url: String,
    http: reqwest::Client,
    cookie: std::sync::Mutex<Option<String>>,
}

impl Web {
    fn new(url: String) -> Self {
        Web {
            url,
            http: reqwest::Client::new(),
            cookie: std::sync::Mutex::new(None),
        }
    }

    /// POSTs a JSON-RPC call; returns the whole answer and its `Set-Cookie`.
    async fn call_raw(&self, path: &str, params: Json) -> (Json, Option<String>) {
        let mut request = self
            .http
            .post(format!("{}{path}", self.url))
            .header("content-type", "application/json")
            .body(
                json!({"jsonrpc": "2.0", "method": "call", "id": 7, "params": params}).to_string(),
            );
        let held = self.cookie.lock().expect("cookie").clone();
        if let Some(held) = held {
            request = request.header("cookie", held);
        }
        let response = request.send().await.expect("send");
        assert_eq!(response.status(), 200, "{path}");
        let cookie = response
            .headers()
            .get("set-cookie")
            .map(|v| v.to_str().unwrap_or_default().to_owned());
        if let Some(set) = &cookie {
            // the name=value pair, as a browser sends it back
            let pair = set.split(';').next().unwrap_or_default().to_owned();
            *self.cookie.lock().expect("cookie") = Some(pair);
        }
        let body = response.bytes().await.expect("body");
        (serde_json::from_slice(&body).expect("json"), cookie)
    }

    async fn call(&self, path: &str, params: Json) -> Json {
        self.call_raw(path, params).await.0
    }

    async fn result(&self, path: &str, params: Json) -> Json {
        let answer = self.call(path, params).await;
        assert!(answer.get("error").is_none(), "{path}: {answer}");
        assert_eq!(answer["id"], 7);
        answer["result"].clone()
    }

    async fn login(&self, password: &str) -> Json {
        self.call(
            "/web/session/authenticate",
            json!({"db": "openspp", "login": "admin", "password": password}),
        )
        .await
    }

    async fn call_kw(&self, model: &str, method: &str, args: Json, kwargs: Json) -> Json {
        self.call(
            &format!("/web/dataset/call_kw/{model}/{method}"),
            json!({"model": model, "method": method, "args": args, "kwargs": kwargs}),
        )
        .await
    }
}

fn error_name(answer: &Json) -> &str {
    answer["error"]["data"]["name"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn sessions_open_with_a_password_and_expire() {
    let server = start(None).await;
    let web = Web::new(server.url());

    let version = web.result("/web/webclient/version_info", json!({})).await;
    assert_eq!(version["server_serie"], "17.0");
    assert_eq!(version["protocol_version"], 1);
    assert_eq!(
        web.result("/web/database/list", json!({})).await,
        json!(["openspp"])
    );

    // no session yet: code 100, as Odoo answers an expired session
    let refused = web
        .call_kw("res.partner", "search_count", json!([[]]), json!({}))
        .await;
    assert_eq!(refused["error"]["code"], 100);
    assert_eq!(refused["error"]["message"], "Odoo Session Expired");
    assert_eq!(error_name(&refused), "odoo.http.SessionExpiredException");
    assert_eq!(refused["error"]["data"]["message"], "Session expired");
    assert_eq!(
        refused["error"]["data"]["arguments"],
        json!(["Session expired"])
    );

    // an API key opens no web session; a wrong password neither
    for secret in [KEY, "wrong"] {
        let denied = web.login(secret).await;
        assert_eq!(denied["error"]["code"], 200, "{denied}");
        assert_eq!(error_name(&denied), "odoo.exceptions.AccessDenied");
        assert_eq!(
            denied["error"]["data"]["debug"],
            "odoo.exceptions.AccessDenied: Access Denied\n"
        );
    }
    let unknown_db = web
        .call(
            "/web/session/authenticate",
            json!({"db": "nodb", "login": "admin", "password": "admin"}),
        )
        .await;
    assert_eq!(error_name(&unknown_db), "odoo.exceptions.AccessError");
    assert_eq!(
        unknown_db["error"]["data"]["message"],
        "Database not found."
    );

    let (answer, cookie) = web
        .call_raw(
            "/web/session/authenticate",
            json!({"db": "openspp", "login": "admin", "password": "admin"}),
        )
        .await;
    let cookie = cookie.expect("authenticate sets the session cookie");
    assert!(
        cookie.starts_with("session_id=") && cookie.contains("HttpOnly"),
        "{cookie}"
    );
    let info = &answer["result"];
    assert_eq!(info["uid"], 2);
    assert_eq!(info["username"], "admin");
    assert_eq!(info["db"], "openspp");
    assert_eq!(info["partner_id"], 3);
    assert_eq!(info["name"], "Mitchell Admin");
    assert_eq!(info["user_context"]["uid"], 2);
    assert_eq!(info["server_version_info"][0], 17);
    assert_eq!(info["user_companies"]["current_company"], 1);

    let again = web.result("/web/session/get_session_info", json!({})).await;
    assert_eq!(again["uid"], 2);
    // both call_kw routes, with the session: the context is the call's
    let count = web
        .call_kw(
            "res.partner",
            "search_count",
            json!([[["is_company", "=", true]]]),
            json!({}),
        )
        .await;
    let plain = web
        .result(
            "/web/dataset/call_kw",
            json!({"model": "res.partner", "method": "search_count",
                   "args": [[["is_company", "=", true]]], "kwargs": {"context": {"lang": "en_US"}}}),
        )
        .await;
    assert_eq!(count["result"], plain);
    assert!(plain.as_i64().is_some_and(|n| n > 0));
    // `None` results leave `result` out, as Odoo does
    let check = web.call("/web/session/check", json!({})).await;
    assert!(
        check.get("result").is_none() && check.get("error").is_none(),
        "{check}"
    );

    // a private method and an unknown model fault as Odoo 17's call_kw does
    let private = web
        .call_kw("res.partner", "_read", json!([[3]]), json!({}))
        .await;
    assert_eq!(error_name(&private), "odoo.exceptions.AccessError");
    assert_eq!(
        private["error"]["data"]["message"],
        "Private methods (such as _read) cannot be called remotely."
    );
    let unknown = web
        .call_kw("no.such.model", "search", json!([[]]), json!({}))
        .await;
    assert_eq!(error_name(&unknown), "builtins.KeyError");
    assert_eq!(unknown["error"]["code"], 200);

    // the test hook: every session expires, the next call is code 100 again
    server.expire_sessions();
    let expired = web
        .call_kw("res.partner", "search_count", json!([[]]), json!({}))
        .await;
    assert_eq!(expired["error"]["code"], 100);
    // renewing works
    assert_eq!(web.login("admin").await["result"]["uid"], 2);
    assert!(
        web.call_kw("res.partner", "search_count", json!([[]]), json!({}))
            .await["result"]
            .is_i64()
    );
    // destroy closes it
    web.call("/web/session/destroy", json!({})).await;
    let closed = web.call("/web/session/get_session_info", json!({})).await;
    assert_eq!(closed["error"]["code"], 100);
    server.stop().await;
}

#[tokio::test]
async fn jsonrpc_db_service_and_error_codes_follow_the_release() {
    let server = start(None).await;
    let web = Web::new(server.url());
    let db = |method: &str| json!({"service": "db", "method": method, "args": []});
    assert_eq!(web.result("/jsonrpc", db("list")).await, json!(["openspp"]));
    assert_eq!(web.result("/jsonrpc", db("server_version")).await, "17.0");
    let fault = web
        .call(
            "/jsonrpc",
            json!({"service": "object", "method": "execute_kw",
                   "args": ["openspp", 2, "admin", "res.partner", "bogus", []]}),
        )
        .await;
    // Odoo 17's JsonRPCDispatcher: code 200, "Odoo Server Error", the serialized exception
    assert_eq!(fault["error"]["code"], 200);
    assert_eq!(fault["error"]["message"], "Odoo Server Error");
    assert_eq!(error_name(&fault), "builtins.AttributeError");
    let data = &fault["error"]["data"];
    assert_eq!(data["arguments"], json!([data["message"]]));
    assert!(
        data["debug"]
            .as_str()
            .is_some_and(|d| d.starts_with("Traceback")
                && d.ends_with("does not exist on the model 'res.partner'\n")),
        "{data}"
    );
    server.stop().await;

    // Odoo 19 answers code 0, serves GET /web/version, and its sessions work the same way
    let server = start(Some(Config::new(schemas()).odoo_version(OdooVersion::V19))).await;
    let web = Web::new(server.url());
    let fault = web
        .call(
            "/jsonrpc",
            json!({"service": "object", "method": "execute_kw",
                   "args": ["openspp", 2, "admin", "res.partner", "bogus", []]}),
        )
        .await;
    assert_eq!(fault["error"]["code"], 0);
    let body = reqwest::get(format!("{}/web/version", server.url()))
        .await
        .expect("get")
        .bytes()
        .await
        .expect("body");
    let version: Json = serde_json::from_slice(&body).expect("json");
    assert_eq!(
        version,
        json!({"version_info": [19, 0, 0, "final", 0, ""], "version": "19.0"})
    );
    assert_eq!(web.login("admin").await["result"]["server_version"], "19.0");
    let expired = {
        server.expire_sessions();
        web.call("/web/session/get_session_info", json!({})).await
    };
    assert_eq!(expired["error"]["code"], 100);
    server.stop().await;
}

#[tokio::test]
async fn external_ids_resolve_the_seeded_records() {
    let server = start(None).await;
    let rpc = Rpc::new(server.url());
    let reference = |module: &str, name: &str| {
        rpc.kw(
            "ir.model.data",
            "check_object_reference",
            vec![s(module), s(name), openspp_xmlrpc::Value::Bool(true)],
            Default::default(),
        )
    };
    for (module, name, model, id) in [
        ("base", "main_company", "res.company", 1),
        ("base", "user_admin", "res.users", 2),
        ("base", "partner_admin", "res.partner", 3),
        ("base", "main_partner", "res.partner", 1),
        ("base", "be", "res.country", 20),
        ("base", "USD", "res.currency", 1),
        ("demo", "res_partner_100", "res.partner", 100),
        ("demo", "g2p_program_1", "g2p.program", 1),
    ] {
        assert_eq!(
            reference(module, name).await.expect(name),
            arr(vec![s(model), i(id)]),
            "{module}.{name}"
        );
    }
    // every seeded record has one: the memberships too, though the seed gives them no id
    let named = rpc
        .ok(
            "ir.model.data",
            "search_count",
            vec![arr(vec![leaf("model", "=", s("g2p.group.membership"))])],
            Default::default(),
        )
        .await;
    let members = rpc
        .ok(
            "g2p.group.membership",
            "search_count",
            vec![arr(vec![])],
            Default::default(),
        )
        .await;
    assert_eq!(named, members);
    // odooly's env.ref: a search_read on module and name
    let found = rpc
        .ok(
            "ir.model.data",
            "search_read",
            vec![
                arr(vec![
                    leaf("module", "=", s("base")),
                    leaf("name", "=", s("us")),
                ]),
                arr(vec![s("model"), s("res_id")]),
            ],
            Default::default(),
        )
        .await;
    assert_eq!(field(&ids_rows(&found)[0], "res_id"), &i(233));
    // an archived record is not seen: [model, False]; an unknown id is Odoo's ValueError
    assert_eq!(
        rpc.kw(
            "ir.model.data",
            "check_object_reference",
            vec![s("base"), s("user_root")],
            Default::default()
        )
        .await
        .expect("user_root"),
        arr(vec![s("res.users"), openspp_xmlrpc::Value::Bool(false)])
    );
    let fault = reference("base", "nope").await.expect_err("unknown xmlid");
    assert_eq!(code(&fault), 1);
    assert_eq!(
        last_line(&fault),
        "ValueError: External ID not found in the system: base.nope"
    );
    server.stop().await;
}

fn ids_rows(value: &openspp_xmlrpc::Value) -> Vec<openspp_xmlrpc::Value> {
    match value {
        openspp_xmlrpc::Value::Array(rows) => rows.clone(),
        other => panic!("not a list: {other:?}"),
    }
}
