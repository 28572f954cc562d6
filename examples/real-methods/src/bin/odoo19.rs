//! Odoo 19: `res.partner`'s business methods through the calls generated from the server's
//! `/doc-bearer` description: `action_archive` and `action_unarchive` on a partner made for
//! the run, `name_create`, and two `@api.readonly` methods (`get_formview_id` on records,
//! `get_mention_suggestions` on the model, with an option). Every answer is read back; the
//! partners made are deleted at the end, whatever happened.

use models::res_partner::{self as partner, ResPartner, ResPartnerMethods};
use openspp_client::{Context, Id, Value};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let odoo = real_methods::login().await?;
    let partners = ResPartner::repo(&odoo);
    let ada = partners
        .create(partner::NAME.set("openspp-rs typed methods: Ada"))
        .await?;
    println!("created partner {}", ada.get());
    let mut made = vec![ada];
    let outcome = run(&odoo, ada, &mut made).await;
    partners.unlink(&made).await?;
    let left = partners
        .with_context(&Context::new().active_test(false))
        .search_count(partner::ID.is_in(made.iter().copied()))
        .await?;
    println!("deleted {} partners; {left} left", made.len());
    outcome
}

async fn run(
    odoo: &openspp_client::Session,
    ada: Id<ResPartner>,
    made: &mut Vec<Id<ResPartner>>,
) -> anyhow::Result<()> {
    let partners = ResPartner::repo(odoo);
    let all = partners.with_context(&Context::new().active_test(false));
    let active = |answer: Vec<(Id<ResPartner>, (bool,))>| answer[0].1.0;

    let answer = real_methods::outcome(partners.action_archive(&[ada]).await)?;
    let now = active(all.read(&[ada]).fields((partner::ACTIVE,)).await?);
    println!("action_archive {answer}; active = {now}");
    anyhow::ensure!(!now, "action_archive left the partner active");

    let answer = real_methods::outcome(partners.action_unarchive(&[ada]).await)?;
    let now = active(all.read(&[ada]).fields((partner::ACTIVE,)).await?);
    println!("action_unarchive {answer}; active = {now}");
    anyhow::ensure!(now, "action_unarchive left the partner archived");

    let answer = partners
        .name_create("openspp-rs typed methods: Grace")
        .await?;
    let (id, name): (i32, String) = serde_json::from_value(serde_json::to_value(&answer)?)?;
    made.push(Id::new(id));
    let read = partners
        .read(&[Id::new(id)])
        .fields((partner::NAME,))
        .await?;
    println!(
        "name_create answered ({id}, {name:?}); read back {:?}",
        read[0].1.0
    );

    let form = partners.get_formview_id(&[ada]).await?;
    println!("get_formview_id (readonly) answered {form:?}");
    let mentions = partners
        .get_mention_suggestions(&Value::from("openspp-rs typed"))
        .limit(&Value::from(5))
        .await?;
    let found = mentions
        .as_struct()
        .and_then(|s| s.get("res.partner"))
        .and_then(Value::as_array)
        .map_or(0, <[Value]>::len);
    println!("get_mention_suggestions (readonly, limit 5) found {found} partners");
    Ok(())
}
