//! `name_create` is an `@api.model` method: it takes no ids, only the name.
//~ error[E0061]: this method takes 1 argument but 2 arguments were supplied
//~ fn name_create(&self, name: &str) -> Self::Call<Value> {
use odoo19_models::res_partner::{ResPartner, ResPartnerMethods};

async fn create(odoo: &openspp_client::Session, partner: openspp_client::Id<ResPartner>) {
    let _ = ResPartner::repo(odoo).name_create(&[partner], "Ada").await;
}

fn main() {}
