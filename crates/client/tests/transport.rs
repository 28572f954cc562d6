//! What proxies and broken connections do, over real HTTP on loopback: redirects are never
//! followed (the other host sees nothing), every failure after the request may have gone out
//! says `may_have_changed_data()` for a write and is retried for a read, gzip answers decode,
//! `Retry-After` is honoured for reads only.

#[path = "support/models.rs"]
mod models;
#[path = "support/raw.rs"]
mod raw;
#[path = "support/replay.rs"]
mod replay;

use std::convert::Infallible;
use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use models::res_partner::{self as rp, ResPartner};
use openspp_client::{Client, Domain, Error, RetryPolicy, Session, TransportError};
use raw::{RawServer, Step};
use replay::{Replay, Reply, capture};

const OUTCOME_UNKNOWN: &str = "the outcome is unknown";

fn client(url: &str, retry: RetryPolicy) -> Client {
    Client::builder(url, "openspp")
        .protocol(openspp_client::Protocol::XmlRpc)
        .call_timeout(Duration::from_millis(400))
        .retry(RetryPolicy {
            base_delay: Duration::from_millis(10),
            ..retry
        })
        .build()
        .unwrap()
}

async fn login(url: &str, retry: RetryPolicy) -> Session {
    client(url, retry).login("admin", "admin").await.unwrap()
}

/// A session on a replay server that answers login, then `replies`.
async fn replay_session(replies: Vec<Reply>) -> (Replay, Session) {
    let mut script = vec![Reply::value(&2)];
    script.extend(replies);
    let server = Replay::start(script).await;
    let session = login(&server.url(), RetryPolicy::default()).await;
    (server, session)
}

/// A session on a raw TCP server that answers login, then follows `steps`.
async fn raw_session(steps: Vec<Step>) -> (RawServer, Session) {
    let mut script = vec![Step::Answer(openspp_xmlrpc::to_response(&2).unwrap())];
    script.extend(steps);
    let server = RawServer::start(script).await;
    let session = login(&server.url(), RetryPolicy::default()).await;
    (server, session)
}

async fn create(odoo: &Session) -> Result<openspp_client::Id<ResPartner>, Error> {
    odoo.repo::<ResPartner>()
        .create(rp::NAME.set("Duplicate Registrant?"))
        .await
}

async fn count(odoo: &Session) -> Result<u64, Error> {
    odoo.repo::<ResPartner>()
        .search_count(rp::IS_COMPANY.eq(true))
        .await
}

fn transport_kind(err: &Error) -> &TransportError {
    match err {
        Error::Transport { kind, .. } => kind,
        other => panic!("expected a transport error, got {other:?}"),
    }
}

/// A write failed after its body may have been read: the error says so.
fn assert_outcome_unknown(err: &Error) {
    assert!(err.may_have_changed_data(), "{err:?}");
    assert!(err.to_string().contains(OUTCOME_UNKNOWN), "{err}");
}

fn redirect(status: u16, location: &str) -> Reply {
    Reply::Headed {
        status,
        headers: vec![("location", location.to_owned())],
        body: Vec::new(),
    }
}

#[tokio::test]
async fn a_307_or_308_to_another_host_never_reaches_it() {
    // The other host would accept anything: it must see no request, the password least of all.
    let elsewhere = Replay::start_on([127, 0, 0, 2], vec![Reply::value(&2)]).await;
    for status in [307, 308] {
        for path in ["/xmlrpc/2/common", "/xmlrpc/2/object"] {
            let target = format!("{}{path}", elsewhere.url());
            let err = if path.ends_with("common") {
                // authenticate: the password is in the body.
                let origin = Replay::start(vec![redirect(status, &target)]).await;
                client(&origin.url(), RetryPolicy::default())
                    .login("admin", "the-password")
                    .await
                    .unwrap_err()
            } else {
                let origin = Replay::start(vec![Reply::value(&2), redirect(status, &target)]).await;
                create(&login(&origin.url(), RetryPolicy::default()).await)
                    .await
                    .unwrap_err()
            };
            match transport_kind(&err) {
                TransportError::Redirect {
                    status: got,
                    location,
                } => {
                    assert_eq!(*got, status);
                    assert_eq!(location.as_deref(), Some(target.as_str()));
                }
                other => panic!("{other:?}"),
            }
            let text = err.to_string();
            assert!(
                text.contains(&target) && text.contains("configure"),
                "{text}"
            );
            assert!(
                !err.may_have_changed_data(),
                "a redirect ran nothing: {err}"
            );
        }
    }
    assert!(
        elsewhere.received().is_empty(),
        "{:?}",
        elsewhere.received()
    );
}

#[tokio::test]
async fn a_301_or_302_is_the_redirect_not_a_405_from_a_get() {
    for status in [301, 302, 303] {
        // Same origin, relative Location: not followed either.
        let origin = Replay::start(vec![redirect(status, "/odoo/xmlrpc/2/common")]).await;
        let err = client(&origin.url(), RetryPolicy::default())
            .version()
            .await
            .unwrap_err();
        let expected = format!("{}/odoo/xmlrpc/2/common", origin.url());
        assert!(
            matches!(
                transport_kind(&err),
                TransportError::Redirect { status: s, location: Some(l) } if *s == status && *l == expected
            ),
            "{err:?}"
        );
        assert!(err.to_string().contains(&format!("HTTP status {status}")));
        assert_eq!(origin.received().len(), 1, "one POST, no GET after it");
    }
}

#[tokio::test]
async fn a_write_that_times_out_after_its_body_was_read_may_have_changed_data() {
    let late = |reply| Reply::Delayed(Duration::from_secs(2), Box::new(reply));
    let (server, odoo) = replay_session(vec![late(Reply::value(&77))]).await;
    let err = create(&odoo).await.unwrap_err();
    assert!(matches!(transport_kind(&err), TransportError::Timeout));
    assert_outcome_unknown(&err);
    assert_eq!(server.received().len(), 2, "login and one create");

    // A read that times out changed nothing, and is retried.
    let (server, odoo) = replay_session(vec![
        late(Reply::value(&1)),
        Reply::capture("search_count_res_partner"),
    ])
    .await;
    assert_eq!(count(&odoo).await.unwrap(), 15);
    assert_eq!(server.received().len(), 3, "login, timeout, retry");
    let (_server, odoo) = replay_session(vec![late(Reply::value(&1))]).await;
    let err = count(&odoo).await.unwrap_err();
    assert!(!err.may_have_changed_data(), "{err}");
    assert!(!err.to_string().contains(OUTCOME_UNKNOWN), "{err}");
}

#[tokio::test]
async fn closed_reset_or_truncated_after_the_body_was_read() {
    let created = openspp_xmlrpc::to_response(&77).unwrap();
    let counted = capture("search_count_res_partner", "response");
    for (name, broken) in [
        ("closed", Step::Close),
        ("reset", Step::Reset),
        ("truncated", Step::Truncate(created.clone())),
    ] {
        // A create: not resent, and the caller is told it may have happened.
        let (server, odoo) = raw_session(vec![broken.clone()]).await;
        let err = create(&odoo).await.unwrap_err();
        assert!(
            matches!(transport_kind(&err), TransportError::Io(_)),
            "{name}: {err:?}"
        );
        assert_outcome_unknown(&err);
        assert_eq!(server.requests().len(), 2, "{name}: login and one create");
        if name == "reset" {
            assert!(err.to_string().contains("reset"), "{err}");
        }

        // A read: retried, and answered.
        let (server, odoo) = raw_session(vec![broken, Step::Answer(counted.clone())]).await;
        assert_eq!(count(&odoo).await.unwrap(), 15, "{name}");
        assert_eq!(server.requests().len(), 3, "{name}: login, broken, retry");
    }
}

#[tokio::test]
async fn gateway_errors_on_a_write_leave_the_outcome_unknown() {
    for status in [500, 502, 503, 504] {
        let (server, odoo) = replay_session(vec![Reply::Raw {
            status,
            content_type: "text/html",
            body: b"<html><h1>Bad Gateway</h1></html>".to_vec(),
        }])
        .await;
        let err = create(&odoo).await.unwrap_err();
        assert!(
            matches!(transport_kind(&err), TransportError::Status { status: s, .. } if *s == status),
            "{err:?}"
        );
        assert_outcome_unknown(&err);
        assert_eq!(server.received().len(), 2, "never resent");
    }
    // A 4xx refused the request: nothing ran.
    let (_server, odoo) = replay_session(vec![Reply::Raw {
        status: 413,
        content_type: "text/html",
        body: b"Request Entity Too Large".to_vec(),
    }])
    .await;
    let err = create(&odoo).await.unwrap_err();
    assert!(!err.may_have_changed_data(), "{err}");
}

/// A truncated answer that is well-framed HTTP (a proxy cut the XML, not the connection).
#[tokio::test]
async fn an_undecodable_answer_to_a_write_leaves_the_outcome_unknown() {
    let full = capture("create_res_partner", "response");
    let (_server, odoo) = replay_session(vec![Reply::Xml(full[..full.len() / 2].to_vec())]).await;
    let err = create(&odoo).await.unwrap_err();
    assert!(matches!(err, Error::Protocol { .. }), "{err:?}");
    assert_outcome_unknown(&err);
}

#[tokio::test]
async fn gzip_answers_are_decoded_and_other_encodings_named() {
    let body = capture("search_read_res_partner", "response");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(&body).unwrap();
    let gzipped = gz.finish().unwrap();
    let compressed = |encoding: &str, body: Vec<u8>| Reply::Headed {
        status: 200,
        headers: vec![
            ("content-type", "text/xml; charset=utf-8".to_owned()),
            ("content-encoding", encoding.to_owned()),
        ],
        body,
    };
    let (_server, odoo) = replay_session(vec![compressed("gzip", gzipped)]).await;
    let rows = odoo
        .repo::<ResPartner>()
        .search_read(Domain::all())
        .fields((rp::NAME, rp::EMAIL))
        .await
        .unwrap();
    assert_eq!(rows.len(), 49);

    let (_server, odoo) = replay_session(vec![compressed("br", b"\x1b\x00".to_vec())]).await;
    let err = count(&odoo).await.unwrap_err();
    assert!(
        matches!(transport_kind(&err), TransportError::UnsupportedEncoding(e) if e == "br"),
        "{err:?}"
    );
    assert!(err.to_string().contains("\"br\""), "{err}");
}

fn too_many(status: u16, retry_after: &str) -> Reply {
    Reply::Headed {
        status,
        headers: vec![
            ("content-type", "text/plain".to_owned()),
            ("retry-after", retry_after.to_owned()),
        ],
        body: b"slow down".to_vec(),
    }
}

#[tokio::test]
async fn retry_after_is_honoured_for_reads_only() {
    // A read: retried after the server's wait (seconds, or an HTTP-date already past).
    for (status, retry_after) in [(429, "1"), (503, "Tue, 01 Dec 2020 00:00:00 GMT")] {
        let (server, odoo) = replay_session(vec![
            too_many(status, retry_after),
            Reply::capture("search_count_res_partner"),
        ])
        .await;
        assert_eq!(count(&odoo).await.unwrap(), 15, "{status}");
        assert_eq!(server.received().len(), 3, "login, {status}, retry");
    }

    // A wait longer than the policy allows fails at once, naming the status and the wait.
    let server = Replay::start(vec![Reply::value(&2), too_many(429, "3600")]).await;
    let odoo = login(&server.url(), RetryPolicy::default()).await;
    let err = count(&odoo).await.unwrap_err();
    assert!(
        matches!(
            transport_kind(&err),
            TransportError::Status { status: 429, retry_after: Some(wait), .. }
                if *wait == Duration::from_secs(3600)
        ),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .contains("HTTP status 429 (Retry-After 3600 s)"),
        "{err}"
    );
    assert_eq!(server.received().len(), 2);

    // A write: never retried; a 429 refused it, so nothing changed.
    let (server, odoo) = replay_session(vec![too_many(429, "0"), Reply::value(&77)]).await;
    let err = create(&odoo).await.unwrap_err();
    assert!(
        matches!(
            transport_kind(&err),
            TransportError::Status { status: 429, .. }
        ),
        "{err:?}"
    );
    assert!(!err.may_have_changed_data(), "{err}");
    assert_eq!(server.received().len(), 2, "login and one create");
}

/// An https server on 127.0.0.1 (certificate from the test CA in `support/tls`) answering
/// every request with `status` and `Location: location`.
async fn https_redirecting(status: u16, location: String) -> (String, tokio::task::JoinHandle<()>) {
    use tokio_rustls::rustls::pki_types::pem::PemObject;
    use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
    use tokio_rustls::rustls::{ServerConfig, crypto::ring};
    let certs = CertificateDer::pem_slice_iter(include_bytes!("support/tls/server.pem"))
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let key = PrivateKeyDer::from_pem_slice(include_bytes!("support/tls/server.key")).unwrap();
    let config = ServerConfig::builder_with_provider(Arc::new(ring::default_provider()))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("https://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let Ok(tls) = acceptor.accept(stream).await else {
                continue;
            };
            let location = location.clone();
            let service = hyper::service::service_fn(move |_request| {
                let response = hyper::Response::builder()
                    .status(status)
                    .header("location", location.as_str())
                    .body(http_body_util::Empty::<bytes::Bytes>::new())
                    .unwrap();
                async move { Ok::<_, Infallible>(response) }
            });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(hyper_util::rt::TokioIo::new(tls), service)
                .await;
        }
    });
    (url, task)
}

#[tokio::test]
async fn an_https_url_is_never_downgraded_to_http() {
    // The plain-http twin a misconfigured proxy points to: it must see nothing.
    let plain = Replay::start(vec![Reply::value(&2)]).await;
    let target = format!("{}/xmlrpc/2/common", plain.url());
    for status in [301, 302, 307, 308] {
        let (url, server) = https_redirecting(status, target.clone()).await;
        let client = Client::builder(&url, "openspp")
            .protocol(openspp_client::Protocol::XmlRpc)
            .root_certificate_pem(include_bytes!("support/tls/ca.pem").as_slice())
            .build()
            .unwrap();
        // The TLS handshake succeeded (the redirect was read from the https server) ...
        let err = client.login("admin", "the-password").await.unwrap_err();
        assert!(
            matches!(
                transport_kind(&err),
                TransportError::Redirect { status: s, location: Some(l) } if *s == status && *l == target
            ),
            "{err:?}"
        );
        server.abort();
    }
    // ... and the password never went out in clear.
    assert!(plain.received().is_empty(), "{:?}", plain.received());

    let err = Client::builder("https://127.0.0.1:1", "openspp")
        .protocol(openspp_client::Protocol::XmlRpc)
        .root_certificate_pem("not a certificate")
        .build()
        .unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err:?}");
}
