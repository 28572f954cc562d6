//! Errors that say what to do, from real-server answers (`tests/fixtures/faults/`, see its
//! README): a serialization failure and a full connection pool are their own kinds, say that
//! nothing changed, are retried for read-only calls and never silently for writes (an import's
//! batch that `load` rolled back for one is sent again); a refused `order` is the same kind on
//! both protocols; and `limit(0)` means no rows and no call.

#[path = "support/models.rs"]
mod models;
#[path = "support/replay.rs"]
mod replay;

use std::path::PathBuf;
use std::time::Duration;

use futures_util::TryStreamExt;
use models::res_partner::{self as rp, ResPartner};
use openspp_client::{
    Client, Error, FaultKind, Id, ImportRow, Protocol, RetryPolicy, RowProblem, Secret, Session,
    TransportError,
};
use replay::{Replay, Reply};
use serde_json::json;

const KEY: &str = "6578616d706c65206a736f6e20617069206b6579";

/// The bytes of `tests/fixtures/faults/<name>`.
fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/faults")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// An XML-RPC answer captured from a real server.
fn xml(name: &str) -> Reply {
    Reply::Xml(fixture(name))
}

/// A JSON-2 error answer captured from a real server, with its status.
fn json2(name: &str, status: u16) -> Reply {
    Reply::Raw {
        status,
        content_type: "application/json; charset=utf-8",
        body: fixture(name),
    }
}

fn retry() -> RetryPolicy {
    RetryPolicy {
        base_delay: Duration::from_millis(5),
        ..RetryPolicy::default()
    }
}

/// A session on a scripted server: login, then `replies`. Requests before `logins` are the
/// login's.
async fn session(protocol: Protocol, replies: Vec<Reply>) -> (Replay, Session, usize) {
    let mut script = match protocol {
        Protocol::Json2 => vec![
            Reply::json(200, &json!({"lang": "en_US", "tz": false, "uid": 2})),
            Reply::json(200, &json!([{"id": 2, "login": "admin"}])),
        ],
        _ => vec![Reply::value(&2)],
    };
    let logins = script.len();
    script.extend(replies);
    let server = Replay::start(script).await;
    let session = Client::builder(&server.url(), "openspp")
        .protocol(protocol)
        .retry(retry())
        .build()
        .unwrap()
        .login("admin", Secret::api_key(KEY))
        .await
        .expect("login");
    (server, session, logins)
}

fn fault_kind(e: &Error) -> FaultKind {
    e.fault()
        .unwrap_or_else(|| panic!("not a fault: {e}"))
        .kind
        .clone()
}

#[tokio::test]
async fn a_conflicting_write_is_not_retried_and_says_a_retry_is_safe() {
    let cases = [
        (
            Protocol::XmlRpc,
            xml("odoo17-xmlrpc-serialization-failure.xml"),
        ),
        (
            Protocol::Json2,
            json2("odoo19-json2-serialization-failure.500.json", 500),
        ),
    ];
    for (protocol, answer) in cases {
        let (server, odoo, logins) = session(protocol, vec![answer, Reply::value(&true)]).await;
        let e = odoo
            .repo::<ResPartner>()
            .write(&[Id::new(7)], rp::NAME.set("x"))
            .await
            .unwrap_err();
        assert_eq!(fault_kind(&e), FaultKind::Conflict, "{protocol:?}: {e}");
        assert!(!e.may_have_changed_data(), "{e}");
        assert!(e.is_safe_to_retry(), "{e}");
        let text = e.to_string();
        assert!(
            text.contains("could not serialize access due to concurrent update")
                && text.contains("nothing was changed")
                && text.contains("sending it again is safe"),
            "{text}"
        );
        assert_eq!(server.received().len(), logins + 1, "a write is sent once");
    }
}

#[tokio::test]
async fn a_full_connection_pool_is_unavailable_and_reads_are_retried() {
    for name in ["odoo17-xmlrpc-pool-full.xml", "odoo19-xmlrpc-pool-full.xml"] {
        let (server, odoo, logins) = session(
            Protocol::XmlRpc,
            vec![
                xml(name),
                xml(name),
                Reply::value(&[json!({"id": 7, "name": "Ada"})]),
            ],
        )
        .await;
        let rows = odoo
            .repo::<ResPartner>()
            .search_read(rp::NAME.ilike("a"))
            .fields(rp::NAME)
            .await
            .expect("retried until the pool had room");
        assert_eq!(rows, [(Id::new(7), Some("Ada".to_owned()))]);
        assert_eq!(server.received().len(), logins + 3, "{name}: two retries");

        let (server, odoo, logins) = session(Protocol::XmlRpc, vec![xml(name)]).await;
        let e = odoo
            .repo::<ResPartner>()
            .create(ResPartner::create().set(rp::NAME, "Ada"))
            .await
            .unwrap_err();
        assert_eq!(fault_kind(&e), FaultKind::Unavailable, "{name}: {e}");
        assert!(!e.may_have_changed_data() && e.is_safe_to_retry(), "{e}");
        assert!(e.to_string().contains("The Connection Pool Is Full"), "{e}");
        assert_eq!(server.received().len(), logins + 1, "a create is sent once");
    }
}

#[tokio::test]
async fn reads_give_up_on_conflicts_after_the_retry_policy() {
    let (server, odoo, logins) = session(
        Protocol::Json2,
        vec![json2("odoo19-json2-serialization-failure.500.json", 500)],
    )
    .await;
    let e = odoo
        .repo::<ResPartner>()
        .search(rp::NAME.ilike("a"))
        .await
        .unwrap_err();
    assert_eq!(fault_kind(&e), FaultKind::Conflict);
    assert!(e.is_safe_to_retry());
    let max = RetryPolicy::default().max_retries as usize;
    assert_eq!(server.received().len(), logins + 1 + max);
}

/// Odoo's werkzeug page when the pool ran out before the RPC handler: nothing says what
/// happened, so a write's outcome stays unknown (only the typed faults above say more).
#[tokio::test]
async fn the_html_500_of_an_exhausted_pool_stays_an_unknown_outcome() {
    let html = Reply::Raw {
        status: 500,
        content_type: "text/html; charset=utf-8",
        body: fixture("odoo17-http-500-pool-exhausted.html"),
    };
    let (_, odoo, _) = session(Protocol::XmlRpc, vec![html]).await;
    let e = odoo
        .repo::<ResPartner>()
        .write(&[Id::new(7)], rp::NAME.set("x"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            &e,
            Error::Transport {
                kind: TransportError::Status { status: 500, .. },
                ..
            }
        ),
        "{e}"
    );
    assert!(e.may_have_changed_data() && !e.is_safe_to_retry());
}

#[tokio::test]
async fn a_refused_order_is_the_same_kind_on_both_protocols() {
    let cases = [
        (
            FaultKind::UserError,
            vec![
                (Protocol::XmlRpc, xml("odoo17-xmlrpc-invalid-order.xml")),
                (Protocol::XmlRpc, xml("odoo19-xmlrpc-invalid-order.xml")),
                (
                    Protocol::Json2,
                    json2("odoo19-json2-invalid-order.422.json", 422),
                ),
            ],
        ),
        (
            FaultKind::InvalidField,
            vec![
                (
                    Protocol::XmlRpc,
                    xml("odoo17-xmlrpc-order-unknown-field.xml"),
                ),
                (
                    Protocol::XmlRpc,
                    xml("odoo19-xmlrpc-order-unknown-field.xml"),
                ),
                (
                    Protocol::Json2,
                    json2("odoo19-json2-order-unknown-field.500.json", 500),
                ),
            ],
        ),
    ];
    for (kind, answers) in cases {
        let mut messages = Vec::new();
        for (protocol, answer) in answers {
            let (_, odoo, _) = session(protocol, vec![answer]).await;
            let e = odoo
                .repo::<ResPartner>()
                .search_read(rp::NAME.ilike("a"))
                .order(rp::NAME.asc())
                .await
                .unwrap_err();
            let fault = e.fault().expect("a fault");
            assert_eq!(fault.kind, kind, "{protocol:?}: {e}");
            assert!(!e.is_safe_to_retry());
            messages.push((fault.code.clone(), fault.message.clone()));
        }
        assert!(
            messages.windows(2).all(|w| w[0] == w[1]),
            "code and message agree on both protocols: {messages:#?}"
        );
    }
}

#[tokio::test]
async fn limit_zero_is_no_rows_and_no_call_on_every_path() {
    for protocol in [Protocol::XmlRpc, Protocol::Json2] {
        // Any call after login would be answered with every record.
        let all = json!([{"id": 7, "name": "Ada"}, {"id": 8, "name": "Bob"}]);
        let answer = match protocol {
            Protocol::Json2 => Reply::json(200, &all),
            _ => Reply::value(&all),
        };
        let (server, odoo, logins) = session(protocol, vec![answer]).await;
        let partners = odoo.repo::<ResPartner>();
        let everyone = rp::NAME.ilike("");
        assert!(
            partners
                .search(everyone.clone())
                .limit(0)
                .await
                .unwrap()
                .is_empty()
        );
        let rows = partners
            .search_read(everyone.clone())
            .fields(rp::NAME)
            .limit(0);
        assert!(rows.await.unwrap().is_empty());
        let ordered = partners
            .search_read(everyone.clone())
            .fields(rp::NAME)
            .order(rp::NAME.asc())
            .limit(0);
        assert!(ordered.await.unwrap().is_empty());
        for order in [None, Some(rp::NAME.desc())] {
            let mut search = partners
                .search_read(everyone.clone())
                .fields(rp::NAME)
                .limit(0);
            if let Some(order) = order {
                search = search.order(order);
            }
            let streamed: Vec<_> = search.stream(10).try_collect().await.unwrap();
            assert!(streamed.is_empty());
        }
        assert!(partners.name_search("a").limit(0).await.unwrap().is_empty());
        assert_eq!(
            server.received().len(),
            logins,
            "{protocol:?}: no call was made"
        );
    }
}

/// `load` answers a serialization failure as a row message (not a fault), the whole call
/// rolled back, as a real Odoo 17 did: `Repository::import` sends that batch again, as Odoo
/// resends a call that failed so, up to five times in all; a batch with another error too is
/// not sent again.
#[tokio::test]
async fn an_import_batch_refused_for_a_concurrent_update_is_sent_again() {
    let refused = || xml("odoo17-xmlrpc-load-serialization-failure.xml");
    let imported = || Reply::value(&json!({"ids": [41], "messages": [], "nextrow": 0}));
    let also_missing = Reply::value(&json!({"ids": false, "nextrow": 0, "messages": [
        {"type": "error", "record": 0, "message": "could not serialize access due to concurrent update\n"},
        {"type": "error", "record": 0, "field": "name", "message": "Missing required value for the field 'Name' (name)"},
    ]}));
    let cases = [
        (vec![refused(), imported()], 2, None),
        (
            vec![refused(), refused(), refused(), refused(), refused()],
            5,
            Some("could not serialize access"),
        ),
        (vec![also_missing], 1, Some("Missing required value")),
    ];
    for (loads, sent, failure) in cases {
        // the external ids' lookup, then the `load` answers
        let mut replies = vec![Reply::value(&json!([]))];
        replies.extend(loads);
        let (server, odoo, logins) = session(Protocol::XmlRpc, replies).await;
        let report = odoo
            .repo::<ResPartner>()
            .import(vec![ImportRow::new("test.p1").set(rp::NAME, "Wood Corner")])
            .await
            .expect("the import ends with a report");
        let bodies: Vec<String> = server.received()[logins + 1..]
            .iter()
            .map(|r| String::from_utf8_lossy(&r.body).into_owned())
            .collect();
        assert_eq!(bodies.len(), sent, "{failure:?}: load calls");
        assert!(
            bodies
                .iter()
                .all(|b| b.contains("<string>load</string>") && *b == bodies[0])
        );
        match failure {
            None => {
                assert_eq!(report.created.len(), 1);
                assert_eq!(report.created[0].1, Id::new(41));
                assert!(report.failed.is_empty(), "{:?}", report.failed);
            }
            Some(message) => {
                assert!(report.created.is_empty());
                assert!(
                    report.failed.iter().any(|e| e.row == 0
                        && e.problem == RowProblem::Server
                        && e.message.contains(message)),
                    "{:?}",
                    report.failed
                );
            }
        }
    }
}

/// Two batches in flight, and `load` refuses one for a concurrent update: it is sent again
/// only once the other is done (whose answer takes 400 ms here), then the import goes on one
/// batch at a time; all rows end up created, reported in row order.
#[tokio::test]
async fn a_batch_refused_beside_another_is_sent_again_alone() {
    let imported = |id: i32| Reply::value(&json!({"ids": [id], "messages": [], "nextrow": 0}));
    let slow = Duration::from_millis(400);
    // each batch's `load` is told apart by its row's external id
    let server = Replay::start_routed(vec![
        (
            "<methodName>authenticate</methodName>",
            vec![Reply::value(&2)],
        ),
        (
            "<string>search_read</string>",
            vec![Reply::value(&json!([]))],
        ),
        (
            "<string>test.p1</string>",
            vec![
                xml("odoo17-xmlrpc-load-serialization-failure.xml"),
                imported(11),
            ],
        ),
        (
            "<string>test.p2</string>",
            vec![Reply::Delayed(slow, Box::new(imported(12)))],
        ),
        ("<string>test.p3</string>", vec![imported(13)]),
    ])
    .await;
    let odoo = Client::builder(&server.url(), "openspp")
        .protocol(Protocol::XmlRpc)
        .build()
        .unwrap()
        .login("admin", Secret::api_key(KEY))
        .await
        .expect("login");
    let rows = ["One", "Two", "Three"]
        .iter()
        .enumerate()
        .map(|(n, name)| ImportRow::new(format!("test.p{}", n + 1)).set(rp::NAME, *name))
        .collect();
    let report = odoo
        .repo::<ResPartner>()
        .import(rows)
        .batch_size(1)
        .concurrency(2)
        .await
        .expect("a report");
    assert!(report.failed.is_empty(), "{:?}", report.failed);
    let created: Vec<(String, i32)> = report
        .created
        .iter()
        .map(|(x, id)| (x.to_string(), id.get()))
        .collect();
    let expected = [("test.p1", 11), ("test.p2", 12), ("test.p3", 13)];
    assert_eq!(created, expected.map(|(x, id)| (x.to_owned(), id)));
    let loads_of = |xmlid: &str| -> Vec<_> {
        let needle = format!("<string>{xmlid}</string>");
        server
            .received()
            .into_iter()
            .filter(|r| String::from_utf8_lossy(&r.body).contains(&needle))
            .collect()
    };
    let (p1, p2, p3) = (
        loads_of("test.p1"),
        loads_of("test.p2"),
        loads_of("test.p3"),
    );
    assert_eq!((p1.len(), p2.len(), p3.len()), (2, 1, 1));
    assert_eq!(p1[1].body, p1[0].body, "the refused batch is sent again");
    assert!(
        p1[1].at >= p2[0].at + slow,
        "sent again only once the batch beside it was answered"
    );
    assert!(p3[0].at >= p1[1].at, "then one batch at a time");
}
