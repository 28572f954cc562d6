//! The dev server presenting itself as another Odoo release, over real HTTP on 127.0.0.1:
//! `version()`, and the signatures that changed between releases.

mod support;

use openspp_devserver::{Config, OdooVersion};
use openspp_xmlrpc::{Struct, Value};
use serde_json::{Value as Json, json};
use support::*;

#[tokio::test]
async fn version_answers_the_release_served() {
    let captured = start(None).await;
    let version = Rpc::new(captured.url())
        .call("/xmlrpc/2/common", "version", vec![])
        .await
        .unwrap();
    // by default the schemas' own captured answer, build date included
    assert_eq!(field(&version, "server_version"), &s("17.0-20240709"));
    captured.stop().await;

    let odoo19 = start_as(OdooVersion::V19).await;
    let rpc = Rpc::new(odoo19.url());
    let version = rpc
        .call("/xmlrpc/2/common", "version", vec![])
        .await
        .unwrap();
    assert_eq!(field(&version, "server_serie"), &s("19.0"));
    assert_eq!(field(&version, "server_version"), &s("19.0"));
    assert_eq!(
        field(&version, "server_version_info"),
        &arr(vec![i(19), i(0), i(0), s("final"), i(0), s("")])
    );
    assert_eq!(field(&version, "protocol_version"), &i(1));
    assert_eq!(
        rpc.call("/xmlrpc/2/db", "server_version", vec![])
            .await
            .unwrap(),
        s("19.0")
    );
    // XML-RPC stays served in 19 mode, as Odoo 19 still serves it (deprecated)
    assert_eq!(
        rpc.ok(
            "res.partner",
            "search_count",
            vec![arr(vec![])],
            Struct::new()
        )
        .await,
        rpc.ok(
            "res.partner",
            "search_count",
            vec![arr(vec![])],
            Struct::new()
        )
        .await
    );
    odoo19.stop().await;
}

/// `name_search` names its domain `args` before 18.3 and `domain` from 18.3 on; `default_get`
/// names its list `fields_list` before 19.0: a keyword of the other release is refused the way
/// Python refuses an unexpected keyword.
#[tokio::test]
async fn renamed_parameters_follow_the_release() {
    let companies = || leaf("is_company", "=", Value::Bool(true));
    for (version, domain_name, fields_name) in [
        (OdooVersion::V17, "args", "fields_list"),
        (OdooVersion::new(18, 3), "domain", "fields_list"),
        (OdooVersion::V19, "domain", "fields"),
    ] {
        let server = start_as(version).await;
        let rpc = Rpc::new(server.url());
        let found = rpc
            .ok(
                "res.partner",
                "name_search",
                vec![],
                kw(vec![
                    ("name", s("azure")),
                    (domain_name, arr(vec![companies()])),
                ]),
            )
            .await;
        assert_eq!(
            found,
            arr(vec![arr(vec![i(14), s("Azure Interior")])]),
            "{version}"
        );
        let other = if domain_name == "args" {
            "domain"
        } else {
            "args"
        };
        let refused = rpc
            .kw(
                "res.partner",
                "name_search",
                vec![],
                kw(vec![(other, arr(vec![companies()]))]),
            )
            .await
            .unwrap_err();
        assert_eq!(
            last_line(&refused),
            format!("TypeError: name_search() got an unexpected keyword argument '{other}'"),
            "{version}"
        );
        let defaults = rpc
            .ok(
                "res.partner.category",
                "default_get",
                vec![],
                kw(vec![(fields_name, arr(vec![s("active")]))]),
            )
            .await;
        assert_eq!(field(&defaults, "active"), &Value::Bool(true), "{version}");
        server.stop().await;
    }
}

/// Raw JSON-2 calls with reqwest and serde_json, independent of openspp-client.
struct Json2 {
    url: String,
    http: reqwest::Client,
}

/// One JSON-2 answer: status, headers and body.
struct Answer {
    status: u16,
    headers: reqwest::header::HeaderMap,
    text: String,
}

impl Answer {
    fn json(&self) -> Json {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("{e}: {}", self.text))
    }

    /// The status and the error's `name`, checking the rest of Odoo's error shape.
    fn error(&self) -> (u16, String) {
        let body = self.json();
        for key in ["message", "arguments", "context", "debug"] {
            assert!(body.get(key).is_some(), "no {key} in {body}");
        }
        assert!(body["arguments"].is_array() && body["context"].is_object());
        (
            self.status,
            body["name"].as_str().unwrap_or_default().to_owned(),
        )
    }

    /// Checks the status, the error's `name` and its `message`.
    fn is(&self, status: u16, name: &str, message: &str) {
        assert_eq!(self.error(), (status, name.to_owned()), "{}", self.text);
        assert_eq!(self.message(), message);
    }

    fn message(&self) -> String {
        self.json()["message"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }
}

impl Json2 {
    fn new(url: String) -> Self {
        Json2 {
            url,
            http: reqwest::Client::new(),
        }
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> Answer {
        let response = request.send().await.expect("http");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await.expect("body");
        Answer {
            status,
            headers,
            text,
        }
    }

    /// `POST /json/2/<model>/<method>` with the admin's API key.
    async fn call(&self, model: &str, method: &str, body: Json) -> Answer {
        self.call_with(KEY, model, method, body).await
    }

    async fn call_with(&self, key: &str, model: &str, method: &str, body: Json) -> Answer {
        let request = self
            .http
            .post(format!("{}/json/2/{model}/{method}", self.url))
            .bearer_auth(key);
        self.send(json_body(request, &body)).await
    }

    /// The result of a call that must succeed.
    async fn ok(&self, model: &str, method: &str, body: Json) -> Json {
        let answer = self.call(model, method, body).await;
        assert_eq!(answer.status, 200, "{model}.{method}: {}", answer.text);
        assert_eq!(
            answer.headers[reqwest::header::CONTENT_TYPE],
            "application/json; charset=utf-8"
        );
        answer.json()
    }
}

/// The request with `body` as its `application/json` body.
fn json_body(request: reqwest::RequestBuilder, body: &Json) -> reqwest::RequestBuilder {
    request
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(body.to_string())
}

async fn start_json2() -> (openspp_devserver::RunningServer, Json2) {
    let server = start_as(OdooVersion::V19).await;
    let json2 = Json2::new(server.url());
    (server, json2)
}

#[tokio::test]
async fn json2_answers_the_methods_result_as_json() {
    let (server, api) = start_json2().await;
    let companies = json!([["is_company", "=", true], ["name", "ilike", "azure"]]);
    assert_eq!(
        api.ok(
            "res.partner",
            "search_read",
            json!({"domain": companies, "fields": ["name", "country_id", "email"], "limit": 5}),
        )
        .await,
        api.ok(
            "res.partner",
            "read",
            json!({"ids": [14], "fields": ["name", "country_id", "email"]}),
        )
        .await
    );
    let azure = &api
        .ok(
            "res.partner",
            "read",
            json!({"ids": [14], "fields": ["name", "country_id"]}),
        )
        .await[0];
    assert_eq!(azure["name"], "Azure Interior");
    assert!(azure["country_id"][0].is_i64() && azure["country_id"][1].is_string());
    // `null` is Python's None: no limit
    let all = api
        .ok(
            "res.partner",
            "search",
            json!({"domain": [], "limit": null}),
        )
        .await;
    let count = api
        .ok("res.partner", "search_count", json!({"domain": []}))
        .await;
    assert_eq!(
        all.as_array().map(Vec::len),
        count.as_u64().map(|n| n as usize)
    );
    // ints past 32 bits are plain JSON numbers
    assert_eq!(
        api.ok(
            "res.partner",
            "search",
            json!({"domain": [["id", "=", 5_000_000_000_i64]]})
        )
        .await,
        json!([])
    );
    // `create` answers records, so ids, even for one dict; dates travel as strings
    let one = api
        .ok(
            "res.partner",
            "create",
            json!({"vals_list": {"name": "JSON-2 Partner", "date": "2024-01-15"}}),
        )
        .await;
    let id = one[0].as_i64().expect("an id");
    assert_eq!(one, json!([id]));
    let two = api
        .ok(
            "res.partner",
            "create",
            json!({"vals_list": [{"name": "JSON-2 A"}, {"name": "JSON-2 B"}]}),
        )
        .await;
    assert_eq!(two.as_array().map(Vec::len), Some(2));
    assert_eq!(
        api.ok(
            "res.partner",
            "write",
            json!({"ids": [id], "vals": {"email": "json2@example.org"}}),
        )
        .await,
        json!(true)
    );
    let written = &api
        .ok(
            "res.partner",
            "read",
            json!({"ids": [id], "fields": ["date", "email", "phone"]}),
        )
        .await[0];
    assert_eq!(written["date"], "2024-01-15");
    assert_eq!(written["email"], "json2@example.org");
    assert_eq!(
        written["phone"], false,
        "an empty field reads as false, as in Odoo"
    );
    // the context travels on its own
    let archive = |active: bool| json!({"ids": [id], "vals": {"active": active}});
    api.ok("res.partner", "write", archive(false)).await;
    let by_id = json!([["id", "=", id]]);
    assert_eq!(
        api.ok("res.partner", "search", json!({"domain": by_id}))
            .await,
        json!([])
    );
    assert_eq!(
        api.ok(
            "res.partner",
            "search",
            json!({"domain": by_id, "context": {"active_test": false}}),
        )
        .await,
        json!([id])
    );
    api.ok("res.partner", "write", archive(true)).await;
    assert_eq!(
        api.ok(
            "res.partner",
            "name_search",
            json!({"name": "JSON-2 P", "domain": []})
        )
        .await,
        json!([[id, "JSON-2 Partner"]])
    );
    assert_eq!(
        api.ok("res.partner", "exists", json!({"ids": [id, 999_999]}))
            .await,
        json!([id])
    );
    let mut ids = vec![json!(id)];
    ids.extend(two.as_array().cloned().unwrap_or_default());
    assert_eq!(
        api.ok("res.partner", "unlink", json!({"ids": ids})).await,
        json!(true)
    );
    let defaults = api
        .ok(
            "res.partner.category",
            "default_get",
            json!({"fields": ["active"]}),
        )
        .await;
    assert_eq!(defaults["active"], true);
    // how a JSON-2 client learns who its key belongs to
    let context = api.ok("res.users", "context_get", json!({})).await;
    assert_eq!(context["uid"], 2);
    let no_context = api.call("res.partner", "context_get", json!({})).await;
    assert_eq!(no_context.status, 404, "{}", no_context.text);
    let fields = api
        .ok(
            "res.partner",
            "fields_get",
            json!({"allfields": ["name"], "attributes": ["type"]}),
        )
        .await;
    assert_eq!(fields, json!({"name": {"type": "char"}}));
    server.stop().await;
}

#[tokio::test]
async fn json2_errors_have_odoos_status_and_shape() {
    // `norights` (uid 13 in the demo data) with an API key, reading partners only
    let mut users = openspp_devserver::default_users();
    users[1].api_key = Some(openspp_devserver::Secret::new("reader-key"));
    users[1].access = openspp_devserver::Access::ReadOnly(["res.partner".to_owned()].into());
    let server = start(Some(
        Config::new(schemas())
            .odoo_version(OdooVersion::V19)
            .users(users),
    ))
    .await;
    let api = Json2::new(server.url());
    let http = reqwest::Client::new();
    let url = |path: &str| format!("{}{path}", server.url());
    let werkzeug = |name: &str| format!("werkzeug.exceptions.{name}");
    let odoo = |name: &str| format!("odoo.exceptions.{name}");

    // authentication: no header, an unknown key, a password (not an API key)
    let anonymous = api
        .send(json_body(
            http.post(url("/json/2/res.partner/search_count")),
            &json!({"domain": []}),
        ))
        .await;
    assert_eq!(anonymous.error(), (401, werkzeug("Unauthorized")));
    assert_eq!(
        anonymous.headers[reqwest::header::WWW_AUTHENTICATE],
        "Bearer"
    );
    for secret in ["not-a-key", "admin"] {
        let refused = api
            .call_with(secret, "res.partner", "search_count", json!({"domain": []}))
            .await;
        refused.is(401, &werkzeug("Unauthorized"), "Invalid apikey");
    }

    // routing: the hint, a GET, an unknown model, an unknown or private method
    for request in [
        http.post(url("/json/2")),
        http.post(url("/json/2/res.partner")),
        http.get(url("/json/2/res.partner/search_count")),
    ] {
        let hint = api.send(request.bearer_auth(KEY)).await;
        hint.is(
            404,
            &werkzeug("NotFound"),
            "Did you mean POST /json/2/<model>/<method>?",
        );
    }
    let no_model = api.call("no.such.model", "search_count", json!({})).await;
    no_model.is(
        404,
        &werkzeug("NotFound"),
        "the model 'no.such.model' does not exist",
    );
    let no_method = api.call("res.partner", "frobnicate", json!({})).await;
    no_method.is(
        404,
        &werkzeug("NotFound"),
        "The method 'res.partner.frobnicate' does not exist",
    );
    // odoo/service/model.py's get_public_method raises AccessError for `_` names, which
    // web_json_2_rpc does not turn into a 404
    let private = api.call("res.partner", "_read", json!({})).await;
    assert_eq!(private.error(), (403, odoo("AccessError")));

    // binding: ids on an @api.model method, a missing or unknown parameter
    let with_ids = api
        .call(
            "res.partner",
            "create",
            json!({"ids": [1], "vals_list": [{"name": "X"}]}),
        )
        .await;
    with_ids.is(
        422,
        &werkzeug("UnprocessableEntity"),
        "cannot call res.partner.create with ids",
    );
    let missing = api.call("res.partner", "search_count", json!({})).await;
    missing.is(
        422,
        &werkzeug("UnprocessableEntity"),
        "missing a required argument: 'domain'",
    );
    let unknown = api
        .call(
            "res.partner",
            "search_count",
            json!({"domain": [], "bogus": 1}),
        )
        .await;
    unknown.is(
        422,
        &werkzeug("UnprocessableEntity"),
        "got an unexpected keyword argument 'bogus'",
    );
    // 17's name for name_search's domain is no parameter in 19
    let renamed = api
        .call(
            "res.partner",
            "name_search",
            json!({"name": "a", "args": []}),
        )
        .await;
    assert_eq!(renamed.error().0, 422);

    // the ORM's exceptions, with their http_status
    let gone = api
        .call(
            "res.partner",
            "write",
            json!({"ids": [999_999], "vals": {"name": "x"}}),
        )
        .await;
    assert_eq!(gone.error(), (404, odoo("MissingError")));
    let forbidden = api
        .call_with(
            "reader-key",
            "res.partner",
            "create",
            json!({"vals_list": {"name": "x"}}),
        )
        .await;
    assert_eq!(forbidden.error(), (403, odoo("AccessError")));
    let reader_count = api
        .call_with(
            "reader-key",
            "res.partner",
            "search_count",
            json!({"domain": []}),
        )
        .await;
    assert_eq!(reader_count.status, 200, "{}", reader_count.text);
    // any user reads the safe fields of their own res.users record, and no other
    let own = api
        .call_with(
            "reader-key",
            "res.users",
            "read",
            json!({"ids": [13], "fields": ["login"]}),
        )
        .await;
    assert_eq!(own.json(), json!([{"id": 13, "login": "norights"}]));
    let other = api
        .call_with(
            "reader-key",
            "res.users",
            "read",
            json!({"ids": [2], "fields": ["login"]}),
        )
        .await;
    assert_eq!(other.error(), (403, odoo("AccessError")));
    let nameless = api
        .call(
            "res.partner",
            "create",
            json!({"vals_list": {"name": false}}),
        )
        .await;
    assert_eq!(nameless.error(), (422, odoo("ValidationError")));
    let bad_field = api
        .call(
            "res.partner",
            "search_count",
            json!({"domain": [["no_such_field", "=", 1]]}),
        )
        .await;
    assert_eq!(bad_field.error(), (500, "builtins.ValueError".to_owned()));
    assert!(
        bad_field.json()["debug"]
            .as_str()
            .is_some_and(|d| d.starts_with("Traceback (most recent call last):"))
    );

    // the body: not JSON, not an object, not application/json
    let endpoint = url("/json/2/res.partner/search_count");
    let not_json = api
        .send(
            http.post(&endpoint)
                .bearer_auth(KEY)
                .header("Content-Type", "application/json")
                .body("{\"domain\": ["),
        )
        .await;
    assert_eq!(not_json.error(), (400, werkzeug("BadRequest")));
    assert!(
        not_json
            .message()
            .starts_with("could not parse the body as json")
    );
    let not_object = api.call("res.partner", "search_count", json!([[]])).await;
    assert_eq!(not_object.error(), (400, werkzeug("BadRequest")));
    let as_text = api
        .send(
            http.post(&endpoint)
                .bearer_auth(KEY)
                .header("Content-Type", "text/plain")
                .body("{\"domain\": []}"),
        )
        .await;
    // refused before JSON-2's dispatcher is chosen: werkzeug's HTML page, as captured
    assert_eq!(as_text.status, 415);
    assert_eq!(
        as_text.headers[reqwest::header::CONTENT_TYPE],
        "text/html; charset=utf-8"
    );
    assert!(as_text.text.contains("Unsupported Media Type"));
    assert_eq!(as_text.headers[reqwest::header::ACCEPT], "application/json");

    // X-Odoo-Database: this server's database, or nothing at all
    let named = |db: &str| {
        json_body(
            http.post(&endpoint)
                .bearer_auth(KEY)
                .header("X-Odoo-Database", db),
            &json!({"domain": []}),
        )
    };
    assert_eq!(api.send(named("openspp")).await.status, 200);
    assert_eq!(api.send(named("other")).await.status, 404);
    server.stop().await;
}

#[tokio::test]
async fn json2_is_served_from_odoo_19_on() {
    let server = start(None).await;
    let api = Json2::new(server.url());
    let answer = api
        .call("res.partner", "search_count", json!({"domain": []}))
        .await;
    assert_eq!(answer.status, 404);
    assert!(answer.text.starts_with("404 Not Found"), "{}", answer.text);
    server.stop().await;
}

/// What the real Odoo 19 answered over JSON-2 to the faults Odoo 17 answers otherwise: an
/// order with an empty part is `_check_qorder`'s `UserError` (no `IndexError`), `=` on `id`
/// takes an int past 2^31 as `in` does (a text past it is PostgreSQL's error), and
/// `allowed_company_ids` naming another company is a 403 `AccessError`.
#[tokio::test]
async fn json2_faults_as_the_real_odoo_19() {
    let (server, api) = start_json2().await;
    for order in ["name,", "name sideways"] {
        api.call("res.partner", "search", json!({"domain": [], "order": order}))
            .await
            .is(
                422,
                "odoo.exceptions.UserError",
                &format!("Invalid \"order\" specified ({order}). A valid \"order\" specification is a comma-separated list of valid field names (optionally followed by asc/desc for the direction)"),
            );
    }
    assert_eq!(
        api.ok(
            "res.partner",
            "search",
            json!({"domain": [["id", "=", 5_000_000_000_i64]]})
        )
        .await,
        json!([])
    );
    let answer = api
        .call(
            "res.partner",
            "search",
            json!({"domain": [["id", "=", "5000000000"]]}),
        )
        .await;
    assert_eq!(
        answer.error(),
        (500, "psycopg2.errors.NumericValueOutOfRange".to_owned())
    );
    api.call(
        "res.partner",
        "search",
        json!({"domain": [], "context": {"allowed_company_ids": [999]}, "limit": 1}),
    )
    .await
    .is(
        403,
        "odoo.exceptions.AccessError",
        "Access to unauthorized or invalid companies.",
    );
    server.stop().await;
}

#[tokio::test]
async fn own_user_fields_are_those_of_the_release() {
    // `norights` (uid 13, in no group) reads their own res.users record: the fields Odoo lets
    // any user read there (`SELF_READABLE_FIELDS`) differ between 17 and 19.
    let own = |fields: &[&str]| {
        vec![
            arr(vec![i(13)]),
            arr(fields.iter().map(|name| s(name)).collect()),
        ]
    };
    for (version, readable, refused) in [
        (
            OdooVersion::V17,
            own(&["login", "groups_id", "api_key_ids"]),
            own(&["login", "phone"]),
        ),
        (
            OdooVersion::V19,
            own(&["login", "phone", "display_name"]),
            own(&["login", "groups_id"]),
        ),
    ] {
        let server = start_as(version).await;
        let rpc = Rpc::new(server.url());
        let read = rpc
            .kw_as(13, "norights", "res.users", "read", readable, kw(vec![]))
            .await
            .unwrap_or_else(|fault| panic!("{version:?}: {fault:?}"));
        let Value::Array(rows) = &read else {
            panic!("{version:?}: {read:?}")
        };
        assert_eq!(field(&rows[0], "login"), &s("norights"), "{version:?}");
        let fault = rpc
            .kw_as(13, "norights", "res.users", "read", refused, kw(vec![]))
            .await
            .expect_err("not readable on this release");
        assert!(
            last_line(&fault).contains("AccessError") || code(&fault) == 4,
            "{version:?}: {fault:?}"
        );
        server.stop().await;
    }
}
