#![allow(unused_imports)]
#[path = "../support/models.rs"]
mod models;

use models::res_country::{self, ResCountry};
use models::res_partner::{self as rp, ResPartner};
use openspp_client::{Id, Values};

fn main() {
    // display_name is not stored and has no search method.
    let _ = rp::DISPLAY_NAME.eq("x");
}
