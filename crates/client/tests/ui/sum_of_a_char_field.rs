#![allow(unused_imports)]
#[path = "../support/models.rs"]
mod models;

use models::res_partner::{self as rp, ResPartner};
use openspp_client::Domain;

fn main() {
    // sum and avg apply to numbers only: PostgreSQL has no SUM(varchar).
    let _ = rp::NAME.sum();
}
