#![allow(unused_imports)]
#[path = "../support/models.rs"]
mod models;

use models::res_country::{self, ResCountry};
use models::res_partner::{self as rp, ResPartner};
use openspp_client::{Id, Values};

fn main() {
    // res.country.name is not a field of res.partner.
    let _ = Values::<ResPartner>::new().set(res_country::NAME, "x");
    let _: Option<ResCountry> = None;
}
