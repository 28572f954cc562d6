//! The generated bindings end to end over HTTP on 127.0.0.1, against the embedded dev server
//! serving the checked-in schemas: typed create (with the required arguments), search_read into
//! typed rows, write, read back, typed selection values and relations.
#![cfg(all(feature = "g2p_programs", feature = "g2p_registry_base"))]

use openspp_client::{Client, Command, Id, Secret};
use openspp_devserver::{Config, DevServer, RunningServer};
use openspp_models::g2p_program::{self, G2pProgram};
use openspp_models::product_template::{self, ProductTemplate};
use openspp_models::res_country::{self, ResCountry};
use openspp_models::res_partner::{self, ResPartner};
use openspp_models::res_partner_category::ResPartnerCategory;
use openspp_models::res_users::{self, ResUsers};
use std::path::Path;

async fn server() -> RunningServer {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../schemas");
    let schemas = openspp_schema::SchemaSet::load(dir).expect("the checked-in schemas load");
    DevServer::new(Config::new(schemas))
        .expect("the dev server builds")
        .bind("127.0.0.1:0".parse().expect("an address"))
        .await
        .expect("the dev server binds")
}

#[tokio::test]
async fn partners_round_trip_through_typed_fields() {
    let server = server().await;
    let odoo = Client::new(&server.url(), "openspp")
        .expect("a client")
        .login("admin", Secret::new("admin"))
        .await
        .expect("admin logs in");

    let countries = ResCountry::repo(&odoo);
    let belgium = countries
        .create(ResCountry::create("ZZ", "Testland"))
        .await
        .expect("a country is created with its two required fields");
    let tags = ResPartnerCategory::repo(&odoo);
    let tag = tags
        .create(ResPartnerCategory::create("Test tag"))
        .await
        .expect("a tag is created");

    let partners = ResPartner::repo(&odoo);
    let id = partners
        .create(
            ResPartner::create()
                .set(res_partner::NAME, "Ada Lovelace")
                .set(res_partner::EMAIL, "ada@example.com")
                .set(res_partner::COUNTRY_ID, belgium)
                .set(res_partner::CATEGORY_ID, [Command::Link(tag)])
                .set(res_partner::TYPE, res_partner::Type::Contact)
                .set(res_partner::IS_REGISTRANT, true),
        )
        .await
        .expect("a partner is created");

    let rows = partners
        .search_read(res_partner::COUNTRY_ID.dot(res_country::CODE).eq("ZZ"))
        .fields((
            res_partner::NAME,
            res_partner::COUNTRY_ID,
            res_partner::CATEGORY_ID,
            res_partner::TYPE,
            res_partner::IS_REGISTRANT,
        ))
        .await
        .expect("search_read answers");
    assert_eq!(rows.len(), 1);
    let (row_id, (name, country, categories, kind, registrant)) = &rows[0];
    assert_eq!(*row_id, id);
    assert_eq!(name.as_deref(), Some("Ada Lovelace"));
    let country = country.as_ref().expect("the country is set");
    assert_eq!(country.id, belgium);
    assert_eq!(country.name.as_deref(), Some("Testland"));
    assert_eq!(categories, &vec![tag]);
    assert_eq!(kind, &Some(res_partner::Type::Contact));
    assert!(*registrant);

    partners
        .write(
            &[id],
            res_partner::NAME.set("Ada King").clear(res_partner::EMAIL),
        )
        .await
        .expect("write succeeds");
    let read = partners
        .read(&[id])
        .fields((res_partner::NAME, res_partner::EMAIL))
        .await
        .expect("read answers");
    assert_eq!(read[0].1, (Some("Ada King".to_owned()), None));
    server.stop().await;
}

#[tokio::test]
async fn required_fields_and_selections_of_an_openspp_model() {
    let server = server().await;
    let odoo = Client::new(&server.url(), "openspp")
        .expect("a client")
        .login("admin", Secret::new("admin"))
        .await
        .expect("admin logs in");
    let programs = G2pProgram::repo(&odoo);
    let id: Id<G2pProgram> = programs
        .create(
            // The server's default journal is not in the dev server's demo data.
            G2pProgram::create("Cash transfer")
                .set(
                    g2p_program::TARGET_TYPE,
                    g2p_program::TargetType::Individual,
                )
                .clear(g2p_program::JOURNAL_ID),
        )
        .await
        .expect("a program is created with its required name");
    let rows = programs
        .read(&[id])
        .fields((g2p_program::NAME, g2p_program::TARGET_TYPE))
        .await
        .expect("read answers");
    assert_eq!(
        rows[0].1,
        (
            Some("Cash transfer".to_owned()),
            Some(g2p_program::TargetType::Individual)
        )
    );
    server.stop().await;
}

/// `create` takes what the server refuses a create without, no more: a product template
/// needs its name only (its variants are a one2many, made by the server), and a user its
/// login only (the `_inherits` partner is made from the inherited `name`).
#[tokio::test]
async fn creates_take_only_what_the_orm_requires() {
    let server = server().await;
    let odoo = Client::new(&server.url(), "openspp")
        .expect("a client")
        .login("admin", Secret::new("admin"))
        .await
        .expect("admin logs in");

    let templates = ProductTemplate::repo(&odoo);
    let id = templates
        .create(ProductTemplate::create("Rice, 25 kg"))
        .await
        .expect("a product template is created with its name");
    let rows = templates
        .read(&[id])
        .fields((product_template::NAME,))
        .await
        .expect("read answers");
    assert_eq!(rows[0].1, (Some("Rice, 25 kg".to_owned()),));
    templates.unlink(&[id]).await.expect("unlink succeeds");

    let users = ResUsers::repo(&odoo);
    let user = users
        .create(
            // The server's default groups are not in the dev server's demo data.
            ResUsers::create("field.agent")
                .set(res_users::NAME, "Field Agent")
                .set(res_users::GROUPS_ID, [Command::Clear]),
        )
        .await
        .expect("a user is created with its login");
    let rows = users
        .read(&[user])
        .fields((res_users::PARTNER_ID, res_users::NAME))
        .await
        .expect("read answers");
    let (partner, name) = &rows[0].1;
    let partner = partner.as_ref().expect("the server made the partner");
    assert_eq!(partner.name.as_deref(), Some("Field Agent"));
    assert_eq!(name.as_deref(), Some("Field Agent"));
    server.stop().await;
}
