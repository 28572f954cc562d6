//! tracing spans per call: model, method, duration, bytes in and out, never the secret.
//! Alone in its binary: a thread-local subscriber must not race other tests' callsites.

#[path = "support/models.rs"]
mod models;
#[path = "support/replay.rs"]
mod replay;

use std::io::Write;
use std::sync::{Arc, Mutex};

use models::res_partner::ResPartner;
use openspp_client::{Client, Domain};
use replay::{Replay, Reply};

const SECRET: &str = "s3cr3t-api-key-never-logged";

/// A `MakeWriter` collecting everything tracing prints.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn spans_record_the_call_but_never_the_secret() {
    let logs = Captured::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    tracing::callsite::rebuild_interest_cache();

    let server = Replay::start(vec![
        Reply::value(&2),
        Reply::capture("wrong_password_execute_kw"),
    ])
    .await;
    let odoo = Client::builder(&server.url(), "openspp")
        .protocol(openspp_client::Protocol::XmlRpc)
        .build()
        .unwrap()
        .login("admin", SECRET)
        .await
        .unwrap();
    let err = odoo
        .repo::<ResPartner>()
        .search_count(Domain::all())
        .await
        .unwrap_err();
    assert!(!format!("{err} {err:?} {odoo:?}").contains(SECRET));

    let text = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(text.contains("odoo_call"), "{text}");
    assert!(
        text.contains("model=\"res.partner\"") || text.contains("model=res.partner"),
        "{text}"
    );
    assert!(text.contains("method=search_count"), "{text}");
    assert!(text.contains("bytes_out="), "{text}");
    assert!(text.contains("bytes_in="), "{text}");
    assert!(text.contains("duration_ms="), "{text}");
    assert!(!text.contains(SECRET), "the secret leaked into the logs");
}

#[test]
fn plain_http_to_a_remote_host_warns() {
    let logs = Captured::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    tracing::callsite::rebuild_interest_cache();

    Client::new("http://127.0.0.1:8069", "db").unwrap();
    Client::new("https://odoo.example.org", "db").unwrap();
    assert!(
        logs.0.lock().unwrap().is_empty(),
        "no warning for loopback or https"
    );
    Client::new("http://odoo.example.org", "db").unwrap();
    let text = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(
        text.contains("WARN") && text.contains("unencrypted"),
        "{text}"
    );
}
