//! `action_archive` runs on records: their ids come first.
//~ error[E0061]: this method takes 1 argument but 0 arguments were supplied
//~ argument #1 of type `&[openspp_client::Id<odoo19_models::res_partner::ResPartner>]` is missing
use odoo19_models::res_partner::{ResPartner, ResPartnerMethods};

async fn archive(odoo: &openspp_client::Session) {
    let _ = ResPartner::repo(odoo).action_archive().await;
}

fn main() {}
