//! The calls whose Python signature changed between Odoo 17 and 19, made the same way from
//! Rust against the dev server as each release, over each protocol the release serves:
//! `default_get` (`fields_list` in 17, `fields` in 19) and `name_search` with a domain (`args`
//! before 18.3, `domain` after). The dev server refuses the other release's keyword the way
//! Python does (tests/odoo19.rs), so a wrong choice here fails.

mod support;

use openspp_client::{Protocol, Value};
use openspp_devserver::OdooVersion;
use openspp_models::res_partner::{self, ResPartner};
use openspp_models::res_partner_category::ResPartnerCategory;
use support::{admin_session, start_as};

#[tokio::test]
async fn renamed_parameters_are_sent_as_each_release_names_them() {
    for (version, protocols) in [
        (OdooVersion::V17, vec![Protocol::XmlRpc, Protocol::JsonRpc]),
        (
            OdooVersion::V19,
            vec![Protocol::Json2, Protocol::XmlRpc, Protocol::JsonRpc],
        ),
    ] {
        let server = start_as(version).await;
        for protocol in protocols {
            let odoo = admin_session(&server, protocol).await;
            let defaults = ResPartnerCategory::repo(&odoo)
                .default_get(&["active"])
                .await
                .unwrap_or_else(|e| panic!("{version} {protocol}: default_get: {e}"));
            assert_eq!(
                defaults.get("active"),
                Some(&Value::Bool(true)),
                "{version} {protocol}"
            );
            let found = ResPartner::repo(&odoo)
                .name_search("azure")
                .domain(res_partner::IS_COMPANY.eq(true))
                .await
                .unwrap_or_else(|e| panic!("{version} {protocol}: name_search: {e}"));
            let names: Vec<_> = found.iter().map(|m| m.name.as_deref()).collect();
            assert_eq!(names, [Some("Azure Interior")], "{version} {protocol}");
        }
        server.stop().await;
    }
}
