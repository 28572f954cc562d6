//! Business method calls over broken connections (real HTTP on loopback): a method the
//! schema marks `readonly` is retried like a read; any other is a write, sent once, whose
//! failure says the outcome is unknown.

#[path = "support/models.rs"]
mod models;
#[path = "support/raw.rs"]
mod raw;

use std::time::Duration;

use models::res_partner::ResPartner;
use openspp_client::{
    Client, Id, Method, MethodArgs, MethodHost, MethodSpec, RetryPolicy, Session, Value,
};
use raw::{RawServer, Step};

async fn raw_session(steps: Vec<Step>) -> (RawServer, Session) {
    let mut script = vec![Step::Answer(openspp_xmlrpc::to_response(&2).unwrap())];
    script.extend(steps);
    let server = RawServer::start(script).await;
    let session = Client::builder(&server.url(), "openspp")
        .protocol(openspp_client::Protocol::XmlRpc)
        .call_timeout(Duration::from_millis(400))
        .retry(RetryPolicy {
            base_delay: Duration::from_millis(10),
            ..RetryPolicy::default()
        })
        .build()
        .unwrap()
        .login("admin", "admin")
        .await
        .unwrap();
    (server, session)
}

#[tokio::test]
async fn a_readonly_method_is_retried_after_a_dropped_connection() {
    let answer = openspp_xmlrpc::to_response(&"+32 2 555 01 01").unwrap();
    let (server, odoo) = raw_session(vec![Step::Close, Step::Answer(answer)]).await;
    let spec = MethodSpec::records("phone_get_sanitized_number").readonly();
    let number: String = odoo
        .repo::<ResPartner>()
        .method::<String>(spec, Some(&[Id::new(7)]))
        .arg("number_fname", "phone")
        .await
        .unwrap();
    assert_eq!(number, "+32 2 555 01 01");
    let requests = server.requests();
    assert_eq!(requests.len(), 3, "login, dropped, retried");
    let sent = String::from_utf8_lossy(&requests[2]);
    assert!(
        sent.contains("<string>phone_get_sanitized_number</string>")
            && sent.contains("<int>7</int>")
            && sent.contains("<string>phone</string>"),
        "ids then the argument, by position: {sent}"
    );
}

#[tokio::test]
async fn a_business_method_is_a_write_and_never_sent_twice() {
    let (server, odoo) = raw_session(vec![Step::Close, Step::Answer(Vec::new())]).await;
    let call: Method<ResPartner, Value> = odoo
        .repo::<ResPartner>()
        .method(MethodSpec::records("action_approve"), Some(&[Id::new(7)]));
    let error = call.kwarg("comment", "ok").await.unwrap_err();
    assert!(error.may_have_changed_data(), "{error}");
    assert_eq!(server.requests().len(), 2, "login and one call");
}
