#![allow(unused_imports)]
#[path = "../support/models.rs"]
mod models;

use models::res_partner::{self as rp, ResPartner};

fn main() {
    // PostgreSQL has no MIN(boolean): booleans have bool_and / bool_or.
    let _ = rp::IS_COMPANY.min();
}
