//! Replays every capture of `odoo17/wire` over HTTP on 127.0.0.1: the request this client
//! sends for the same call must decode to the same value as the captured request, and the
//! captured response must decode into the expected typed result or typed error.
//!
//! Two normalisations, both Odoo semantics: an absent kwargs param equals `{}` (the server
//! reads `kw or {}`), and an order clause `"f asc"` equals `"f"`.

#[path = "support/models.rs"]
mod models;
#[path = "support/replay.rs"]
mod replay;

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};
use models::res_country::ResCountry;
use models::res_partner::{self as rp, ResPartner, Type};
use openspp_client::{
    Client, Command, Domain, Error, FaultKind, Id, Many2one, Model, Protocol, Record,
    ServerVersion, Session, Value,
};
use openspp_xmlrpc::Struct;
use replay::{Replay, Reply, capture};

const DB: &str = "openspp";
const API_KEY: &str = "5f0e1c9a7b3d4e2f8a6c0b1d9e7f3a5c2b4d6e8f";

/// Decodes a methodCall into (method, params) with the normalisations above.
fn normalized_call(body: &[u8]) -> (String, Vec<Value>) {
    let (method, mut params): (String, Vec<Value>) =
        openspp_xmlrpc::from_call(body).expect("decodable request");
    if method == "execute_kw" && params.len() == 6 {
        params.push(Value::Struct(Struct::new()));
    }
    if let Some(Value::Struct(kw)) = params.get_mut(6) {
        for key in ["order", "orderby"] {
            if let Some(Value::String(order)) = kw.get_mut(key) {
                *order = order
                    .split(',')
                    .map(|c| c.trim().trim_end_matches(" asc").to_owned())
                    .collect::<Vec<_>>()
                    .join(", ");
            }
        }
    }
    (method, params)
}

/// Asserts that the last request the server got is the captured request of `name`.
fn assert_same_request(server: &Replay, name: &str, path: &str) {
    let received = server.received();
    let last = received.last().expect("a request was sent");
    assert_eq!(last.path, path, "{name}: endpoint");
    assert_eq!(
        normalized_call(&last.body),
        normalized_call(&capture(name, "request")),
        "{name}: request differs from the capture"
    );
}

/// A session logged in with the credentials of the captured `execute_kw` request, talking to
/// a server that answers `authenticate` with the captured uid, then the capture's response.
async fn session_for(name: &str) -> (Replay, Session) {
    let (_, params) = normalized_call(&capture(name, "request"));
    let (Value::String(db), Value::Int(uid), Value::String(secret)) =
        (&params[0], &params[1], &params[2])
    else {
        panic!("{name}: not an execute_kw capture");
    };
    let server = Replay::start(vec![Reply::value(uid), Reply::capture(name)]).await;
    let login = if *uid == 2 { "admin" } else { "norights" };
    let session = Client::builder(&server.url(), db)
        .protocol(Protocol::XmlRpc)
        .build()
        .unwrap()
        .login(login, secret.as_str())
        .await
        .expect("login");
    assert_eq!(session.uid(), *uid);
    (server, session)
}

async fn client_for(name: &str) -> (Replay, Client) {
    let server = Replay::start(vec![Reply::capture(name)]).await;
    // The captures are XML-RPC's: the session must speak it.
    let client = Client::builder(&server.url(), DB)
        .protocol(Protocol::XmlRpc)
        .build()
        .unwrap();
    (server, client)
}

fn fault_kind(result: Result<impl std::fmt::Debug, Error>) -> (FaultKind, bool, String) {
    match result {
        Err(Error::Fault(f)) => (f.kind.clone(), f.may_have_changed_data, f.message.clone()),
        other => panic!("expected a fault, got {other:?}"),
    }
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

// ---- common ---------------------------------------------------------------------------------

#[tokio::test]
async fn version() {
    let (server, client) = client_for("version").await;
    let v: ServerVersion = client.call_common("version", ()).await.unwrap();
    assert_eq!(v.server_version, "17.0-20240709");
    assert_eq!(v.server_serie, "17.0");
    assert_eq!(v.protocol_version, 1);
    assert_eq!(v.server_version_info.len(), 6);
    assert_same_request(&server, "version", "/xmlrpc/2/common");
}

#[tokio::test]
async fn authenticate_with_password_and_api_key() {
    for (name, secret) in [
        ("authenticate_good", "admin"),
        ("authenticate_good_apikey", API_KEY),
    ] {
        let (server, client) = client_for(name).await;
        let uid = client.authenticate("admin", &secret.into()).await.unwrap();
        assert_eq!(uid, 2);
        assert_same_request(&server, name, "/xmlrpc/2/common");
    }
}

#[tokio::test]
async fn authenticate_bad_password_is_a_typed_error() {
    let (server, client) = client_for("authenticate_bad_password").await;
    let err = client.login("admin", "wrong-password").await.unwrap_err();
    assert!(
        matches!(&err, Error::AuthenticationFailed { login, db, protocol: Protocol::XmlRpc, .. }
            if login == "admin" && db == DB),
        "{err:?}"
    );
    assert!(
        err.to_string()
            .ends_with("over XML-RPC: common.authenticate answered False"),
        "{err}"
    );
    assert!(!err.to_string().contains("wrong-password"));
    assert_same_request(&server, "authenticate_bad_password", "/xmlrpc/2/common");
}

#[tokio::test]
async fn login_legacy() {
    let (server, client) = client_for("login_legacy").await;
    let uid: i32 = client
        .call_common("login", (DB, "admin", "admin"))
        .await
        .unwrap();
    assert_eq!(uid, 2);
    assert_same_request(&server, "login_legacy", "/xmlrpc/2/common");
}

// ---- reads ----------------------------------------------------------------------------------

#[tokio::test]
async fn search_read_res_partner_typed_rows() {
    let name = "search_read_res_partner";
    let (server, odoo) = session_for(name).await;
    let rows = odoo
        .repo::<ResPartner>()
        .search_read(Domain::all())
        .fields((
            (
                rp::NAME,
                rp::DISPLAY_NAME,
                rp::PARENT_ID,
                rp::COUNTRY_ID,
                rp::CHILD_IDS,
                rp::CATEGORY_ID,
                rp::DATE,
                rp::CREATE_DATE,
                rp::WRITE_DATE,
                rp::IMAGE_128,
            ),
            (
                rp::TYPE,
                rp::IS_COMPANY,
                rp::ACTIVE,
                rp::PARTNER_LATITUDE,
                rp::COLOR,
                rp::EMAIL,
                rp::BIRTHDATE,
                rp::REGISTRATION_DATE,
                rp::IS_REGISTRANT,
                rp::IS_GROUP,
            ),
        ))
        .limit(50)
        .order(ResPartner::ID.asc())
        .await
        .unwrap();
    assert_same_request(&server, name, "/xmlrpc/2/object");
    assert_eq!(rows.len(), 49, "the capture holds 49 records");
    let (id, (a, b)) = &rows[0];
    assert_eq!(id.get(), 1);
    let (name, display, parent, country, children, tags, day, created, _written, image) = a;
    assert_eq!(name.as_deref(), Some("YourCompany"));
    assert_eq!(display.as_deref(), Some("YourCompany"));
    assert!(parent.is_none());
    let country: &Many2one<ResCountry> = country.as_ref().unwrap();
    assert_eq!(
        (country.id.get(), country.name.as_deref()),
        (233, Some("United States"))
    );
    assert_eq!(children, &[Id::new(39), Id::new(40)]);
    assert!(tags.is_empty());
    assert!(day.is_none());
    assert_eq!(
        *created,
        Some(NaiveDateTime::parse_from_str("2026-11-28 01:17:25", "%Y-%m-%d %H:%M:%S").unwrap())
    );
    let png = image.as_ref().unwrap().to_bytes().unwrap();
    assert_eq!(&png[1..4], b"PNG");
    let (kind, is_company, active, _lat, _color, _email, _birth, _reg, _registrant, _group) = b;
    assert_eq!(kind, &Some(Type::Contact));
    assert!(*is_company && *active);
}

#[tokio::test]
async fn read_res_partner_and_missing_records() {
    let name = "read_res_partner";
    let (server, odoo) = session_for(name).await;
    let rows = odoo
        .repo::<ResPartner>()
        .read(&[Id::new(1), Id::new(9), Id::new(10)])
        .fields((
            rp::NAME,
            rp::COUNTRY_ID,
            rp::CHILD_IDS,
            rp::CATEGORY_ID,
            rp::CREATE_DATE,
            rp::IS_COMPANY,
            rp::TYPE,
            rp::PARTNER_LATITUDE,
        ))
        .await
        .unwrap();
    assert_same_request(&server, name, "/xmlrpc/2/object");
    let ids: Vec<i32> = rows.iter().map(|(id, _)| id.get()).collect();
    assert_eq!(ids, [1, 9, 10]);
    assert_eq!(rows[1].1.0.as_deref(), Some("Wood Corner"));
    assert_eq!(rows[0].1.7, 0.0);

    let name = "read_missing_record";
    let (server, odoo) = session_for(name).await;
    let rows = odoo
        .repo::<ResPartner>()
        .read(&[Id::new(99_999_999)])
        .fields(rp::NAME)
        .await
        .unwrap();
    assert_same_request(&server, name, "/xmlrpc/2/object");
    assert!(rows.is_empty());
}

#[tokio::test]
async fn search_search_count_name_search() {
    let name = "search_res_partner";
    let (server, odoo) = session_for(name).await;
    let ids = odoo
        .repo::<ResPartner>()
        .search(rp::NAME.ilike("a"))
        .limit(10)
        .offset(0)
        .order(rp::NAME.asc())
        .await
        .unwrap();
    assert_same_request(&server, name, "/xmlrpc/2/object");
    assert_eq!(ids.len(), 10);
    assert_eq!(ids[0], Id::new(35));

    let name = "search_count_res_partner";
    let (server, odoo) = session_for(name).await;
    let n = odoo
        .repo::<ResPartner>()
        .search_count(rp::IS_COMPANY.eq(true))
        .await
        .unwrap();
    assert_same_request(&server, name, "/xmlrpc/2/object");
    assert_eq!(n, 15);

    let name = "name_search_res_partner";
    let (server, odoo) = session_for(name).await;
    let found = odoo
        .repo::<ResPartner>()
        .name_search("a")
        .limit(5)
        .await
        .unwrap();
    assert_same_request(&server, name, "/xmlrpc/2/object");
    assert_eq!(found.len(), 5);
    assert_eq!(
        (found[0].id.get(), found[0].name.as_deref()),
        (14, Some("Azure Interior"))
    );
}

/// An OpenSPP household, read into a program's own struct (the serde fast path).
#[derive(Debug, serde::Deserialize)]
struct Household {
    id: i32,
    name: String,
    kind: Option<(i32, String)>,
    group_membership_ids: Vec<i32>,
    #[serde(deserialize_with = "openspp_client::de::date")]
    registration_date: Option<NaiveDate>,
    area_id: Option<(i32, String)>,
    z_ind_grp_num_individuals: i32,
}
impl Record for Household {
    type Model = ResPartner;
    const FIELDS: &'static [&'static str] = &[
        "name",
        "kind",
        "group_membership_ids",
        "registration_date",
        "area_id",
        "z_ind_grp_num_individuals",
    ];
}

#[tokio::test]
async fn search_read_registrant_groups_into_records() {
    let name = "search_read_registrant_groups";
    let (server, odoo) = session_for(name).await;
    let groups = odoo
        .repo::<ResPartner>()
        .search_read(rp::IS_REGISTRANT.eq(true) & rp::IS_GROUP.eq(true))
        .records::<Household>()
        .limit(5)
        .await
        .unwrap();
    assert_same_request(&server, name, "/xmlrpc/2/object");
    assert_eq!(groups.len(), 5);
    let first = &groups[0];
    assert_eq!((first.id, first.name.as_str()), (1191, "Arthurs"));
    assert_eq!(first.kind, Some((2, "Family".to_owned())));
    assert_eq!(first.group_membership_ids, [123]);
    assert_eq!(first.registration_date, Some(date("2026-11-18")));
    assert!(first.area_id.is_none());
    assert_eq!(first.z_ind_grp_num_individuals, 0);
}

/// `g2p.entitlement`, declared the way the generator would (fields used by the capture).
#[derive(Debug, Clone, Copy)]
struct G2pEntitlement;
impl Model for G2pEntitlement {
    const NAME: &'static str = "g2p.entitlement";
    const FIELDS: &'static [&'static str] = &["code", "initial_amount", "state", "valid_from"];
    const REQUIRED: &'static [&'static str] = &[];
}

#[derive(Debug, serde::Deserialize)]
struct Entitlement {
    id: i32,
    code: String,
    partner_id: (i32, String),
    initial_amount: f64,
    state: String,
    valid_from: Option<String>,
    date_approved: Option<String>,
    is_cash_entitlement: bool,
}
impl Record for Entitlement {
    type Model = G2pEntitlement;
    const FIELDS: &'static [&'static str] = &[
        "code",
        "partner_id",
        "cycle_id",
        "program_id",
        "initial_amount",
        "currency_id",
        "state",
        "valid_from",
        "valid_until",
        "date_approved",
        "is_cash_entitlement",
    ];
}

#[tokio::test]
async fn search_read_g2p_entitlement() {
    let name = "search_read_g2p_entitlement";
    let (server, odoo) = session_for(name).await;
    let rows = odoo
        .repo::<G2pEntitlement>()
        .search_read(Domain::all())
        .records::<Entitlement>()
        .limit(5)
        .order(G2pEntitlement::ID.asc())
        .await
        .unwrap();
    assert_same_request(&server, name, "/xmlrpc/2/object");
    assert_eq!(rows.len(), 5);
    assert_eq!(rows[0].id, 1);
    assert_eq!(rows[0].code, "4-bc65-4a86-babe-e499");
    assert_eq!(rows[0].partner_id.0, 1155);
    assert_eq!(rows[0].initial_amount, 250.0);
    assert_eq!(rows[0].state, "draft");
    assert_eq!(rows[0].valid_from.as_deref(), Some("2026-12-01"));
    assert!(rows[0].date_approved.is_none());
    assert!(rows[0].is_cash_entitlement);

    // Without a field list the server computes every field and one of them fails.
    let name = "search_read_g2p_entitlement_allfields_fault";
    let (server, odoo) = session_for(name).await;
    #[derive(serde::Serialize)]
    struct Kw {
        limit: i32,
        order: &'static str,
    }
    let result: Result<Vec<Struct>, _> = odoo
        .execute_kw(
            "g2p.entitlement",
            "search_read",
            (Vec::<Value>::new(),),
            Kw {
                limit: 5,
                order: "id",
            },
        )
        .await;
    assert_same_request(&server, name, "/xmlrpc/2/object");
    let (kind, changed, message) = fault_kind(result);
    assert_eq!(
        kind,
        FaultKind::Other {
            exception: Some("ValueError".into())
        }
    );
    assert!(!changed);
    assert!(message.contains("Compute method failed"), "{message}");
}

#[tokio::test]
async fn fields_get_and_read_group() {
    let name = "fields_get_res_partner";
    let (server, odoo) = session_for(name).await;
    let fields = odoo.repo::<ResPartner>().fields_get(&[]).await.unwrap();
    assert_same_request(&server, name, "/xmlrpc/2/object");
    assert_eq!(
        fields["country_id"].get("relation"),
        Some(&Value::String("res.country".into()))
    );

    let name = "fields_get_res_partner_attrs";
    let (server, odoo) = session_for(name).await;
    let attrs = [
        "string",
        "type",
        "relation",
        "required",
        "readonly",
        "selection",
        "help",
    ];
    let fields = odoo.repo::<ResPartner>().fields_get(&attrs).await.unwrap();
    assert_same_request(&server, name, "/xmlrpc/2/object");
    assert_eq!(
        fields["spp_id"].get("type"),
        Some(&Value::String("char".into()))
    );

    let name = "fields_get_product_pricelist_marshal_none";
    let (server, odoo) = session_for(name).await;
    let result: Result<BTreeMap<String, Struct>, _> = odoo
        .execute_kw("product.pricelist", "fields_get", [(); 0], Struct::new())
        .await;
    assert_same_request(&server, name, "/xmlrpc/2/object");
    let (kind, changed, _) = fault_kind(result);
    assert_eq!(
        kind,
        FaultKind::Other {
            exception: Some("TypeError".into())
        }
    );
    assert!(!changed, "a read-only call cannot have changed data");

    let name = "read_group_res_partner";
    let (server, odoo) = session_for(name).await;
    #[derive(serde::Serialize)]
    struct Kw {
        limit: i32,
        orderby: &'static str,
    }
    let groups: Vec<Struct> = odoo
        .execute_kw(
            "res.partner",
            "read_group",
            (Vec::<Value>::new(), ["country_id"], ["country_id"]),
            Kw {
                limit: 10,
                orderby: "country_id",
            },
        )
        .await
        .unwrap();
    assert_same_request(&server, name, "/xmlrpc/2/object");
    assert_eq!(groups.len(), 10);
}

// ---- writes ---------------------------------------------------------------------------------

#[tokio::test]
async fn create_res_partner() {
    let name = "create_res_partner";
    let (server, odoo) = session_for(name).await;
    let id = odoo
        .repo::<ResPartner>()
        .create(
            ResPartner::create()
                .set(rp::NAME, "Wire Capture Partner")
                .set(rp::EMAIL, "wire@example.com")
                .set(rp::COUNTRY_ID, Id::<ResCountry>::new(20))
                .set(rp::CATEGORY_ID, Command::set([Id::new(4), Id::new(7)]))
                .set(rp::DATE, date("2024-01-15"))
                .set(rp::IS_COMPANY, false)
                .set(rp::PARTNER_LATITUDE, 50.8503)
                .set(rp::COMMENT, "<p>café ✓ <b>unicode</b> &amp; xml</p>"),
        )
        .await
        .unwrap();
    assert_same_request(&server, name, "/xmlrpc/2/object");
    assert_eq!(id, Id::new(59));
}

#[tokio::test]
async fn create_many_surfaces_the_singleton_bug() {
    let name = "create_res_partner_multi";
    let (server, odoo) = session_for(name).await;
    let result = odoo
        .repo::<ResPartner>()
        .create_many(vec![
            rp::NAME.set("Wire Multi A"),
            rp::NAME.set("Wire Multi B").set(rp::IS_COMPANY, true),
        ])
        .await;
    assert_same_request(&server, name, "/xmlrpc/2/object");
    let (kind, changed, message) = fault_kind(result);
    assert_eq!(
        kind,
        FaultKind::Other {
            exception: Some("ValueError".into())
        }
    );
    assert!(!changed, "the fault is raised before the commit");
    assert!(message.contains("Expected singleton"), "{message}");
}

#[tokio::test]
async fn write_res_partner() {
    let name = "write_res_partner";
    let (server, odoo) = session_for(name).await;
    odoo.repo::<ResPartner>()
        .write(
            &[Id::new(59)],
            rp::EMAIL
                .set("wire2@example.com")
                .clear(rp::DATE)
                .set(rp::CATEGORY_ID, Command::Clear)
                .set(rp::COLOR, 3),
        )
        .await
        .unwrap();
    assert_same_request(&server, name, "/xmlrpc/2/object");
}

#[tokio::test]
async fn unlink_fault_says_data_may_have_changed() {
    let name = "unlink_res_partner";
    let (server, odoo) = session_for(name).await;
    let err = odoo
        .repo::<ResPartner>()
        .unlink(&[Id::new(59)])
        .await
        .unwrap_err();
    assert_same_request(&server, name, "/xmlrpc/2/object");
    assert!(err.may_have_changed_data(), "{err}");
    assert!(
        err.to_string().contains("may already have applied"),
        "{err}"
    );
    let fault = err.fault().unwrap();
    assert!(fault.traceback.as_deref().unwrap().starts_with("Traceback"));
    assert_eq!(
        fault.message,
        "TypeError: cannot marshal None unless allow_none is enabled"
    );
    // The exception is named once: "server error: TypeError: cannot marshal None …".
    assert_eq!(err.to_string().matches("TypeError").count(), 1, "{err}");
}

#[tokio::test]
async fn create_validation_errors() {
    let name = "create_validation_error";
    let (server, odoo) = session_for(name).await;
    let result = odoo
        .repo::<ResPartner>()
        .create(rp::EMAIL.set("noname@example.com"))
        .await;
    assert_same_request(&server, name, "/xmlrpc/2/object");
    let (kind, changed, message) = fault_kind(result);
    assert_eq!(kind, FaultKind::ValidationError);
    assert!(!changed);
    assert!(message.contains("Contacts require a name"));

    let name = "create_missing_required";
    let (server, odoo) = session_for(name).await;
    let values: BTreeMap<&str, i32> = [("color", 1)].into();
    let result: Result<i32, _> = odoo
        .execute_kw("res.partner.category", "create", (values,), ())
        .await;
    assert_same_request(&server, name, "/xmlrpc/2/object");
    let (kind, _, message) = fault_kind(result);
    assert_eq!(kind, FaultKind::ValidationError);
    assert!(message.contains("Field: Tag Name (name)"));
}

// ---- faults ---------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy)]
struct NoSuchModel;
impl Model for NoSuchModel {
    const NAME: &'static str = "no.such.model";
    const FIELDS: &'static [&'static str] = &["id"];
    const REQUIRED: &'static [&'static str] = &[];
}

#[tokio::test]
async fn unknown_model_method_and_private_method() {
    let name = "unknown_model";
    let (server, odoo) = session_for(name).await;
    let result = odoo.repo::<NoSuchModel>().search(Domain::all()).await;
    assert_same_request(&server, name, "/xmlrpc/2/object");
    assert_eq!(fault_kind(result).0, FaultKind::UnknownModel);

    let name = "unknown_method";
    let (server, odoo) = session_for(name).await;
    let result: Result<Value, _> = odoo
        .execute_kw("res.partner", "no_such_method", (Vec::<Value>::new(),), ())
        .await;
    assert_same_request(&server, name, "/xmlrpc/2/object");
    let (kind, changed, message) = fault_kind(result);
    assert_eq!(kind, FaultKind::UnknownMethod);
    assert!(!changed, "no marshalling failure: nothing was committed");
    assert!(message.contains("does not exist on the model"));

    let name = "private_method";
    let (server, odoo) = session_for(name).await;
    let result: Result<Value, _> = odoo
        .execute_kw(
            "res.partner",
            "_compute_display_name",
            (Vec::<Value>::new(),),
            (),
        )
        .await;
    assert_same_request(&server, name, "/xmlrpc/2/object");
    assert_eq!(fault_kind(result).0, FaultKind::AccessError);
}

#[tokio::test]
async fn bad_domains() {
    let name = "bad_domain_field";
    let (server, odoo) = session_for(name).await;
    let result: Result<Vec<i32>, _> = odoo
        .execute_kw("res.partner", "search", ((("no_such_field", "=", 1),),), ())
        .await;
    assert_same_request(&server, name, "/xmlrpc/2/object");
    assert_eq!(fault_kind(result).0, FaultKind::InvalidField);

    let name = "bad_domain_operator";
    let (server, odoo) = session_for(name).await;
    let result: Result<Vec<i32>, _> = odoo
        .execute_kw("res.partner", "search", ((("name", "bogus_op", "x"),),), ())
        .await;
    assert_same_request(&server, name, "/xmlrpc/2/object");
    let (kind, _, message) = fault_kind(result);
    assert_eq!(
        kind,
        FaultKind::Other {
            exception: Some("ValueError".into())
        }
    );
    assert!(message.contains("Invalid leaf"));

    let name = "bad_domain_structure";
    let (server, odoo) = session_for(name).await;
    let domain = Value::Array(vec![
        Value::String("|".into()),
        Value::Array(vec![
            Value::String("name".into()),
            Value::String("=".into()),
            Value::String("x".into()),
        ]),
    ]);
    let result: Result<Vec<i32>, _> = odoo
        .execute_kw("res.partner", "search", (domain,), ())
        .await;
    assert_same_request(&server, name, "/xmlrpc/2/object");
    assert!(fault_kind(result).2.contains("syntactically not correct"));
}

#[tokio::test]
async fn access_faults() {
    let name = "access_denied_norights_read";
    let (server, odoo) = session_for(name).await;
    #[derive(serde::Serialize)]
    struct Fields {
        fields: &'static [&'static str],
    }
    let result: Result<Vec<Struct>, _> = odoo
        .execute_kw(
            "ir.cron",
            "search_read",
            (Vec::<Value>::new(),),
            Fields { fields: &["name"] },
        )
        .await;
    assert_same_request(&server, name, "/xmlrpc/2/object");
    let (kind, _, message) = fault_kind(result);
    assert_eq!(kind, FaultKind::AccessError);
    assert!(message.contains("Scheduled Actions"));

    let name = "norights_ir_config_parameter_readable_quirk";
    let (server, odoo) = session_for(name).await;
    let rows: Vec<Struct> = odoo
        .execute_kw(
            "ir.config_parameter",
            "search_read",
            (Vec::<Value>::new(),),
            Fields {
                fields: &["key", "value"],
            },
        )
        .await
        .unwrap();
    assert_same_request(&server, name, "/xmlrpc/2/object");
    assert!(!rows.is_empty());

    let name = "access_denied_norights_partner_write";
    let (server, odoo) = session_for(name).await;
    let result = odoo
        .repo::<ResPartner>()
        .write(&[Id::new(1)], rp::NAME.set("x"))
        .await;
    assert_same_request(&server, name, "/xmlrpc/2/object");
    let (kind, changed, _) = fault_kind(result);
    assert_eq!(kind, FaultKind::AccessError);
    assert!(!changed);

    let name = "wrong_password_execute_kw";
    let (server, odoo) = session_for(name).await;
    let result = odoo.repo::<ResPartner>().search_count(Domain::all()).await;
    assert_same_request(&server, name, "/xmlrpc/2/object");
    let err = result.unwrap_err();
    assert!(!format!("{err} {err:?}").contains("wrong-password"));
    assert_eq!(fault_kind(Err::<(), _>(err)).0, FaultKind::AccessDenied);

    let name = "wrong_db_execute_kw";
    let (server, odoo) = session_for(name).await;
    let result = odoo.repo::<ResPartner>().search_count(Domain::all()).await;
    assert_same_request(&server, name, "/xmlrpc/2/object");
    assert_eq!(
        fault_kind(result).0,
        FaultKind::Other {
            exception: Some("psycopg2.OperationalError".into())
        }
    );
}

#[test]
fn every_capture_is_covered() {
    // The captures this file replays; a new capture must get a test here.
    let covered = [
        "access_denied_norights_partner_write",
        "access_denied_norights_read",
        "authenticate_bad_password",
        "authenticate_good",
        "authenticate_good_apikey",
        "bad_domain_field",
        "bad_domain_operator",
        "bad_domain_structure",
        "create_missing_required",
        "create_res_partner",
        "create_res_partner_multi",
        "create_validation_error",
        "fields_get_product_pricelist_marshal_none",
        "fields_get_res_partner",
        "fields_get_res_partner_attrs",
        "login_legacy",
        "name_search_res_partner",
        "norights_ir_config_parameter_readable_quirk",
        "private_method",
        "read_group_res_partner",
        "read_missing_record",
        "read_res_partner",
        "search_count_res_partner",
        "search_read_g2p_entitlement",
        "search_read_g2p_entitlement_allfields_fault",
        "search_read_registrant_groups",
        "search_read_res_partner",
        "search_res_partner",
        "unknown_method",
        "unknown_model",
        "unlink_res_partner",
        "version",
        "write_res_partner",
        "wrong_db_execute_kw",
        "wrong_password_execute_kw",
    ];
    let mut on_disk: Vec<String> = std::fs::read_dir(replay::wire_dir())
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().into_string().unwrap();
            name.strip_suffix(".request.xml").map(str::to_owned)
        })
        .collect();
    on_disk.sort();
    assert_eq!(on_disk, covered);
}
