//! `has_access(operation: str)`: the operation is a string, not a number.
//~ error[E0308]: mismatched types
//~ expected `&str`, found integer
use odoo19_models::res_partner::{ResPartner, ResPartnerMethods};

async fn check(odoo: &openspp_client::Session, partner: openspp_client::Id<ResPartner>) {
    let _ = ResPartner::repo(odoo).has_access(&[partner], 1).await;
}

fn main() {}
