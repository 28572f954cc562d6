//! The client over JSON-2 against the dev server serving the Odoo 19 model set (the live dump
//! in `../shared/odoo19/live-dump/`) as Odoo 19: the bindings' fields that 17 and 19 share,
//! read into checked structs, streamed, name-searched, defaulted and created, with the answers
//! shaped as 19 shapes them.
#![cfg(all(feature = "base", feature = "product"))]

use futures_util::TryStreamExt;
use openspp_client::{Client, Error, Id, Many2one, Protocol, Record, Secret, Session, X2many};
use openspp_devserver::{Config, DEMO_API_KEY, DevServer, OdooVersion, RunningServer};
use openspp_models::product_template::{self, ProductTemplate};
use openspp_models::res_country::ResCountry;
use openspp_models::res_partner::{self, ResPartner};

/// A contact as a program reads it, from fields both releases have.
#[derive(Debug, Record)]
#[record(model = ResPartner)]
struct Contact {
    id: Id<ResPartner>,
    name: String,
    email: Option<String>,
    is_company: bool,
    country_id: Option<Many2one<ResCountry>>,
    #[record(rename = "child_ids")]
    people: X2many<ResPartner>,
}

async fn odoo19() -> (RunningServer, Session) {
    let dir = test_captures::path("odoo19/live-dump");
    let schemas = openspp_schema::SchemaSet::load(dir).expect("the Odoo 19 live dump loads");
    assert_eq!(schemas.manifest.server.major(), Some(19));
    let server = DevServer::new(Config::new(schemas).odoo_version(OdooVersion::V19))
        .expect("the dev server builds")
        .bind("127.0.0.1:0".parse().expect("an address"))
        .await
        .expect("the dev server binds");
    let odoo = Client::new(&server.url(), "openspp")
        .expect("a client")
        .login("admin", Secret::api_key(DEMO_API_KEY))
        .await
        .expect("admin logs in with an API key");
    assert_eq!(odoo.protocol(), Protocol::Json2);
    (server, odoo)
}

#[tokio::test]
async fn records_streams_and_name_search_over_json2() {
    let (server, odoo) = odoo19().await;
    let partners = ResPartner::repo(&odoo);
    let companies = res_partner::IS_COMPANY.eq(true);

    let contacts = partners
        .search_read(companies.clone())
        .records::<Contact>()
        .await
        .expect("search_read into Contact");
    assert!(contacts.len() >= 4, "{contacts:?}");
    assert!(contacts.iter().all(|c| c.is_company && !c.name.is_empty()));
    let azure = contacts
        .iter()
        .find(|c| c.name == "Azure Interior")
        .expect("the demo's Azure Interior");
    assert_eq!(
        azure.people.ids.len(),
        2,
        "Brandon Freeman and Colleen Diaz"
    );
    assert_eq!(
        azure.email, None,
        "the seed gives Azure Interior no email (false read as None)"
    );
    let country = azure.country_id.as_ref().expect("a country");
    assert_eq!(country.name.as_deref(), Some("United States"));

    let streamed: Vec<Contact> = partners
        .search_read(companies.clone())
        .records::<Contact>()
        .stream(2)
        .try_collect()
        .await
        .expect("streamed in pages of 2");
    let ids = |c: &[Contact]| c.iter().map(|c| c.id).collect::<Vec<_>>();
    assert_eq!(ids(&streamed), ids(&contacts));
    assert_eq!(
        partners.search_count(companies).await.expect("count"),
        contacts.len() as u64
    );

    let found = partners
        .name_search("Azure")
        .limit(5)
        .await
        .expect("name_search");
    assert!(
        found
            .iter()
            .any(|m| m.id == azure.id && m.name.as_deref() == Some("Azure Interior")),
        "{found:?}"
    );
    server.stop().await;
}

/// `default_get` names its argument `fields` in 19 (`fields_list` before): the repository
/// sends it by that name over JSON-2, and a field name 19 does not know is the typed error of
/// 19's answer.
#[tokio::test]
async fn default_get_and_errors_as_odoo_19_answers_them() {
    let (server, odoo) = odoo19().await;
    let templates = ProductTemplate::repo(&odoo);
    let defaults = templates
        .default_get(&["active", "type", "sale_ok"])
        .await
        .expect("default_get(fields=...)");
    assert_eq!(
        defaults.get("active"),
        Some(&openspp_client::Value::Bool(true))
    );
    assert_eq!(
        defaults.get("type"),
        Some(&openspp_client::Value::String("consu".into()))
    );

    // 17's `detailed_type` is gone in 19: reading it is an invalid-field fault.
    let error = templates
        .search_read(product_template::ACTIVE.eq(true))
        .fields((product_template::DETAILED_TYPE,))
        .await
        .expect_err("19 has no detailed_type");
    assert!(
        matches!(&error, Error::Fault(fault) if fault.kind == openspp_client::FaultKind::InvalidField),
        "{error:?}"
    );
    server.stop().await;
}

/// `ProductTemplate::create(name)`: the name is all 19 needs too (its variants are made by
/// the server), and what is created reads back.
#[tokio::test]
async fn a_product_template_is_created_with_its_name() {
    let (server, odoo) = odoo19().await;
    let templates = ProductTemplate::repo(&odoo);
    let id = templates
        .create(ProductTemplate::create("Rice, 25 kg"))
        .await
        .expect("created with its name");
    let rows = templates
        .read(&[id])
        .fields((product_template::NAME, product_template::ACTIVE))
        .await
        .expect("read back");
    assert_eq!(rows[0].1, (Some("Rice, 25 kg".to_owned()), true));
    templates.unlink(&[id]).await.expect("unlinked");
    server.stop().await;
}
