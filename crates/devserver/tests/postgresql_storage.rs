//! What the dev server keeps as PostgreSQL and Odoo 17 keep it, checked over HTTP: aggregates
//! PostgreSQL has no function for, external ids deleted with their records, and `write_date`
//! stored to the microsecond but answered to the second.

mod support;

use chrono::NaiveDateTime;
use openspp_devserver::{Config, ManualClock, OdooVersion};
use openspp_xmlrpc::{Struct, Value};
use support::*;

fn at(text: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").expect("datetime")
}

async fn aggregate_fault(rpc: &Rpc, version: OdooVersion, spec: &str) -> Option<String> {
    let answer = if version >= OdooVersion::V19 {
        rpc.kw(
            "res.partner",
            "formatted_read_group",
            vec![arr(vec![]), arr(vec![s("is_company")]), arr(vec![s(spec)])],
            Struct::new(),
        )
        .await
    } else {
        let (name, function) = spec.split_once(':').expect("field:function");
        rpc.kw(
            "res.partner",
            "read_group",
            vec![
                arr(vec![]),
                arr(vec![s(&format!("{name}_agg:{function}({name})"))]),
                arr(vec![s("is_company")]),
            ],
            Struct::new(),
        )
        .await
    };
    answer.err().map(|fault| fault.message)
}

/// Odoo 17's `read_group` and 19's `formatted_read_group` check the aggregate's name only;
/// PostgreSQL then refuses the functions its catalogue lacks for the column's type, and the
/// fault is psycopg2's `UndefinedFunction` (as both real servers answered `sum` of a char).
#[tokio::test]
async fn aggregates_postgresql_lacks_fault_as_undefined_functions() {
    for version in [OdooVersion::V17, OdooVersion::V19] {
        let server = start_as(version).await;
        let rpc = Rpc::new(server.url());
        for (spec, pg) in [
            ("name:sum", "sum(character varying)"),
            ("name:avg", "avg(character varying)"),
            ("comment:sum", "sum(text)"),
            ("birthdate:sum", "sum(date)"),
            ("write_date:avg", "avg(timestamp without time zone)"),
            ("is_group:sum", "sum(boolean)"),
            ("is_group:max", "max(boolean)"),
            ("id:bool_and", "bool_and(integer)"),
            ("name:bool_or", "bool_or(character varying)"),
        ] {
            let message = aggregate_fault(&rpc, version, spec)
                .await
                .unwrap_or_else(|| panic!("{version} {spec}: answered"));
            assert!(
                message.contains(&format!(
                    "psycopg2.errors.UndefinedFunction: function {pg} does not exist\n"
                )),
                "{version} {spec}: {message}"
            );
            assert!(
                message.trim_end().ends_with(
                    "HINT:  No function matches the given name and argument types. You might need to add explicit type casts."
                ),
                "{version} {spec}: {message}"
            );
        }
        for spec in [
            "name:max",
            "name:min",
            "birthdate:max",
            "write_date:min",
            "partner_latitude:sum",
            "partner_longitude:avg",
            "id:avg",
            "parent_id:sum",
            "is_group:bool_and",
            "name:count",
            "name:count_distinct",
        ] {
            assert_eq!(
                aggregate_fault(&rpc, version, spec).await,
                None,
                "{version} {spec}"
            );
        }
        server.stop().await;
    }
}

/// `BaseModel.unlink` deletes the `ir.model.data` rows naming the records it deletes: an
/// import of the same external id afterwards creates a new record.
#[tokio::test]
async fn external_ids_are_deleted_with_their_records() {
    let server = start(None).await;
    let rpc = Rpc::new(server.url());
    let load = |name: &'static str| {
        let rpc = rpc.clone();
        async move {
            let answer = rpc
                .ok(
                    "res.partner",
                    "load",
                    vec![
                        arr(vec![s("id"), s("name")]),
                        arr(vec![arr(vec![s("test_sync.gone"), s(name)])]),
                    ],
                    Struct::new(),
                )
                .await;
            ids(field(&answer, "ids"))
        }
    };
    let xmlids = |rpc: Rpc| async move {
        rpc.ok(
            "ir.model.data",
            "search_read",
            vec![arr(vec![
                leaf("module", "=", s("test_sync")),
                leaf("name", "=", s("gone")),
            ])],
            kw(vec![("fields", arr(vec![s("res_id")]))]),
        )
        .await
    };
    let first = load("First").await;
    assert_eq!(first.len(), 1);
    assert_eq!(load("First again").await, first, "the id names the record");
    rpc.ok(
        "res.partner",
        "unlink",
        vec![arr(vec![i(first[0])])],
        Struct::new(),
    )
    .await;
    assert_eq!(xmlids(rpc.clone()).await, arr(vec![]));
    let second = load("Second").await;
    assert_eq!(second.len(), 1);
    assert_ne!(
        second, first,
        "a new record, not an update of the deleted one"
    );
    server.stop().await;
}

/// PostgreSQL stores `now()` (the transaction's start) to the microsecond; Odoo answers it to
/// the second (`Datetime.to_string`), and in 17 a domain value reaches PostgreSQL as text:
/// `=` a whole second misses the records written within it after its first microsecond, and
/// `>` it finds them. A fractional value compares to the microsecond.
#[tokio::test]
async fn write_dates_are_stored_to_the_microsecond_and_answered_to_the_second() {
    let clock = ManualClock::new(at("2026-03-01 10:00:00"));
    let server = start(Some(Config::new(schemas()).clock(clock.clone()))).await;
    let rpc = Rpc::new(server.url());
    let mut made = Vec::new();
    for n in 0..3 {
        let id = rpc
            .ok(
                "res.partner",
                "create",
                vec![Value::Struct(kw(vec![(
                    "name",
                    s(&format!("Same second {n}")),
                )]))],
                Struct::new(),
            )
            .await;
        made.push(int(&id));
    }
    let rows = rpc
        .ok(
            "res.partner",
            "read",
            vec![arr(made.iter().map(|id| i(*id)).collect())],
            kw(vec![(
                "fields",
                arr(vec![s("write_date"), s("create_date")]),
            )]),
        )
        .await;
    let Value::Array(rows) = rows else {
        panic!("{rows:?}")
    };
    for row in &rows {
        assert_eq!(field(row, "write_date"), &s("2026-03-01 10:00:00"));
        assert_eq!(field(row, "create_date"), &s("2026-03-01 10:00:00"));
    }
    let search = |domain: Vec<Value>, order: &'static str| {
        let rpc = rpc.clone();
        async move {
            ids(&rpc
                .ok(
                    "res.partner",
                    "search",
                    vec![arr(domain)],
                    kw(vec![("order", s(order))]),
                )
                .await)
        }
    };
    let second = || s("2026-03-01 10:00:00");
    assert_eq!(
        search(vec![leaf("write_date", "=", second())], "id").await,
        made[..1]
    );
    assert_eq!(
        search(vec![leaf("write_date", ">", second())], "id").await,
        made[1..]
    );
    assert_eq!(
        search(
            vec![leaf("write_date", ">=", s("2026-03-01 10:00:00.000002"))],
            "id"
        )
        .await,
        made[2..]
    );
    let mut newest_first = made.clone();
    newest_first.reverse();
    assert_eq!(
        search(vec![leaf("write_date", ">=", second())], "write_date desc").await,
        newest_first,
        "ordered by the stored microseconds"
    );
    server.stop().await;
}

/// Odoo 19 compares a datetime condition to the whole second (`_optimize_type_datetime`): on
/// the real 19, for the 200 partners of one busy second, `=` the second finds all 200, `>`
/// none, and a fractional `>=` (`.5`, `.000001`) all 200, `<=` all, `<` none; the dev server
/// in 19 mode stores microseconds and answers the same.
#[tokio::test]
async fn odoo_19_compares_datetimes_to_the_whole_second() {
    let clock = ManualClock::new(at("2026-03-01 10:00:00"));
    let config = Config::new(schemas())
        .odoo_version(OdooVersion::V19)
        .clock(clock.clone());
    let server = start(Some(config)).await;
    let rpc = Rpc::new(server.url());
    let mut made = Vec::new();
    for n in 0..3 {
        let id = rpc
            .ok(
                "res.partner",
                "create",
                vec![Value::Struct(kw(vec![(
                    "name",
                    s(&format!("Same second {n}")),
                )]))],
                Struct::new(),
            )
            .await;
        made.push(int(&id));
    }
    clock.set(at("2026-03-01 10:00:01"));
    let next_second = rpc
        .ok(
            "res.partner",
            "create",
            vec![Value::Struct(kw(vec![("name", s("Next second"))]))],
            Struct::new(),
        )
        .await;
    made.push(int(&next_second));
    let ours = arr(made.iter().map(|id| i(*id)).collect());
    let search = |op: &'static str, value: &'static str| {
        let (rpc, ours) = (rpc.clone(), ours.clone());
        async move {
            ids(&rpc
                .ok(
                    "res.partner",
                    "search",
                    vec![arr(vec![
                        leaf("id", "in", ours),
                        leaf("write_date", op, s(value)),
                    ])],
                    kw(vec![("order", s("id"))]),
                )
                .await)
        }
    };
    let (second, next) = (&made[..3], &made[3..]);
    for (op, value, expected) in [
        ("=", "2026-03-01 10:00:00", second),
        ("=", "2026-03-01 10:00:00.5", second),
        ("!=", "2026-03-01 10:00:00", next),
        (">", "2026-03-01 10:00:00", next),
        (">", "2026-03-01 10:00:00.000001", next),
        (">=", "2026-03-01 10:00:00.000002", &made[..]),
        (">=", "2026-03-01 10:00:00.5", &made[..]),
        ("<", "2026-03-01 10:00:00.5", &[]),
        ("<", "2026-03-01 10:00:01", second),
        ("<=", "2026-03-01 10:00:00", second),
        (">", "2026-03-01", &[]),
        ("<=", "2026-03-01", &made[..]),
    ] {
        assert_eq!(search(op, value).await, expected, "write_date {op} {value}");
    }
    let in_list = ids(&rpc
        .ok(
            "res.partner",
            "search",
            vec![arr(vec![
                leaf("id", "in", ours.clone()),
                leaf(
                    "write_date",
                    "not in",
                    arr(vec![s("2026-03-01 10:00:01.3"), Value::Bool(false)]),
                ),
            ])],
            kw(vec![("order", s("id"))]),
        )
        .await);
    assert_eq!(in_list, second);
    server.stop().await;
}
