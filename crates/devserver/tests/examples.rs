//! The examples' code (the OpenSPP guide's five sections with the generated types) run against
//! the dev server over HTTP once per protocol (XML-RPC as Odoo 17, JSON-2 as Odoo 19), and
//! every fault the server raises arriving as the same typed `openspp_client` error over both.

#[path = "../examples/guide/mod.rs"]
mod guide;

use guide::Target;
use openspp_client::{Args, Client, Error, FaultKind, Id, Protocol, Secret};
use openspp_models::res_country::{self, ResCountry};
use openspp_models::res_partner::{self, ResPartner};

const PROTOCOLS: [Protocol; 2] = [Protocol::XmlRpc, Protocol::Json2];

#[tokio::test]
async fn the_guide_sections_work_against_the_dev_server() {
    for protocol in PROTOCOLS {
        let target = Target::dev_server(protocol).await.unwrap();
        let session = guide::authenticate(&target).await.unwrap();
        assert_eq!(session.uid(), 2, "{protocol}");
        assert_eq!(session.protocol(), protocol);
        let with_password = guide::authenticate_with_password(&target, "admin").await;
        match protocol {
            // JSON-2 takes API keys alone: the client refuses before any request
            Protocol::Json2 => assert!(matches!(with_password, Err(Error::Config(_)))),
            _ => assert_eq!(with_password.unwrap().uid(), 2),
        }
        let wrong = target
            .client()
            .build()
            .unwrap()
            .login("admin", Secret::api_key("wrong"))
            .await;
        assert!(
            matches!(wrong, Err(Error::AuthenticationFailed { .. })),
            "{protocol}: {wrong:?}"
        );

        let households = guide::read(&session).await.unwrap();
        assert_eq!(households.len(), 5);
        assert!(
            households
                .iter()
                .all(|(_, (name, _, members))| name.is_some() && members.len() >= 3)
        );

        let partners = session.repo::<ResPartner>();
        let id = guide::create(&session).await.unwrap();
        let row = partners
            .read(&[id])
            .fields((
                res_partner::NAME,
                res_partner::IS_REGISTRANT,
                res_partner::DISPLAY_NAME,
            ))
            .await
            .unwrap();
        assert_eq!(
            row[0].1,
            (
                Some("Okafor, Chidi".to_owned()),
                true,
                Some("Okafor, Chidi".to_owned())
            )
        );

        guide::update(&session, id).await.unwrap();
        let row = partners
            .read(&[id])
            .fields((res_partner::EMAIL, res_partner::PHONE))
            .await
            .unwrap();
        assert_eq!(row[0].1.0.as_deref(), Some("chidi.okafor@example.org"));
        assert_eq!(row[0].1.1.as_deref(), Some("+234 800 000 0000"));

        guide::delete(&session, id).await.unwrap();
        assert!(
            partners
                .read(&[id])
                .fields((res_partner::NAME,))
                .await
                .unwrap()
                .is_empty()
        );
        target.finish().await;
    }
}

fn kind(result: Result<impl std::fmt::Debug, Error>) -> FaultKind {
    match result {
        Err(Error::Fault(fault)) => fault.kind.clone(),
        other => panic!("expected a fault, got {other:?}"),
    }
}

#[tokio::test]
async fn every_fault_arrives_as_the_same_typed_error_over_both_protocols() {
    for protocol in PROTOCOLS {
        let target = Target::dev_server(protocol).await.unwrap();
        let session = guide::authenticate(&target).await.unwrap();
        let partners = session.repo::<ResPartner>();
        let search = |domain: serde_json::Value| Args::new().arg("domain", domain);

        // unknown model, invalid field, bad domain, unknown or private method
        let unknown = session
            .call::<Vec<i32>>("no.such.model", "search", search(serde_json::json!([])))
            .await;
        assert_eq!(kind(unknown), FaultKind::UnknownModel, "{protocol}");
        let invalid = session
            .call::<Vec<i32>>(
                "res.partner",
                "search",
                search(serde_json::json!([["no_such_field", "=", 1]])),
            )
            .await;
        assert_eq!(kind(invalid), FaultKind::InvalidField, "{protocol}");
        let bad_op = session
            .call::<Vec<i32>>(
                "res.partner",
                "search",
                search(serde_json::json!([["name", "bogus_op", "x"]])),
            )
            .await;
        assert_eq!(
            kind(bad_op),
            FaultKind::Other {
                exception: Some("ValueError".into())
            },
            "{protocol}"
        );
        let method = session
            .call::<bool>("res.partner", "no_such_method", Args::new().ids([1]))
            .await;
        assert_eq!(kind(method), FaultKind::UnknownMethod, "{protocol}");
        let private = session
            .call::<bool>("res.partner", "_private", Args::new().ids([1]))
            .await;
        assert_eq!(kind(private), FaultKind::AccessError, "{protocol}");

        // validation: a missing required field, a check constraint; a missing record
        let color_only = std::collections::BTreeMap::from([("color", 1)]);
        let tag = session
            .call::<serde_json::Value>(
                "res.partner.category",
                "create",
                Args::new().arg("vals_list", color_only),
            )
            .await;
        assert_eq!(kind(tag), FaultKind::ValidationError, "{protocol}");
        let nameless = partners
            .create(ResPartner::create().set(res_partner::EMAIL, "x@example.org"))
            .await;
        assert_eq!(kind(nameless), FaultKind::ValidationError, "{protocol}");
        let gone = partners
            .write(&[Id::new(999_999)], res_partner::NAME.set("x"))
            .await;
        assert_eq!(kind(gone), FaultKind::MissingError, "{protocol}");
        let gone = partners.unlink(&[Id::new(999_999)]).await;
        assert_eq!(kind(gone), FaultKind::MissingError, "{protocol}");

        // rights: a user without groups
        let norights = target
            .client()
            .build()
            .unwrap()
            .login(
                "norights",
                Secret::api_key(openspp_devserver::NORIGHTS_API_KEY),
            )
            .await
            .unwrap();
        assert_eq!(norights.uid(), 13);
        let denied = norights
            .repo::<ResPartner>()
            .write(&[Id::new(1)], res_partner::NAME.set("x"))
            .await;
        assert_eq!(kind(denied), FaultKind::AccessError, "{protocol}");
        let countries = norights
            .repo::<ResCountry>()
            .search_read(res_country::CODE.eq("BE"))
            .fields((res_country::NAME,))
            .await;
        assert_eq!(kind(countries), FaultKind::AccessError, "{protocol}");
        target.finish().await;
    }
}

/// What only XML-RPC has: a database named in every call, checked by the server.
#[tokio::test]
async fn a_wrong_database_or_secret_over_xmlrpc() {
    let target = Target::dev_server(Protocol::XmlRpc).await.unwrap();
    let xmlrpc = |db: &str| {
        Client::builder(&target.url, db)
            .protocol(Protocol::XmlRpc)
            .build()
            .unwrap()
    };
    let wrong_db = xmlrpc("nodb").login("admin", Secret::new("admin")).await;
    assert_eq!(
        kind(wrong_db),
        FaultKind::Other {
            exception: Some("psycopg2.OperationalError".into())
        }
    );
    assert!(matches!(
        xmlrpc("openspp").login("admin", Secret::new("nope")).await,
        Err(Error::AuthenticationFailed { .. })
    ));
    target.finish().await;
}

#[tokio::test]
async fn paging_with_the_client_stream() {
    use futures_util::TryStreamExt;
    for protocol in PROTOCOLS {
        let target = Target::dev_server(protocol).await.unwrap();
        let session = guide::authenticate(&target).await.unwrap();
        let partners = session.repo::<ResPartner>();
        let all = partners
            .search_count(res_partner::NAME.ilike(""))
            .await
            .unwrap();
        let streamed: Vec<_> = partners
            .search_read(res_partner::NAME.ilike(""))
            .fields((res_partner::NAME,))
            .stream(7)
            .try_collect()
            .await
            .unwrap();
        assert_eq!(streamed.len() as u64, all, "{protocol}");
        assert!(all > 100);
        target.finish().await;
    }
}

/// The rest of the typed layer, against the dev server over each protocol: it sends what each
/// protocol names differently (`name_search`'s domain, `default_get`'s list) and decodes
/// both answers alike.
#[tokio::test]
async fn the_typed_layer_works_alike_over_both_protocols() {
    use openspp_models::res_partner_category::{self, ResPartnerCategory};
    let mut answers = Vec::new();
    for protocol in PROTOCOLS {
        let target = Target::dev_server(protocol).await.unwrap();
        let session = guide::authenticate(&target).await.unwrap();
        let tags = session.repo::<ResPartnerCategory>();
        let ids = tags
            .create_many(vec![
                ResPartnerCategory::create("Alpha tag"),
                ResPartnerCategory::create("Beta tag"),
            ])
            .await
            .unwrap();
        assert_eq!(ids.len(), 2, "{protocol}");
        let tagged = res_partner_category::NAME.ilike(" tag");
        assert_eq!(tags.search_count(tagged.clone()).await.unwrap(), 2);
        let newest_first = tags
            .search_read(tagged.clone())
            .fields((res_partner_category::NAME,))
            .order(res_partner_category::NAME.desc())
            .await
            .unwrap();
        let names: Vec<_> = newest_first.iter().map(|(_, (n,))| n.clone()).collect();
        let found = tags
            .name_search("tag")
            .domain(res_partner_category::NAME.ilike("alpha"))
            .await
            .unwrap();
        tags.write(&ids[..1], res_partner_category::ACTIVE.set(false))
            .await
            .unwrap();
        let active = tags.search(tagged.clone()).await.unwrap();
        let all = tags
            .with_context(&openspp_client::Context::new().active_test(false))
            .search(tagged)
            .await
            .unwrap();
        let fields = tags.fields_get(&["type"]).await.unwrap();
        let defaults = tags.default_get(&["active"]).await.unwrap();
        tags.unlink(&ids).await.unwrap();
        answers.push((
            names,
            found.len(),
            active.len(),
            all.len(),
            fields["name"].clone(),
            defaults,
        ));
        target.finish().await;
    }
    let (xmlrpc, json2) = (&answers[0], &answers[1]);
    assert_eq!(xmlrpc, json2);
    assert_eq!(
        xmlrpc.0,
        [Some("Beta tag".to_owned()), Some("Alpha tag".to_owned())]
    );
    assert_eq!((xmlrpc.1, xmlrpc.2, xmlrpc.3), (1, 1, 2));
}

#[path = "../examples/bulk/mod.rs"]
mod bulk;

/// The import example's run (`examples/import.rs` on `examples/data/registrants.csv`):
/// created the first time, updated (nothing created) the second, refused row by row when
/// create-only, over both protocols.
#[tokio::test]
async fn the_import_example_creates_then_updates_then_refuses() {
    let csv = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/data/registrants.csv"
    ))
    .unwrap();
    let options = |mode| bulk::Options {
        mode,
        batch: 4,
        concurrency: 3,
        progress: false,
    };
    for protocol in PROTOCOLS {
        let target = Target::dev_server(protocol).await.unwrap();
        let session = guide::authenticate(&target).await.unwrap();
        let partners = session.repo::<ResPartner>();
        let registrants = || partners.search_count(res_partner::IS_REGISTRANT.eq(true));
        let before = registrants().await.unwrap();

        let first = bulk::run(
            &session,
            &csv,
            options(openspp_client::ImportMode::CreateOrUpdate),
        )
        .await
        .unwrap();
        // the line with an impossible birthdate is refused before anything is sent
        assert_eq!(first.not_sent.len(), 1, "{protocol}: {:?}", first.not_sent);
        assert!(first.not_sent[0].starts_with("line 12 (example_import.ind_0008)"));
        assert_eq!(
            (
                first.registrants.created.len(),
                first.registrants.updated.len()
            ),
            (10, 0),
            "{protocol}: {:?}",
            first.registrants
        );
        assert_eq!(
            (
                first.memberships.created.len(),
                first.memberships.updated.len()
            ),
            (7, 0),
            "{protocol}: {:?}",
            first.memberships
        );
        assert_eq!(registrants().await.unwrap(), before + 10);
        let (xmlid, household) = first.first_household.clone().unwrap();
        assert_eq!(xmlid.as_str(), "example_import.hh_0001");
        assert_eq!(first.registrants.created[0].1, household);
        // the export since the watermark is what this run wrote, with external ids
        assert_eq!(first.changed.len(), 10, "{protocol}");
        let row = first.changed.iter().find(|r| r.id == household).unwrap();
        assert_eq!(
            row.cells,
            [
                openspp_client::Value::String("example_import.hh_0001".into()),
                openspp_client::Value::String("Okafor, household".into()),
                openspp_client::Value::Bool(true),
                openspp_client::Value::String("base.be".into()),
            ]
        );
        let members = session
            .repo::<openspp_models::g2p_group_membership::G2pGroupMembership>()
            .search_count(openspp_models::g2p_group_membership::GROUP.eq(household))
            .await
            .unwrap();
        assert_eq!(members, 3);

        let again = bulk::run(
            &session,
            &csv,
            options(openspp_client::ImportMode::CreateOrUpdate),
        )
        .await
        .unwrap();
        assert_eq!(
            (
                again.registrants.created.len(),
                again.registrants.updated.len()
            ),
            (0, 10),
            "{protocol}"
        );
        assert_eq!(again.registrants.updated, first.registrants.created);
        assert_eq!(again.memberships.updated, first.memberships.created);
        assert_eq!(registrants().await.unwrap(), before + 10);

        let refused = bulk::run(
            &session,
            &csv,
            options(openspp_client::ImportMode::CreateOnly),
        )
        .await
        .unwrap();
        assert!(refused.registrants.created.is_empty() && refused.registrants.updated.is_empty());
        assert_eq!(refused.registrants.refused.len(), 10);
        assert!(
            refused
                .registrants
                .refused
                .iter()
                .zip(&first.registrants.created)
                .all(|(e, (_, id))| e.problem == openspp_client::RowProblem::Exists(id.get()))
        );
        assert_eq!(refused.memberships.refused.len(), 7);
        assert_eq!(registrants().await.unwrap(), before + 10);
        target.finish().await;
    }
}

/// A CSV saved with a UTF-8 byte order mark (as spreadsheet programs write it) is read, and a
/// row naming an unknown country is refused with its own error: the run ends, reports that
/// row's message and the household as not imported, and asks the server nothing about it.
#[tokio::test]
async fn the_import_example_reads_a_bom_and_reports_each_refused_row() {
    let csv = "\u{feff}external_id,name,is_group,household,birthdate,phone,country\n\
               example_bom.hh_0001,Bom household,1,,,,base.nowhere\n\
               example_bom.ind_0001,Bom member,0,example_bom.hh_0001,1990-01-02,,base.be\n";
    for protocol in PROTOCOLS {
        let target = Target::dev_server(protocol).await.unwrap();
        let session = guide::authenticate(&target).await.unwrap();
        let outcome = bulk::run(
            &session,
            csv,
            bulk::Options {
                mode: openspp_client::ImportMode::CreateOrUpdate,
                batch: 1,
                concurrency: 1,
                progress: false,
            },
        )
        .await
        .unwrap_or_else(|e| panic!("{protocol}: {e:#}"));
        assert!(outcome.not_sent.is_empty(), "{:?}", outcome.not_sent);
        let refused = &outcome.registrants.failed;
        assert_eq!(refused.len(), 1, "{protocol}: {:?}", outcome.registrants);
        assert_eq!(refused[0].xmlid.as_str(), "example_bom.hh_0001");
        assert_eq!(refused[0].problem, openspp_client::RowProblem::Server);
        assert!(
            refused[0].message.contains("base.nowhere"),
            "{protocol}: {}",
            refused[0]
        );
        assert_eq!(
            outcome.registrants.created.len(),
            1,
            "the member, in its own batch"
        );
        assert_eq!(outcome.first_household, None);
        target.finish().await;
    }
}

#[test]
fn the_examples_refuse_flags_they_do_not_take() {
    let args = |list: &[&str]| list.iter().map(|a| (*a).to_owned()).collect::<Vec<_>>();
    assert!(
        guide::check_args(
            &args(&["--url", "http://127.0.0.1:8069", "--json2"]),
            &[],
            &[]
        )
        .is_ok()
    );
    assert!(
        guide::check_args(
            &args(&["--batch", "100", "--create-only"]),
            &["--batch"],
            &["--create-only"]
        )
        .is_ok()
    );
    for wrong in [
        &["--jsn2"][..],
        &["--url"],
        &["--help-me"],
        &["--batch", "100"],
    ] {
        let error = guide::check_args(&args(wrong), &[], &[]).unwrap_err();
        assert!(error.to_string().contains(wrong[0]), "{error}");
    }
}
