//! Typed aggregates (`Repository::aggregate`) printed as JSON, one document per query, for
//! `aggregates_check.py` to compare field by field with Python's raw `read_group` (Odoo 17,
//! 18) or `formatted_read_group` (Odoo 19+) on the same server.
//!
//! `cargo run -p openspp-devserver --example aggregates [-- --url URL --db DB --user LOGIN] [--openspp]`
//! (secret from ODOO_API_KEY or ODOO_PASSWORD; `--openspp` adds the OpenSPP queries:
//! registrants per area and gender, entitlements per cycle and month; OpenSPP 17 has no stored
//! program on an entitlement, a cycle belongs to one program). The other queries use models
//! both Odoo 17 and 19 have (res.partner, account.move), one of them through
//! `#[derive(GroupRecord)]`.
mod guide;

use chrono::{NaiveDate, NaiveDateTime};
use openspp_client::{
    Domain, Granularity, Group, GroupRecord, Many2one, Order, Period, SelectionEnum,
};
use openspp_models::account_journal::AccountJournal;
use openspp_models::account_move::{self as moves, AccountMove};
use openspp_models::g2p_entitlement::{self as ent, G2pEntitlement};
use openspp_models::res_country::ResCountry;
use openspp_models::res_partner::{self, ResPartner};
use serde_json::{Value, json};

fn m2o<R>(value: &Option<Many2one<R>>) -> Value {
    value
        .as_ref()
        .map_or(Value::Null, |m| json!([m.id.get(), m.name]))
}
fn sel<E: SelectionEnum>(value: &Option<E>) -> Value {
    value.as_ref().map_or(Value::Null, |e| json!(e.key()))
}
fn period<T: ToString>(value: &Option<Period<T>>) -> Value {
    value.as_ref().map_or(Value::Null, |p| {
        json!([p.start.to_string(), p.end.to_string()])
    })
}
fn date(value: &Option<NaiveDate>) -> Value {
    value.map_or(Value::Null, |d| json!(d.to_string()))
}
fn datetime(value: &Option<NaiveDateTime>) -> Value {
    value.map_or(Value::Null, |d| {
        json!(d.format("%Y-%m-%d %H:%M:%S").to_string())
    })
}
fn rows<K, V>(groups: &[Group<K, V>], row: impl Fn(&K, &V) -> (Value, Value)) -> Value {
    groups
        .iter()
        .map(|g| {
            let (key, values) = row(&g.key, &g.values);
            json!({"key": key, "count": g.count, "values": values})
        })
        .collect()
}

/// Partners per country read into a struct by `#[derive(GroupRecord)]`.
#[derive(Debug, GroupRecord)]
#[group(model = ResPartner)]
struct PerCountry {
    #[group(by)]
    country_id: Option<Many2one<ResCountry>>,
    #[group(sum, field = "color")]
    colors: Option<i64>,
    #[group(records)]
    partners: u64,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let target = guide::Target::from_args_allowing(&[], &["--openspp"]).await?;
    let openspp = std::env::args().any(|a| a == "--openspp");
    let odoo = guide::authenticate(&target).await?;
    let partners = ResPartner::repo(&odoo);
    let mut out = serde_json::Map::new();

    // partners per country and type, most numerous first
    let groups = partners
        .aggregate(Domain::all())
        .group_by((res_partner::COUNTRY_ID, res_partner::TYPE))
        .measures((
            res_partner::COLOR.sum(),
            res_partner::COLOR.avg(),
            res_partner::PARENT_ID.count_distinct(),
            res_partner::ID.array_agg(),
        ))
        .order(Order::count_desc().then(res_partner::COUNTRY_ID.asc()))
        .limit(10)
        .await?;
    out.insert(
        "per_country_and_type".into(),
        rows(&groups, |(country, kind), (sum, avg, parents, ids)| {
            let ids: Vec<Option<i32>> = ids.iter().map(|i| i.map(|i| i.get())).collect();
            (
                json!([m2o(country), sel(kind)]),
                json!([sum, avg, parents, ids]),
            )
        }),
    );

    // partners per creation month and company flag, with the latest write
    let groups = partners
        .aggregate(Domain::all())
        .group_by((
            res_partner::CREATE_DATE.by(Granularity::Month),
            res_partner::IS_COMPANY,
        ))
        .measures((res_partner::WRITE_DATE.max(), res_partner::NAME.min()))
        .await?;
    out.insert(
        "per_month_and_company".into(),
        rows(&groups, |(month, company), (written, name)| {
            (
                json!([period(month), company]),
                json!([datetime(written), name]),
            )
        }),
    );

    // the struct form: partners per country, most numerous first
    let per_country: Vec<PerCountry> = partners
        .aggregate(Domain::all())
        .order(Order::count_desc().then(res_partner::COUNTRY_ID.asc()))
        .records::<PerCountry>()
        .await?;
    out.insert(
        "per_country_struct".into(),
        per_country
            .iter()
            .map(
                |r| json!({"key": [m2o(&r.country_id)], "count": r.partners, "values": [r.colors]}),
            )
            .collect(),
    );

    // journal entries per journal and accounting month (account is on both servers)
    let groups = AccountMove::repo(&odoo)
        .aggregate(Domain::all())
        .group_by((moves::JOURNAL_ID, moves::DATE.by(Granularity::Month)))
        .measures((
            moves::AMOUNT_TOTAL.sum(),
            moves::AMOUNT_TOTAL.max(),
            moves::PARTNER_ID.count_distinct(),
        ))
        .await?;
    out.insert(
        "moves_per_journal_and_month".into(),
        rows(
            &groups,
            |(journal, month): &(Option<Many2one<AccountJournal>>, _), (sum, max, partners)| {
                (
                    json!([m2o(journal), period(month)]),
                    json!([sum, max, partners]),
                )
            },
        ),
    );

    if openspp {
        let groups = partners
            .aggregate(res_partner::IS_REGISTRANT.eq(true) & res_partner::IS_GROUP.eq(false))
            .group_by((res_partner::AREA_ID, res_partner::GENDER))
            .measures((res_partner::BIRTHDATE.min(), res_partner::AREA_ID.count()))
            .await?;
        out.insert(
            "registrants_per_area_and_gender".into(),
            rows(&groups, |(area, gender), (born, with_area)| {
                (
                    json!([m2o(area), sel(gender)]),
                    json!([date(born), with_area]),
                )
            }),
        );
        let groups = G2pEntitlement::repo(&odoo)
            .aggregate(Domain::all())
            .group_by((ent::CYCLE_ID, ent::VALID_FROM.by(Granularity::Month)))
            .measures((
                ent::INITIAL_AMOUNT.sum(),
                ent::INITIAL_AMOUNT.avg(),
                ent::INITIAL_AMOUNT.max(),
                ent::PARTNER_ID.count_distinct(),
            ))
            .await?;
        out.insert(
            "entitlements_per_cycle_and_month".into(),
            rows(&groups, |(cycle, month), (sum, avg, max, households)| {
                (
                    json!([m2o(cycle), period(month)]),
                    json!([sum, avg, max, households]),
                )
            }),
        );
    }
    println!("{}", serde_json::to_string_pretty(&Value::Object(out))?);
    target.finish().await;
    Ok(())
}
