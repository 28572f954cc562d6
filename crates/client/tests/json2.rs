//! JSON-2 (Odoo 19+) over real HTTP on 127.0.0.1, against a scripted server: protocol choice
//! at login, the requests (path, headers, named arguments), the decoding of Odoo 19's answers,
//! error answers as the same typed errors as XML-RPC faults, and retries.
//!
//! The typed layer is also run once per protocol ([`Wire`]) on the same answers, to show that
//! both decode alike; the full client suite per protocol runs against the dev server.

#[path = "support/models.rs"]
mod models;
#[path = "support/replay.rs"]
mod replay;

use std::time::Duration;

use futures_util::TryStreamExt;
use models::res_country::{self as rc, ResCountry};
use models::res_partner::{self as rp, ResPartner};
use openspp_client::{
    Args, Client, Context, Domain, Error, FaultKind, Id, Many2one, Protocol, ProtocolError,
    RetryPolicy, Secret, Session, TransportError, Value, Values, xmlrpc::FaultCode,
};
use replay::{Replay, Reply};
use serde_json::json;

const KEY: &str = "6578616d706c65206a736f6e20617069206b6579";

/// The protocol a scripted server speaks: how it answers login and encodes a result.
#[derive(Debug, Clone, Copy)]
enum Wire {
    XmlRpc,
    Json2,
}

impl Wire {
    const BOTH: [Wire; 2] = [Wire::XmlRpc, Wire::Json2];

    /// A result as this protocol carries it (XML-RPC: `null` becomes `False`, as Odoo sends).
    fn answer(self, value: serde_json::Value) -> Reply {
        match self {
            Wire::XmlRpc => Reply::value(&value),
            Wire::Json2 => Reply::json(200, &value),
        }
    }

    /// The answers to login: `authenticate`, or JSON-2's `context_get` then the login check.
    fn login(self) -> Vec<Reply> {
        match self {
            Wire::XmlRpc => vec![Reply::value(&2)],
            Wire::Json2 => json2_login(2, "admin"),
        }
    }

    fn protocol(self) -> Protocol {
        match self {
            Wire::XmlRpc => Protocol::XmlRpc,
            Wire::Json2 => Protocol::Json2,
        }
    }

    /// A session on a server answering login, then `answers` (each encoded by this wire).
    async fn session(self, answers: Vec<serde_json::Value>) -> (Replay, Session) {
        let mut script = self.login();
        script.extend(answers.into_iter().map(|a| self.answer(a)));
        let server = Replay::start(script).await;
        let session = client(&server, self.protocol())
            .login("admin", Secret::api_key(KEY))
            .await
            .expect("login");
        assert_eq!(session.protocol(), self.protocol());
        (server, session)
    }
}

fn json2_login(uid: i32, login: &str) -> Vec<Reply> {
    vec![
        Reply::json(
            200,
            &json!({"lang": "en_US", "tz": "Europe/Brussels", "uid": uid}),
        ),
        Reply::json(200, &json!([{"id": uid, "login": login}])),
    ]
}

fn client(server: &Replay, protocol: Protocol) -> Client {
    Client::builder(&server.url(), "openspp")
        .protocol(protocol)
        .call_timeout(Duration::from_millis(500))
        .retry(RetryPolicy {
            base_delay: Duration::from_millis(5),
            ..RetryPolicy::default()
        })
        .build()
        .unwrap()
}

/// A JSON-2 session after login; requests 0 and 1 are the login's.
async fn json2_session(answers: Vec<Reply>) -> (Replay, Session) {
    let mut script = json2_login(2, "admin");
    script.extend(answers);
    let server = Replay::start(script).await;
    let session = client(&server, Protocol::Json2)
        .login("admin", Secret::api_key(KEY))
        .await
        .expect("login");
    (server, session)
}

/// `/web/webclient/version_info`'s answer.
fn version(major: i32) -> Reply {
    let serie = format!("{major}.0");
    let info = (major, 0, 0, "final", 0, "");
    jsonrpc(json!({
        "server_version": serie,
        "server_version_info": info,
        "server_serie": serie,
        "protocol_version": 1,
    }))
}

/// A JSON-RPC answer carrying `result`.
fn jsonrpc(result: serde_json::Value) -> Reply {
    Reply::json(
        200,
        &json!({"jsonrpc": "2.0", "id": null, "result": result}),
    )
}

// ---- protocol choice and login ------------------------------------------------------------

#[tokio::test]
async fn auto_speaks_json2_to_odoo_19_with_an_api_key() {
    let mut script = vec![version(19)];
    script.extend(json2_login(7, "registrar"));
    let server = Replay::start(script).await;
    let odoo = client(&server, Protocol::Auto)
        .login("registrar", Secret::api_key(KEY))
        .await
        .unwrap();
    assert_eq!((odoo.protocol(), odoo.uid()), (Protocol::Json2, 7));

    let received = server.received();
    assert_eq!(
        received[0].path, "/web/webclient/version_info",
        "the version first, on a route every release serves"
    );
    let context_get = &received[1];
    assert_eq!(context_get.path, "/json/2/res.users/context_get");
    assert_eq!(
        context_get.header("authorization"),
        Some(&*format!("bearer {KEY}"))
    );
    assert_eq!(context_get.header("x-odoo-database"), Some("openspp"));
    assert_eq!(context_get.header("content-type"), Some("application/json"));
    assert_eq!(context_get.json(), json!({}));
    assert_eq!(received[2].path, "/json/2/res.users/read");
    assert_eq!(received[2].json(), json!({"ids": [7], "fields": ["login"]}));

    let shown = format!("{odoo:?}");
    assert!(!shown.contains(KEY) && shown.contains("Json2"), "{shown}");
}

#[tokio::test]
async fn auto_picks_jsonrpc_for_older_servers_and_web_for_passwords() {
    // Odoo 17 with an API key (no web session with a key): JSON-RPC, after the version.
    let server = Replay::start(vec![version(17), jsonrpc(json!(2))]).await;
    let odoo = client(&server, Protocol::Auto)
        .login("admin", Secret::api_key(KEY))
        .await
        .unwrap();
    assert_eq!(odoo.protocol(), Protocol::JsonRpc);
    let received = server.received();
    let paths: Vec<&str> = received.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(paths, ["/web/webclient/version_info", "/jsonrpc"]);
    assert_eq!(
        received[1].json()["params"],
        json!({"service": "common", "method": "authenticate",
               "args": ["openspp", "admin", KEY, {}]})
    );

    // A plain string of a key's shape (40 lowercase hex): the same as an API key.
    let server = Replay::start(vec![version(17), jsonrpc(json!(2))]).await;
    let odoo = client(&server, Protocol::Auto)
        .login("admin", KEY)
        .await
        .unwrap();
    assert_eq!(odoo.protocol(), Protocol::JsonRpc);
    let received = server.received();
    let paths: Vec<&str> = received.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(paths, ["/web/webclient/version_info", "/jsonrpc"]);

    // A password: the web session, without asking the version.
    let login = Reply::Headed {
        status: 200,
        headers: vec![
            ("content-type", "application/json".to_owned()),
            (
                "set-cookie",
                "session_id=s3cr3t; HttpOnly; Path=/".to_owned(),
            ),
        ],
        body: serde_json::to_vec(&json!({"jsonrpc": "2.0", "id": null, "result": {"uid": 2}}))
            .unwrap(),
    };
    let server = Replay::start(vec![login]).await;
    let odoo = client(&server, Protocol::Auto)
        .login("admin", Secret::password("admin"))
        .await
        .unwrap();
    assert_eq!((odoo.protocol(), odoo.uid()), (Protocol::Web, 2));
    let received = server.received();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].path, "/web/session/authenticate");
    assert!(!format!("{odoo:?}").contains("s3cr3t"));
}

#[tokio::test]
async fn a_password_is_never_sent_as_a_bearer_key() {
    let server = Replay::start(vec![Reply::value(&2)]).await;
    let err = client(&server, Protocol::Json2)
        .login("admin", Secret::password("hunter2"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err:?}");
    assert!(server.received().is_empty(), "nothing was sent");
}

#[tokio::test]
async fn a_refused_key_or_a_key_of_another_user_fails_authentication() {
    let refused = Reply::json(
        401,
        &json!({
            "name": "werkzeug.exceptions.Unauthorized",
            "message": "Invalid apikey",
            "arguments": ["Invalid apikey", 401],
            "context": {},
            "debug": "Traceback (most recent call last):\n...",
        }),
    );
    let server = Replay::start(vec![refused]).await;
    let err = client(&server, Protocol::Json2)
        .login("admin", Secret::api_key("wrong"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::AuthenticationFailed { .. }), "{err:?}");
    assert!(!err.to_string().contains("wrong"), "{err}");

    let server = Replay::start(json2_login(6, "someone.else")).await;
    let err = client(&server, Protocol::Json2)
        .login("admin", Secret::api_key(KEY))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::AuthenticationFailed { .. }), "{err:?}");
}

// ---- the typed layer, once per protocol ---------------------------------------------------

#[tokio::test]
async fn repository_reads_and_writes_alike_over_both_protocols() {
    for wire in Wire::BOTH {
        let rows = json!([
            {"id": 1, "name": "Ada", "email": false, "parent_id": [3, "Household"],
             "category_id": [4, 7], "birthdate": "1815-12-10", "color": 0},
            {"id": 2, "name": "Bob", "email": "bob@example.org", "parent_id": false,
             "category_id": [], "birthdate": false, "color": 5},
        ]);
        let (_server, odoo) = wire
            .session(vec![
                rows,
                json!(2),
                json!([5, 6]),
                json!(true),
                json!(true),
                json!(3),
                json!([[9, "Belgium"]]),
                json!([4]),
            ])
            .await;
        let partners = odoo.repo::<ResPartner>();
        let got = partners
            .search_read(rp::IS_COMPANY.eq(false))
            .fields((
                rp::NAME,
                rp::EMAIL,
                rp::PARENT_ID,
                rp::CATEGORY_ID,
                rp::BIRTHDATE,
                rp::COLOR,
            ))
            .limit(2)
            .await
            .unwrap();
        assert_eq!(got.len(), 2, "{wire:?}");
        let (id, (name, email, parent, categories, birthdate, color)) = &got[0];
        assert_eq!(*id, Id::new(1));
        assert_eq!(name.as_deref(), Some("Ada"));
        assert_eq!(*email, None, "{wire:?}: false is None");
        assert_eq!(
            *parent,
            Some(Many2one {
                id: Id::new(3),
                name: Some("Household".into())
            })
        );
        assert_eq!(*categories, vec![Id::new(4), Id::new(7)]);
        assert_eq!(*birthdate, chrono::NaiveDate::from_ymd_opt(1815, 12, 10));
        assert_eq!(*color, 0);
        assert_eq!((got[1].1.2.clone(), got[1].1.4), (None, None));

        let created = partners
            .create(ResPartner::create().set(rp::NAME, "Cy"))
            .await
            .unwrap();
        assert_eq!(created, Id::new(2), "{wire:?}");
        let many = partners
            .create_many(vec![
                Values::new().set(rp::NAME, "D"),
                Values::new().set(rp::NAME, "E"),
            ])
            .await
            .unwrap();
        assert_eq!(many, [Id::new(5), Id::new(6)]);
        partners
            .write(&many, rp::EMAIL.set("x@example.org"))
            .await
            .unwrap();
        partners.unlink(&many).await.unwrap();
        assert_eq!(partners.search_count(Domain::all()).await.unwrap(), 3);
        let names = odoo
            .repo::<ResCountry>()
            .name_search("Bel")
            .domain(rc::CODE.eq("BE"))
            .limit(1)
            .await
            .unwrap();
        assert_eq!(names[0].name.as_deref(), Some("Belgium"));
        let ids = partners
            .search(rp::NAME.ilike("a"))
            .order(rp::NAME.asc())
            .await
            .unwrap();
        assert_eq!(ids, [Id::new(4)]);
    }
}

#[tokio::test]
async fn json2_requests_name_every_argument() {
    let (server, odoo) = json2_session(vec![
        Reply::json(200, &json!([])),
        Reply::json(200, &json!([11])),
        Reply::json(200, &json!(true)),
        Reply::json(200, &json!([[9, "Belgium"]])),
        Reply::json(200, &json!({"name": {"type": "char"}})),
        Reply::json(200, &json!({"lang": "en_US", "user_id": null})),
        Reply::json(200, &json!([])),
    ])
    .await;
    let partners = odoo
        .repo::<ResPartner>()
        .with_context(&Context::new().lang("fr_FR"));
    partners
        .search_read(rp::NAME.eq("Ada"))
        .fields(rp::EMAIL)
        .offset(10)
        .limit(5)
        .order(rp::NAME.desc())
        .await
        .unwrap();
    partners
        .create(ResPartner::create().set(rp::NAME, "Cy"))
        .await
        .unwrap();
    partners
        .write(&[Id::new(11)], rp::EMAIL.set(None::<String>))
        .await
        .unwrap();
    odoo.repo::<ResCountry>()
        .name_search("Bel")
        .domain(rc::CODE.eq("BE"))
        .operator("=ilike")
        .await
        .unwrap();
    odoo.repo::<ResCountry>()
        .fields_get(&["type"])
        .await
        .unwrap();
    let defaults = partners.default_get(&["lang", "user_id"]).await.unwrap();
    assert_eq!(
        defaults.get("user_id"),
        Some(&Value::Nil),
        "JSON-2 carries null"
    );
    partners.read(&[Id::new(1), Id::new(2)]).await.unwrap();

    let sent: Vec<(String, serde_json::Value)> = server.received()[2..]
        .iter()
        .map(|r| (r.path.clone(), r.json()))
        .collect();
    let fr = json!({"lang": "fr_FR"});
    assert_eq!(
        sent,
        [
            (
                "/json/2/res.partner/search_read".to_owned(),
                json!({"domain": [["name", "=", "Ada"]], "fields": ["email"], "offset": 10,
                       "limit": 5, "order": "name desc", "context": fr})
            ),
            (
                "/json/2/res.partner/create".to_owned(),
                json!({"vals_list": {"name": "Cy"}, "context": fr})
            ),
            (
                "/json/2/res.partner/write".to_owned(),
                json!({"ids": [11], "vals": {"email": false}, "context": fr})
            ),
            (
                "/json/2/res.country/name_search".to_owned(),
                json!({"name": "Bel", "domain": [["code", "=", "BE"]], "operator": "=ilike"})
            ),
            (
                "/json/2/res.country/fields_get".to_owned(),
                json!({"attributes": ["type"]})
            ),
            (
                "/json/2/res.partner/default_get".to_owned(),
                json!({"fields": ["lang", "user_id"], "context": fr})
            ),
            (
                "/json/2/res.partner/read".to_owned(),
                json!({"ids": [1, 2], "fields": ["id"], "context": fr})
            ),
        ]
    );
}

#[tokio::test]
async fn values_beyond_32_bits_and_nulls_are_kept() {
    let (_server, odoo) = json2_session(vec![
        Reply::json(200, &json!(5_000_000_000_i64)),
        Reply::json(
            200,
            &json!([{"id": 1, "name": null, "color": 3_000_000_000_i64}]),
        ),
    ])
    .await;
    let n = odoo
        .repo::<ResPartner>()
        .search_count(Domain::all())
        .await
        .unwrap();
    assert_eq!(n, 5_000_000_000, "no 32-bit limit on JSON-2");

    // An integer field beyond i32 is a typed error naming the field, not a wrap-around.
    let err = odoo
        .repo::<ResPartner>()
        .read(&[Id::new(1)])
        .fields((rp::NAME, rp::COLOR))
        .await
        .unwrap_err();
    match err {
        Error::Protocol {
            kind: ProtocolError::Field { field, .. },
            ..
        } => assert_eq!(field, "color"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn paging_streams_over_json2() {
    let page = |ids: std::ops::RangeInclusive<i32>| {
        let rows: Vec<_> = ids
            .map(|id| json!({"id": id, "name": format!("p{id}")}))
            .collect();
        Reply::json(200, &json!(rows))
    };
    let (server, odoo) = json2_session(vec![page(1..=2), page(3..=3)]).await;
    let all: Vec<_> = odoo
        .repo::<ResPartner>()
        .search_read(Domain::all())
        .fields(rp::NAME)
        .stream(2)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 3);
    let second = server.received()[3].json();
    assert_eq!(second["domain"], json!([["id", ">", 2]]));
    assert_eq!(
        (second["limit"].clone(), second["order"].clone()),
        (json!(2), json!("id asc"))
    );
}

#[tokio::test]
async fn execute_kw_over_json2_takes_kwargs_only() {
    let (server, odoo) = json2_session(vec![Reply::json(200, &json!([1, 2]))]).await;
    let err = odoo
        .execute_kw::<Vec<i32>>("res.partner", "search", ([(); 0],), ())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidCall { .. }), "{err:?}");
    assert_eq!(server.received().len(), 2, "nothing sent after login");

    let ids: Vec<i32> = odoo
        .execute_kw(
            "res.partner",
            "search",
            [(); 0],
            json!({"domain": [], "limit": 2, "context": {"active_test": false}}),
        )
        .await
        .unwrap();
    assert_eq!(ids, [1, 2]);
    assert_eq!(
        server.received()[2].json(),
        json!({"domain": [], "limit": 2, "context": {"active_test": false}})
    );
}

// ---- errors -------------------------------------------------------------------------------

fn error_answer(status: u16, name: &str, message: &str) -> Reply {
    Reply::json(
        status,
        &json!({
            "name": name,
            "message": message,
            "arguments": [message],
            "context": {},
            "debug": format!("Traceback (most recent call last):\n  File \"x\"\n{name}: {message}\n"),
        }),
    )
}

#[tokio::test]
async fn each_error_answer_is_the_typed_error_of_its_xmlrpc_fault() {
    let cases = [
        (
            403,
            "odoo.exceptions.AccessError",
            "You are not allowed",
            FaultKind::AccessError,
            4,
        ),
        (
            404,
            "odoo.exceptions.MissingError",
            "Record does not exist",
            FaultKind::MissingError,
            2,
        ),
        (
            422,
            "odoo.exceptions.ValidationError",
            "Bad value",
            FaultKind::ValidationError,
            2,
        ),
        (
            422,
            "odoo.exceptions.UserError",
            "You cannot",
            FaultKind::UserError,
            2,
        ),
        (
            403,
            "odoo.exceptions.AccessDenied",
            "Access Denied",
            FaultKind::AccessDenied,
            3,
        ),
        (
            404,
            "werkzeug.exceptions.NotFound",
            "the model 'x.y' does not exist",
            FaultKind::UnknownModel,
            2,
        ),
        (
            404,
            "werkzeug.exceptions.NotFound",
            "The method 'res.partner.nope' does not exist",
            FaultKind::UnknownMethod,
            1,
        ),
        (
            500,
            "builtins.ValueError",
            "Invalid field 'nope' on model 'res.partner'",
            FaultKind::InvalidField,
            1,
        ),
    ];
    for (status, name, message, kind, code) in cases {
        let (server, odoo) = json2_session(vec![error_answer(status, name, message)]).await;
        let err = odoo
            .repo::<ResPartner>()
            .write(&[Id::new(1)], rp::NAME.set("x"))
            .await
            .unwrap_err();
        let fault = err.fault().unwrap_or_else(|| panic!("{name}: {err:?}"));
        assert_eq!(fault.kind, kind, "{name}");
        assert_eq!(fault.code, FaultCode::Int(code), "{name}");
        assert!(fault.traceback.as_deref().unwrap().starts_with("Traceback"));
        assert!(!err.may_have_changed_data(), "JSON-2 rolls back on error");
        assert!(
            err.to_string().contains("res.partner.write (json2)"),
            "{err}"
        );
        assert_eq!(
            server.received().len(),
            3,
            "{name}: an error answer is not retried"
        );
    }
}

#[tokio::test]
async fn proxies_and_broken_answers_are_transport_or_protocol_errors() {
    let html = Reply::Raw {
        status: 502,
        content_type: "text/html",
        body: b"<html>Bad Gateway</html>".to_vec(),
    };
    let (server, odoo) = json2_session(vec![html.clone(), html]).await;
    let err = odoo
        .repo::<ResPartner>()
        .search(Domain::all())
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            Error::Transport {
                kind: TransportError::Status { status: 502, .. },
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(server.received().len(), 2 + 3, "a read is retried on 502");

    let (_, odoo) = json2_session(vec![Reply::Raw {
        status: 200,
        content_type: "application/json",
        body: b"[1, 2".to_vec(),
    }])
    .await;
    let err = odoo
        .repo::<ResPartner>()
        .search(Domain::all())
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            Error::Protocol {
                kind: ProtocolError::Json(_),
                ..
            }
        ),
        "{err:?}"
    );

    let (_, odoo) = json2_session(vec![Reply::Raw {
        status: 200,
        content_type: "text/html",
        body: b"<html>login</html>".to_vec(),
    }])
    .await;
    let err = odoo
        .repo::<ResPartner>()
        .search(Domain::all())
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            Error::Protocol {
                kind: ProtocolError::NotJson { .. },
                ..
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_write_is_never_resent_once_its_body_went_out() {
    let slow = Reply::Delayed(
        Duration::from_secs(3),
        Box::new(Reply::json(200, &json!(true))),
    );
    let (server, odoo) = json2_session(vec![slow]).await;
    let err = odoo
        .repo::<ResPartner>()
        .write(&[Id::new(1)], rp::NAME.set("x"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            Error::Transport {
                kind: TransportError::Timeout,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(server.received().len(), 3, "sent once");

    let slow = Reply::Delayed(
        Duration::from_secs(3),
        Box::new(Reply::json(200, &json!([]))),
    );
    let (server, odoo) = json2_session(vec![slow]).await;
    odoo.repo::<ResPartner>()
        .search(Domain::all())
        .await
        .unwrap_err();
    assert_eq!(server.received().len(), 2 + 3, "a read is retried");
}

#[tokio::test]
async fn names_that_would_change_the_url_are_refused_before_any_io() {
    let (server, odoo) = json2_session(vec![]).await;
    let err = odoo
        .call::<Value>("res.partner/../res.users", "read", Args::new())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidCall { .. }), "{err:?}");
    let err = odoo
        .call::<Value>("res.partner", "search", Args::new().arg("x", f64::NAN))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Encode { .. }), "{err:?}");
    assert_eq!(server.received().len(), 2);
}
