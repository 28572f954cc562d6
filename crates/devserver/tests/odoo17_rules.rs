//! Odoo 17's own rules for values, dates, missing records, uids and what an answer can carry,
//! over real HTTP on 127.0.0.1: each case is what a real Odoo 17 server answers (fault code,
//! exception line), read from its sources (`odoo/fields.py`, `odoo/models.py`,
//! `odoo/service/model.py`, `odoo/addons/base/controllers/rpc.py`) and the captures in
//! `../shared/odoo17/wire`.

mod support;

use openspp_devserver::{Config, Seed};
use openspp_xmlrpc::{Fault, Struct, Value};
use support::*;

/// `execute_kw` over `/jsonrpc` as admin: the result, or the error's `data`.
async fn jsonrpc(
    rpc: &Rpc,
    model: &str,
    method: &str,
    args: serde_json::Value,
) -> Result<serde_json::Value, serde_json::Value> {
    let body = serde_json::json!({"jsonrpc": "2.0", "method": "call", "id": 1, "params": {
        "service": "object", "method": "execute_kw",
        "args": ["openspp", 2, KEY, model, method, args, {}]}});
    let (status, bytes) = rpc
        .post("/jsonrpc", serde_json::to_vec(&body).unwrap())
        .await;
    assert_eq!(status, 200);
    let mut answer: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    match answer.get_mut("result") {
        Some(result) => Ok(result.take()),
        None => Err(answer["error"]["data"].take()),
    }
}

fn fault(result: Result<Value, Fault>) -> Fault {
    result.expect_err("a fault")
}

async fn create_partner(rpc: &Rpc, vals: Vec<(&str, Value)>) -> Result<Value, Fault> {
    rpc.kw(
        "res.partner",
        "create",
        vec![Value::Struct(kw(vals))],
        Struct::new(),
    )
    .await
}

async fn read_one(rpc: &Rpc, model: &str, id: i32, field_name: &str) -> Value {
    let records = rpc
        .ok(
            model,
            "read",
            vec![arr(vec![i(id)]), arr(vec![s(field_name)])],
            Struct::new(),
        )
        .await;
    let Value::Array(records) = records else {
        panic!("not a list: {records:?}")
    };
    field(&records[0], field_name).clone()
}

/// rpc.py `OdooMarshaller.dump_unicode`: control characters are left out of every string of an
/// XML-RPC answer, so a record holding them stays readable; JSON-RPC keeps them.
#[tokio::test]
async fn answers_leave_out_what_xml_cannot_carry() {
    let server = start(None).await;
    let rpc = Rpc::new(server.url());
    let name = "Widget\u{3} Name\u{1b}[0m";
    let id = jsonrpc(
        &rpc,
        "res.partner",
        "create",
        serde_json::json!([{"name": name}]),
    )
    .await
    .unwrap()
    .as_i64()
    .unwrap();
    let id = i32::try_from(id).unwrap();
    assert_eq!(
        read_one(&rpc, "res.partner", id, "name").await,
        s("Widget Name[0m")
    );
    let found = rpc
        .ok(
            "res.partner",
            "search_read",
            vec![arr(vec![leaf("id", "=", i(id))])],
            kw(vec![("fields", arr(vec![s("name"), s("display_name")]))]),
        )
        .await;
    let Value::Array(found) = found else { panic!() };
    assert_eq!(field(&found[0], "display_name"), &s("Widget Name[0m"));
    let named = rpc
        .ok(
            "res.partner",
            "name_search",
            vec![s("Widget")],
            kw(vec![("limit", i(5))]),
        )
        .await;
    assert_eq!(named, arr(vec![arr(vec![i(id), s("Widget Name[0m")])]));
    // the bytes on the wire hold none of them
    let body = openspp_xmlrpc::to_call(
        "execute_kw",
        &vec![
            s("openspp"),
            i(2),
            s(KEY),
            s("res.partner"),
            s("read"),
            arr(vec![arr(vec![i(id)]), arr(vec![s("name")])]),
        ],
    )
    .unwrap();
    let (_, bytes) = rpc.post("/xmlrpc/2/object", body).await;
    assert!(!bytes.iter().any(|b| *b == 0x03 || *b == 0x1b));
    // JSON-RPC carries the name as stored
    let read = jsonrpc(
        &rpc,
        "res.partner",
        "read",
        serde_json::json!([[id], ["name"]]),
    )
    .await
    .unwrap();
    assert_eq!(read[0]["name"], name);
    server.stop().await;
}

/// An answer the marshaller cannot write is a fault that says why: Python's `OverflowError`
/// for an int past 32 bits, a `TypeError` naming the problem otherwise.
#[tokio::test]
async fn an_unmarshallable_answer_is_described_as_what_it_is() {
    let seed = Seed::Json(serde_json::json!({
        "res.partner.category": [{"id": 3_000_000_000_i64, "name": "Far away"}],
    }));
    let server = start(Some(Config::new(schemas()).seed(seed))).await;
    let rpc = Rpc::new(server.url());
    let f = fault(
        rpc.kw(
            "res.partner.category",
            "search",
            vec![arr(vec![])],
            Struct::new(),
        )
        .await,
    );
    assert_eq!(
        (code(&f), last_line(&f)),
        (1, "OverflowError: int exceeds XML-RPC limits")
    );
    // a struct member name XML cannot carry (a json field's key) is no int overflow
    let model = "account.analytic.distribution.model";
    let id = jsonrpc(
        &rpc,
        model,
        "create",
        serde_json::json!([{"analytic_distribution": {"1\u{3}": 100}, "company_id": false}]),
    )
    .await
    .unwrap()
    .as_i64()
    .unwrap();
    let f = fault(
        rpc.kw(
            model,
            "read",
            vec![
                arr(vec![i(i32::try_from(id).unwrap())]),
                arr(vec![s("analytic_distribution")]),
            ],
            Struct::new(),
        )
        .await,
    );
    assert_eq!(code(&f), 1);
    assert!(
        last_line(&f).starts_with("TypeError: cannot marshal the answer: invalid character"),
        "{}",
        f.message
    );
    assert!(
        last_line(&f).contains("analytic_distribution"),
        "{}",
        f.message
    );
    server.stop().await;
}

const OUT_OF_RANGE: &str = "psycopg2.errors.NumericValueOutOfRange: integer out of range";

/// fields.Integer: `int(value or 0)` into a PostgreSQL `int4` column.
#[tokio::test]
async fn integer_fields_hold_32_bits() {
    let server = start(None).await;
    let rpc = Rpc::new(server.url());
    let before = rpc
        .ok(
            "res.partner",
            "search_count",
            vec![arr(vec![])],
            Struct::new(),
        )
        .await;
    let f = fault(
        create_partner(
            &rpc,
            vec![("name", s("Big")), ("color", Value::I8(3_000_000_000))],
        )
        .await,
    );
    assert_eq!((code(&f), last_line(&f)), (1, OUT_OF_RANGE));
    assert!(
        f.message
            .starts_with("Traceback (most recent call last):\n")
    );
    assert_eq!(
        rpc.ok(
            "res.partner",
            "search_count",
            vec![arr(vec![])],
            Struct::new()
        )
        .await,
        before,
        "nothing was created"
    );
    let id = int(&create_partner(
        &rpc,
        vec![("name", s("Edges")), ("color", Value::I8(2_147_483_647))],
    )
    .await
    .unwrap());
    assert_eq!(
        read_one(&rpc, "res.partner", id, "color").await,
        i(i32::MAX)
    );
    let write = |value: Value| {
        let rpc = rpc.clone();
        async move {
            rpc.kw(
                "res.partner",
                "write",
                vec![arr(vec![i(id)]), Value::Struct(kw(vec![("color", value)]))],
                Struct::new(),
            )
            .await
        }
    };
    for (value, line) in [
        (Value::I8(-2_147_483_649), OUT_OF_RANGE),
        (Value::Double(3e9), OUT_OF_RANGE),
        (s("3000000000"), OUT_OF_RANGE),
        (
            s("abc"),
            "ValueError: invalid literal for int() with base 10: 'abc'",
        ),
        (
            s("2.5"),
            "ValueError: invalid literal for int() with base 10: '2.5'",
        ),
        (
            arr(vec![i(1)]),
            "TypeError: int() argument must be a string, a bytes-like object or a real number, not 'list'",
        ),
    ] {
        let f = fault(write(value.clone()).await);
        assert_eq!((code(&f), last_line(&f)), (1, line), "{value:?}");
    }
    assert_eq!(
        read_one(&rpc, "res.partner", id, "color").await,
        i(i32::MAX),
        "a failed write changes nothing"
    );
    for (value, stored) in [
        (Value::I8(-2_147_483_648), i32::MIN),
        (Value::Double(7.9), 7),
        (s(" 12 "), 12),
        (Value::Bool(true), 1),
        (Value::Bool(false), 0),
    ] {
        assert_eq!(
            write(value.clone()).await,
            Ok(Value::Bool(true)),
            "{value:?}"
        );
        assert_eq!(
            read_one(&rpc, "res.partner", id, "color").await,
            i(stored),
            "{value:?}"
        );
    }
    server.stop().await;
}

/// fields.Date.to_date and fields.Datetime.to_datetime: what `strptime` accepts, with its
/// exception otherwise.
#[tokio::test]
async fn dates_and_datetimes_are_what_odoo_parses() {
    let server = start(None).await;
    let rpc = Rpc::new(server.url());
    let id = int(&create_partner(&rpc, vec![("name", s("Dated"))])
        .await
        .unwrap());
    let write = |name: &'static str, value: Value| {
        let rpc = rpc.clone();
        async move {
            rpc.kw(
                "res.partner",
                "write",
                vec![arr(vec![i(id)]), Value::Struct(kw(vec![(name, value)]))],
                Struct::new(),
            )
            .await
        }
    };
    let date_time = Value::DateTime(openspp_xmlrpc::DateTime {
        year: 2026,
        month: 11,
        day: 30,
        hour: 10,
        minute: 0,
        second: 0,
    });
    for (name, value, line) in [
        (
            "signup_expiration",
            date_time.clone(),
            "TypeError: object of type 'DateTime' has no len()",
        ),
        (
            "birthdate",
            date_time,
            "TypeError: 'DateTime' object is not subscriptable",
        ),
        (
            "signup_expiration",
            s("2026-11-30T10:00:00"),
            "ValueError: time data '2026-11-30T10:00:00' does not match format '%Y-%m-%d %H:%M:%S'",
        ),
        (
            "signup_expiration",
            s("2026-11-30T10:00:00.123Z"),
            "ValueError: time data '2026-11-30T10:00:00.123Z' does not match format '%Y-%m-%d %H:%M:%S'",
        ),
        (
            "signup_expiration",
            s("2026-11-30 10:00:00.123"),
            "ValueError: unconverted data remains: .123",
        ),
        (
            "birthdate",
            s("2026-02-30"),
            "ValueError: day is out of range for month",
        ),
        (
            "birthdate",
            s("30/11/2026"),
            "ValueError: time data '30/11/2026' does not match format '%Y-%m-%d'",
        ),
        (
            "birthdate",
            i(20261130),
            "TypeError: 'int' object is not subscriptable",
        ),
    ] {
        let f = fault(write(name, value.clone()).await);
        assert_eq!((code(&f), last_line(&f)), (1, line), "{name} = {value:?}");
    }
    for (name, value, stored) in [
        (
            "signup_expiration",
            s("2026-11-30 10:11:12"),
            s("2026-11-30 10:11:12"),
        ),
        (
            "signup_expiration",
            s("2026-11-30"),
            s("2026-11-30 00:00:00"),
        ),
        (
            "signup_expiration",
            s("2026-11-30 10:30"),
            s("2026-11-30 10:30:00"),
        ),
        ("signup_expiration", Value::Bool(false), Value::Bool(false)),
        ("birthdate", s("2026-11-30T10:00:00Z"), s("2026-11-30")),
        ("birthdate", s("2026-1-5"), s("2026-01-05")),
        ("birthdate", s(""), Value::Bool(false)),
    ] {
        assert_eq!(
            write(name, value.clone()).await,
            Ok(Value::Bool(true)),
            "{name} = {value:?}"
        );
        assert_eq!(
            read_one(&rpc, "res.partner", id, name).await,
            stored,
            "{name} = {value:?}"
        );
    }
    // create follows the same rules
    let f = fault(
        create_partner(
            &rpc,
            vec![("name", s("Late")), ("birthdate", s("2026-13-01"))],
        )
        .await,
    );
    assert_eq!(
        (code(&f), last_line(&f)),
        (
            1,
            "ValueError: time data '2026-13-01' does not match format '%Y-%m-%d'"
        )
    );
    server.stop().await;
}

fn missing(model: &str, id: i32) -> String {
    format!("Record does not exist or has been deleted.\n(Record: {model}({id},), User: 2)")
}

/// MissingError (fault 2) where the ORM meets a record that is not there; `read` leaves
/// missing records out (`read_missing_record` capture).
#[tokio::test]
async fn missing_records_fault_as_missing_error() {
    let server = start(None).await;
    let rpc = Rpc::new(server.url());
    let id = int(&create_partner(&rpc, vec![("name", s("Linked"))])
        .await
        .unwrap());
    let write = |vals: Vec<(&'static str, Value)>| {
        let rpc = rpc.clone();
        async move {
            rpc.kw(
                "res.partner",
                "write",
                vec![arr(vec![i(id)]), Value::Struct(kw(vals))],
                Struct::new(),
            )
            .await
        }
    };
    let f = fault(write(vec![("country_id", i(99_999))]).await);
    assert_eq!(
        (code(&f), f.message.as_str()),
        (2, missing("res.country", 99_999).as_str())
    );
    let f = fault(create_partner(&rpc, vec![("name", s("x")), ("parent_id", i(99_998))]).await);
    assert_eq!(
        (code(&f), f.message.as_str()),
        (2, missing("res.partner", 99_998).as_str())
    );
    let link = |command: Value| vec![("category_id", arr(vec![command]))];
    for command in [
        arr(vec![i(4), i(99_997)]),
        arr(vec![i(6), i(0), arr(vec![i(1), i(99_997)])]),
        arr(vec![
            i(1),
            i(99_997),
            Value::Struct(kw(vec![("name", s("x"))])),
        ]),
    ] {
        let f = fault(write(link(command.clone())).await);
        assert_eq!(
            (code(&f), f.message.as_str()),
            (2, missing("res.partner.category", 99_997).as_str()),
            "{command:?}"
        );
    }
    // the first missing record is the one named
    let f = fault(
        rpc.kw(
            "res.partner",
            "write",
            vec![
                arr(vec![i(id), i(99_996), i(99_995)]),
                Value::Struct(kw(vec![("name", s("x"))])),
            ],
            Struct::new(),
        )
        .await,
    );
    assert_eq!(
        (code(&f), f.message.as_str()),
        (2, missing("res.partner", 99_996).as_str())
    );
    let f = fault(
        rpc.kw(
            "res.partner",
            "unlink",
            vec![arr(vec![i(99_996)])],
            Struct::new(),
        )
        .await,
    );
    assert_eq!(
        (code(&f), f.message.as_str()),
        (2, missing("res.partner", 99_996).as_str())
    );
    assert_eq!(
        rpc.ok(
            "res.partner",
            "read",
            vec![arr(vec![i(99_999_999)])],
            kw(vec![("fields", arr(vec![s("name")]))]),
        )
        .await,
        arr(vec![])
    );
    assert_eq!(
        read_one(&rpc, "res.partner", id, "country_id").await,
        Value::Bool(false),
        "the failed writes changed nothing"
    );
    server.stop().await;
}

/// model.py `dispatch`: `int(params[1])`, then `security.check`.
#[tokio::test]
async fn the_uid_is_converted_like_python_int() {
    let server = start(None).await;
    let rpc = Rpc::new(server.url());
    let call = |uid: Value| {
        let rpc = rpc.clone();
        async move {
            rpc.call(
                "/xmlrpc/2/object",
                "execute_kw",
                vec![
                    s("openspp"),
                    uid,
                    s(KEY),
                    s("res.partner"),
                    s("search_count"),
                    arr(vec![arr(vec![])]),
                ],
            )
            .await
        }
    };
    let count = call(i(2)).await.unwrap();
    for uid in [
        Value::Double(2.0),
        Value::Double(2.5),
        s("2"),
        s(" +2 "),
        Value::I8(2),
    ] {
        assert_eq!(call(uid.clone()).await, Ok(count.clone()), "{uid:?}");
    }
    for (uid, line) in [
        (
            s("admin"),
            "ValueError: invalid literal for int() with base 10: 'admin'",
        ),
        (
            s("2.0"),
            "ValueError: invalid literal for int() with base 10: '2.0'",
        ),
        (
            arr(vec![i(2)]),
            "TypeError: int() argument must be a string, a bytes-like object or a real number, not 'list'",
        ),
    ] {
        let f = fault(call(uid.clone()).await);
        assert_eq!((code(&f), last_line(&f)), (1, line), "{uid:?}");
    }
    // int(True) is uid 1, whose password this is not
    let f = fault(call(Value::Bool(true)).await);
    assert_eq!((code(&f), f.message.as_str()), (3, "Access Denied"));
    // the uid is converted before the method is looked at
    let f = fault(
        rpc.call(
            "/xmlrpc/2/object",
            "frobnicate",
            vec![s("openspp"), s("admin"), s(KEY)],
        )
        .await,
    );
    assert_eq!(
        last_line(&f),
        "ValueError: invalid literal for int() with base 10: 'admin'"
    );
    let f = fault(
        rpc.call(
            "/xmlrpc/2/object",
            "frobnicate",
            vec![s("openspp"), i(2), s(KEY)],
        )
        .await,
    );
    assert_eq!(last_line(&f), "NameError: Method not available frobnicate");
    server.stop().await;
}

/// Partners named `RG …` with these birthdates (and one without), for the grouping tests.
async fn dated_partners(rpc: &Rpc) -> Vec<i32> {
    let mut ids = Vec::new();
    for (name, birthdate) in [
        ("RG Sunday", s("2026-11-29")),
        ("RG Monday", s("2026-11-30")),
        ("RG Saturday", s("2026-12-05")),
        ("RG Spring", s("2025-03-10")),
        ("RG Unknown", Value::Bool(false)),
    ] {
        let vals = vec![
            ("name", s(name)),
            ("birthdate", birthdate),
            ("country_id", i(20)),
        ];
        ids.push(int(&create_partner(rpc, vals).await.unwrap()));
    }
    ids
}

fn rg_domain() -> Value {
    arr(vec![leaf("name", "=like", s("RG %"))])
}

async fn groups(rpc: &Rpc, groupby: Vec<&str>, extra: Vec<(&str, Value)>) -> Vec<Value> {
    let mut kwargs = kw(vec![
        ("domain", rg_domain()),
        ("fields", arr(vec![])),
        ("groupby", arr(groupby.into_iter().map(s).collect())),
    ]);
    kwargs.extend(kw(extra));
    match rpc.ok("res.partner", "read_group", vec![], kwargs).await {
        Value::Array(groups) => groups,
        other => panic!("not a list: {other:?}"),
    }
}

fn range(key: &str, from: &str, to: &str) -> Value {
    Value::Struct(kw(vec![(
        key,
        Value::Struct(kw(vec![("from", s(from)), ("to", s(to))])),
    )]))
}

fn period_domain(field_name: &str, from: &str, to: &str) -> Value {
    arr(vec![
        s("&"),
        leaf("name", "=like", s("RG %")),
        s("&"),
        leaf(field_name, ">=", s(from)),
        leaf(field_name, "<", s(to)),
    ])
}

/// The `birthdate:year` group of `year`, as `read_group` answers it.
fn year_group(year: &str, count: i32) -> Value {
    let next = (year.parse::<i32>().unwrap() + 1).to_string();
    let (from, to) = (format!("{year}-01-01"), format!("{next}-01-01"));
    Value::Struct(kw(vec![
        ("birthdate:year", s(year)),
        ("birthdate_count", i(count)),
        ("__range", range("birthdate:year", &from, &to)),
        ("__domain", period_domain("birthdate", &from, &to)),
    ]))
}

/// models.py `read_group` and `_read_group_format_result`: dates group by period, labelled
/// by Babel in en_US, with `__range` and a `__domain` per group.
#[tokio::test]
async fn read_group_groups_dates_by_period() {
    let server = start(None).await;
    let rpc = Rpc::new(server.url());
    dated_partners(&rpc).await;

    let years = groups(&rpc, vec!["birthdate:year"], vec![]).await;
    assert_eq!(
        years,
        vec![
            year_group("2025", 1),
            year_group("2026", 3),
            Value::Struct(kw(vec![
                ("birthdate:year", Value::Bool(false)),
                ("birthdate_count", i(1)),
                (
                    "__range",
                    Value::Struct(kw(vec![("birthdate:year", Value::Bool(false))]))
                ),
                (
                    "__domain",
                    arr(vec![
                        s("&"),
                        leaf("name", "=like", s("RG %")),
                        leaf("birthdate", "=", Value::Bool(false)),
                    ])
                ),
            ])),
        ]
    );
    let labels = |groups: &[Value], key: &str| -> Vec<(Value, Value)> {
        groups
            .iter()
            .map(|g| (field(g, key).clone(), field(g, "birthdate_count").clone()))
            .collect()
    };
    // a bare date groups by month
    let months = groups(&rpc, vec!["birthdate"], vec![]).await;
    assert_eq!(
        labels(&months, "birthdate"),
        vec![
            (s("March 2025"), i(1)),
            (s("November 2026"), i(2)),
            (s("December 2026"), i(1)),
            (Value::Bool(false), i(1)),
        ]
    );
    assert_eq!(
        field(&months[1], "__range"),
        &range("birthdate", "2026-11-01", "2026-12-01")
    );
    let days = groups(&rpc, vec!["birthdate:day"], vec![]).await;
    assert_eq!(
        labels(&days, "birthdate:day")[..4],
        [
            (s("10 Mar 2025"), i(1)),
            (s("29 Nov 2026"), i(1)),
            (s("30 Nov 2026"), i(1)),
            (s("05 Dec 2026"), i(1)),
        ]
    );
    // weeks run Sunday to Saturday (en_US)
    let weeks = groups(&rpc, vec!["birthdate:week"], vec![]).await;
    assert_eq!(
        labels(&weeks, "birthdate:week")[..2],
        [(s("W11 2025"), i(1)), (s("W49 2026"), i(3))]
    );
    assert_eq!(
        field(&weeks[1], "__range"),
        &range("birthdate:week", "2026-11-29", "2026-12-06")
    );
    let quarters = groups(&rpc, vec!["birthdate:quarter"], vec![]).await;
    assert_eq!(
        labels(&quarters, "birthdate:quarter")[..2],
        [(s("Q1 2025"), i(1)), (s("Q4 2026"), i(3))]
    );
    // ordered as asked, PostgreSQL's NULLS FIRST when descending
    let descending = groups(
        &rpc,
        vec!["birthdate:year"],
        vec![("orderby", s("birthdate desc"))],
    )
    .await;
    assert_eq!(
        labels(&descending, "birthdate:year"),
        vec![
            (Value::Bool(false), i(1)),
            (s("2026"), i(3)),
            (s("2025"), i(1))
        ]
    );
    let by_count = groups(
        &rpc,
        vec!["birthdate:year"],
        vec![
            ("orderby", s("birthdate_count desc, birthdate")),
            ("limit", i(1)),
        ],
    )
    .await;
    assert_eq!(labels(&by_count, "birthdate:year"), vec![(s("2026"), i(3))]);
    server.stop().await;
}

/// Datetimes group in UTC: `__range` bounds are datetimes, `:hour` labels on a 12-hour clock.
#[tokio::test]
async fn read_group_groups_datetimes() {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let server = start(None).await;
    let rpc = Rpc::new(server.url());
    let ids = dated_partners(&rpc).await;
    let Value::String(created) = read_one(&rpc, "res.partner", ids[0], "create_date").await else {
        panic!("no create_date")
    };
    // YYYY-MM-DD HH:MM:SS
    let (date, hour) = (&created[..10], &created[11..13]);
    let month = MONTHS[created[5..7].parse::<usize>().unwrap() - 1];
    let days = groups(&rpc, vec!["create_date:day"], vec![]).await;
    let total: i32 = days
        .iter()
        .map(|g| int(field(g, "create_date_count")))
        .sum();
    assert_eq!(total, 5);
    let label = s(&format!("{} {month} {}", &created[8..10], &created[..4]));
    let day = days
        .iter()
        .find(|g| field(g, "create_date:day") == &label)
        .unwrap_or_else(|| panic!("no {label:?} in {days:?}"));
    let Value::Struct(ranges) = field(day, "__range") else {
        panic!()
    };
    let Value::Struct(bounds) = &ranges["create_date:day"] else {
        panic!()
    };
    assert_eq!(bounds["from"], s(&format!("{date} 00:00:00")));
    let hours = groups(&rpc, vec!["create_date:hour"], vec![]).await;
    let twelve = match hour.parse::<u32>().unwrap() % 12 {
        0 => 12,
        h => h,
    };
    // unless the clock turned an hour between the creates
    assert!(
        hours.iter().any(|g| field(g, "create_date:hour")
            == &s(&format!("{twelve:02}:00 {} {month}", &created[8..10]))),
        "{hours:?}"
    );
    // Odoo groups in the context's tz; this server says it cannot
    let f = fault(
        rpc.kw(
            "res.partner",
            "read_group",
            vec![rg_domain(), arr(vec![]), arr(vec![s("create_date:day")])],
            kw(vec![(
                "context",
                Value::Struct(kw(vec![("tz", s("Europe/Brussels"))])),
            )]),
        )
        .await,
    );
    assert!(
        last_line(&f).starts_with("NotImplementedError: "),
        "{}",
        f.message
    );
    server.stop().await;
}

/// `lazy`: the first groupby and `<field>_count`, the rest in `__context`; `lazy=False`: every
/// groupby and `__count`. Aggregates follow `fields`.
#[tokio::test]
async fn read_group_lazy_eager_and_aggregates() {
    let server = start(None).await;
    let rpc = Rpc::new(server.url());
    let ids = dated_partners(&rpc).await;
    for (n, id) in ids.iter().enumerate() {
        rpc.ok(
            "res.partner",
            "write",
            vec![
                arr(vec![i(*id)]),
                Value::Struct(kw(vec![("color", i(n as i32 + 1))])),
            ],
            Struct::new(),
        )
        .await;
    }
    let lazy = groups(&rpc, vec!["country_id", "birthdate:year"], vec![]).await;
    assert_eq!(
        lazy,
        vec![Value::Struct(kw(vec![
            ("country_id", arr(vec![i(20), s("Belgium")])),
            ("country_id_count", i(5)),
            (
                "__context",
                Value::Struct(kw(vec![("group_by", arr(vec![s("birthdate:year")]))]))
            ),
            (
                "__domain",
                arr(vec![
                    s("&"),
                    leaf("name", "=like", s("RG %")),
                    leaf("country_id", "=", i(20)),
                ])
            ),
        ]))]
    );
    let eager = groups(
        &rpc,
        vec!["country_id", "birthdate:year"],
        vec![
            ("lazy", Value::Bool(false)),
            (
                "fields",
                arr(vec![s("color"), s("top:max(color)"), s("name")]),
            ),
        ],
    )
    .await;
    assert_eq!(eager.len(), 3, "{eager:?}");
    assert_eq!(
        eager[1],
        Value::Struct(kw(vec![
            ("country_id", arr(vec![i(20), s("Belgium")])),
            ("birthdate:year", s("2026")),
            ("__count", i(3)),
            ("color", i(1 + 2 + 3)),
            ("top", i(3)),
            (
                "__range",
                range("birthdate:year", "2026-01-01", "2027-01-01")
            ),
            (
                "__domain",
                arr(vec![
                    s("&"),
                    s("&"),
                    leaf("name", "=like", s("RG %")),
                    leaf("country_id", "=", i(20)),
                    s("&"),
                    leaf("birthdate", ">=", s("2026-01-01")),
                    leaf("birthdate", "<", s("2027-01-01")),
                ])
            ),
        ]))
    );
    // no groupby: one group of everything
    let all = groups(
        &rpc,
        vec![],
        vec![(
            "fields",
            arr(vec![s("color:avg"), s("colors:array_agg(color)")]),
        )],
    )
    .await;
    assert_eq!(
        all,
        vec![Value::Struct(kw(vec![
            ("__count", i(5)),
            ("color", Value::Double(3.0)),
            ("colors", arr(vec![i(1), i(2), i(3), i(4), i(5)])),
            ("__domain", rg_domain()),
        ]))]
    );
    server.stop().await;
}

/// `read_group`'s own `ValueError`s, and Babel's `AttributeError` for `date:hour`.
#[tokio::test]
async fn read_group_faults_as_odoo_does() {
    let server = start(None).await;
    let rpc = Rpc::new(server.url());
    let read_group = |groupby: &str, extra: Vec<(&str, Value)>| {
        let rpc = rpc.clone();
        let mut kwargs = kw(vec![
            ("domain", arr(vec![])),
            ("fields", arr(vec![])),
            ("groupby", arr(vec![s(groupby)])),
        ]);
        kwargs.extend(kw(extra));
        async move { rpc.kw("res.partner", "read_group", vec![], kwargs).await }
    };
    for (groupby, extra, line) in [
        (
            "name:day",
            vec![],
            "ValueError: Granularity set on a no-datetime field or property: 'name:day'",
        ),
        (
            "birthdate:decade",
            vec![],
            "ValueError: Granularity specification isn't correct: 'decade'",
        ),
        (
            "birthdate:hour",
            vec![],
            "AttributeError: 'datetime.date' object has no attribute 'hour'",
        ),
        (
            "display_name",
            vec![],
            "ValueError: Cannot convert field res.partner.display_name to SQL",
        ),
        (
            "no_such_field",
            vec![],
            "ValueError: Invalid field 'no_such_field' on model 'res.partner'",
        ),
        (
            "country_id",
            vec![("orderby", s("name"))],
            "ValueError: Order term 'name' is not a valid aggregate nor valid groupby",
        ),
        (
            "country_id",
            vec![("fields", arr(vec![s("color:median")]))],
            "ValueError: Invalid aggregate method 'median' for 'color:median'.",
        ),
    ] {
        let f = fault(read_group(groupby, extra).await);
        assert_eq!((code(&f), last_line(&f)), (1, line), "{groupby}");
    }
    server.stop().await;
}
