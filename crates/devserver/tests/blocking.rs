//! The blocking client (`openspp_client::blocking`) running the OpenSPP guide's five sections
//! (authenticate, read, create, update, delete) against the dev server from plain threads,
//! over XML-RPC as Odoo 17 and JSON-2 as Odoo 19; streams as iterators; aggregates; and the
//! refusal, as an error and not a panic, of a blocking call made inside an async runtime.

use openspp_client::blocking::{Client, Session};
use openspp_client::{Error, Granularity, Protocol, Secret};
use openspp_devserver::{Config, DEMO_API_KEY, DevServer, OdooVersion, RunningServer};
use openspp_models::res_partner::{self, ResPartner};

/// The dev server on its own runtime, as a program's server would run beside it: the test
/// thread itself is not inside any runtime.
fn dev_server(version: OdooVersion) -> (tokio::runtime::Runtime, RunningServer) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../schemas");
    let schemas = openspp_schema::SchemaSet::load(dir).unwrap();
    let server = runtime
        .block_on(
            DevServer::new(Config::new(schemas).odoo_version(version))
                .unwrap()
                .bind(([127, 0, 0, 1], 0).into()),
        )
        .unwrap();
    (runtime, server)
}

/// 1. Authenticate.
fn authenticate(url: &str, protocol: Protocol) -> Session {
    let client = Client::builder(url, "openspp")
        .protocol(protocol)
        .build()
        .unwrap();
    assert!(client.version().unwrap().major().is_some());
    let wrong = client.login("admin", Secret::api_key("wrong"));
    assert!(
        matches!(wrong, Err(Error::AuthenticationFailed { .. })),
        "{wrong:?}"
    );
    let odoo = client
        .login("admin", Secret::api_key(DEMO_API_KEY))
        .unwrap();
    assert_eq!((odoo.uid(), odoo.protocol()), (2, protocol));
    odoo
}

#[test]
fn the_guide_sections_with_the_blocking_client() {
    for (version, protocol) in [
        (OdooVersion::V17, Protocol::XmlRpc),
        (OdooVersion::V19, Protocol::Json2),
    ] {
        let (runtime, server) = dev_server(version);
        let odoo = authenticate(&server.url(), protocol);
        let partners = odoo.repo::<ResPartner>();

        // 2. Read
        let households = partners
            .search_read(res_partner::IS_REGISTRANT.eq(true) & res_partner::IS_GROUP.eq(true))
            .fields((res_partner::NAME, res_partner::EMAIL))
            .limit(5)
            .send()
            .unwrap();
        assert_eq!(households.len(), 5, "{protocol}");
        assert!(households.iter().all(|(_, (name, _))| name.is_some()));

        // 3. Create
        let id = partners
            .create(
                ResPartner::create()
                    .set(res_partner::NAME, "Okafor, Chidi")
                    .set(res_partner::IS_REGISTRANT, true),
            )
            .unwrap();

        // 4. Update
        partners
            .write(&[id], res_partner::EMAIL.set("chidi.okafor@example.org"))
            .unwrap();
        let read = partners
            .read(&[id])
            .fields(res_partner::EMAIL)
            .send()
            .unwrap();
        assert_eq!(read, [(id, Some("chidi.okafor@example.org".to_owned()))]);

        // 5. Delete
        partners.unlink(&[id]).unwrap();
        assert!(partners.read(&[id]).send().unwrap().is_empty());

        // streams are iterators: every registrant, 7 per call
        let registrants = res_partner::IS_REGISTRANT.eq(true);
        let streamed: Vec<_> = partners
            .search_read(registrants.clone())
            .fields(res_partner::NAME)
            .stream(7)
            .collect::<Result<_, _>>()
            .unwrap();
        let all = partners.search_read(registrants.clone()).send().unwrap();
        assert_eq!(streamed.len(), all.len());
        assert!(streamed.iter().zip(&all).all(|(a, b)| a.0 == b.0));

        // limit(0) is no rows on the blocking calls too (the server would answer them all)
        assert!(
            partners
                .search(registrants.clone())
                .limit(0)
                .send()
                .unwrap()
                .is_empty()
        );
        let none: Vec<_> = partners
            .search_read(registrants.clone())
            .fields(res_partner::NAME)
            .limit(0)
            .stream(7)
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(none.is_empty(), "{protocol}");
        assert!(partners.name_search("").limit(0).send().unwrap().is_empty());
        let no_groups = partners
            .aggregate(registrants.clone())
            .group_by(res_partner::IS_GROUP)
            .limit(0)
            .send()
            .unwrap();
        assert!(no_groups.is_empty(), "{protocol}");

        // aggregates, the same call as async
        let per_month = partners
            .aggregate(registrants.clone() & res_partner::IS_GROUP.eq(true))
            .group_by(res_partner::REGISTRATION_DATE.by(Granularity::Year))
            .send()
            .unwrap();
        assert_eq!(per_month.len(), 1);
        assert_eq!(
            per_month[0].count,
            partners
                .search_count(registrants & res_partner::IS_GROUP.eq(true))
                .unwrap()
        );

        // from inside an async runtime: a clear error, no panic (nor on drop)
        let refused = runtime.block_on(async {
            odoo.repo::<ResPartner>()
                .search_count(openspp_client::Domain::all())
        });
        match refused {
            Err(Error::Blocking(message)) => {
                assert!(message.contains("async runtime"), "{message}")
            }
            other => panic!("{other:?}"),
        }
        let moved = odoo.clone();
        runtime.block_on(async move { drop(moved) });

        drop(odoo);
        runtime.block_on(server.stop());
    }
}
