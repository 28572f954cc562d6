//! The dev server presenting itself as another Odoo release, over real HTTP on 127.0.0.1:
//! `version()`, and the signatures that changed between releases.

mod support;

use odoo_devserver::{Config, OdooVersion};
use odoo_xmlrpc::{Struct, Value};
use support::*;

async fn start_as(version: OdooVersion) -> odoo_devserver::RunningServer {
    start(Some(Config::new(schemas()).odoo_version(version))).await
}

#[tokio::test]
async fn version_answers_the_release_served() {
    let captured = start(None).await;
    let version = Rpc::new(captured.url())
        .call("/xmlrpc/2/common", "version", vec![])
        .await
        .unwrap();
    // by default the schemas' own captured answer, build date included
    assert_eq!(field(&version, "server_version"), &s("17.0-20240709"));
    captured.stop().await;

    let odoo19 = start_as(OdooVersion::V19).await;
    let rpc = Rpc::new(odoo19.url());
    let version = rpc
        .call("/xmlrpc/2/common", "version", vec![])
        .await
        .unwrap();
    assert_eq!(field(&version, "server_serie"), &s("19.0"));
    assert_eq!(field(&version, "server_version"), &s("19.0"));
    assert_eq!(
        field(&version, "server_version_info"),
        &arr(vec![i(19), i(0), i(0), s("final"), i(0), s("")])
    );
    assert_eq!(field(&version, "protocol_version"), &i(1));
    assert_eq!(
        rpc.call("/xmlrpc/2/db", "server_version", vec![])
            .await
            .unwrap(),
        s("19.0")
    );
    // XML-RPC stays served in 19 mode, as Odoo 19 still serves it (deprecated)
    assert_eq!(
        rpc.ok(
            "res.partner",
            "search_count",
            vec![arr(vec![])],
            Struct::new()
        )
        .await,
        rpc.ok(
            "res.partner",
            "search_count",
            vec![arr(vec![])],
            Struct::new()
        )
        .await
    );
    odoo19.stop().await;
}

/// `name_search` names its domain `args` before 18.3 and `domain` from 18.3 on; `default_get`
/// names its list `fields_list` before 19.0: a keyword of the other release is refused the way
/// Python refuses an unexpected keyword.
#[tokio::test]
async fn renamed_parameters_follow_the_release() {
    let companies = || leaf("is_company", "=", Value::Bool(true));
    for (version, domain_name, fields_name) in [
        (OdooVersion::V17, "args", "fields_list"),
        (OdooVersion::new(18, 3), "domain", "fields_list"),
        (OdooVersion::V19, "domain", "fields"),
    ] {
        let server = start_as(version).await;
        let rpc = Rpc::new(server.url());
        let found = rpc
            .ok(
                "res.partner",
                "name_search",
                vec![],
                kw(vec![
                    ("name", s("azure")),
                    (domain_name, arr(vec![companies()])),
                ]),
            )
            .await;
        assert_eq!(
            found,
            arr(vec![arr(vec![i(14), s("Azure Interior")])]),
            "{version}"
        );
        let other = if domain_name == "args" {
            "domain"
        } else {
            "args"
        };
        let refused = rpc
            .kw(
                "res.partner",
                "name_search",
                vec![],
                kw(vec![(other, arr(vec![companies()]))]),
            )
            .await
            .unwrap_err();
        assert_eq!(
            last_line(&refused),
            format!("TypeError: name_search() got an unexpected keyword argument '{other}'"),
            "{version}"
        );
        let defaults = rpc
            .ok(
                "res.partner.category",
                "default_get",
                vec![],
                kw(vec![(fields_name, arr(vec![s("active")]))]),
            )
            .await;
        assert_eq!(field(&defaults, "active"), &Value::Bool(true), "{version}");
        server.stop().await;
    }
}
