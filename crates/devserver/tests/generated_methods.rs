//! Generated business method calls against the dev server as Odoo 17 and as Odoo 19 (JSON-2,
//! where every argument is named), async and blocking: a button called on records and the
//! window action it answers, and an `@api.model` method with its argument by name.

use openspp_client::{Action, Client, Id, MethodArgs, MethodHost, MethodSpec, Protocol, Secret};
use openspp_devserver::{Config, DEMO_API_KEY, DevServer, OdooVersion};
use openspp_models::g2p_cycle::{self as cycle, G2pCycle, G2pCycleMethods};
use openspp_models::res_partner::ResPartner;
use serde_json::json;

fn config(version: OdooVersion) -> Config {
    let schemas =
        openspp_schema::SchemaSet::load(concat!(env!("CARGO_MANIFEST_DIR"), "/../../schemas"))
            .expect("schemas/ loads");
    Config::new(schemas)
        .odoo_version(version)
        .on_method("g2p.cycle", "to_approve", |call, env| {
            env.call(
                "g2p.cycle",
                "write",
                json!([call.ids, {"state": "to_approve"}]),
                json!({}),
            )?;
            Ok(
                json!({"type": "ir.actions.act_window", "res_model": "g2p.cycle",
                "domain": [["id", "in", call.ids]], "view_mode": "tree,form", "target": "current"}),
            )
        })
}

#[tokio::test]
async fn a_button_runs_on_records_over_every_protocol() {
    for (version, protocol) in [
        (OdooVersion::V17, Protocol::XmlRpc),
        (OdooVersion::V17, Protocol::JsonRpc),
        (OdooVersion::V19, Protocol::Json2),
    ] {
        let server = DevServer::new(config(version))
            .unwrap()
            .bind("127.0.0.1:0".parse().unwrap())
            .await
            .unwrap();
        let odoo = Client::builder(&server.url(), "openspp")
            .protocol(protocol)
            .build()
            .unwrap()
            .login("admin", Secret::api_key(DEMO_API_KEY))
            .await
            .unwrap();
        let cycles = G2pCycle::repo(&odoo);
        let cycle_one = Id::<G2pCycle>::new(1);
        let action = cycles
            .to_approve(&[cycle_one])
            .returning::<Option<Action>>()
            .await
            .unwrap();
        let Some(Action::Window(window)) = action else {
            panic!("{protocol}: {action:?}")
        };
        assert_eq!(window.records::<G2pCycle>(), [cycle_one], "{protocol}");
        assert_eq!(window.record::<ResPartner>(), None);
        let state = cycles
            .read(&[cycle_one])
            .fields((cycle::STATE,))
            .await
            .unwrap()[0]
            .1
            .0
            .clone();
        assert_eq!(state, Some(cycle::State::ToApprove), "{protocol}");
        let calls = server.method_calls();
        assert_eq!(
            (calls.len(), calls[0].ids.as_slice()),
            (1, &[1][..]),
            "{protocol}"
        );

        // an @api.model method: its argument by position, or by name on JSON-2
        let (id, name): (i32, String) = odoo
            .repo::<ResPartner>()
            .method::<(i32, String)>(MethodSpec::model("name_create"), None)
            .arg("name", "Kofi Mensah")
            .await
            .unwrap();
        assert!(id > 0 && name == "Kofi Mensah", "{protocol}");
        server.stop().await;
    }
}

#[test]
fn the_blocking_repository_has_the_same_calls() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let server = runtime
        .block_on(
            DevServer::new(config(OdooVersion::V17))
                .unwrap()
                .bind("127.0.0.1:0".parse().unwrap()),
        )
        .unwrap();
    let odoo = openspp_client::blocking::Client::new(&server.url(), "openspp")
        .unwrap()
        .login("admin", Secret::api_key(DEMO_API_KEY))
        .unwrap();
    let action = odoo
        .repo::<G2pCycle>()
        .to_approve(&[Id::new(1)])
        .returning::<Action>()
        .send()
        .unwrap();
    let Action::Window(window) = action else {
        panic!("{action:?}")
    };
    assert_eq!(window.res_model, "g2p.cycle");
    assert_eq!(server.method_calls().len(), 1);
    drop(odoo);
    runtime.block_on(server.stop());
}
