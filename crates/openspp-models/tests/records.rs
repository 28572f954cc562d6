//! `#[derive(Record)]` end to end over HTTP on 127.0.0.1 against the embedded dev server:
//! `search_read`, `read` and `stream` decode into record structs that the compiler checked
//! against the generated field constants, requesting exactly the struct's fields.
#![cfg(all(feature = "base", feature = "g2p_registry_base"))]

use chrono::NaiveDate;
use futures_util::TryStreamExt;
use openspp_client::{
    Client, Command, Error, Id, Many2one, Protocol, ProtocolError, Record, Secret, Session, X2many,
};
use openspp_devserver::{Config, DevServer, RunningServer};
use openspp_models::res_country::{self, ResCountry};
use openspp_models::res_partner::{self, ResPartner};
use std::path::Path;

/// An OpenSPP household as a program reads it: every field type family once.
#[derive(Debug, Record)]
#[record(model = ResPartner)]
struct Household {
    id: Id<ResPartner>,
    name: String,
    email: Option<String>,
    is_group: bool,
    country_id: Option<Many2one<ResCountry>>,
    #[record(rename = "child_ids")]
    members: X2many<ResPartner>,
    r#type: Option<res_partner::Type>,
    registration_date: Option<NaiveDate>,
}

/// The same partners, stating that every one has an email.
#[derive(Debug, Record)]
#[record(model = openspp_models::res_partner::ResPartner)]
struct Mailable {
    email: String,
}

async fn server() -> (RunningServer, Session) {
    server_over(Protocol::Auto).await
}

async fn server_over(protocol: Protocol) -> (RunningServer, Session) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas");
    let schemas = openspp_schema::SchemaSet::load(dir).expect("the checked-in schemas load");
    let server = DevServer::new(Config::new(schemas))
        .expect("the dev server builds")
        .bind("127.0.0.1:0".parse().expect("an address"))
        .await
        .expect("the dev server binds");
    let odoo = Client::builder(&server.url(), "openspp")
        .protocol(protocol)
        .build()
        .expect("a client")
        .login("admin", Secret::new("admin"))
        .await
        .expect("admin logs in");
    (server, odoo)
}

#[tokio::test]
async fn records_are_read_into_checked_structs() {
    let (server, odoo) = server().await;
    let country = ResCountry::repo(&odoo)
        .create(ResCountry::create("ZZ", "Testland"))
        .await
        .expect("a country is created");
    let partners = ResPartner::repo(&odoo);
    let household = partners
        .create(
            ResPartner::create()
                .set(res_partner::NAME, "Arthurs")
                .set(res_partner::IS_GROUP, true)
                .set(res_partner::IS_REGISTRANT, true)
                .set(res_partner::COUNTRY_ID, country)
                .set(res_partner::TYPE, res_partner::Type::Contact)
                .set(
                    res_partner::REGISTRATION_DATE,
                    NaiveDate::from_ymd_opt(2026, 11, 18).expect("a date"),
                )
                .set(
                    res_partner::CHILD_IDS,
                    [
                        Command::Create(ResPartner::create().set(res_partner::NAME, "Ann")),
                        Command::Create(ResPartner::create().set(res_partner::NAME, "Bob")),
                    ],
                ),
        )
        .await
        .expect("a household is created with two members");

    let found = partners
        .search_read(res_partner::COUNTRY_ID.dot(res_country::CODE).eq("ZZ"))
        .records::<Household>()
        .await
        .expect("search_read answers");
    assert_eq!(found.len(), 1, "{found:?}");
    let arthurs = &found[0];
    assert_eq!(arthurs.id, household);
    assert_eq!(arthurs.name, "Arthurs");
    assert_eq!(arthurs.email, None, "an empty char field reads as None");
    assert!(arthurs.is_group);
    let country_read = arthurs.country_id.as_ref().expect("the country is set");
    assert_eq!(
        (country_read.id, country_read.name.as_deref()),
        (country, Some("Testland"))
    );
    assert_eq!(arthurs.members.ids.len(), 2);
    assert_eq!(arthurs.r#type, Some(res_partner::Type::Contact));
    assert_eq!(
        arthurs.registration_date,
        NaiveDate::from_ymd_opt(2026, 11, 18)
    );

    // `read` of the members, in the order asked, and `stream` through them by id.
    let members = partners
        .read(&arthurs.members.ids)
        .records::<Household>()
        .await
        .expect("read answers");
    let names: Vec<&str> = members.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["Ann", "Bob"]);
    assert!(
        members
            .iter()
            .all(|m| m.members.ids.is_empty() && !m.is_group)
    );
    let streamed: Vec<Id<ResPartner>> = partners
        .search_read(res_partner::ID.is_in(arthurs.members.ids.clone()))
        .records::<Household>()
        .stream(1)
        .map_ok(|m| m.id)
        .try_collect()
        .await
        .expect("the stream pages one record a call");
    assert_eq!(streamed, arthurs.members.ids);
    server.stop().await;
}

#[tokio::test]
async fn an_empty_field_read_into_a_bare_type_is_an_error_naming_it() {
    // The XML decoder and the one-pass JSON decoder name the same value, each in its
    // answer's own terms.
    for (protocol, path) in [
        (Protocol::XmlRpc, "params[0][0].email"),
        (Protocol::JsonRpc, "[0].email"),
        (Protocol::Web, "[0].email"),
    ] {
        let (server, odoo) = server_over(protocol).await;
        let partners = ResPartner::repo(&odoo);
        let id = partners
            .create(ResPartner::create().set(res_partner::NAME, "No Mail"))
            .await
            .expect("a partner is created");
        let with_mail = partners
            .create(
                ResPartner::create()
                    .set(res_partner::NAME, "Mail")
                    .set(res_partner::EMAIL, "mail@example.org"),
            )
            .await
            .expect("a partner is created");
        let read = partners
            .read(&[with_mail])
            .records::<Mailable>()
            .await
            .expect("a set email reads into String");
        assert_eq!(read[0].email, "mail@example.org");

        let err = partners
            .read(&[id])
            .records::<Mailable>()
            .await
            .expect_err("`email` is False and the struct says String");
        let found = match &err {
            Error::Protocol {
                kind: ProtocolError::Decode(decode),
                ..
            } => decode.path(),
            Error::Protocol {
                kind: ProtocolError::JsonValue { path, .. },
                ..
            } => path.clone(),
            _ => panic!("{protocol:?}: expected a decode error, got {err:?}"),
        };
        assert_eq!(found.as_deref(), Some(path), "{protocol:?}: {err}");
        assert!(
            err.to_string().contains("declare it `Option<...>`"),
            "{protocol:?}: {err}"
        );
        server.stop().await;
    }
    assert_eq!(Mailable::FIELDS, ["email"]);
}
