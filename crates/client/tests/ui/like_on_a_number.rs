#![allow(unused_imports)]
#[path = "../support/models.rs"]
mod models;

use models::res_country::{self, ResCountry};
use models::res_partner::{self as rp, ResPartner};
use openspp_client::{Id, Values};

fn main() {
    // like applies to text and relations, not to integers.
    let _ = rp::COLOR.like("1%");
}
