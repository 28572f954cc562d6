//! The examples' code (the OpenSPP guide's five sections with the generated types) run against
//! the dev server over HTTP, and every fault the server raises arriving as its typed
//! `odoo_client` error.

#[path = "../examples/guide/mod.rs"]
mod guide;

use odoo_client::{Client, Error, FaultKind, Id, Secret};
use openspp_models::res_country::{self, ResCountry};
use openspp_models::res_partner::{self, ResPartner};

#[tokio::test]
async fn the_guide_sections_work_against_the_dev_server() {
    let target = guide::Target::dev_server().await.unwrap();
    let session = guide::authenticate(&target).await.unwrap();
    assert_eq!(session.uid(), 2);
    assert_eq!(
        guide::authenticate_with_password(&target, "admin")
            .await
            .unwrap()
            .uid(),
        2
    );
    assert!(matches!(
        guide::authenticate_with_password(&target, "wrong").await,
        Err(Error::AuthenticationFailed { .. })
    ));

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

fn kind(result: Result<impl std::fmt::Debug, Error>) -> FaultKind {
    match result {
        Err(Error::Fault(fault)) => fault.kind.clone(),
        other => panic!("expected a fault, got {other:?}"),
    }
}

#[tokio::test]
async fn every_fault_arrives_as_its_typed_error() {
    let target = guide::Target::dev_server().await.unwrap();
    let session = guide::authenticate(&target).await.unwrap();
    let partners = session.repo::<ResPartner>();

    // unknown model, invalid field, bad domain, unknown method
    let none: () = ();
    let unknown = session
        .execute_kw::<Vec<i32>>("no.such.model", "search", ((),), none)
        .await;
    assert_eq!(kind(unknown), FaultKind::UnknownModel);
    let invalid = session
        .execute_kw::<Vec<i32>>(
            "res.partner",
            "search",
            ((("no_such_field", "=", 1),),),
            none,
        )
        .await;
    assert_eq!(kind(invalid), FaultKind::InvalidField);
    let bad_op = session
        .execute_kw::<Vec<i32>>(
            "res.partner",
            "search",
            ((("name", "bogus_op", "x"),),),
            none,
        )
        .await;
    assert_eq!(
        kind(bad_op),
        FaultKind::Other {
            exception: Some("ValueError".into())
        }
    );
    let method = session
        .execute_kw::<bool>("res.partner", "no_such_method", ((),), none)
        .await;
    assert_eq!(kind(method), FaultKind::UnknownMethod);
    let private = session
        .execute_kw::<bool>("res.partner", "_private", ((),), none)
        .await;
    assert_eq!(kind(private), FaultKind::AccessError);

    // validation: a missing required field, a check constraint; a missing record
    let color_only = std::collections::BTreeMap::from([("color", 1)]);
    let tag = session
        .execute_kw::<i32>("res.partner.category", "create", (color_only,), none)
        .await;
    assert_eq!(kind(tag), FaultKind::ValidationError);
    let nameless = partners
        .create(ResPartner::create().set(res_partner::EMAIL, "x@example.org"))
        .await;
    assert_eq!(kind(nameless), FaultKind::ValidationError);
    let gone = partners
        .write(&[Id::new(999_999)], res_partner::NAME.set("x"))
        .await;
    assert_eq!(kind(gone), FaultKind::MissingError);
    let gone = partners.unlink(&[Id::new(999_999)]).await;
    assert_eq!(kind(gone), FaultKind::MissingError);

    // rights: a user without groups, a wrong secret on the object service
    let norights = Client::new(&target.url, "openspp")
        .unwrap()
        .login("norights", Secret::new("norights"))
        .await
        .unwrap();
    let denied = norights
        .repo::<ResPartner>()
        .write(&[Id::new(1)], res_partner::NAME.set("x"))
        .await;
    assert_eq!(kind(denied), FaultKind::AccessError);
    let countries = norights
        .repo::<ResCountry>()
        .search_read(res_country::CODE.eq("BE"))
        .fields((res_country::NAME,))
        .await;
    assert_eq!(kind(countries), FaultKind::AccessError);
    let client = Client::new(&target.url, "openspp").unwrap();
    let wrong_db = Client::new(&target.url, "nodb")
        .unwrap()
        .login("admin", Secret::new("admin"))
        .await;
    assert_eq!(
        kind(wrong_db),
        FaultKind::Other {
            exception: Some("psycopg2.OperationalError".into())
        }
    );
    assert!(matches!(
        client.login("admin", Secret::new("nope")).await,
        Err(Error::AuthenticationFailed { .. })
    ));
    target.finish().await;
}

#[tokio::test]
async fn paging_with_the_client_stream() {
    use futures_util::TryStreamExt;
    let target = guide::Target::dev_server().await.unwrap();
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
    assert_eq!(streamed.len() as u64, all);
    assert!(all > 100);
    target.finish().await;
}
