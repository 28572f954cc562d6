//! What OpenSPP's overrides answer, read by the typed API over every path: `unlink` answering
//! nothing and `create` answering the new recordset's `repr` (`"g2p.program(4,)"`) are
//! successes where JSON carries them; over XML-RPC they are faults raised after the commit,
//! which say the data may have changed.

mod support;

use openspp_client::{Client, Protocol, Secret, Session};
use openspp_devserver::{Config, OdooVersion, RunningServer};
use openspp_models::res_partner::{self as partner, ResPartner};
use support::{KEY, schemas, start};

async fn server(version: OdooVersion) -> RunningServer {
    start(Some(
        Config::new(schemas())
            .odoo_version(version)
            .openspp_answers(true),
    ))
    .await
}

async fn login(server: &RunningServer, protocol: Protocol) -> Session {
    let secret = match protocol {
        Protocol::Json2 | Protocol::XmlRpc => Secret::api_key(KEY),
        _ => Secret::password("admin"),
    };
    Client::builder(&server.url(), "openspp")
        .protocol(protocol)
        .build()
        .unwrap()
        .login("admin", secret)
        .await
        .unwrap_or_else(|e| panic!("{protocol}: {e}"))
}

#[tokio::test]
async fn create_and_unlink_succeed_on_what_openspp_answers() {
    for (version, protocol) in [
        (OdooVersion::V17, Protocol::JsonRpc),
        (OdooVersion::V17, Protocol::Web),
        (OdooVersion::V19, Protocol::Json2),
    ] {
        let server = server(version).await;
        let odoo = login(&server, protocol).await;
        let partners = ResPartner::repo(&odoo);
        let made = partners
            .create(ResPartner::create().set(partner::NAME, "Recordset answer"))
            .await
            .unwrap_or_else(|e| panic!("{protocol}: {e}"));
        let found = partners
            .search(partner::NAME.eq("Recordset answer"))
            .await
            .unwrap();
        assert_eq!(found, [made], "{protocol}");
        let two = partners
            .create_many(vec![
                ResPartner::create().set(partner::NAME, "Two a"),
                ResPartner::create().set(partner::NAME, "Two b"),
            ])
            .await
            .unwrap_or_else(|e| panic!("{protocol}: {e}"));
        assert_eq!(two.len(), 2);
        partners
            .write(&[made], partner::PHONE.set("+1 555"))
            .await
            .unwrap();
        partners
            .unlink(&[made])
            .await
            .unwrap_or_else(|e| panic!("{protocol}: unlink answered nothing: {e}"));
        assert!(
            partners
                .search(partner::ID.eq(made))
                .await
                .unwrap()
                .is_empty()
        );
        server.stop().await;
    }
}

#[tokio::test]
async fn over_xmlrpc_the_unmarshallable_answers_say_the_data_changed() {
    let server = server(OdooVersion::V17).await;
    let odoo = login(&server, Protocol::XmlRpc).await;
    let partners = ResPartner::repo(&odoo);
    let error = partners
        .create(ResPartner::create().set(partner::NAME, "Marshal"))
        .await
        .unwrap_err();
    assert!(error.may_have_changed_data(), "{error}");
    assert!(!error.is_safe_to_retry(), "{error}");
    let made = partners.search(partner::NAME.eq("Marshal")).await.unwrap();
    assert_eq!(made.len(), 1, "the record was created: {error}");
    let error = partners.unlink(&made).await.unwrap_err();
    assert!(error.may_have_changed_data(), "{error}");
    assert!(
        partners
            .search(partner::NAME.eq("Marshal"))
            .await
            .unwrap()
            .is_empty()
    );
    server.stop().await;
}

/// A PostgreSQL error reads as its cause (psycopg2's `ERROR` line), not as the `^` under
/// `LINE 1:` or the `HINT:` the traceback ends with, on every path.
#[tokio::test]
async fn postgresql_errors_read_as_their_cause_line() {
    for (version, protocol) in [
        (OdooVersion::V17, Protocol::XmlRpc),
        (OdooVersion::V17, Protocol::JsonRpc),
        (OdooVersion::V17, Protocol::Web),
        (OdooVersion::V19, Protocol::Json2),
    ] {
        let server = server(version).await;
        let odoo = login(&server, protocol).await;
        let method = if version >= OdooVersion::V19 {
            ("formatted_read_group", vec!["is_company"], vec!["name:sum"])
        } else {
            ("read_group", vec!["name:sum"], vec!["is_company"])
        };
        let error = odoo
            .call::<openspp_client::Value>(
                "res.partner",
                method.0,
                openspp_client::Args::new()
                    .arg("domain", Vec::<openspp_client::Value>::new())
                    .arg(
                        if version >= OdooVersion::V19 {
                            "groupby"
                        } else {
                            "fields"
                        },
                        method.1,
                    )
                    .arg(
                        if version >= OdooVersion::V19 {
                            "aggregates"
                        } else {
                            "groupby"
                        },
                        method.2,
                    ),
            )
            .await
            .unwrap_err();
        let fault = error
            .fault()
            .unwrap_or_else(|| panic!("{protocol}: {error}"));
        assert_eq!(
            fault.message,
            "psycopg2.errors.UndefinedFunction: function sum(character varying) does not exist",
            "{protocol}"
        );
        let error = odoo
            .call::<openspp_client::Value>(
                "res.partner",
                "search",
                openspp_client::Args::new().arg(
                    "domain",
                    openspp_client::Value::Array(vec![openspp_client::Value::Array(vec![
                        "birthdate".into(),
                        ">=".into(),
                        "2026-02-30".into(),
                    ])]),
                ),
            )
            .await
            .unwrap_err();
        let fault = error
            .fault()
            .unwrap_or_else(|| panic!("{protocol}: {error}"));
        assert_eq!(
            fault.message,
            "psycopg2.errors.DatetimeFieldOverflow: date/time field value out of range: \"2026-02-30\"",
            "{protocol}"
        );
        server.stop().await;
    }
}
