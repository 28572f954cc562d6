//! Typed aggregates (`Repository::aggregate`) against the dev server as Odoo 17 (`read_group`)
//! and as Odoo 19 (`formatted_read_group`, over XML-RPC and JSON-2): the same call returns the
//! same typed groups on each, equal to what the records themselves add up to.

mod support;

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use openspp_client::{
    Domain, Granularity, Group, GroupRecord, Id, Many2one, Order, Period, Protocol, Session,
};
use openspp_devserver::OdooVersion;
use openspp_models::g2p_cycle::G2pCycle;
use openspp_models::g2p_entitlement::{self as ent, G2pEntitlement};
use openspp_models::res_partner::{self, Gender, ResPartner};
use openspp_models::spp_area::{self, SppArea};
use support::{admin_session, start_as};

/// Areas for the individuals (two areas, some left without) and entitlements spread over
/// two cycles and three months, with different amounts: the same data on every server.
async fn seed(odoo: &Session) {
    let areas = SppArea::repo(odoo);
    let mut area_ids = Vec::new();
    for name in ["North", "South"] {
        let id = areas
            .create(SppArea::create(name).set(spp_area::NAME, name))
            .await
            .unwrap();
        area_ids.push(id);
    }
    let partners = ResPartner::repo(odoo);
    let individuals = partners
        .search(res_partner::IS_REGISTRANT.eq(true) & res_partner::IS_GROUP.eq(false))
        .order(res_partner::ID.asc())
        .await
        .unwrap();
    for (i, id) in individuals.iter().enumerate() {
        if i % 5 != 4 {
            partners
                .write(&[*id], res_partner::AREA_ID.set(area_ids[i % 2]))
                .await
                .unwrap();
        }
    }
    let date = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
    let cycle = G2pCycle::repo(odoo)
        .create(G2pCycle::create(
            date(12, 31),
            "Cycle 2",
            Id::new(1),
            date(10, 1),
        ))
        .await
        .unwrap();
    let households = partners
        .search(res_partner::IS_GROUP.eq(true))
        .order(res_partner::ID.asc())
        .limit(9)
        .await
        .unwrap();
    for (i, household) in households.iter().enumerate() {
        let amount = 100.0 + 25.0 * i as f64;
        let month = 10 + (i % 3) as u32;
        G2pEntitlement::repo(odoo)
            .create(
                G2pEntitlement::create(cycle, amount, *household)
                    .set(ent::VALID_FROM, date(month, 1 + i as u32)),
            )
            .await
            .unwrap();
    }
}

type PerAreaAndGender =
    Vec<Group<(Option<Many2one<SppArea>>, Option<Gender>), (Option<NaiveDate>, u64)>>;

/// Registrants per area and gender, with their earliest birthdate and how many have an area.
async fn per_area_and_gender(odoo: &Session) -> PerAreaAndGender {
    ResPartner::repo(odoo)
        .aggregate(res_partner::IS_REGISTRANT.eq(true) & res_partner::IS_GROUP.eq(false))
        .group_by((res_partner::AREA_ID, res_partner::GENDER))
        .measures((res_partner::BIRTHDATE.min(), res_partner::AREA_ID.count()))
        .await
        .unwrap()
}

type PerCycleAndMonth = Vec<
    Group<
        (Option<Many2one<G2pCycle>>, Option<Period<NaiveDate>>),
        (
            Option<f64>,
            Option<f64>,
            Option<f64>,
            u64,
            Vec<Option<Id<ResPartner>>>,
        ),
    >,
>;

/// Entitlement amounts per cycle and month (`program_id` is not stored on
/// `g2p.entitlement`: Odoo cannot group by it, and the constant says so).
async fn per_cycle_and_month(odoo: &Session) -> PerCycleAndMonth {
    G2pEntitlement::repo(odoo)
        .aggregate(Domain::all())
        .group_by((ent::CYCLE_ID, ent::VALID_FROM.by(Granularity::Month)))
        .measures((
            ent::INITIAL_AMOUNT.sum(),
            ent::INITIAL_AMOUNT.avg(),
            ent::INITIAL_AMOUNT.max(),
            ent::PARTNER_ID.count_distinct(),
            ent::PARTNER_ID.array_agg(),
        ))
        .await
        .unwrap()
}

/// The entitlement groups as a struct: keys, measures and count by name.
#[derive(Debug, PartialEq, GroupRecord)]
#[group(model = G2pEntitlement)]
struct CycleMonth {
    #[group(by)]
    cycle_id: Option<Many2one<G2pCycle>>,
    #[group(by = "month", field = "valid_from")]
    month: Option<Period<NaiveDate>>,
    #[group(sum, field = "initial_amount")]
    total: Option<f64>,
    #[group(count_distinct, field = "partner_id")]
    households: u64,
    #[group(records)]
    entitlements: u64,
}

/// The same groups, computed from the records.
async fn expected_per_cycle_and_month(odoo: &Session) -> PerCycleAndMonth {
    let rows = G2pEntitlement::repo(odoo)
        .search_read(Domain::all())
        .fields((
            ent::CYCLE_ID,
            ent::VALID_FROM,
            ent::INITIAL_AMOUNT,
            ent::PARTNER_ID,
        ))
        .order(ent::ID.asc())
        .await
        .unwrap();
    let mut groups: BTreeMap<(String, i32, NaiveDate), PerCycleAndMonth> = BTreeMap::new();
    for (_, (cycle, valid_from, amount, partner)) in rows {
        let cycle = cycle.unwrap();
        let start = valid_from.unwrap().with_day(1).unwrap();
        let end = start.checked_add_months(chrono::Months::new(1)).unwrap();
        let key = (cycle.name.clone().unwrap(), cycle.id.get(), start);
        let group = groups.entry(key).or_insert_with(|| {
            vec![Group {
                key: (Some(cycle.clone()), Some(Period { start, end })),
                count: 0,
                values: (Some(0.0), None, None, 0, Vec::new()),
            }]
        });
        let g = &mut group[0];
        g.count += 1;
        g.values.0 = g.values.0.map(|s| s + amount);
        g.values.2 = Some(g.values.2.map_or(amount, |m: f64| m.max(amount)));
        g.values.4.push(partner.map(|p| p.id));
    }
    groups
        .into_values()
        .flatten()
        .map(|mut g| {
            g.values.1 = g.values.0.map(|s| s / g.count as f64);
            let mut distinct = g.values.4.clone();
            distinct.sort();
            distinct.dedup();
            g.values.3 = distinct.len() as u64;
            g
        })
        .collect()
}

#[tokio::test]
async fn the_same_typed_aggregates_on_odoo_17_and_19() {
    let v17 = start_as(OdooVersion::V17).await;
    let v19 = start_as(OdooVersion::V19).await;
    let sessions = [
        admin_session(&v17, Protocol::XmlRpc).await,
        admin_session(&v19, Protocol::XmlRpc).await,
        admin_session(&v19, Protocol::Json2).await,
    ];
    seed(&sessions[0]).await;
    seed(&sessions[1]).await;
    let mut areas = Vec::new();
    let mut amounts = Vec::new();
    for odoo in &sessions {
        areas.push(per_area_and_gender(odoo).await);
        amounts.push(per_cycle_and_month(odoo).await);
    }
    assert_eq!(areas[0], areas[1]);
    assert_eq!(areas[0], areas[2]);
    assert_eq!(amounts[0], amounts[1]);
    assert_eq!(amounts[0], amounts[2]);

    // by area name (North, South, then none), then gender
    let keys: Vec<(Option<String>, Option<Gender>)> = areas[0]
        .iter()
        .map(|g| {
            (
                g.key.0.as_ref().and_then(|a| a.name.clone()),
                g.key.1.clone(),
            )
        })
        .collect();
    let north = || Some("North".to_owned());
    let south = || Some("South".to_owned());
    assert_eq!(
        keys,
        [
            (north(), Some(Gender::Female)),
            (north(), Some(Gender::Male)),
            (south(), Some(Gender::Female)),
            (south(), Some(Gender::Male)),
            (None, Some(Gender::Female)),
            (None, Some(Gender::Male)),
        ]
    );
    let individuals = ResPartner::repo(&sessions[0])
        .search_count(res_partner::IS_REGISTRANT.eq(true) & res_partner::IS_GROUP.eq(false))
        .await
        .unwrap();
    assert_eq!(areas[0].iter().map(|g| g.count).sum::<u64>(), individuals);
    for group in &areas[0] {
        let with_area = if group.key.0.is_some() {
            group.count
        } else {
            0
        };
        assert_eq!(group.values.1, with_area, "{group:?}");
        assert!(group.values.0.is_some(), "{group:?}");
    }

    for odoo in &sessions[..2] {
        assert_eq!(
            per_cycle_and_month(odoo).await,
            expected_per_cycle_and_month(odoo).await
        );
    }
    assert_eq!(amounts[0].len(), 4, "{:#?}", amounts[0]);

    // the struct form reads the same groups
    for (odoo, groups) in sessions.iter().zip(&amounts) {
        let records = G2pEntitlement::repo(odoo)
            .aggregate(Domain::all())
            .records::<CycleMonth>()
            .await
            .unwrap();
        let expected: Vec<CycleMonth> = groups
            .iter()
            .map(|g| CycleMonth {
                cycle_id: g.key.0.clone(),
                month: g.key.1,
                total: g.values.0,
                households: g.values.3,
                entitlements: g.count,
            })
            .collect();
        assert_eq!(records, expected);
    }
}

#[tokio::test]
async fn order_limit_offset_and_no_groups() {
    for (version, protocol) in [
        (OdooVersion::V17, Protocol::XmlRpc),
        (OdooVersion::V19, Protocol::Json2),
    ] {
        let server = start_as(version).await;
        let odoo = admin_session(&server, protocol).await;
        let partners = ResPartner::repo(&odoo);
        let registrants = res_partner::IS_REGISTRANT.eq(true);

        // no group by: one group of every match
        let all = partners.aggregate(registrants.clone()).await.unwrap();
        let total = partners.search_count(registrants.clone()).await.unwrap();
        assert_eq!(
            all,
            [Group {
                key: (),
                count: total,
                values: ()
            }],
            "{version}"
        );

        // households per registration month, largest first, second and third only
        let by_month = partners
            .aggregate(registrants.clone() & res_partner::IS_GROUP.eq(true))
            .group_by(res_partner::REGISTRATION_DATE.by(Granularity::Month))
            .order(
                Order::count_desc()
                    .then(res_partner::REGISTRATION_DATE.by(Granularity::Month).asc()),
            )
            .offset(1)
            .limit(2)
            .await
            .unwrap();
        assert_eq!(by_month.len(), 2, "{version}");
        assert!(by_month[0].count >= by_month[1].count, "{by_month:?}");
        let period = by_month[0].key.unwrap();
        assert_eq!(period.start.day(), 1);
        assert_eq!(
            period.end,
            period
                .start
                .checked_add_months(chrono::Months::new(1))
                .unwrap()
        );

        // limit(0): no groups
        let none = partners
            .aggregate(registrants.clone())
            .group_by(res_partner::IS_GROUP)
            .limit(0)
            .await
            .unwrap();
        assert!(none.is_empty());

        // booleans and sums ordered by a measure
        let by_group = partners
            .aggregate(registrants.clone())
            .group_by(res_partner::IS_GROUP)
            .measures((res_partner::COLOR.sum(), res_partner::ACTIVE.bool_and()))
            .order(
                res_partner::COLOR
                    .sum()
                    .desc()
                    .then(res_partner::IS_GROUP.asc()),
            )
            .await
            .unwrap();
        let keys: Vec<bool> = by_group.iter().map(|g| g.key).collect();
        assert_eq!(keys, [false, true], "{version}");
        assert!(
            by_group.iter().all(|g| g.values.1 == Some(true)),
            "{by_group:?}"
        );

        // a server-side refusal is a typed fault, not a panic
        let refused = partners
            .aggregate(registrants)
            .group_by(res_partner::IS_GROUP)
            .order(res_partner::NAME.asc())
            .await;
        assert!(
            matches!(refused, Err(openspp_client::Error::Fault(_))),
            "{refused:?}"
        );
        server.stop().await;
    }
}
