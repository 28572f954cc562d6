//! The dev server over real HTTP on 127.0.0.1: every method, every fault, domain semantics,
//! x2many commands, paging, concurrency and persistence.

mod support;

use openspp_devserver::{Config, Seed};
use openspp_xmlrpc::{Struct, Value};
use support::*;

#[tokio::test]
async fn common_service() {
    let server = start(None).await;
    let rpc = Rpc::new(server.url());
    let version = rpc
        .call("/xmlrpc/2/common", "version", vec![])
        .await
        .unwrap();
    assert_eq!(field(&version, "server_serie"), &s("17.0"));
    let auth = |login: &str, secret: &str| {
        vec![
            s("openspp"),
            s(login),
            s(secret),
            Value::Struct(Struct::new()),
        ]
    };
    assert_eq!(
        rpc.call("/xmlrpc/2/common", "authenticate", auth("admin", "admin"))
            .await
            .unwrap(),
        i(2)
    );
    assert_eq!(
        rpc.call("/xmlrpc/2/common", "authenticate", auth("admin", KEY))
            .await
            .unwrap(),
        i(2)
    );
    assert_eq!(
        rpc.call("/xmlrpc/2/common", "authenticate", auth("admin", "nope"))
            .await
            .unwrap(),
        Value::Bool(false)
    );
    assert_eq!(
        rpc.call(
            "/xmlrpc/2/common",
            "authenticate",
            auth("norights", "norights")
        )
        .await
        .unwrap(),
        i(13)
    );
    assert_eq!(
        rpc.call(
            "/xmlrpc/2/common",
            "login",
            vec![s("openspp"), s("admin"), s("admin")]
        )
        .await
        .unwrap(),
        i(2)
    );
    let wrong_db = rpc
        .call(
            "/xmlrpc/2/common",
            "login",
            vec![s("nodb"), s("admin"), s("admin")],
        )
        .await
        .unwrap_err();
    assert_eq!(code(&wrong_db), 1);
    assert!(last_line(&wrong_db).starts_with("psycopg2.OperationalError"));
    let unknown = rpc
        .call("/xmlrpc/2/common", "frobnicate", vec![])
        .await
        .unwrap_err();
    assert_eq!(code(&unknown), 1);
    assert_eq!(
        rpc.call("/xmlrpc/2/db", "list", vec![]).await.unwrap(),
        arr(vec![s("openspp")])
    );
    server.stop().await;
}

#[tokio::test]
async fn crud_round_trip_with_odoo_read_formats() {
    let server = start(None).await;
    let rpc = Rpc::new(server.url());
    let vals = kw(vec![
        ("name", s("Wire Capture Partner")),
        ("email", s("wire@example.com")),
        ("country_id", i(20)),
        (
            "category_id",
            arr(vec![arr(vec![i(6), i(0), arr(vec![i(3), i(1)])])]),
        ),
        ("date", s("2024-01-15")),
        ("is_company", Value::Bool(false)),
        ("partner_latitude", Value::Double(50.8503)),
        ("comment", s("<p>café ✓</p>")),
        ("display_name", s("ignored, as Odoo does")),
        ("create_date", s("2000-01-01 00:00:00")),
    ]);
    let id = int(&rpc
        .ok(
            "res.partner",
            "create",
            vec![Value::Struct(vals)],
            Struct::new(),
        )
        .await);
    let fields = [
        "name",
        "display_name",
        "country_id",
        "category_id",
        "date",
        "is_company",
        "partner_latitude",
        "parent_id",
        "child_ids",
        "color",
        "comment",
        "create_date",
        "website",
    ];
    let read = rpc
        .ok(
            "res.partner",
            "read",
            vec![arr(vec![i(id)])],
            kw(vec![("fields", arr(fields.iter().map(|f| s(f)).collect()))]),
        )
        .await;
    let record = &ids_records(&read)[0];
    assert_eq!(field(record, "id"), &i(id));
    assert_eq!(field(record, "name"), &s("Wire Capture Partner"));
    assert_eq!(field(record, "display_name"), &s("Wire Capture Partner"));
    assert_eq!(field(record, "country_id"), &arr(vec![i(20), s("Belgium")]));
    assert_eq!(field(record, "category_id"), &arr(vec![i(1), i(3)]));
    assert_eq!(field(record, "date"), &s("2024-01-15"));
    assert_eq!(field(record, "is_company"), &Value::Bool(false));
    assert_eq!(field(record, "partner_latitude"), &Value::Double(50.8503));
    assert_eq!(field(record, "parent_id"), &Value::Bool(false));
    assert_eq!(field(record, "child_ids"), &arr(vec![]));
    assert_eq!(field(record, "color"), &i(0));
    assert_eq!(field(record, "website"), &Value::Bool(false));
    assert_ne!(field(record, "create_date"), &s("2000-01-01 00:00:00"));
    assert_eq!(field(record, "comment"), &s("<p>café ✓</p>"));

    let write = kw(vec![
        ("email", s("wire2@example.com")),
        ("date", Value::Bool(false)),
        ("category_id", arr(vec![arr(vec![i(5), i(0), i(0)])])),
        ("color", i(3)),
    ]);
    assert_eq!(
        rpc.ok(
            "res.partner",
            "write",
            vec![arr(vec![i(id)]), Value::Struct(write)],
            Struct::new()
        )
        .await,
        Value::Bool(true)
    );
    let read = rpc
        .ok(
            "res.partner",
            "read",
            vec![
                arr(vec![i(id)]),
                arr(vec![s("email"), s("date"), s("category_id"), s("color")]),
            ],
            Struct::new(),
        )
        .await;
    let record = &ids_records(&read)[0];
    assert_eq!(field(record, "email"), &s("wire2@example.com"));
    assert_eq!(field(record, "date"), &Value::Bool(false));
    assert_eq!(field(record, "category_id"), &arr(vec![]));
    assert_eq!(field(record, "color"), &i(3));

    // load=None gives bare many2one ids
    let read = rpc
        .ok(
            "res.partner",
            "read",
            vec![arr(vec![i(id)]), arr(vec![s("country_id")])],
            kw(vec![("load", s(""))]),
        )
        .await;
    assert_eq!(field(&ids_records(&read)[0], "country_id"), &i(20));

    assert_eq!(
        rpc.ok(
            "res.partner",
            "unlink",
            vec![arr(vec![i(id)])],
            Struct::new()
        )
        .await,
        Value::Bool(true)
    );
    let read = rpc
        .ok(
            "res.partner",
            "read",
            vec![arr(vec![i(id)]), arr(vec![s("name")])],
            Struct::new(),
        )
        .await;
    assert_eq!(read, arr(vec![]));
    let missing = rpc
        .kw(
            "res.partner",
            "write",
            vec![arr(vec![i(id)]), Value::Struct(kw(vec![("name", s("x"))]))],
            Struct::new(),
        )
        .await
        .unwrap_err();
    assert_eq!(code(&missing), 2);
    assert!(
        missing
            .message
            .starts_with("Record does not exist or has been deleted."),
        "{}",
        missing.message
    );
    let missing = rpc
        .kw(
            "res.partner",
            "unlink",
            vec![arr(vec![i(id)])],
            Struct::new(),
        )
        .await
        .unwrap_err();
    assert_eq!(code(&missing), 2);

    // a list of dicts creates several records
    let many = rpc
        .ok(
            "res.partner",
            "create",
            vec![arr(vec![
                Value::Struct(kw(vec![("name", s("A"))])),
                Value::Struct(kw(vec![("name", s("B"))])),
            ])],
            Struct::new(),
        )
        .await;
    assert_eq!(ids(&many).len(), 2);
    server.stop().await;
}

fn ids_records(value: &Value) -> Vec<Value> {
    match value {
        Value::Array(items) => items.clone(),
        other => panic!("{other:?}"),
    }
}

async fn search(rpc: &Rpc, model: &str, domain: Vec<Value>) -> Vec<i32> {
    ids(&rpc
        .ok(
            model,
            "search",
            vec![arr(domain)],
            kw(vec![("order", s("id"))]),
        )
        .await)
}

async fn names(rpc: &Rpc, domain: Vec<Value>) -> Vec<String> {
    let rows = rpc
        .ok(
            "res.partner",
            "search_read",
            vec![arr(domain)],
            kw(vec![("fields", arr(vec![s("name")])), ("order", s("name"))]),
        )
        .await;
    ids_records(&rows)
        .iter()
        .map(|r| match field(r, "name") {
            Value::String(n) => n.clone(),
            other => panic!("{other:?}"),
        })
        .collect()
}

#[tokio::test]
async fn domains_follow_the_orm() {
    let server = start(None).await;
    let rpc = Rpc::new(server.url());
    // like wraps in %, ilike ignores case, =like does not wrap
    assert_eq!(
        names(&rpc, vec![leaf("name", "ilike", s("azure"))]).await,
        ["Azure Interior"]
    );
    assert!(
        names(&rpc, vec![leaf("name", "like", s("azure"))])
            .await
            .is_empty()
    );
    assert_eq!(
        names(&rpc, vec![leaf("name", "=like", s("Azure%"))]).await,
        ["Azure Interior"]
    );
    assert!(
        names(&rpc, vec![leaf("name", "=like", s("zure"))])
            .await
            .is_empty()
    );
    // != and not ilike include empty values, = False finds them
    let all = search(&rpc, "res.partner", vec![]).await.len();
    let with_email = search(
        &rpc,
        "res.partner",
        vec![leaf("email", "!=", Value::Bool(false))],
    )
    .await
    .len();
    let without = search(
        &rpc,
        "res.partner",
        vec![leaf("email", "=", Value::Bool(false))],
    )
    .await
    .len();
    assert_eq!(with_email + without, all);
    let not_brandon = search(
        &rpc,
        "res.partner",
        vec![leaf("email", "not ilike", s("brandon"))],
    )
    .await
    .len();
    assert_eq!(not_brandon, all - 1);
    // in with False
    let in_false = search(
        &rpc,
        "res.partner",
        vec![leaf(
            "parent_id",
            "in",
            arr(vec![Value::Bool(false), i(14)]),
        )],
    )
    .await
    .len();
    assert_eq!(in_false, all);
    // ! & | in prefix notation
    let or = search(
        &rpc,
        "res.partner",
        vec![s("|"), leaf("id", "=", i(9)), leaf("id", "=", i(10))],
    )
    .await;
    assert_eq!(or, [9, 10]);
    let not = search(
        &rpc,
        "res.partner",
        vec![
            s("!"),
            leaf("id", "in", arr(vec![i(9), i(10)])),
            leaf("id", "<", i(15)),
        ],
    )
    .await;
    assert_eq!(not, [1, 3, 4, 14]);
    // dotted paths through many2one, and a name search on a many2one
    assert_eq!(
        search(
            &rpc,
            "res.partner",
            vec![leaf("parent_id.name", "=", s("Azure Interior"))]
        )
        .await,
        [26, 33]
    );
    let belgians = search(
        &rpc,
        "res.partner",
        vec![leaf("country_id", "ilike", s("belg"))],
    )
    .await;
    assert!(belgians.contains(&44) && !belgians.contains(&14));
    assert_eq!(
        belgians,
        search(
            &rpc,
            "res.partner",
            vec![leaf("country_id.code", "=", s("BE"))]
        )
        .await
    );
    // child_of / parent_of on parent_id
    assert_eq!(
        search(&rpc, "res.partner", vec![leaf("id", "child_of", i(14))]).await,
        [14, 26, 33]
    );
    assert_eq!(
        search(&rpc, "res.partner", vec![leaf("id", "parent_of", i(26))]).await,
        [14, 26]
    );
    // x2many: in, = False, any, a name search
    assert_eq!(
        search(
            &rpc,
            "res.partner",
            vec![leaf("category_id", "in", arr(vec![i(2)]))]
        )
        .await,
        [10, 14]
    );
    assert_eq!(
        search(
            &rpc,
            "res.partner",
            vec![leaf("category_id", "ilike", s("vend"))]
        )
        .await,
        [9, 10]
    );
    assert_eq!(
        search(
            &rpc,
            "res.partner",
            vec![leaf(
                "child_ids",
                "any",
                arr(vec![leaf("name", "=", s("Colleen Diaz"))])
            )]
        )
        .await,
        [14]
    );
    assert_eq!(
        search(
            &rpc,
            "res.partner",
            vec![leaf("child_ids.name", "=", s("Colleen Diaz"))]
        )
        .await,
        [14]
    );
    let no_tags = search(
        &rpc,
        "res.partner",
        vec![leaf("category_id", "=", Value::Bool(false))],
    )
    .await;
    assert!(!no_tags.contains(&9) && no_tags.contains(&1));
    // =? ignores False
    assert_eq!(
        search(
            &rpc,
            "res.partner",
            vec![leaf("name", "=?", Value::Bool(false))]
        )
        .await
        .len(),
        all
    );
    // order, limit, offset, count
    let page = ids(&rpc
        .ok(
            "res.partner",
            "search",
            vec![arr(vec![])],
            kw(vec![
                ("order", s("id desc")),
                ("limit", i(2)),
                ("offset", i(1)),
            ]),
        )
        .await);
    let everything = search(&rpc, "res.partner", vec![]).await;
    assert_eq!(
        page,
        [
            everything[everything.len() - 2],
            everything[everything.len() - 3]
        ]
    );
    let count = rpc
        .ok(
            "res.partner",
            "search_count",
            vec![arr(vec![leaf("is_company", "=", Value::Bool(true))])],
            Struct::new(),
        )
        .await;
    assert_eq!(int(&count), 5);
    // archived records are hidden unless asked for
    rpc.ok(
        "res.partner",
        "write",
        vec![
            arr(vec![i(9)]),
            Value::Struct(kw(vec![("active", Value::Bool(false))])),
        ],
        Struct::new(),
    )
    .await;
    assert!(!search(&rpc, "res.partner", vec![]).await.contains(&9));
    assert!(
        search(
            &rpc,
            "res.partner",
            vec![leaf(
                "active",
                "in",
                arr(vec![Value::Bool(true), Value::Bool(false)])
            )]
        )
        .await
        .contains(&9)
    );
    let ctx = kw(vec![(
        "context",
        Value::Struct(kw(vec![("active_test", Value::Bool(false))])),
    )]);
    assert!(
        ids(&rpc
            .ok("res.partner", "search", vec![arr(vec![])], ctx)
            .await)
        .contains(&9)
    );
    // name_search
    let found = rpc
        .ok(
            "res.partner",
            "name_search",
            vec![],
            kw(vec![("name", s("azure")), ("limit", i(5))]),
        )
        .await;
    assert_eq!(
        found,
        arr(vec![
            arr(vec![i(14), s("Azure Interior")]),
            arr(vec![i(26), s("Azure Interior, Brandon Freeman")]),
            arr(vec![i(33), s("Azure Interior, Colleen Diaz")])
        ])
    );
    server.stop().await;
}

#[tokio::test]
async fn every_fault_has_the_real_servers_code_and_lines() {
    let server = start(None).await;
    let rpc = Rpc::new(server.url());
    let none = Struct::new;
    let fault = |r: Result<Value, openspp_xmlrpc::Fault>| r.expect_err("a fault");

    let f = fault(
        rpc.kw("no.such.model", "search", vec![arr(vec![])], none())
            .await,
    );
    assert_eq!(
        (code(&f), f.message.as_str()),
        (2, "Object no.such.model doesn't exist")
    );
    let f = fault(
        rpc.kw("res.partner", "no_such_method", vec![arr(vec![])], none())
            .await,
    );
    assert_eq!(code(&f), 1);
    assert!(
        f.message
            .starts_with("Traceback (most recent call last):\n")
    );
    assert_eq!(
        last_line(&f),
        "AttributeError: The method 'no_such_method' does not exist on the model 'res.partner'"
    );
    let f = fault(
        rpc.kw(
            "res.partner",
            "_compute_display_name",
            vec![arr(vec![])],
            none(),
        )
        .await,
    );
    assert_eq!(
        (code(&f), f.message.as_str()),
        (
            4,
            "Private methods (such as _compute_display_name) cannot be called remotely."
        )
    );
    let f = fault(
        rpc.kw(
            "res.partner",
            "search",
            vec![arr(vec![leaf("no_such_field", "=", i(1))])],
            none(),
        )
        .await,
    );
    assert_eq!(
        (code(&f), last_line(&f)),
        (
            1,
            "ValueError: Invalid field res.partner.no_such_field in leaf ('no_such_field', '=', 1)"
        )
    );
    let f = fault(
        rpc.kw(
            "res.partner",
            "search",
            vec![arr(vec![leaf("name", "bogus_op", s("x"))])],
            none(),
        )
        .await,
    );
    assert_eq!(
        (code(&f), last_line(&f)),
        (1, "ValueError: Invalid leaf ('name', 'bogus_op', 'x')")
    );
    let f = fault(
        rpc.kw(
            "res.partner",
            "search",
            vec![arr(vec![s("|"), leaf("name", "=", s("x"))])],
            none(),
        )
        .await,
    );
    assert_eq!(
        (code(&f), last_line(&f)),
        (
            1,
            "ValueError: Domain ['|', ['name', '=', 'x']] is syntactically not correct."
        )
    );
    let f = fault(
        rpc.kw(
            "res.partner.category",
            "create",
            vec![Value::Struct(kw(vec![("color", i(1))]))],
            none(),
        )
        .await,
    );
    assert_eq!((code(&f), last_line(&f)), (2, "Field: Tag Name (name)"));
    assert!(f.message.starts_with("The operation cannot be completed:"));
    let f = fault(
        rpc.kw(
            "res.partner",
            "create",
            vec![Value::Struct(kw(vec![("email", s("noname@example.com"))]))],
            none(),
        )
        .await,
    );
    assert_eq!(
        (code(&f), f.message.as_str()),
        (
            2,
            "The operation cannot be completed: Contacts require a name"
        )
    );
    let f = fault(
        rpc.kw(
            "res.partner",
            "write",
            vec![
                arr(vec![i(1)]),
                Value::Struct(kw(vec![("no_such_field", i(1))])),
            ],
            none(),
        )
        .await,
    );
    assert_eq!(
        (code(&f), last_line(&f)),
        (
            1,
            "ValueError: Invalid field 'no_such_field' on model 'res.partner'"
        )
    );
    let f = fault(
        rpc.kw(
            "res.partner",
            "write",
            vec![
                arr(vec![i(1)]),
                Value::Struct(kw(vec![("type", s("bogus"))])),
            ],
            none(),
        )
        .await,
    );
    assert_eq!(
        (code(&f), last_line(&f)),
        (1, "ValueError: Wrong value for res.partner.type: 'bogus'")
    );
    let f = fault(
        rpc.kw("res.partner", "search", vec![], kw(vec![("bogus", i(1))]))
            .await,
    );
    assert_eq!(
        (code(&f), last_line(&f)),
        (
            1,
            "TypeError: search() got an unexpected keyword argument 'bogus'"
        )
    );
    let f = fault(
        rpc.kw(
            "res.partner",
            "search",
            vec![arr(vec![])],
            kw(vec![("order", s("nope desc"))]),
        )
        .await,
    );
    assert_eq!(code(&f), 1);

    // rights: wrong password is fault 3, a user without groups gets fault 4
    let f = fault(
        rpc.kw_as(
            2,
            "wrong-password",
            "res.partner",
            "search_count",
            vec![arr(vec![])],
            none(),
        )
        .await,
    );
    assert_eq!((code(&f), f.message.as_str()), (3, "Access Denied"));
    let f = fault(
        rpc.kw_as(
            13,
            "norights",
            "ir.cron",
            "search_read",
            vec![arr(vec![])],
            kw(vec![("fields", arr(vec![s("name")]))]),
        )
        .await,
    );
    assert_eq!(
        (code(&f), last_line(&f)),
        (
            4,
            "Contact your administrator to request access if necessary."
        )
    );
    assert!(
        f.message
            .starts_with("You are not allowed to access 'Scheduled Actions' (ir.cron) records."),
        "{}",
        f.message
    );
    let f = fault(
        rpc.kw_as(
            13,
            "norights",
            "res.partner",
            "write",
            vec![arr(vec![i(1)]), Value::Struct(kw(vec![("name", s("x"))]))],
            none(),
        )
        .await,
    );
    assert!(
        f.message
            .starts_with("You are not allowed to modify 'Contact' (res.partner) records.")
    );
    let readable = rpc
        .kw_as(
            13,
            "norights",
            "ir.config_parameter",
            "search_read",
            vec![arr(vec![])],
            kw(vec![("fields", arr(vec![s("key"), s("value")]))]),
        )
        .await;
    assert!(!ids_records(&readable.unwrap()).is_empty());
    let check = |op: &str, raise: bool| vec![s(op), Value::Bool(raise)];
    assert_eq!(
        rpc.kw_as(
            13,
            "norights",
            "res.partner",
            "check_access_rights",
            check("write", false),
            none()
        )
        .await
        .unwrap(),
        Value::Bool(false)
    );
    assert_eq!(
        code(&fault(
            rpc.kw_as(
                13,
                "norights",
                "res.partner",
                "check_access_rights",
                check("write", true),
                none()
            )
            .await
        )),
        4
    );
    assert_eq!(
        rpc.kw(
            "res.partner",
            "check_access_rights",
            check("unlink", true),
            none()
        )
        .await
        .unwrap(),
        Value::Bool(true)
    );
    let f = fault(
        rpc.call(
            "/xmlrpc/2/object",
            "execute_kw",
            vec![
                s("no_such_db"),
                i(2),
                s("admin"),
                s("res.partner"),
                s("search_count"),
                arr(vec![arr(vec![])]),
            ],
        )
        .await,
    );
    assert_eq!(code(&f), 1);
    assert!(last_line(&f).contains("database \"no_such_db\" does not exist"));

    // the legacy endpoint spells fault codes as strings
    let legacy = rpc
        .call(
            "/xmlrpc/object",
            "execute_kw",
            vec![
                s("openspp"),
                i(2),
                s(KEY),
                s("res.partner"),
                s("write"),
                arr(vec![
                    arr(vec![i(999_999)]),
                    Value::Struct(kw(vec![("name", s("x"))])),
                ]),
            ],
        )
        .await
        .unwrap_err();
    assert_eq!(
        legacy.code,
        openspp_xmlrpc::FaultCode::String(
            "warning -- MissingError\n\nRecord does not exist or has been deleted.\n(Record: res.partner(999999,), User: 2)".to_owned()
        )
    );
    let legacy = rpc
        .call(
            "/xmlrpc/object",
            "execute_kw",
            vec![
                s("openspp"),
                i(2),
                s("bad"),
                s("res.partner"),
                s("search"),
                arr(vec![arr(vec![])]),
            ],
        )
        .await
        .unwrap_err();
    assert_eq!(
        (legacy.code, legacy.message.as_str()),
        (
            openspp_xmlrpc::FaultCode::String("AccessDenied".into()),
            "Access Denied"
        )
    );

    // a failed call changes nothing: the transaction is rolled back
    let before = rpc
        .ok("res.partner", "search_count", vec![arr(vec![])], none())
        .await;
    let f = fault(
        rpc.kw(
            "res.partner",
            "create",
            vec![arr(vec![
                Value::Struct(kw(vec![("name", s("kept?"))])),
                Value::Struct(kw(vec![("email", s("no name"))])),
            ])],
            none(),
        )
        .await,
    );
    assert_eq!(code(&f), 2);
    assert_eq!(
        rpc.ok("res.partner", "search_count", vec![arr(vec![])], none())
            .await,
        before
    );
    server.stop().await;
}

#[tokio::test]
async fn metadata_calls() {
    let server = start(None).await;
    let rpc = Rpc::new(server.url());
    let attrs = kw(vec![(
        "attributes",
        arr(vec![s("string"), s("type"), s("relation")]),
    )]);
    let fields = rpc.ok("res.partner", "fields_get", vec![], attrs).await;
    let country = field(&fields, "country_id");
    assert_eq!(
        country,
        &Value::Struct(kw(vec![
            ("relation", s("res.country")),
            ("string", s("Country")),
            ("type", s("many2one"))
        ]))
    );
    let all = rpc
        .ok(
            "res.partner",
            "fields_get",
            vec![arr(vec![s("name")])],
            Struct::new(),
        )
        .await;
    let Value::Struct(all) = all else { panic!() };
    assert_eq!(all.keys().collect::<Vec<_>>(), ["name"]);
    // product.pricelist: a None in a domain attribute, which XML-RPC cannot marshal
    let f = rpc
        .kw("product.pricelist", "fields_get", vec![], Struct::new())
        .await
        .unwrap_err();
    assert_eq!(
        (code(&f), last_line(&f)),
        (
            1,
            "TypeError: cannot marshal None unless allow_none is enabled"
        )
    );
    let defaults = rpc
        .ok(
            "g2p.program",
            "default_get",
            vec![arr(vec![s("state"), s("target_type"), s("name")])],
            Struct::new(),
        )
        .await;
    assert_eq!(
        defaults,
        Value::Struct(kw(vec![
            ("state", s("active")),
            ("target_type", s("group"))
        ]))
    );
    let groups = rpc
        .ok(
            "res.partner",
            "read_group",
            vec![
                arr(vec![]),
                arr(vec![s("country_id")]),
                arr(vec![s("country_id")]),
            ],
            kw(vec![("orderby", s("country_id")), ("limit", i(2))]),
        )
        .await;
    let first = &ids_records(&groups)[0];
    assert_eq!(
        field(first, "country_id"),
        &arr(vec![i(3), s("Afghanistan")])
    );
    assert!(int(field(first, "country_id_count")) > 0);
    assert_eq!(
        field(first, "__domain"),
        &arr(vec![leaf("country_id", "=", i(3))])
    );
    server.stop().await;
}

#[tokio::test]
async fn x2many_commands_0_to_6() {
    let server = start(None).await;
    let rpc = Rpc::new(server.url());
    let none = Struct::new;
    let cmd = |items: Vec<Value>| arr(items);
    let partner = int(&rpc
        .ok(
            "res.partner",
            "create",
            vec![Value::Struct(kw(vec![
                ("name", s("Cmd Parent")),
                ("is_company", Value::Bool(true)),
            ]))],
            none(),
        )
        .await);
    let read = |f: &'static str| {
        let rpc = rpc.clone();
        async move {
            ids(field(
                &ids_records(
                    &rpc.ok(
                        "res.partner",
                        "read",
                        vec![arr(vec![i(partner)]), arr(vec![s(f)])],
                        Struct::new(),
                    )
                    .await,
                )[0],
                f,
            ))
        }
    };
    let write = |f: &'static str, commands: Vec<Value>| {
        let rpc = rpc.clone();
        async move {
            rpc.ok(
                "res.partner",
                "write",
                vec![
                    arr(vec![i(partner)]),
                    Value::Struct(kw(vec![(f, arr(commands))])),
                ],
                Struct::new(),
            )
            .await;
        }
    };
    // many2many
    write(
        "category_id",
        vec![cmd(vec![
            i(0),
            i(0),
            Value::Struct(kw(vec![("name", s("New Tag"))])),
        ])],
    )
    .await;
    let tags = read("category_id").await;
    assert_eq!(tags.len(), 1);
    let new_tag = tags[0];
    write(
        "category_id",
        vec![cmd(vec![i(4), i(1), i(0)]), cmd(vec![i(4), i(2), i(0)])],
    )
    .await;
    assert_eq!(read("category_id").await, [1, 2, new_tag]);
    write(
        "category_id",
        vec![cmd(vec![
            i(1),
            i(new_tag),
            Value::Struct(kw(vec![("name", s("Renamed"))])),
        ])],
    )
    .await;
    let tag = rpc
        .ok(
            "res.partner.category",
            "read",
            vec![arr(vec![i(new_tag)]), arr(vec![s("name")])],
            none(),
        )
        .await;
    assert_eq!(field(&ids_records(&tag)[0], "name"), &s("Renamed"));
    write("category_id", vec![cmd(vec![i(3), i(1), i(0)])]).await;
    assert_eq!(read("category_id").await, [2, new_tag]);
    assert_eq!(
        ids(&rpc
            .ok(
                "res.partner.category",
                "search",
                vec![arr(vec![leaf("id", "=", i(1))])],
                none()
            )
            .await),
        [1]
    );
    write("category_id", vec![cmd(vec![i(2), i(new_tag), i(0)])]).await;
    assert_eq!(read("category_id").await, [2]);
    assert!(
        ids(&rpc
            .ok(
                "res.partner.category",
                "search",
                vec![arr(vec![leaf("id", "=", i(new_tag))])],
                none()
            )
            .await)
        .is_empty()
    );
    write(
        "category_id",
        vec![cmd(vec![i(6), i(0), arr(vec![i(1), i(3)])])],
    )
    .await;
    assert_eq!(read("category_id").await, [1, 3]);
    // the other side of the relation sees the links
    let partners = rpc
        .ok(
            "res.partner.category",
            "read",
            vec![arr(vec![i(3)]), arr(vec![s("partner_ids")])],
            none(),
        )
        .await;
    assert!(ids(field(&ids_records(&partners)[0], "partner_ids")).contains(&partner));
    write("category_id", vec![cmd(vec![i(5), i(0), i(0)])]).await;
    assert!(read("category_id").await.is_empty());
    // a bare list of ids replaces, like SET
    rpc.ok(
        "res.partner",
        "write",
        vec![
            arr(vec![i(partner)]),
            Value::Struct(kw(vec![("category_id", arr(vec![i(2)]))])),
        ],
        none(),
    )
    .await;
    assert_eq!(read("category_id").await, [2]);

    // one2many through the inverse many2one
    write(
        "child_ids",
        vec![
            cmd(vec![
                i(0),
                i(0),
                Value::Struct(kw(vec![("name", s("Child A"))])),
            ]),
            cmd(vec![
                i(0),
                i(0),
                Value::Struct(kw(vec![("name", s("Child B"))])),
            ]),
        ],
    )
    .await;
    let children = read("child_ids").await;
    assert_eq!(children.len(), 2);
    let parent = rpc
        .ok(
            "res.partner",
            "read",
            vec![arr(vec![i(children[0])]), arr(vec![s("parent_id")])],
            none(),
        )
        .await;
    assert_eq!(
        field(&ids_records(&parent)[0], "parent_id"),
        &arr(vec![i(partner), s("Cmd Parent")])
    );
    write("child_ids", vec![cmd(vec![i(3), i(children[0]), i(0)])]).await;
    assert_eq!(read("child_ids").await, [children[1]]);
    write("child_ids", vec![cmd(vec![i(4), i(children[0]), i(0)])]).await;
    assert_eq!(read("child_ids").await, children);
    write("child_ids", vec![cmd(vec![i(2), i(children[1]), i(0)])]).await;
    assert_eq!(read("child_ids").await, [children[0]]);
    write("child_ids", vec![cmd(vec![i(6), i(0), arr(vec![i(26)])])]).await;
    assert_eq!(read("child_ids").await, [26]);
    write("child_ids", vec![cmd(vec![i(5), i(0), i(0)])]).await;
    assert!(read("child_ids").await.is_empty());
    // a bad command is a fault, and links to missing records too
    let f = rpc
        .kw(
            "res.partner",
            "write",
            vec![
                arr(vec![i(partner)]),
                Value::Struct(kw(vec![(
                    "category_id",
                    arr(vec![cmd(vec![i(9), i(0), i(0)])]),
                )])),
            ],
            none(),
        )
        .await
        .unwrap_err();
    assert_eq!(code(&f), 1);
    let f = rpc
        .kw(
            "res.partner",
            "write",
            vec![
                arr(vec![i(partner)]),
                Value::Struct(kw(vec![(
                    "category_id",
                    arr(vec![cmd(vec![i(4), i(99_999), i(0)])]),
                )])),
            ],
            none(),
        )
        .await
        .unwrap_err();
    assert_eq!(code(&f), 2);
    server.stop().await;
}

#[tokio::test]
async fn paging_through_ten_thousand_records() {
    let server = start(Some(Config::new(schemas()).seed(Seed::Empty))).await;
    let rpc = Rpc::new(server.url());
    let batch: Vec<Value> = (0..10_000)
        .map(|n| {
            Value::Struct(kw(vec![
                ("name", s(&format!("Tag {n:05}"))),
                ("color", i(n % 12)),
            ]))
        })
        .collect();
    let created = ids(&rpc
        .ok(
            "res.partner.category",
            "create",
            vec![arr(batch)],
            Struct::new(),
        )
        .await);
    assert_eq!(created.len(), 10_000);
    let mut seen = Vec::new();
    let mut offset = 0;
    loop {
        let page = rpc
            .ok(
                "res.partner.category",
                "search_read",
                vec![arr(vec![])],
                kw(vec![
                    ("fields", arr(vec![s("name")])),
                    ("offset", i(offset)),
                    ("limit", i(1000)),
                    ("order", s("name desc")),
                ]),
            )
            .await;
        let page = ids_records(&page);
        if page.is_empty() {
            break;
        }
        seen.extend(page.iter().map(|r| int(field(r, "id"))));
        offset += 1000;
    }
    let mut expected = created.clone();
    expected.reverse();
    assert_eq!(seen, expected);
    let count = rpc
        .ok(
            "res.partner.category",
            "search_count",
            vec![arr(vec![leaf("color", "=", i(3))])],
            Struct::new(),
        )
        .await;
    assert_eq!(int(&count), 834);
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_clients_lose_no_write() {
    let server = start(Some(Config::new(schemas()).seed(Seed::Empty))).await;
    let rpc = Rpc::new(server.url());
    let counter = int(&rpc
        .ok(
            "res.partner.category",
            "create",
            vec![Value::Struct(kw(vec![
                ("name", s("counter")),
                ("color", i(0)),
            ]))],
            Struct::new(),
        )
        .await);
    let tasks: Vec<_> = (0..50)
        .map(|task| {
            let rpc = rpc.clone();
            tokio::spawn(async move {
                for n in 0..100 {
                    let vals = kw(vec![
                        ("name", s(&format!("t{task}-{n}"))),
                        ("color", i(task)),
                    ]);
                    rpc.ok(
                        "res.partner.category",
                        "create",
                        vec![Value::Struct(vals)],
                        Struct::new(),
                    )
                    .await;
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("task");
    }
    let total = rpc
        .ok(
            "res.partner.category",
            "search_count",
            vec![arr(vec![leaf("id", "!=", i(counter))])],
            Struct::new(),
        )
        .await;
    assert_eq!(int(&total), 5000);
    for task in [0, 17, 49] {
        let per_task = rpc
            .ok(
                "res.partner.category",
                "search_count",
                vec![arr(vec![leaf("name", "=like", s(&format!("t{task}-%")))])],
                Struct::new(),
            )
            .await;
        assert_eq!(int(&per_task), 100);
    }
    server.stop().await;
}

#[tokio::test]
async fn a_restart_with_a_database_file_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("dev.sqlite");
    let config = || Config::new(schemas()).db_file(&file);
    let server = start(Some(config())).await;
    let rpc = Rpc::new(server.url());
    let before = int(&rpc
        .ok(
            "res.partner",
            "search_count",
            vec![arr(vec![])],
            Struct::new(),
        )
        .await);
    let id = int(&rpc
        .ok(
            "res.partner",
            "create",
            vec![Value::Struct(kw(vec![
                ("name", s("Survivor")),
                ("category_id", arr(vec![i(1), i(2)])),
            ]))],
            Struct::new(),
        )
        .await);
    rpc.ok(
        "res.partner",
        "unlink",
        vec![arr(vec![i(9)])],
        Struct::new(),
    )
    .await;
    server.stop().await;

    let server = start(Some(config())).await; // not seeded twice
    let rpc = Rpc::new(server.url());
    assert_eq!(
        int(&rpc
            .ok(
                "res.partner",
                "search_count",
                vec![arr(vec![])],
                Struct::new()
            )
            .await),
        before
    );
    let read = rpc
        .ok(
            "res.partner",
            "read",
            vec![arr(vec![i(id)]), arr(vec![s("name"), s("category_id")])],
            Struct::new(),
        )
        .await;
    assert_eq!(field(&ids_records(&read)[0], "name"), &s("Survivor"));
    assert_eq!(
        field(&ids_records(&read)[0], "category_id"),
        &arr(vec![i(1), i(2)])
    );
    assert!(
        ids(&rpc
            .ok(
                "res.partner",
                "search",
                vec![arr(vec![leaf("id", "=", i(9))])],
                Struct::new()
            )
            .await)
        .is_empty()
    );
    let next = int(&rpc
        .ok(
            "res.partner",
            "create",
            vec![Value::Struct(kw(vec![("name", s("Next"))]))],
            Struct::new(),
        )
        .await);
    assert!(next > id, "ids are not reused");
    server.stop().await;
}

#[tokio::test]
async fn hostile_requests_get_faults_not_crashes() {
    let server = start(Some(
        Config::new(schemas())
            .seed(Seed::Empty)
            .max_request_bytes(1 << 20),
    ))
    .await;
    let rpc = Rpc::new(server.url());
    for body in [
        &b"not xml"[..],
        b"<?xml version='1.0'?><methodCall><methodName>x",
        b"<methodResponse><params/></methodResponse>",
        b"<!DOCTYPE x [<!ENTITY a 'b'>]><methodCall><methodName>version</methodName></methodCall>",
    ] {
        let (status, bytes) = rpc.post("/xmlrpc/2/common", body.to_vec()).await;
        assert_eq!(status, 200);
        let fault = openspp_xmlrpc::from_response::<Value>(&bytes)
            .unwrap()
            .unwrap_err();
        assert_eq!(code(&fault), 1);
    }
    let deep = format!(
        "<?xml version='1.0'?><methodCall><methodName>version</methodName><params><param>{}{}</param></params></methodCall>",
        "<value><array><data>".repeat(10_000),
        "</data></array></value>".repeat(10_000)
    );
    let (status, bytes) = rpc.post("/xmlrpc/2/common", deep.into_bytes()).await;
    assert_eq!(status, 200);
    assert_eq!(
        code(
            &openspp_xmlrpc::from_response::<Value>(&bytes)
                .unwrap()
                .unwrap_err()
        ),
        1
    );
    let (status, _) = rpc.post("/xmlrpc/2/object", vec![b'x'; 2 << 20]).await;
    assert_eq!(status, 413);
    let (status, _) = rpc.post("/web/no/such/route", vec![]).await;
    assert_eq!(status, 404);
    let get = reqwest::get(format!("{}/xmlrpc/2/common", server.url()))
        .await
        .unwrap();
    assert_eq!(get.status().as_u16(), 405);
    // still serving
    assert_eq!(
        rpc.call(
            "/xmlrpc/2/common",
            "login",
            vec![s("openspp"), s("admin"), s("admin")]
        )
        .await
        .unwrap(),
        i(2)
    );
    // an unknown service, a non-list args, an int past 32 bits
    assert_eq!(
        code(
            &rpc.call("/xmlrpc/2/nope", "version", vec![])
                .await
                .unwrap_err()
        ),
        1
    );
    let f = rpc
        .call(
            "/xmlrpc/2/object",
            "execute_kw",
            vec![
                s("openspp"),
                i(2),
                s(KEY),
                s("res.partner"),
                s("search"),
                s("x"),
            ],
        )
        .await
        .unwrap_err();
    assert_eq!(code(&f), 1);
    // an integer field is an int4 column: a value past 32 bits never gets stored
    let f = rpc
        .kw(
            "res.partner.category",
            "create",
            vec![Value::Struct(kw(vec![
                ("name", s("big")),
                ("color", Value::I8(1 << 40)),
            ]))],
            Struct::new(),
        )
        .await
        .unwrap_err();
    assert_eq!(
        (code(&f), last_line(&f)),
        (
            1,
            "psycopg2.errors.NumericValueOutOfRange: integer out of range"
        )
    );
    server.stop().await;
}

#[tokio::test]
async fn seed_files_are_loaded_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("seed.json");
    std::fs::write(
        &file,
        r#"{"res.partner": [{"id": 7, "name": "Ada", "country_id": 20, "category_id": [1]}],
            "res.country": [{"id": 20, "name": "Belgium", "code": "BE"}],
            "res.partner.category": [{"id": 1, "name": "Pioneers"}]}"#,
    )
    .unwrap();
    let server = start(Some(Config::new(schemas()).seed(Seed::File(file.clone())))).await;
    let rpc = Rpc::new(server.url());
    let read = rpc
        .ok(
            "res.partner",
            "search_read",
            vec![arr(vec![])],
            kw(vec![(
                "fields",
                arr(vec![s("name"), s("country_id"), s("category_id")]),
            )]),
        )
        .await;
    assert_eq!(
        read,
        arr(vec![Value::Struct(kw(vec![
            ("id", i(7)),
            ("name", s("Ada")),
            ("country_id", arr(vec![i(20), s("Belgium")])),
            ("category_id", arr(vec![i(1)]))
        ]))])
    );
    server.stop().await;

    std::fs::write(
        &file,
        r#"{"res.partner": [{"name": "Ada", "no_such_field": 1}]}"#,
    )
    .unwrap();
    let error =
        openspp_devserver::DevServer::new(Config::new(schemas()).seed(Seed::File(file.clone())))
            .unwrap_err();
    assert_eq!(
        error.to_string(),
        "seed record res.partner[0]: ValueError: Invalid field 'no_such_field' on model 'res.partner'"
    );
    std::fs::write(&file, r#"{"no.such.model": []}"#).unwrap();
    let error =
        openspp_devserver::DevServer::new(Config::new(schemas()).seed(Seed::File(file.clone())))
            .unwrap_err();
    assert!(error.to_string().contains("no.such.model"), "{error}");
    std::fs::write(&file, "not json").unwrap();
    let error = openspp_devserver::DevServer::new(Config::new(schemas()).seed(Seed::File(file)))
        .unwrap_err();
    assert!(error.to_string().starts_with("seed file "), "{error}");
}

#[tokio::test]
async fn skipped_models_fault_as_recorded_and_execute_takes_positional_args() {
    let mut set = schemas();
    set.manifest.skipped_models.insert(
        "x.skipped".into(),
        openspp_schema::Fault {
            code: 1,
            message: "TypeError: cannot marshal None unless allow_none is enabled".into(),
        },
    );
    set.manifest
        .models
        .insert("x.skipped".into(), "base".into());
    let server = start(Some(Config::new(set).seed(Seed::Empty))).await;
    let rpc = Rpc::new(server.url());
    let f = rpc
        .kw("x.skipped", "fields_get", vec![], Struct::new())
        .await
        .unwrap_err();
    assert_eq!(
        (code(&f), last_line(&f)),
        (
            1,
            "TypeError: cannot marshal None unless allow_none is enabled"
        )
    );
    let listed = rpc
        .ok(
            "ir.model",
            "search_count",
            vec![arr(vec![leaf("model", "=", s("x.skipped"))])],
            Struct::new(),
        )
        .await;
    assert_eq!(listed, i(1));
    // object.execute: every method argument positional
    let count = rpc
        .call(
            "/xmlrpc/2/object",
            "execute",
            vec![
                s("openspp"),
                i(2),
                s(KEY),
                s("ir.model"),
                s("search_count"),
                arr(vec![leaf("transient", "=", Value::Bool(true))]),
            ],
        )
        .await
        .unwrap();
    assert!(int(&count) > 0);
    server.stop().await;
}

/// `default_get` over `/jsonrpc` as admin: the result, or the error's `data.message`.
async fn jsonrpc_default_get(
    rpc: &Rpc,
    model: &str,
    fields: &[&str],
) -> Result<serde_json::Value, String> {
    let body = serde_json::json!({"jsonrpc": "2.0", "method": "call", "id": 7, "params": {
        "service": "object", "method": "execute_kw",
        "args": ["openspp", 2, KEY, model, "default_get", [fields], {}]}});
    let (status, bytes) = rpc
        .post("/jsonrpc", serde_json::to_vec(&body).unwrap())
        .await;
    assert_eq!(status, 200);
    let mut answer: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    match answer.get_mut("result") {
        Some(result) => Ok(result.take()),
        None => Err(answer["error"]["data"]["message"]
            .as_str()
            .unwrap_or_default()
            .to_owned()),
    }
}

#[tokio::test]
async fn defaults_xmlrpc_could_not_carry_are_answered_over_jsonrpc_only() {
    let marshal = openspp_schema::Fault {
        code: 1,
        message: "TypeError: cannot marshal None unless allow_none is enabled".into(),
    };
    // an object, not a None: only the recorded fault can make XML-RPC refuse `code` alone
    let object = "TypeError: cannot marshal <class 'odoo.api.Environment'> objects";
    let mut set = schemas();
    let country = set.models.get_mut("res.country").unwrap();
    country.default_get_xmlrpc_fault = Some(openspp_schema::Fault {
        code: 1,
        message: object.into(),
    });
    country.fields.get_mut("name").unwrap().default = Some(serde_json::Value::Null);
    country.fields.get_mut("code").unwrap().default = Some(serde_json::json!("XX"));
    let state = set.models.get_mut("res.country.state").unwrap();
    state.default_get_fault = Some(marshal);
    let server = start(Some(Config::new(set).seed(Seed::Empty))).await;
    let rpc = Rpc::new(server.url());

    let recorded = [
        ("res.country", object),
        (
            "res.country.state",
            "TypeError: cannot marshal None unless allow_none is enabled",
        ),
    ];
    for (model, message) in recorded {
        let f = rpc
            .kw(
                model,
                "default_get",
                vec![arr(vec![s("code")])],
                Struct::new(),
            )
            .await
            .unwrap_err();
        assert_eq!((code(&f), last_line(&f)), (1, message), "{model}");
    }
    assert_eq!(
        jsonrpc_default_get(&rpc, "res.country", &["name", "code", "phone_code"]).await,
        Ok(serde_json::json!({"name": null, "code": "XX"}))
    );
    // only a recorded XML-RPC fault is lifted over JSON-RPC: unknown defaults stay unknown
    assert_eq!(
        jsonrpc_default_get(&rpc, "res.country.state", &["name"]).await,
        Err("cannot marshal None unless allow_none is enabled".to_owned())
    );
    // a null default fills nothing: `name` is still required on create
    let f = rpc
        .kw(
            "res.country",
            "create",
            vec![Value::Struct(Struct::from_iter([(
                "phone_code".to_owned(),
                i(99),
            )]))],
            Struct::new(),
        )
        .await
        .unwrap_err();
    assert!(last_line(&f).contains("name"), "{f:?}");
    server.stop().await;
}

/// A default the real server draws on each call (`default_varies`: the date, a sequence
/// number, a random colour) is drawn here too: the date from the server's clock, the others
/// afresh, in `default_get` and in what `create` stores.
#[tokio::test]
async fn defaults_drawn_on_each_call_are_drawn_afresh() {
    let mut set = schemas();
    let drawn = [
        ("g2p.program", "date_ended"),
        ("g2p.program", "program_id"),
        ("res.partner.category", "color"),
    ];
    for (model, name) in drawn {
        let field = set
            .models
            .get_mut(model)
            .unwrap()
            .fields
            .get_mut(name)
            .unwrap();
        field.default = None;
        field.default_varies = true;
    }
    let at = |text: &str| chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S").unwrap();
    let clock = openspp_devserver::ManualClock::new(at("2026-12-06 23:59:59"));
    let server = start(Some(
        Config::new(set).seed(Seed::Empty).clock(clock.clone()),
    ))
    .await;
    let rpc = Rpc::new(server.url());
    let defaults = |model: &'static str, names: &'static [&'static str]| {
        let names = arr(names.iter().map(|n| s(n)).collect());
        let rpc = &rpc;
        async move {
            rpc.ok(model, "default_get", vec![names], Struct::new())
                .await
        }
    };
    let program: &[&str] = &["date_ended", "program_id", "description"];

    let before = defaults("g2p.program", program).await;
    let color = defaults("res.partner.category", &["color"]).await;
    clock.set(at("2026-12-07 00:00:01"));
    let after = defaults("g2p.program", program).await;
    assert_eq!(field(&before, "date_ended"), &s("2026-12-06"));
    assert_eq!(field(&after, "date_ended"), &s("2026-12-07"));
    assert_ne!(field(&before, "program_id"), field(&after, "program_id"));
    let Value::Struct(after) = after else {
        panic!("default_get answers a struct")
    };
    assert!(!after.contains_key("description"), "no default, none drawn");
    assert!(matches!(field(&color, "color"), Value::Int(_)));

    let tag = rpc
        .ok(
            "res.partner.category",
            "create",
            vec![Value::Struct(kw(vec![("name", s("Drawn"))]))],
            Struct::new(),
        )
        .await;
    let read = rpc
        .ok(
            "res.partner.category",
            "read",
            vec![arr(vec![tag]), arr(vec![s("color")])],
            Struct::new(),
        )
        .await;
    let Value::Array(rows) = read else {
        panic!("read answers a list")
    };
    let stored = field(&rows[0], "color");
    assert!(matches!(stored, Value::Int(_)) && stored != field(&color, "color"));
}
