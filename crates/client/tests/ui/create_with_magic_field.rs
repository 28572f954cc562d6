#![allow(unused_imports)]
#[path = "../support/models.rs"]
mod models;

use models::res_country::{self, ResCountry};
use models::res_partner::{self as rp, ResPartner};
use openspp_client::{Id, Values};

fn main() {
    // create_date is a magic log field: the server ignores it.
    let _ = Values::<ResPartner>::new().set(rp::CREATE_DATE, chrono::NaiveDateTime::MIN);
}
