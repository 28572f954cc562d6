//! Transport and protocol failures over real HTTP on 127.0.0.1: each gives its typed error,
//! never a panic; retries happen only where a call cannot be applied twice.

#[path = "support/models.rs"]
mod models;
#[path = "support/replay.rs"]
mod replay;

use std::time::Duration;

use models::res_partner::{self as rp, ResPartner};
use openspp_client::{Client, Error, Id, ProtocolError, RetryPolicy, Session, TransportError};
use openspp_xmlrpc::ErrorKind;
use replay::{Replay, Reply, capture};

fn no_retry(url: &str) -> Client {
    Client::builder(url, "openspp")
        .protocol(openspp_client::Protocol::XmlRpc)
        .call_timeout(Duration::from_millis(300))
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

/// A session on a server that answers login, then `replies`.
async fn session_with(replies: Vec<Reply>, retry: RetryPolicy) -> (Replay, Session) {
    let mut script = vec![Reply::value(&2)];
    script.extend(replies);
    let server = Replay::start(script).await;
    let session = Client::builder(&server.url(), "openspp")
        .protocol(openspp_client::Protocol::XmlRpc)
        .call_timeout(Duration::from_millis(300))
        .retry(RetryPolicy {
            base_delay: Duration::from_millis(10),
            ..retry
        })
        .build()
        .unwrap()
        .login("admin", "admin")
        .await
        .unwrap();
    (server, session)
}

fn transport_kind(err: Error) -> TransportError {
    match err {
        Error::Transport { kind, .. } => kind,
        other => panic!("expected a transport error, got {other:?}"),
    }
}

fn protocol_kind(err: Error) -> ProtocolError {
    match err {
        Error::Protocol { kind, .. } => kind,
        other => panic!("expected a protocol error, got {other:?}"),
    }
}

#[tokio::test]
async fn timeout() {
    let server = Replay::start(vec![Reply::Delayed(
        Duration::from_secs(5),
        Box::new(Reply::capture("version")),
    )])
    .await;
    let err = no_retry(&server.url())
        .call_common::<openspp_client::ServerVersion>("version", ())
        .await
        .unwrap_err();
    assert!(matches!(transport_kind(err), TransportError::Timeout));
}

#[tokio::test]
async fn connection_refused() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let err = no_retry(&url)
        .call_common::<openspp_client::ServerVersion>("version", ())
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(
        matches!(transport_kind(err), TransportError::Connect(_)),
        "{text}"
    );
}

#[tokio::test]
async fn slow_body_times_out() {
    let server = Replay::start(vec![Reply::Slow {
        body: capture("version", "response"),
        chunks: 10,
        pause: Duration::from_millis(100),
    }])
    .await;
    let err = no_retry(&server.url())
        .call_common::<openspp_client::ServerVersion>("version", ())
        .await
        .unwrap_err();
    assert!(matches!(transport_kind(err), TransportError::Timeout));

    // The same body, slow but within the timeout, is read fine.
    let client = Client::builder(&server.url(), "openspp")
        .protocol(openspp_client::Protocol::XmlRpc)
        .call_timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    assert_eq!(
        client
            .call_common::<openspp_client::ServerVersion>("version", ())
            .await
            .unwrap()
            .server_serie,
        "17.0"
    );
}

#[tokio::test]
async fn oversized_body_is_refused_while_streaming() {
    let big = capture("search_read_res_partner", "response");
    // With Content-Length: refused from the header.
    let server = Replay::start(vec![Reply::Xml(big.clone())]).await;
    let client = Client::builder(&server.url(), "openspp")
        .protocol(openspp_client::Protocol::XmlRpc)
        .max_response_bytes(64 * 1024)
        .build()
        .unwrap();
    let err = client
        .call_common::<openspp_client::ServerVersion>("version", ())
        .await
        .unwrap_err();
    assert!(matches!(
        transport_kind(err),
        TransportError::BodyTooLarge { limit: 65536 }
    ));
    // Chunked, no Content-Length: refused once the limit is crossed.
    let server = Replay::start(vec![Reply::Slow {
        body: big,
        chunks: 50,
        pause: Duration::ZERO,
    }])
    .await;
    let client = Client::builder(&server.url(), "openspp")
        .protocol(openspp_client::Protocol::XmlRpc)
        .max_response_bytes(64 * 1024)
        .build()
        .unwrap();
    let err = client
        .call_common::<openspp_client::ServerVersion>("version", ())
        .await
        .unwrap_err();
    assert!(matches!(
        transport_kind(err),
        TransportError::BodyTooLarge { .. }
    ));
}

#[tokio::test]
async fn http_500() {
    let server = Replay::start(vec![Reply::Raw {
        status: 500,
        content_type: "text/html",
        body: b"<html><body><h1>Internal Server Error</h1></body></html>".to_vec(),
    }])
    .await;
    let err = no_retry(&server.url())
        .call_common::<openspp_client::ServerVersion>("version", ())
        .await
        .unwrap_err();
    match transport_kind(err) {
        TransportError::Status {
            status, snippet, ..
        } => {
            assert_eq!(status, 500);
            assert!(snippet.contains("Internal Server Error"));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn html_error_page_with_200() {
    let server = Replay::start(vec![Reply::Raw {
        status: 200,
        content_type: "text/html; charset=utf-8",
        body: b"<!DOCTYPE html><html><title>Odoo</title><p>Database not found</p></html>".to_vec(),
    }])
    .await;
    let err = no_retry(&server.url())
        .call_common::<openspp_client::ServerVersion>("version", ())
        .await
        .unwrap_err();
    match protocol_kind(err) {
        ProtocolError::NotXmlRpc {
            content_type,
            snippet,
        } => {
            assert!(content_type.starts_with("text/html"));
            assert!(snippet.contains("Database not found"));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn truncated_xml() {
    let full = capture("read_res_partner", "response");
    let (_server, odoo) = session_with(
        vec![Reply::Xml(full[..full.len() / 2].to_vec())],
        RetryPolicy::none(),
    )
    .await;
    let err = odoo
        .repo::<ResPartner>()
        .read(&[Id::new(1)])
        .fields(rp::NAME)
        .await
        .unwrap_err();
    match protocol_kind(err) {
        ProtocolError::Decode(e) => {
            assert_eq!(e.kind(), ErrorKind::Syntax, "{e}");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn wrong_shape_names_the_field() {
    // The search_read capture decoded as if `name` were a date.
    let (_server, odoo) = session_with(
        vec![Reply::capture("read_res_partner")],
        RetryPolicy::none(),
    )
    .await;
    const NAME_AS_DATE: openspp_client::Field<ResPartner, chrono::NaiveDate> =
        openspp_client::Field::new("name");
    let err = odoo
        .repo::<ResPartner>()
        .read(&[Id::new(1)])
        .fields(NAME_AS_DATE)
        .await
        .unwrap_err();
    match protocol_kind(err) {
        ProtocolError::Field {
            row,
            field,
            message,
        } => {
            assert_eq!((row, field.as_str()), (0, "name"));
            assert!(message.contains("invalid date"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn reads_are_retried_after_a_bad_gateway() {
    let (server, odoo) = session_with(
        vec![
            Reply::Raw {
                status: 502,
                content_type: "text/plain",
                body: b"bad gateway".to_vec(),
            },
            Reply::capture("search_count_res_partner"),
        ],
        RetryPolicy::default(),
    )
    .await;
    let n = odoo
        .repo::<ResPartner>()
        .search_count(rp::IS_COMPANY.eq(true))
        .await
        .unwrap();
    assert_eq!(n, 15);
    assert_eq!(server.received().len(), 3, "login, 502, retry");
}

#[tokio::test]
async fn writes_are_never_sent_twice() {
    // A write that times out may have been applied: it must not be resent.
    let (server, odoo) = session_with(
        vec![Reply::Delayed(
            Duration::from_secs(2),
            Box::new(Reply::capture("write_res_partner")),
        )],
        RetryPolicy::default(),
    )
    .await;
    let err = odoo
        .repo::<ResPartner>()
        .write(&[Id::new(59)], rp::COLOR.set(3))
        .await
        .unwrap_err();
    assert!(matches!(transport_kind(err), TransportError::Timeout));
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(server.received().len(), 2, "login and one write only");

    // A 502 on a write is not retried either.
    let (server, odoo) = session_with(
        vec![Reply::Raw {
            status: 502,
            content_type: "text/plain",
            body: Vec::new(),
        }],
        RetryPolicy::default(),
    )
    .await;
    let err = odoo
        .repo::<ResPartner>()
        .unlink(&[Id::new(59)])
        .await
        .unwrap_err();
    assert!(matches!(
        transport_kind(err),
        TransportError::Status { status: 502, .. }
    ));
    assert_eq!(server.received().len(), 2);
}

#[tokio::test]
async fn missing_required_fields_fail_before_any_io() {
    use models::res_country::{self, ResCountry};
    let (server, odoo) = session_with(vec![Reply::value(&1)], RetryPolicy::none()).await;
    let err = odoo
        .repo::<ResCountry>()
        .create(openspp_client::Values::new().set(res_country::NAME, "Xland"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::MissingRequired { model: "res.country", fields } if fields == &["code"]),
        "{err:?}"
    );
    assert_eq!(server.received().len(), 1, "only the login");
}

#[tokio::test]
async fn unencodable_values_fail_before_any_io() {
    let (server, odoo) = session_with(vec![Reply::value(&true)], RetryPolicy::none()).await;
    let err = odoo
        .repo::<ResPartner>()
        .write(&[Id::new(1)], rp::PARTNER_LATITUDE.set(f64::NAN))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Encode { .. }), "{err:?}");
    assert_eq!(server.received().len(), 1, "only the login");
}

/// An HTML page where JSON was expected is named for what it is, not for another path:
/// JSON-RPC and the web session's routes are not JSON-2.
#[tokio::test]
async fn html_instead_of_json_names_no_other_protocol() {
    for protocol in [
        openspp_client::Protocol::JsonRpc,
        openspp_client::Protocol::Web,
    ] {
        let server = Replay::start(vec![Reply::Raw {
            status: 200,
            content_type: "text/html; charset=utf-8",
            body: b"<!DOCTYPE html><html><p>Maintenance</p></html>".to_vec(),
        }])
        .await;
        let err = Client::builder(&server.url(), "openspp")
            .protocol(protocol)
            .retry(RetryPolicy::none())
            .build()
            .unwrap()
            .login("admin", openspp_client::Secret::password("admin"))
            .await
            .unwrap_err();
        let text = err.to_string();
        assert!(!text.contains("JSON-2"), "{protocol}: {text}");
        assert!(text.contains("not a JSON answer"), "{protocol}: {text}");
    }
}
