//! Business methods over real HTTP on 127.0.0.1, as Odoo 17 and 19: a method the schemas list
//! runs the handler a test registers (its calls recorded), an unknown or private one gets
//! Odoo's answer, the ORM's `action_archive`, `action_unarchive`, `copy` and `name_create`
//! behave as Odoo's, and `get_views` and `/doc-bearer` describe the listed methods.

mod support;

use openspp_devserver::{Config, OdooVersion, RunningServer};
use openspp_schema::{MethodSchema, SchemaSet};
use openspp_xmlrpc::{Struct, Value};
use serde_json::{Value as Json, json};
use support::*;

/// `action_approve(comment=None)` as OpenSPP 2's `/doc-bearer/spp.cycle.json` lists it.
fn action_approve() -> MethodSchema {
    let path = shared().join("../openspp2/doc-bearer/spp.cycle.json");
    let doc: Json = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    MethodSchema::from_doc_bearer("action_approve", &doc["methods"]["action_approve"]).unwrap()
}

/// The schemas with `g2p.cycle`'s `approve` button, `action_approve(comment=None)` and a
/// listed method nobody gave a behaviour.
fn schemas_with_methods() -> SchemaSet {
    let mut set = schemas();
    let cycle = set.models.get_mut("g2p.cycle").unwrap();
    let mut approve = MethodSchema::form_button("Approve");
    approve.confirm = Some("Approve the cycle?".into());
    cycle.methods.insert("approve".into(), approve);
    cycle
        .methods
        .insert("action_approve".into(), action_approve());
    cycle.methods.insert(
        "mark_ended".into(),
        MethodSchema::form_button("Set as Ended"),
    );
    set
}

async fn server(version: OdooVersion) -> RunningServer {
    let config = Config::new(schemas_with_methods())
        .odoo_version(version)
        .on_method("g2p.cycle", "approve", |call, env| {
            env.call(
                "g2p.cycle",
                "write",
                json!([call.ids, {"state": "approved"}]),
                json!({}),
            )?;
            Ok(json!(true))
        })
        .on_method("g2p.cycle", "action_approve", |call, _env| {
            Ok(json!({"comment": call.arg("comment"), "ids": call.ids}))
        });
    start(Some(config)).await
}

fn state_of(answer: &Value) -> Value {
    let Value::Array(rows) = answer else {
        panic!("{answer:?}")
    };
    let Value::Struct(row) = &rows[0] else {
        panic!("{answer:?}")
    };
    row["state"].clone()
}

#[tokio::test]
async fn a_listed_method_runs_its_handler_and_is_recorded_odoo17() {
    let server = server(OdooVersion::V17).await;
    let rpc = Rpc::new(server.url());
    let draft = kw(vec![("state", s("draft"))]);
    rpc.ok(
        "g2p.cycle",
        "write",
        vec![arr(vec![i(1)]), Value::Struct(draft)],
        Struct::new(),
    )
    .await;
    let answer = rpc
        .ok("g2p.cycle", "approve", vec![arr(vec![i(1)])], Struct::new())
        .await;
    assert_eq!(answer, Value::Bool(true));
    let read = rpc
        .ok(
            "g2p.cycle",
            "read",
            vec![arr(vec![i(1)]), arr(vec![s("state")])],
            Struct::new(),
        )
        .await;
    assert_eq!(state_of(&read), s("approved"));

    // a keyword argument, and a positional one, bound to the listed parameter
    let by_name = rpc
        .ok(
            "g2p.cycle",
            "action_approve",
            vec![arr(vec![i(1)])],
            kw(vec![("comment", s("looks right"))]),
        )
        .await;
    let by_position = rpc
        .ok(
            "g2p.cycle",
            "action_approve",
            vec![arr(vec![i(1)]), s("looks right")],
            Struct::new(),
        )
        .await;
    assert_eq!(by_name, by_position);
    let calls = server.method_calls();
    assert_eq!(calls.len(), 3);
    assert_eq!(
        (calls[0].method.as_str(), calls[0].ids.as_slice()),
        ("approve", &[1][..])
    );
    assert_eq!(calls[1].arg("comment"), Some(&json!("looks right")));

    // Python's binding errors
    let fault = rpc
        .kw(
            "g2p.cycle",
            "approve",
            vec![arr(vec![i(1)]), s("extra")],
            Struct::new(),
        )
        .await
        .unwrap_err();
    assert_eq!(
        last_line(&fault),
        "TypeError: approve() takes 1 positional argument but 2 were given"
    );
    let fault = rpc
        .kw(
            "g2p.cycle",
            "action_approve",
            vec![arr(vec![i(1)])],
            kw(vec![("bogus", i(1))]),
        )
        .await
        .unwrap_err();
    assert_eq!(
        last_line(&fault),
        "TypeError: action_approve() got an unexpected keyword argument 'bogus'"
    );
    // listed, but no behaviour given: says how to give one
    let fault = rpc
        .kw(
            "g2p.cycle",
            "mark_ended",
            vec![arr(vec![i(1)])],
            Struct::new(),
        )
        .await
        .unwrap_err();
    assert!(
        last_line(&fault).starts_with("NotImplementedError: g2p.cycle.mark_ended"),
        "{fault:?}"
    );
    server.stop().await;
}

#[tokio::test]
async fn unknown_and_private_methods_get_odoo17s_faults() {
    let server = server(OdooVersion::V17).await;
    let rpc = Rpc::new(server.url());
    let fault = rpc
        .kw(
            "g2p.cycle",
            "no_such_method",
            vec![arr(vec![i(1)])],
            Struct::new(),
        )
        .await
        .unwrap_err();
    assert_eq!(code(&fault), 1);
    assert_eq!(
        last_line(&fault),
        "AttributeError: The method 'no_such_method' does not exist on the model 'g2p.cycle'"
    );
    let fault = rpc
        .kw(
            "g2p.cycle",
            "_approve",
            vec![arr(vec![i(1)])],
            Struct::new(),
        )
        .await
        .unwrap_err();
    assert_eq!(code(&fault), 4);
    assert!(
        fault
            .message
            .contains("Private methods (such as _approve) cannot be called remotely.")
    );
    // an approve of another model is unknown there
    let fault = rpc
        .kw(
            "g2p.program",
            "approve",
            vec![arr(vec![i(1)])],
            Struct::new(),
        )
        .await
        .unwrap_err();
    assert!(last_line(&fault).contains("'approve' does not exist on the model 'g2p.program'"));
    assert!(server.method_calls().is_empty());
    server.stop().await;
}

/// A raw JSON-2 call with the admin's key: (status, body).
async fn json2(server: &RunningServer, model: &str, method: &str, body: Json) -> (u16, Json) {
    let response = reqwest::Client::new()
        .post(format!("{}/json/2/{model}/{method}", server.url()))
        .bearer_auth(KEY)
        .header("X-Odoo-Database", "openspp")
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let bytes = response.bytes().await.unwrap();
    (status, serde_json::from_slice(&bytes).unwrap())
}

#[tokio::test]
async fn json2_binds_listed_methods_by_name_and_answers_as_odoo19() {
    let server = server(OdooVersion::V19).await;
    let (status, body) = json2(
        &server,
        "g2p.cycle",
        "action_approve",
        json!({"ids": [1], "comment": "ok"}),
    )
    .await;
    assert_eq!((status, body), (200, json!({"comment": "ok", "ids": [1]})));
    let (status, body) = json2(
        &server,
        "g2p.cycle",
        "action_approve",
        json!({"ids": [1], "bogus": 1}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        body["message"],
        "got an unexpected keyword argument 'bogus'"
    );

    // the captured answers of a real Odoo 19 to an unknown and a private method
    let capture = |name: &str| -> Json {
        let path = shared().join("../odoo19/json2").join(name);
        serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
    };
    let (status, body) = json2(&server, "res.partner", "no_such_method", json!({})).await;
    let real = capture("unknown_method.json");
    assert_eq!(status, 404);
    assert_eq!(
        (&body["name"], &body["message"]),
        (&real["name"], &real["message"])
    );
    let (status, body) = json2(&server, "res.partner", "_read", json!({"ids": [1]})).await;
    let real = capture("private_method.json");
    assert_eq!(status, 403);
    assert_eq!(
        (&body["name"], &body["message"]),
        (&real["name"], &real["message"])
    );
    server.stop().await;
}

#[tokio::test]
async fn orm_record_actions_behave_as_odoos() {
    for version in [OdooVersion::V17, OdooVersion::V19] {
        let server = server(version).await;
        let rpc = Rpc::new(server.url());
        // name_create: (id, display_name)
        let created = rpc
            .ok(
                "res.partner",
                "name_create",
                vec![s("Amina Yusuf")],
                Struct::new(),
            )
            .await;
        let Value::Array(pair) = &created else {
            panic!("{created:?}")
        };
        assert_eq!(pair[1], s("Amina Yusuf"));
        let id = pair[0].clone();
        let active = |rows: Value| state_like(&rows, "active");

        // action_archive answers None: Odoo 17's XML-RPC cannot send it, after committing
        let archived = rpc
            .kw(
                "res.partner",
                "action_archive",
                vec![arr(vec![id.clone()])],
                Struct::new(),
            )
            .await;
        assert!(
            archived
                .unwrap_err()
                .message
                .contains("cannot marshal None")
        );
        let rows = rpc
            .ok(
                "res.partner",
                "read",
                vec![arr(vec![id.clone()]), arr(vec![s("active")])],
                Struct::new(),
            )
            .await;
        assert_eq!(active(rows), Value::Bool(false), "{version}");
        let (status, body) = match version {
            OdooVersion::V17 => (200, Json::Null),
            _ => {
                json2(
                    &server,
                    "res.partner",
                    "action_unarchive",
                    json!({"ids": [id_of(&id)]}),
                )
                .await
            }
        };
        if version == OdooVersion::V17 {
            let _ = rpc
                .kw(
                    "res.partner",
                    "action_unarchive",
                    vec![arr(vec![id.clone()])],
                    Struct::new(),
                )
                .await;
        }
        assert_eq!((status, body), (200, Json::Null));
        let rows = rpc
            .ok(
                "res.partner",
                "read",
                vec![arr(vec![id.clone()]), arr(vec![s("name"), s("active")])],
                Struct::new(),
            )
            .await;
        assert_eq!(active(rows), Value::Bool(true));

        // copy: 17 answers the new id of one record, 19 the new ids
        let copied = rpc
            .ok(
                "res.partner",
                "copy",
                vec![arr(vec![id.clone()])],
                kw(vec![(
                    "default",
                    Value::Struct(kw(vec![("email", s("copy@example.org"))])),
                )]),
            )
            .await;
        let new_id = match (version, &copied) {
            (OdooVersion::V17, Value::Int(new)) => Value::Int(*new),
            (OdooVersion::V19, Value::Array(ids)) if ids.len() == 1 => ids[0].clone(),
            other => panic!("{other:?}"),
        };
        let rows = rpc
            .ok(
                "res.partner",
                "read",
                vec![arr(vec![new_id]), arr(vec![s("name"), s("email")])],
                Struct::new(),
            )
            .await;
        assert_eq!(state_like(&rows, "name"), s("Amina Yusuf (copy)"));
        assert_eq!(state_like(&rows, "email"), s("copy@example.org"));
        if version == OdooVersion::V17 {
            let fault = rpc
                .kw(
                    "res.partner",
                    "copy",
                    vec![arr(vec![i(1), i(2)])],
                    Struct::new(),
                )
                .await
                .unwrap_err();
            assert_eq!(
                last_line(&fault),
                "ValueError: Expected singleton: res.partner(1, 2)"
            );
        }
        server.stop().await;
    }
}

fn id_of(value: &Value) -> i64 {
    match value {
        Value::Int(id) => i64::from(*id),
        Value::I8(id) => *id,
        other => panic!("{other:?}"),
    }
}

fn state_like(rows: &Value, field: &str) -> Value {
    let Value::Array(rows) = rows else {
        panic!("{rows:?}")
    };
    let Value::Struct(row) = &rows[0] else {
        panic!("{rows:?}")
    };
    row[field].clone()
}

#[tokio::test]
async fn get_views_and_doc_bearer_describe_the_listed_methods() {
    let server = server(OdooVersion::V19).await;
    let rpc = Rpc::new(server.url());
    let views = rpc
        .ok(
            "g2p.cycle",
            "get_views",
            vec![arr(vec![arr(vec![Value::Bool(false), s("form")])])],
            Struct::new(),
        )
        .await;
    let Value::Struct(views) = views else {
        panic!()
    };
    let Value::Struct(forms) = &views["views"] else {
        panic!()
    };
    let Value::Struct(form) = &forms["form"] else {
        panic!()
    };
    let Value::String(arch) = &form["arch"] else {
        panic!()
    };
    assert!(arch.contains(
        r#"<button type="object" name="approve" string="Approve" confirm="Approve the cycle?"/>"#
    ));
    assert!(!arch.contains("action_approve"), "not a button: {arch}");

    let bytes = reqwest::Client::new()
        .get(format!("{}/doc-bearer/g2p.cycle.json", server.url()))
        .bearer_auth(KEY)
        .header("X-Odoo-Database", "openspp")
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let doc: Json = serde_json::from_slice(&bytes).unwrap();
    let methods = &doc["methods"];
    assert_eq!(
        MethodSchema::from_doc_bearer("action_approve", &methods["action_approve"]).unwrap(),
        action_approve()
    );
    assert_eq!(methods["approve"]["signature"], "()");
    assert_eq!(methods["search_read"]["api"], json!(["model"]));
    assert!(methods.get("read_group").is_none());
    assert!(methods["copy"].get("api").is_none(), "copy takes records");
    server.stop().await;
}

/// Schemas dumped from `/doc-bearer` list the ORM's methods for every model the server
/// described (`res.users` first); a model listing none was refused (403,
/// `check_access('read')`), and the dev server refuses it too, so that dumping it gives back
/// the same schemas.
#[tokio::test]
async fn doc_bearer_refuses_what_the_dumped_server_refused() {
    let mut set = schemas();
    let mut copy =
        MethodSchema::from_doc_bearer("copy", &json!({"signature": "(default=None)"})).unwrap();
    copy.defined_in = Some("core".into());
    copy.module = Some("core".into());
    for model in ["res.users", "res.partner"] {
        set.models
            .get_mut(model)
            .unwrap()
            .methods
            .insert("copy".into(), copy.clone());
    }
    let server = start(Some(Config::new(set).odoo_version(OdooVersion::V19))).await;
    let status = |model: &'static str| {
        let url = format!("{}/doc-bearer/{model}.json", server.url());
        async move {
            reqwest::Client::new()
                .get(url)
                .bearer_auth(KEY)
                .header("X-Odoo-Database", "openspp")
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    assert_eq!(status("res.partner").await, 200);
    assert_eq!(status("res.country").await, 403);
    server.stop().await;
}
