//! `Repository::export` against a server that stores `write_date` to the microsecond and
//! answers it to the second, as Odoo 17 on PostgreSQL does: a busy second exports each record
//! once at every page size, and a change committed after a sync, dated before its watermark,
//! comes in the next sync.

mod support;

use std::collections::BTreeSet;
use std::time::Duration;

use chrono::{NaiveDateTime, TimeDelta};
use futures_util::TryStreamExt;
use openspp_client::{
    Args, Domain, ExportColumns, ExportRow, Id, Protocol, Session, Value, Watermark,
};
use openspp_devserver::{Config, ManualClock, OdooVersion, RunningServer};
use openspp_models::res_partner::{self as partner, ResPartner};
use support::{admin_session, schemas, start};

fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").expect("datetime")
}

fn servers() -> [(OdooVersion, Protocol); 2] {
    [
        (OdooVersion::V17, Protocol::XmlRpc),
        (OdooVersion::V19, Protocol::Json2),
    ]
}

async fn start_with(version: OdooVersion, clock: &ManualClock) -> RunningServer {
    start(Some(
        Config::new(schemas())
            .odoo_version(version)
            .clock(clock.clone()),
    ))
    .await
}

/// Creates partners named `{prefix} {n}` in calls of `per_call` (one transaction, so one
/// `write_date` to the microsecond, each).
async fn create_partners(odoo: &Session, prefix: &str, count: usize, per_call: usize) -> Vec<i32> {
    let mut made = Vec::with_capacity(count);
    let names: Vec<String> = (0..count).map(|n| format!("{prefix} {n:05}")).collect();
    for chunk in names.chunks(per_call) {
        let values: Vec<Value> = chunk
            .iter()
            .map(|name| {
                Value::Struct(
                    [("name".to_owned(), Value::String(name.clone()))]
                        .into_iter()
                        .collect(),
                )
            })
            .collect();
        let ids: Vec<i32> = odoo
            .call(
                "res.partner",
                "create",
                Args::new().arg("vals_list", Value::Array(values)),
            )
            .await
            .expect("create");
        made.extend(ids);
    }
    made
}

fn columns() -> ExportColumns<ResPartner> {
    ExportColumns::new().field(partner::NAME)
}

fn distinct(rows: &[ExportRow<ResPartner>]) -> BTreeSet<Id<ResPartner>> {
    rows.iter().map(|r| r.id).collect()
}

/// 1 500 records written within one second (300 transactions, so ties and distinct
/// microseconds both): the full export and a sync from before that second each give every
/// id once and end, at page sizes 1, 7, 100 and 500.
#[tokio::test]
async fn a_busy_second_exports_each_record_once_at_every_page_size() {
    for (version, protocol) in servers() {
        let clock = ManualClock::new(at("2026-04-01 12:00:00"));
        let server = start_with(version, &clock).await;
        let odoo = admin_session(&server, protocol).await;
        let made = create_partners(&odoo, "Busy", 1_500, 5).await;
        assert_eq!(made.len(), 1_500);
        // 300 transactions (and the login's), a microsecond apart: all within the second
        assert!(clock.peek() >= at("2026-04-01 12:00:00") + TimeDelta::microseconds(300));
        assert!(clock.peek() < at("2026-04-01 12:00:01"));
        let expected: BTreeSet<Id<ResPartner>> = made.iter().map(|id| Id::new(*id)).collect();
        let busy = partner::NAME.like("Busy ");
        let partners = odoo.repo::<ResPartner>();
        for page_size in [1, 7, 100, 500] {
            let changes = partners
                .export(busy.clone(), columns())
                .changed_since(Watermark::at(at("2026-04-01 11:59:00")))
                .open()
                .await
                .unwrap();
            assert_eq!(
                changes.next_watermark(),
                Watermark::at(at("2026-04-01 12:00:01")),
                "{version} {page_size}"
            );
            let rows: Vec<_> = changes.stream(page_size).try_collect().await.unwrap();
            assert_eq!(rows.len(), 1_500, "{version} page size {page_size}");
            assert_eq!(distinct(&rows), expected, "{version} page size {page_size}");
            assert!(rows.iter().all(|r| !r.repeat
                && r.write_date == at("2026-04-01 12:00:00")
                && matches!(&r.cells[..], [Value::String(name)] if name.starts_with("Busy "))));
        }
        for page_size in [7, 500] {
            let rows: Vec<_> = partners
                .export(busy.clone(), columns())
                .stream(page_size)
                .try_collect()
                .await
                .unwrap();
            assert_eq!(
                rows.len(),
                1_500,
                "{version} full export, page size {page_size}"
            );
            assert_eq!(distinct(&rows), expected, "{version} page size {page_size}");
        }
        server.stop().await;
    }
}

async fn sync(
    odoo: &Session,
    domain: Domain<ResPartner>,
    since: Watermark,
    overlap: Duration,
) -> (Vec<ExportRow<ResPartner>>, Watermark) {
    let changes = odoo
        .repo::<ResPartner>()
        .export(domain, columns())
        .changed_since(since)
        .overlap(overlap)
        .open()
        .await
        .unwrap();
    let next = changes.next_watermark();
    (changes.stream(3).try_collect().await.unwrap(), next)
}

/// A transaction that started at 10:00:02 and commits after a sync that stored the
/// watermark 10:00:06 (PostgreSQL stamps `write_date` with the transaction's start): the next
/// sync delivers it, marked as a possible repeat, because it reads the overlap before the
/// watermark again. Without the overlap it would be lost, which is why there is one.
#[tokio::test]
async fn a_change_committed_late_comes_in_the_next_sync() {
    for (version, protocol) in servers() {
        let clock = ManualClock::new(at("2026-04-01 10:00:05"));
        let server = start_with(version, &clock).await;
        let odoo = admin_session(&server, protocol).await;
        let late = partner::NAME.like("Late ");
        let b = create_partners(&odoo, "Late B", 1, 1).await[0];
        let (first, watermark) = sync(
            &odoo,
            late.clone(),
            Watermark::BEGINNING,
            Duration::from_secs(300),
        )
        .await;
        assert_eq!(distinct(&first), BTreeSet::from([Id::new(b)]), "{version}");
        assert_eq!(watermark, Watermark::at(at("2026-04-01 10:00:06")));

        // the late transaction's row becomes visible now, dated when it started
        clock.set(at("2026-04-01 10:00:02"));
        let a = create_partners(&odoo, "Late A", 1, 1).await[0];
        clock.set(at("2026-04-01 10:00:07"));
        let c = create_partners(&odoo, "Late C", 1, 1).await[0];

        let (without_overlap, _) = sync(&odoo, late.clone(), watermark, Duration::ZERO).await;
        assert_eq!(
            distinct(&without_overlap),
            BTreeSet::from([Id::new(c)]),
            "{version}: a watermark alone loses the late commit"
        );

        let (second, next) = sync(&odoo, late.clone(), watermark, Duration::from_secs(300)).await;
        assert_eq!(
            distinct(&second),
            BTreeSet::from([Id::new(a), Id::new(b), Id::new(c)]),
            "{version}"
        );
        let repeat = |id: i32| second.iter().find(|r| r.id == Id::new(id)).unwrap().repeat;
        assert!(
            repeat(a) && repeat(b) && !repeat(c),
            "{version}: {second:?}"
        );
        assert_eq!(next, Watermark::at(at("2026-04-01 10:00:08")));

        // nothing written since: the watermark stays, and nothing comes
        let (third, after) = sync(&odoo, late.clone(), next, Duration::ZERO).await;
        assert!(third.is_empty(), "{version}: {third:?}");
        assert_eq!(after, next);
        server.stop().await;
    }
}
