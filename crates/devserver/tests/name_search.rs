//! `repo.name_search(..).domain(..)` through openspp-client against the dev server presenting
//! itself as each release: Odoo renamed the domain parameter from `args` to `domain` in 18.3
//! and each release refuses the other's keyword, so one call must fit both.

mod support;

use openspp_client::{Client, Protocol};
use openspp_devserver::{Config, OdooVersion};
use openspp_models::res_partner::{self, ResPartner};
use support::*;

#[tokio::test]
async fn name_search_with_a_domain_on_every_release() {
    for version in [OdooVersion::V17, OdooVersion::new(18, 3), OdooVersion::V19] {
        let server = start(Some(Config::new(schemas()).odoo_version(version))).await;
        let mut protocols = vec![(Protocol::XmlRpc, "admin")];
        if version >= OdooVersion::V19 {
            protocols.push((Protocol::Json2, KEY));
        }
        for (protocol, secret) in protocols {
            let odoo = Client::builder(&server.url(), "openspp")
                .protocol(protocol)
                .build()
                .unwrap()
                .login("admin", secret)
                .await
                .unwrap();
            let partners = odoo.repo::<ResPartner>();
            let companies = partners
                .name_search("azure")
                .domain(res_partner::IS_COMPANY.eq(true))
                .limit(5)
                .await
                .unwrap_or_else(|e| panic!("{version} over {protocol}: {e}"));
            let found: Vec<_> = companies
                .iter()
                .map(|m| (m.id.get(), m.name.as_deref()))
                .collect();
            assert_eq!(
                found,
                [(14, Some("Azure Interior"))],
                "{version} over {protocol}"
            );
            // The domain is applied: among non-companies, Azure Interior is not found.
            let people = partners
                .name_search("azure")
                .domain(res_partner::IS_COMPANY.eq(false))
                .await
                .unwrap();
            assert!(
                people.iter().all(|m| m.id.get() != 14),
                "{version} over {protocol}: {people:?}"
            );
        }
        server.stop().await;
    }
}
