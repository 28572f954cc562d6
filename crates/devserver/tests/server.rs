//! The dev server over real HTTP on 127.0.0.1: every method, every fault, domain semantics,
//! x2many commands, paging, concurrency and persistence.

mod support;

use odoo_devserver::{Config, Seed};
use odoo_xmlrpc::{Struct, Value};
use support::*;

#[tokio::test]
async fn common_service() {
    let server = start(None).await;
    let rpc = Rpc::new(server.url());
    let version = rpc.call("/xmlrpc/2/common", "version", vec![]).await.unwrap();
    assert_eq!(field(&version, "server_serie"), &s("17.0"));
    let auth = |login: &str, secret: &str| vec![s("openspp"), s(login), s(secret), Value::Struct(Struct::new())];
    assert_eq!(rpc.call("/xmlrpc/2/common", "authenticate", auth("admin", "admin")).await.unwrap(), i(2));
    assert_eq!(rpc.call("/xmlrpc/2/common", "authenticate", auth("admin", KEY)).await.unwrap(), i(2));
    assert_eq!(rpc.call("/xmlrpc/2/common", "authenticate", auth("admin", "nope")).await.unwrap(), Value::Bool(false));
    assert_eq!(rpc.call("/xmlrpc/2/common", "authenticate", auth("norights", "norights")).await.unwrap(), i(13));
    assert_eq!(rpc.call("/xmlrpc/2/common", "login", vec![s("openspp"), s("admin"), s("admin")]).await.unwrap(), i(2));
    let wrong_db = rpc.call("/xmlrpc/2/common", "login", vec![s("nodb"), s("admin"), s("admin")]).await.unwrap_err();
    assert_eq!(code(&wrong_db), 1);
    assert!(last_line(&wrong_db).starts_with("psycopg2.OperationalError"));
    let unknown = rpc.call("/xmlrpc/2/common", "frobnicate", vec![]).await.unwrap_err();
    assert_eq!(code(&unknown), 1);
    assert_eq!(rpc.call("/xmlrpc/2/db", "list", vec![]).await.unwrap(), arr(vec![s("openspp")]));
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
        ("category_id", arr(vec![arr(vec![i(6), i(0), arr(vec![i(3), i(1)])])])),
        ("date", s("2024-01-15")),
        ("is_company", Value::Bool(false)),
        ("partner_latitude", Value::Double(50.8503)),
        ("comment", s("<p>café ✓</p>")),
        ("display_name", s("ignored, as Odoo does")),
        ("create_date", s("2000-01-01 00:00:00")),
    ]);
    let id = int(&rpc.ok("res.partner", "create", vec![Value::Struct(vals)], Struct::new()).await);
    let fields = ["name", "display_name", "country_id", "category_id", "date", "is_company", "partner_latitude", "parent_id", "child_ids", "color", "comment", "create_date", "website"];
    let read = rpc
        .ok("res.partner", "read", vec![arr(vec![i(id)])], kw(vec![("fields", arr(fields.iter().map(|f| s(f)).collect()))]))
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

    let write = kw(vec![("email", s("wire2@example.com")), ("date", Value::Bool(false)), ("category_id", arr(vec![arr(vec![i(5), i(0), i(0)])])), ("color", i(3))]);
    assert_eq!(rpc.ok("res.partner", "write", vec![arr(vec![i(id)]), Value::Struct(write)], Struct::new()).await, Value::Bool(true));
    let read = rpc.ok("res.partner", "read", vec![arr(vec![i(id)]), arr(vec![s("email"), s("date"), s("category_id"), s("color")])], Struct::new()).await;
    let record = &ids_records(&read)[0];
    assert_eq!(field(record, "email"), &s("wire2@example.com"));
    assert_eq!(field(record, "date"), &Value::Bool(false));
    assert_eq!(field(record, "category_id"), &arr(vec![]));
    assert_eq!(field(record, "color"), &i(3));

    // load=None gives bare many2one ids
    let read = rpc.ok("res.partner", "read", vec![arr(vec![i(id)]), arr(vec![s("country_id")])], kw(vec![("load", s(""))])).await;
    assert_eq!(field(&ids_records(&read)[0], "country_id"), &i(20));

    assert_eq!(rpc.ok("res.partner", "unlink", vec![arr(vec![i(id)])], Struct::new()).await, Value::Bool(true));
    let read = rpc.ok("res.partner", "read", vec![arr(vec![i(id)]), arr(vec![s("name")])], Struct::new()).await;
    assert_eq!(read, arr(vec![]));
    let missing = rpc.kw("res.partner", "write", vec![arr(vec![i(id)]), Value::Struct(kw(vec![("name", s("x"))]))], Struct::new()).await.unwrap_err();
    assert_eq!(code(&missing), 2);
    assert!(missing.message.starts_with("Record does not exist or has been deleted."), "{}", missing.message);
    let missing = rpc.kw("res.partner", "unlink", vec![arr(vec![i(id)])], Struct::new()).await.unwrap_err();
    assert_eq!(code(&missing), 2);

    // a list of dicts creates several records
    let many = rpc
        .ok("res.partner", "create", vec![arr(vec![Value::Struct(kw(vec![("name", s("A"))])), Value::Struct(kw(vec![("name", s("B"))]))])], Struct::new())
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
    ids(&rpc.ok(model, "search", vec![arr(domain)], kw(vec![("order", s("id"))])).await)
}

async fn names(rpc: &Rpc, domain: Vec<Value>) -> Vec<String> {
    let rows = rpc
        .ok("res.partner", "search_read", vec![arr(domain)], kw(vec![("fields", arr(vec![s("name")])), ("order", s("name"))]))
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
    assert_eq!(names(&rpc, vec![leaf("name", "ilike", s("azure"))]).await, ["Azure Interior"]);
    assert!(names(&rpc, vec![leaf("name", "like", s("azure"))]).await.is_empty());
    assert_eq!(names(&rpc, vec![leaf("name", "=like", s("Azure%"))]).await, ["Azure Interior"]);
    assert!(names(&rpc, vec![leaf("name", "=like", s("zure"))]).await.is_empty());
    // != and not ilike include empty values, = False finds them
    let all = search(&rpc, "res.partner", vec![]).await.len();
    let with_email = search(&rpc, "res.partner", vec![leaf("email", "!=", Value::Bool(false))]).await.len();
    let without = search(&rpc, "res.partner", vec![leaf("email", "=", Value::Bool(false))]).await.len();
    assert_eq!(with_email + without, all);
    let not_brandon = search(&rpc, "res.partner", vec![leaf("email", "not ilike", s("brandon"))]).await.len();
    assert_eq!(not_brandon, all - 1);
    // in with False
    let in_false = search(&rpc, "res.partner", vec![leaf("parent_id", "in", arr(vec![Value::Bool(false), i(14)]))]).await.len();
    assert_eq!(in_false, all);
    // ! & | in prefix notation
    let or = search(&rpc, "res.partner", vec![s("|"), leaf("id", "=", i(9)), leaf("id", "=", i(10))]).await;
    assert_eq!(or, [9, 10]);
    let not = search(&rpc, "res.partner", vec![s("!"), leaf("id", "in", arr(vec![i(9), i(10)])), leaf("id", "<", i(15))]).await;
    assert_eq!(not, [1, 3, 4, 14]);
    // dotted paths through many2one, and a name search on a many2one
    assert_eq!(search(&rpc, "res.partner", vec![leaf("parent_id.name", "=", s("Azure Interior"))]).await, [26, 33]);
    let belgians = search(&rpc, "res.partner", vec![leaf("country_id", "ilike", s("belg"))]).await;
    assert!(belgians.contains(&44) && !belgians.contains(&14));
    assert_eq!(belgians, search(&rpc, "res.partner", vec![leaf("country_id.code", "=", s("BE"))]).await);
    // child_of / parent_of on parent_id
    assert_eq!(search(&rpc, "res.partner", vec![leaf("id", "child_of", i(14))]).await, [14, 26, 33]);
    assert_eq!(search(&rpc, "res.partner", vec![leaf("id", "parent_of", i(26))]).await, [14, 26]);
    // x2many: in, = False, any, a name search
    assert_eq!(search(&rpc, "res.partner", vec![leaf("category_id", "in", arr(vec![i(2)]))]).await, [10, 14]);
    assert_eq!(search(&rpc, "res.partner", vec![leaf("category_id", "ilike", s("vend"))]).await, [9, 10]);
    assert_eq!(search(&rpc, "res.partner", vec![leaf("child_ids", "any", arr(vec![leaf("name", "=", s("Colleen Diaz"))]))]).await, [14]);
    assert_eq!(search(&rpc, "res.partner", vec![leaf("child_ids.name", "=", s("Colleen Diaz"))]).await, [14]);
    let no_tags = search(&rpc, "res.partner", vec![leaf("category_id", "=", Value::Bool(false))]).await;
    assert!(!no_tags.contains(&9) && no_tags.contains(&1));
    // =? ignores False
    assert_eq!(search(&rpc, "res.partner", vec![leaf("name", "=?", Value::Bool(false))]).await.len(), all);
    // order, limit, offset, count
    let page = ids(&rpc.ok("res.partner", "search", vec![arr(vec![])], kw(vec![("order", s("id desc")), ("limit", i(2)), ("offset", i(1))])).await);
    let everything = search(&rpc, "res.partner", vec![]).await;
    assert_eq!(page, [everything[everything.len() - 2], everything[everything.len() - 3]]);
    let count = rpc.ok("res.partner", "search_count", vec![arr(vec![leaf("is_company", "=", Value::Bool(true))])], Struct::new()).await;
    assert_eq!(int(&count), 5);
    // archived records are hidden unless asked for
    rpc.ok("res.partner", "write", vec![arr(vec![i(9)]), Value::Struct(kw(vec![("active", Value::Bool(false))]))], Struct::new()).await;
    assert!(!search(&rpc, "res.partner", vec![]).await.contains(&9));
    assert!(search(&rpc, "res.partner", vec![leaf("active", "in", arr(vec![Value::Bool(true), Value::Bool(false)]))]).await.contains(&9));
    let ctx = kw(vec![("context", Value::Struct(kw(vec![("active_test", Value::Bool(false))])))]);
    assert!(ids(&rpc.ok("res.partner", "search", vec![arr(vec![])], ctx).await).contains(&9));
    // name_search
    let found = rpc.ok("res.partner", "name_search", vec![], kw(vec![("name", s("azure")), ("limit", i(5))])).await;
    assert_eq!(found, arr(vec![arr(vec![i(14), s("Azure Interior")]), arr(vec![i(26), s("Azure Interior, Brandon Freeman")]), arr(vec![i(33), s("Azure Interior, Colleen Diaz")])]));
    server.stop().await;
}
