#![allow(unused_imports)]
#[path = "../support/models.rs"]
mod models;

use models::res_country::{self, ResCountry};
use models::res_partner::{self as rp, ResPartner};
use openspp_client::{Id, Values};

fn main() {
    // country_id points to res.country, not res.partner.
    let _ = rp::COUNTRY_ID.set(Id::<ResPartner>::new(7));
}
