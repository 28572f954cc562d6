//! openspp-client's four wire paths (XML-RPC, JSON-RPC, the web session, JSON-2) against the
//! dev server over loopback HTTP: the protocol `Auto` picks per secret and release, the same
//! typed results and the same typed errors on every path, an expired web session renewed for
//! reads and reported for writes, and logout.

mod support;

use openspp_client::{
    Args, Client, Domain, Error, FaultKind, Id, Many2one, Protocol, Record, Secret, Session, Value,
};
use openspp_devserver::{DEMO_API_KEY, OdooVersion};
use openspp_models::res_country::ResCountry;
use openspp_models::res_partner::{self, ResPartner};
use support::start_as;

const PROTOCOLS: [Protocol; 4] = [
    Protocol::XmlRpc,
    Protocol::JsonRpc,
    Protocol::Web,
    Protocol::Json2,
];

/// The secret each path takes for admin: the API key for JSON-2, the password otherwise.
fn secret(protocol: Protocol) -> Secret {
    match protocol {
        Protocol::Json2 => Secret::api_key(DEMO_API_KEY),
        _ => Secret::password("admin"),
    }
}

async fn login(url: &str, protocol: Protocol) -> Session {
    let session = Client::builder(url, "openspp")
        .protocol(protocol)
        .build()
        .unwrap()
        .login("admin", secret(protocol))
        .await
        .unwrap_or_else(|e| panic!("{protocol}: {e}"));
    assert_eq!((session.protocol(), session.uid()), (protocol, 2));
    session
}

#[derive(Debug, PartialEq, Record)]
#[record(model = ResPartner)]
struct Partner {
    id: Id<ResPartner>,
    name: String,
    email: Option<String>,
    country_id: Option<Many2one<ResCountry>>,
    #[record(rename = "category_id")]
    categories: Vec<Id<openspp_models::res_partner_category::ResPartnerCategory>>,
}

#[tokio::test]
async fn auto_picks_the_path_per_secret_and_release() {
    for (version, api_key_path) in [
        (OdooVersion::V17, Protocol::JsonRpc),
        (OdooVersion::V19, Protocol::Json2),
    ] {
        let server = start_as(version).await;
        let client = Client::new(&server.url(), "openspp").unwrap();
        let cases = [
            (Secret::password("admin"), Protocol::Web),
            (Secret::api_key(DEMO_API_KEY), api_key_path),
        ];
        for (secret, expected) in cases {
            let session = client.login("admin", secret).await.unwrap();
            assert_eq!(session.protocol(), expected, "{version:?}");
            assert_eq!(session.uid(), 2);
        }
        let version_info = client.version().await.unwrap();
        assert_eq!(
            version_info.major(),
            Some(if version == OdooVersion::V19 { 19 } else { 17 })
        );
        assert_eq!(server.failed_logins(), 0);
        server.stop().await;
    }
}

/// A plain string reaches the protocol `Auto` picks for the kind it is, told apart by shape
/// (an Odoo API key is 40 lowercase hex characters), with no failed login on the way: Odoo
/// counts those toward its login cooldown.
#[tokio::test]
async fn a_plain_string_takes_the_path_of_the_secret_it_is() {
    for version in [OdooVersion::V17, OdooVersion::V19] {
        let server = start_as(version).await;
        let client = Client::new(&server.url(), "openspp").unwrap();
        for (plain, said) in [
            ("admin", Secret::password("admin")),
            (DEMO_API_KEY, Secret::api_key(DEMO_API_KEY)),
        ] {
            let expected = client.login("admin", said).await.unwrap().protocol();
            let from_str = client.login("admin", plain).await.unwrap();
            let from_string = client.login("admin", plain.to_owned()).await.unwrap();
            let from_new = client.login("admin", Secret::new(plain)).await.unwrap();
            for session in [from_str, from_string, from_new] {
                assert_eq!(session.protocol(), expected, "{version:?}");
                assert_eq!(session.uid(), 2);
                assert_eq!(
                    ResPartner::repo(&session)
                        .search_count(Domain::all())
                        .await
                        .map(|n| n > 0)
                        .ok(),
                    Some(true)
                );
            }
        }
        assert_eq!(server.failed_logins(), 0, "{version:?}");
        server.stop().await;
    }
}

/// A password that happens to have a key's shape still logs in, with no failed login: before
/// 19 over JSON-RPC (which takes both); on 19 JSON-2 refuses it as a bearer token (no login
/// attempt for Odoo) and the web session takes it.
#[tokio::test]
async fn a_password_of_a_keys_shape_logs_in_without_a_failed_attempt() {
    const HEX_PASSWORD: &str = "0123456789abcdef0123456789abcdef01234567";
    for (version, expected) in [
        (OdooVersion::V17, Protocol::JsonRpc),
        (OdooVersion::V19, Protocol::Web),
    ] {
        let mut users = openspp_devserver::default_users();
        users[0].password = openspp_devserver::Secret::new(HEX_PASSWORD);
        let config = openspp_devserver::Config::new(support::schemas())
            .odoo_version(version)
            .users(users);
        let server = support::start(Some(config)).await;
        let client = Client::new(&server.url(), "openspp").unwrap();
        let session = client.login("admin", HEX_PASSWORD).await.unwrap();
        assert_eq!(
            (session.protocol(), session.uid()),
            (expected, 2),
            "{version:?}"
        );
        assert_eq!(server.failed_logins(), 0, "{version:?}");

        // A wrong secret is one failed login, never two.
        let err = client
            .login("admin", "ffffffffffffffffffffffffffffffffffffffff")
            .await
            .unwrap_err();
        assert!(matches!(err, Error::AuthenticationFailed { .. }), "{err:?}");
        assert_eq!(server.failed_logins(), 1, "{version:?}");
        server.stop().await;
    }
}

/// A JSON-RPC login the server faults (an unknown database, as real 17 and 19 answer it:
/// `psycopg2.OperationalError`) names the path it took and the cause, not `common.authenticate`
/// alone, which reads as XML-RPC.
#[tokio::test]
async fn a_json_rpc_login_fault_names_json_rpc_and_its_cause() {
    for version in [OdooVersion::V17, OdooVersion::V19] {
        let server = start_as(version).await;
        let err = Client::builder(&server.url(), "no_such_db")
            .protocol(Protocol::JsonRpc)
            .build()
            .unwrap()
            .login("admin", Secret::password("admin"))
            .await
            .unwrap_err();
        let text = err.to_string();
        assert!(
            text.starts_with("common.authenticate (jsonrpc): ")
                && text.contains("database \"no_such_db\" does not exist"),
            "{version:?}: {text}"
        );
        server.stop().await;
    }
}

#[tokio::test]
async fn every_path_reads_and_writes_alike() {
    let server = start_as(OdooVersion::V19).await;
    let url = server.url();
    let mut answers = Vec::new();
    for protocol in PROTOCOLS {
        let odoo = login(&url, protocol).await;
        let partners = ResPartner::repo(&odoo);
        let rows = partners
            .search_read(res_partner::IS_COMPANY.eq(false))
            .records::<Partner>()
            .order(res_partner::NAME.asc())
            .limit(20)
            .await
            .unwrap_or_else(|e| panic!("{protocol}: {e}"));
        assert!(!rows.is_empty(), "{protocol}");
        let columns = partners
            .search_read(Domain::all())
            .fields((
                res_partner::NAME,
                res_partner::EMAIL,
                res_partner::PARENT_ID,
            ))
            .limit(20)
            .await
            .unwrap();
        let count = partners.search_count(Domain::all()).await.unwrap();
        let raw: Vec<Value> = odoo
            .call(
                "res.partner",
                "read",
                Args::new()
                    .ids(rows.iter().map(|r| r.id.get()).collect::<Vec<_>>())
                    .arg("fields", ["name", "email"]),
            )
            .await
            .unwrap();
        answers.push((
            protocol,
            format!("{rows:?}"),
            format!("{columns:?}"),
            count,
            raw,
        ));

        let id = partners
            .create(ResPartner::create().set(res_partner::NAME, format!("Made over {protocol}")))
            .await
            .unwrap();
        partners
            .write(&[id], res_partner::EMAIL.set("made@example.org"))
            .await
            .unwrap();
        let back = partners.read(&[id]).records::<Partner>().await.unwrap();
        assert_eq!(
            back[0].email.as_deref(),
            Some("made@example.org"),
            "{protocol}"
        );
        partners.unlink(&[id]).await.unwrap();
        odoo.logout().await.unwrap();
    }
    let (_, rows, columns, count, raw) = &answers[0];
    for (protocol, r, c, n, v) in &answers[1..] {
        assert_eq!(
            (r, c, n),
            (rows, columns, count),
            "{protocol} reads as XML-RPC does"
        );
        assert_eq!(v, raw, "{protocol}: Value rows");
    }
    server.stop().await;
}

/// The kind of a call's error, and whether it may have changed data.
fn kind<T: std::fmt::Debug>(result: Result<T, Error>) -> (FaultKind, bool) {
    match result {
        Err(Error::Fault(f)) => (f.kind.clone(), f.may_have_changed_data),
        other => panic!("expected a fault, got {other:?}"),
    }
}

#[tokio::test]
async fn every_path_gives_the_same_typed_errors() {
    let server = start_as(OdooVersion::V19).await;
    let url = server.url();
    let mut seen = Vec::new();
    for protocol in PROTOCOLS {
        let wrong = Client::builder(&url, "openspp")
            .protocol(protocol)
            .build()
            .unwrap()
            .login(
                "admin",
                match protocol {
                    Protocol::Json2 => Secret::api_key("wrong"),
                    _ => Secret::password("wrong"),
                },
            )
            .await;
        // the error names the path the login took, and what the server answered
        let label = match protocol {
            Protocol::XmlRpc => "over XML-RPC: common.authenticate answered False",
            Protocol::JsonRpc => "over JSON-RPC: common.authenticate answered False",
            Protocol::Web => "over the web session: /web/session/authenticate refused",
            _ => "over JSON-2: res.users.context_get refused the bearer key",
        };
        match &wrong {
            Err(err @ Error::AuthenticationFailed { protocol: used, .. }) => {
                assert_eq!(*used, protocol);
                assert!(err.to_string().contains(label), "{protocol}: {err}");
            }
            other => panic!("{protocol}: {other:?}"),
        }

        let odoo = login(&url, protocol).await;
        let none: [i32; 0] = [];
        let kinds = [
            kind(
                odoo.call::<Value>("no.such.model", "search", Args::new().arg("domain", none))
                    .await,
            ),
            kind(
                odoo.call::<Value>("res.partner", "no_such_method", Args::new())
                    .await,
            ),
            kind(
                odoo.call::<Value>("res.partner", "_private", Args::new())
                    .await,
            ),
            kind(
                odoo.call::<Value>(
                    "res.partner",
                    "search_read",
                    Args::new()
                        .arg("domain", none)
                        .kwarg("fields", ["no_such_field"]),
                )
                .await,
            ),
            kind(
                odoo.call::<Value>(
                    "res.partner",
                    "write",
                    Args::new()
                        .ids([999_999])
                        .arg("vals", serde_json::json!({"name": "x"})),
                )
                .await,
            ),
            kind(
                odoo.call::<Value>(
                    "res.partner",
                    "create",
                    Args::new().arg("vals_list", serde_json::json!([{"name": false}])),
                )
                .await,
            ),
        ];
        for (kind, changed) in &kinds {
            assert!(!changed, "{protocol}: {kind} changed nothing");
        }
        assert_eq!(kinds[0].0, FaultKind::UnknownModel, "{protocol}");
        assert_eq!(kinds[3].0, FaultKind::InvalidField, "{protocol}");
        assert_eq!(kinds[4].0, FaultKind::MissingError, "{protocol}");
        seen.push((protocol, kinds));
    }
    let (_, xmlrpc) = &seen[0];
    for (protocol, kinds) in &seen[1..] {
        assert_eq!(kinds, xmlrpc, "{protocol}: the kinds XML-RPC gives");
    }
    server.stop().await;
}

#[tokio::test]
async fn an_expired_web_session_is_renewed_for_reads_and_reported_for_writes() {
    let server = start_as(OdooVersion::V17).await;
    let odoo = login(&server.url(), Protocol::Web).await;
    let partners = ResPartner::repo(&odoo);
    let id = partners
        .create(ResPartner::create().set(res_partner::NAME, "Before expiry"))
        .await
        .unwrap();

    server.expire_sessions();
    let rows = partners.read(&[id]).records::<Partner>().await.unwrap();
    assert_eq!(
        rows[0].name, "Before expiry",
        "a read renews the session, once"
    );

    server.expire_sessions();
    let err = partners
        .write(&[id], res_partner::NAME.set("After expiry"))
        .await
        .unwrap_err();
    assert!(matches!(&err, Error::SessionExpired { .. }), "{err:?}");
    assert!(!err.may_have_changed_data());
    assert!(err.to_string().contains("nothing changed"), "{err}");
    let rows = partners.read(&[id]).records::<Partner>().await.unwrap();
    assert_eq!(rows[0].name, "Before expiry", "the write did not run");
    partners
        .write(&[id], res_partner::NAME.set("After expiry"))
        .await
        .expect("the renewed session takes the write");
    partners.unlink(&[id]).await.unwrap();
    server.stop().await;
}

#[tokio::test]
async fn logout_ends_the_web_session() {
    let server = start_as(OdooVersion::V17).await;
    let odoo = login(&server.url(), Protocol::Web).await;
    let clone = odoo.clone();
    odoo.logout().await.unwrap();
    let err = clone
        .repo::<ResPartner>()
        .search_count(Domain::all())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::LoggedOut { .. }), "{err:?}");
    assert!(!format!("{odoo:?} {err}").contains("session_id"));
    odoo.logout().await.expect("a second logout is a no-op");
    server.stop().await;
}

/// Every path forgets its secret at logout: a later read or create through the session or a
/// clone is refused before anything is sent, and nothing was created.
#[tokio::test]
async fn logout_forgets_the_secret_on_every_path() {
    for (version, protocol) in [
        (OdooVersion::V17, Protocol::XmlRpc),
        (OdooVersion::V17, Protocol::JsonRpc),
        (OdooVersion::V17, Protocol::Web),
        (OdooVersion::V19, Protocol::Json2),
    ] {
        let server = start_as(version).await;
        let odoo = login(&server.url(), protocol).await;
        let clone = odoo.clone();
        let partners = clone.repo::<ResPartner>();
        let before = partners.search_count(Domain::all()).await.unwrap();
        odoo.logout().await.unwrap();
        let err = partners.search_count(Domain::all()).await.unwrap_err();
        assert!(
            matches!(err, Error::LoggedOut { .. }),
            "{protocol}: {err:?}"
        );
        let err = partners
            .create(ResPartner::create().set(res_partner::NAME, "After logout"))
            .await
            .unwrap_err();
        assert!(
            matches!(err, Error::LoggedOut { .. }),
            "{protocol}: {err:?}"
        );
        assert!(!err.may_have_changed_data(), "{protocol}");
        let fresh = login(&server.url(), protocol).await;
        assert_eq!(
            fresh
                .repo::<ResPartner>()
                .search_count(Domain::all())
                .await
                .unwrap(),
            before,
            "{protocol}: nothing was created"
        );
        server.stop().await;
    }
}

/// A server behind a reverse proxy at a path: the client keeps the URL's path on every route
/// of every protocol; without the prefix the routes are not found.
#[tokio::test]
async fn a_url_with_a_path_prefix_reaches_the_prefixed_routes() {
    for version in [OdooVersion::V17, OdooVersion::V19] {
        let config = openspp_devserver::Config::new(support::schemas())
            .odoo_version(version)
            .path_prefix("/odoo");
        let server = support::start(Some(config)).await;
        for protocol in PROTOCOLS {
            if protocol == Protocol::Json2 && version == OdooVersion::V17 {
                continue;
            }
            for base in [
                format!("{}/odoo", server.url()),
                format!("{}/odoo/", server.url()),
            ] {
                let odoo = login(&base, protocol).await;
                let count = ResPartner::repo(&odoo).search_count(Domain::all()).await;
                assert!(count.is_ok_and(|n| n > 0), "{version:?} {protocol} {base}");
            }
            let unprefixed = Client::builder(&server.url(), "openspp")
                .protocol(protocol)
                .build()
                .unwrap()
                .login("admin", secret(protocol))
                .await
                .unwrap_err();
            assert!(
                unprefixed.to_string().contains("404"),
                "{protocol}: {unprefixed}"
            );
        }
        server.stop().await;
    }
}

#[test]
fn a_url_without_a_scheme_is_refused_with_both_choices() {
    let err = Client::new("127.0.0.1:8069", "openspp").unwrap_err();
    let message = err.to_string();
    assert!(matches!(err, Error::Config(_)), "{err:?}");
    assert!(
        message.contains("https://127.0.0.1:8069") && message.contains("http://127.0.0.1:8069"),
        "{message}"
    );
}

/// JSON-2 asked of Odoo 17 says what is wrong, not "HTTP status 404: <!DOCTYPE html>".
#[tokio::test]
async fn json2_on_odoo_17_says_it_needs_19() {
    let server = start_as(OdooVersion::V17).await;
    let err = Client::builder(&server.url(), "openspp")
        .protocol(Protocol::Json2)
        .build()
        .unwrap()
        .login("admin", Secret::api_key(DEMO_API_KEY))
        .await
        .unwrap_err();
    let message = err.to_string();
    assert!(matches!(err, Error::Config(_)), "{err:?}");
    assert!(
        message.contains("JSON-2 needs Odoo 19 or later") && message.contains("17.0"),
        "{message}"
    );
    server.stop().await;
}
