//! Session behaviour over HTTP on 127.0.0.1: context merging and paging streams.

#[path = "support/models.rs"]
mod models;
#[path = "support/replay.rs"]
mod replay;

use futures_util::TryStreamExt;
use models::res_partner::{self as rp, ResPartner};
use openspp_client::{CallOptions, Client, Context, Domain, Id, Model, Session, Value};
use openspp_xmlrpc::Struct;
use replay::{Replay, Reply};

const SECRET: &str = "admin";

async fn session_with(replies: Vec<Reply>, context: Context) -> (Replay, Session) {
    let mut script = vec![Reply::value(&2)];
    script.extend(replies);
    let server = Replay::start(script).await;
    let session = Client::builder(&server.url(), "openspp")
        .protocol(openspp_client::Protocol::XmlRpc)
        .context(context)
        .build()
        .unwrap()
        .login("admin", SECRET)
        .await
        .unwrap();
    (server, session)
}

/// The kwargs struct of the n-th request.
fn kwargs(server: &Replay, n: usize) -> Struct {
    let (_, params): (String, Vec<Value>) =
        openspp_xmlrpc::from_call(&server.received()[n].body).unwrap();
    match params.get(6) {
        Some(Value::Struct(kw)) => kw.clone(),
        None => Struct::new(),
        Some(other) => panic!("kwargs is {other:?}"),
    }
}

fn context_of(kw: &Struct) -> Struct {
    match kw.get("context") {
        Some(Value::Struct(c)) => c.clone(),
        other => panic!("context is {other:?}"),
    }
}

#[tokio::test]
async fn context_per_client_session_and_call() {
    let (server, odoo) = session_with(
        vec![Reply::value(&Vec::<i32>::new())],
        Context::new().lang("fr_FR").tz("Europe/Brussels"),
    )
    .await;
    let odoo = odoo.with_context(&Context::new().allowed_company_ids([1, 3]));
    let options = CallOptions {
        context: Some(Context::new().lang("es_ES").active_test(false)),
        ..CallOptions::default()
    };
    let ids: Vec<i32> = odoo
        .execute_kw_with(
            "res.partner",
            "search",
            (Domain::<ResPartner>::all(),),
            (),
            &options,
        )
        .await
        .unwrap();
    assert!(ids.is_empty());
    let context = context_of(&kwargs(&server, 1));
    assert_eq!(
        context["lang"],
        Value::String("es_ES".into()),
        "per call wins"
    );
    assert_eq!(context["tz"], Value::String("Europe/Brussels".into()));
    assert_eq!(context["active_test"], Value::Bool(false));
    assert_eq!(
        context["allowed_company_ids"],
        Value::Array(vec![Value::Int(1), Value::Int(3)])
    );
}

#[tokio::test]
async fn no_context_no_kwargs() {
    let (server, odoo) = session_with(vec![Reply::value(&3)], Context::new()).await;
    let n = odoo
        .repo::<ResPartner>()
        .search_count(Domain::all())
        .await
        .unwrap();
    assert_eq!(n, 3);
    let (_, params): (String, Vec<Value>) =
        openspp_xmlrpc::from_call(&server.received()[1].body).unwrap();
    assert_eq!(params.len(), 6, "no empty kwargs struct is sent");
}

/// A search_read page of partners with the given ids.
fn page(ids: std::ops::RangeInclusive<i32>) -> Reply {
    let rows: Vec<Struct> = ids
        .map(|id| {
            Struct::from([
                ("id".to_owned(), Value::Int(id)),
                ("name".to_owned(), Value::String(format!("P{id}"))),
            ])
        })
        .collect();
    Reply::value(&rows)
}

#[tokio::test]
async fn stream_pages_by_id_one_batch_at_a_time() {
    let (server, odoo) =
        session_with(vec![page(1..=3), page(4..=6), page(7..=7)], Context::new()).await;
    let mut stream = Box::pin(
        odoo.repo::<ResPartner>()
            .search_read(rp::IS_COMPANY.eq(true))
            .fields(rp::NAME)
            .stream(3),
    );
    // Nothing is fetched before the stream is polled, and the second page only after the
    // first is consumed: memory holds one batch.
    assert_eq!(server.received().len(), 1);
    let first = stream.try_next().await.unwrap().unwrap();
    assert_eq!(first, (Id::new(1), Some("P1".to_owned())));
    assert_eq!(server.received().len(), 2);
    let rest: Vec<_> = stream.try_collect().await.unwrap();
    assert_eq!(rest.len(), 6);
    assert_eq!(rest.last().unwrap().0, Id::new(7));
    assert_eq!(
        server.received().len(),
        4,
        "login + 3 pages, the last one short"
    );

    let second: Vec<Value> = {
        let (_, params): (String, Vec<Value>) =
            openspp_xmlrpc::from_call(&server.received()[2].body).unwrap();
        params
    };
    assert_eq!(
        second[5],
        openspp_xmlrpc::to_value(&((rp::IS_COMPANY.eq(true) & ResPartner::ID.gt(Id::new(3))),))
            .unwrap(),
        "keyset paging continues after the last id"
    );
    let kw = kwargs(&server, 2);
    assert_eq!(kw["limit"], Value::Int(3));
    assert_eq!(kw["order"], Value::String("id asc".into()));
    assert!(!kw.contains_key("offset"));
}

#[tokio::test]
async fn stream_with_an_order_pages_by_offset_and_honours_limit() {
    let (server, odoo) = session_with(vec![page(1..=2), page(3..=3)], Context::new()).await;
    let rows: Vec<_> = odoo
        .repo::<ResPartner>()
        .search_read(Domain::all())
        .fields(rp::NAME)
        .order(rp::NAME.desc())
        .limit(3)
        .stream(2)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(server.received().len(), 3);
    let kw = kwargs(&server, 2);
    assert_eq!(kw["offset"], Value::Int(2));
    assert_eq!(kw["limit"], Value::Int(1), "only what the limit leaves");
    assert_eq!(kw["order"], Value::String("name desc".into()));
}

#[tokio::test]
async fn default_get_and_odd_answers() {
    let defaults = Struct::from([("active".to_owned(), Value::Bool(true))]);
    let (server, odoo) = session_with(
        vec![
            Reply::value(&defaults),
            Reply::value(&false),
            Reply::value(&vec![7]),
        ],
        Context::new(),
    )
    .await;
    let repo = odoo.repo::<ResPartner>();
    assert_eq!(
        repo.default_get(&["active", "name"]).await.unwrap(),
        defaults
    );
    let (method, params): (String, Vec<Value>) =
        openspp_xmlrpc::from_call(&server.received()[1].body).unwrap();
    assert_eq!(method, "execute_kw");
    assert_eq!(params[4], Value::String("default_get".into()));
    assert_eq!(
        params[5],
        Value::Array(vec![Value::Array(vec![
            Value::String("active".into()),
            Value::String("name".into())
        ])])
    );

    // `write` answering False is done (any answer but a fault is: OpenSPP's overrides answer
    // nothing); `create_many` answering too few ids is a protocol error that says the
    // records were created.
    repo.write(&[Id::new(1)], rp::COLOR.set(1)).await.unwrap();
    let err = repo
        .create_many(vec![rp::NAME.set("a"), rp::NAME.set("b")])
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            openspp_client::Error::Protocol {
                kind: openspp_client::ProtocolError::Unexpected(_),
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.may_have_changed_data(), "{err}");
    assert!(
        err.to_string().contains("not their ids") && err.to_string().contains("were created"),
        "{err}"
    );
}
