//! The dev server in 19 mode on the schemas a real Odoo 19 server answered
//! (`../shared/odoo19/live-dump`): it starts, serves Odoo 19's model shapes (res.users'
//! `group_ids`, `default_get(fields=...)`), and answers each captured JSON-2 error
//! (`../shared/odoo19/json2/index.json`) with the captured status, content type, exception name
//! and message.

mod support;

use openspp_devserver::{Config, OdooVersion};
use serde_json::{Value as Json, json};
use std::path::PathBuf;
use support::*;

fn odoo19() -> PathBuf {
    shared().join("../odoo19")
}

async fn start_live() -> openspp_devserver::RunningServer {
    let schemas =
        openspp_schema::SchemaSet::load(odoo19().join("live-dump")).expect("live-dump loads");
    start(Some(Config::new(schemas).odoo_version(OdooVersion::V19))).await
}

/// One JSON-2 request: path after `/json/2/`, key, content type, body.
struct Request {
    method: reqwest::Method,
    path: &'static str,
    key: Option<&'static str>,
    content_type: &'static str,
    body: Option<String>,
    database: Option<&'static str>,
}

fn post(path: &'static str, body: Json) -> Request {
    Request {
        method: reqwest::Method::POST,
        path,
        key: Some(KEY),
        content_type: "application/json",
        body: Some(body.to_string()),
        database: None,
    }
}

/// The request each capture recorded (`index.json`'s `request`), spelled out.
fn request_for(name: &str) -> Request {
    let search_count = || post("res.partner/search_count", json!({"domain": []}));
    match name {
        "bad_key" => Request {
            key: Some("not-a-key"),
            ..search_count()
        },
        "no_authorization" => Request {
            key: None,
            ..search_count()
        },
        "unknown_model" => post("no.such.model/search_count", json!({"domain": []})),
        "unknown_method" => post("res.partner/no_such_method", json!({})),
        "private_method" => post("res.partner/_read", json!({"ids": [3]})),
        "access_error" => Request {
            key: Some(openspp_devserver::NORIGHTS_API_KEY),
            ..post(
                "res.partner/search_read",
                json!({"domain": [], "fields": ["name"]}),
            )
        },
        "validation_error" => post(
            "res.partner/write",
            json!({"ids": [3], "vals": {"parent_id": 3}}),
        ),
        "missing_required_field" => post(
            "res.partner/create",
            json!({"vals_list": [{"email": "nobody@example.org"}]}),
        ),
        "unexpected_argument" => post(
            "res.partner/search_count",
            json!({"domain": [], "bogus": 1}),
        ),
        "unexpected_argument_kwargs_method" => {
            post("res.partner/search_read", json!({"domain": [], "bogus": 1}))
        }
        "ids_on_model_method" => post("res.partner/search", json!({"ids": [3], "domain": []})),
        "invalid_domain_field" => post(
            "res.partner/search_read",
            json!({"domain": [["nofield", "=", 1]]}),
        ),
        "bad_json_body" => Request {
            body: Some("{bad json".into()),
            ..search_count()
        },
        "wrong_content_type" => Request {
            content_type: "text/plain",
            ..search_count()
        },
        "no_body" => Request {
            body: None,
            ..search_count()
        },
        "get_instead_of_post" => Request {
            method: reqwest::Method::GET,
            body: None,
            ..search_count()
        },
        "unknown_database_header" => Request {
            database: Some("nosuchdb"),
            ..search_count()
        },
        "user_error" => post(
            "res.users/write",
            json!({"ids": [2], "vals": {"active": false}}),
        ),
        "fk_violation_on_unlink" => post("res.partner/unlink", json!({"ids": [1]})),
        "missing_record_write" => post(
            "res.partner/write",
            json!({"ids": [99_999_999], "vals": {"name": "x"}}),
        ),
        other => panic!("no request written for the capture {other}"),
    }
}

#[tokio::test]
async fn captured_json2_errors_are_reproduced() {
    let index: serde_json::Map<String, Json> = serde_json::from_str(
        &std::fs::read_to_string(odoo19().join("json2/index.json")).expect("index"),
    )
    .expect("index is json");
    let server = start_live().await;
    let http = reqwest::Client::new();
    let mut failures = Vec::new();
    for (name, capture) in &index {
        let request = request_for(name);
        let mut builder = http.request(
            request.method.clone(),
            format!("{}/json/2/{}", server.url(), request.path),
        );
        if let Some(key) = request.key {
            builder = builder.header("authorization", format!("bearer {key}"));
        }
        if let Some(database) = request.database {
            builder = builder.header("x-odoo-database", database);
        }
        if let Some(body) = request.body {
            builder = builder
                .header("content-type", request.content_type)
                .body(body);
        }
        let response = builder.send().await.expect("send");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response.bytes().await.expect("body");
        let content_type = headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let mut problems = Vec::new();
        if Some(u64::from(status)) != capture["status"].as_u64() {
            problems.push(format!("status {status}, captured {}", capture["status"]));
        }
        if capture["content_type"].as_str() != Some(content_type) {
            problems.push(format!(
                "content type {content_type:?}, captured {}",
                capture["content_type"]
            ));
        }
        let www = headers
            .get("www-authenticate")
            .and_then(|v| v.to_str().ok())
            .map(str::trim);
        if capture["www_authenticate"].as_str().map(str::trim) != www {
            problems.push(format!(
                "WWW-Authenticate {www:?}, captured {}",
                capture["www_authenticate"]
            ));
        }
        if let Some(summary) = capture["summary"].as_object() {
            let answer: Json = serde_json::from_slice(&body).unwrap_or(Json::Null);
            if answer["name"] != summary["name"] {
                problems.push(format!(
                    "name {}, captured {}",
                    answer["name"], summary["name"]
                ));
            }
            // which groups may access a model is not in the schemas: the access error's first
            // paragraph is compared, the list of groups is this server's own
            let first = |m: &Json| {
                m.as_str()
                    .map(|m| m.split("\n\n").next().unwrap_or(m).to_owned())
            };
            let same = if name == "access_error" {
                first(&answer["message"]) == first(&summary["message"])
            } else {
                answer["message"] == summary["message"]
            };
            if !same {
                problems.push(format!(
                    "message {}, captured {}",
                    answer["message"], summary["message"]
                ));
            }
        }
        if !problems.is_empty() {
            failures.push(format!("{name}: {}", problems.join("; ")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} captures differ:\n{}",
        failures.len(),
        index.len(),
        failures.join("\n")
    );
    server.stop().await;
}

#[tokio::test]
async fn odoo_19_model_shapes_are_served() {
    let server = start_live().await;
    let http = reqwest::Client::new();
    let call = |model: &str, method: &str, body: Json| {
        http.post(format!("{}/json/2/{model}/{method}", server.url()))
            .bearer_auth(KEY)
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
    };
    let answer = |response: reqwest::Response| async move {
        let status = response.status().as_u16();
        let body: Json =
            serde_json::from_slice(&response.bytes().await.expect("body")).expect("json");
        assert_eq!(status, 200, "{body}");
        body
    };
    // res.users' groups are `group_ids` in Odoo 19 (`groups_id` in 17)
    let fields = answer(
        call(
            "res.users",
            "fields_get",
            json!({"attributes": ["type", "relation"]}),
        )
        .await
        .expect("send"),
    )
    .await;
    assert_eq!(fields["group_ids"]["relation"], "res.groups");
    assert!(fields.get("groups_id").is_none());
    let users = answer(
        call(
            "res.users",
            "read",
            json!({"ids": [2], "fields": ["login", "group_ids"]}),
        )
        .await
        .expect("send"),
    )
    .await;
    assert_eq!(users[0]["login"], "admin");
    assert!(users[0]["group_ids"].is_array());
    // default_get takes `fields` from 19.0 on
    let defaults = answer(
        call(
            "res.partner",
            "default_get",
            json!({"fields": ["active", "type"]}),
        )
        .await
        .expect("send"),
    )
    .await;
    assert_eq!(defaults["active"], true);
    let old_name = call(
        "res.partner",
        "default_get",
        json!({"fields_list": ["active"]}),
    )
    .await
    .expect("send");
    assert_eq!(old_name.status().as_u16(), 422);
    // the demo seed adapts: the models the 19 set has are seeded, with their external ids
    let company = answer(
        call(
            "ir.model.data",
            "check_object_reference",
            json!({"module": "base", "xml_id": "main_company"}),
        )
        .await
        .expect("send"),
    )
    .await;
    assert_eq!(company, json!(["res.company", 1]));
    server.stop().await;
}
