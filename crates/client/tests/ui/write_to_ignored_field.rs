#![allow(unused_imports)]
#[path = "../support/models.rs"]
mod models;

use models::res_country::{self, ResCountry};
use models::res_partner::{self as rp, ResPartner};
use openspp_client::{Id, Values};

fn main() {
    // display_name is computed without inverse: the server ignores writes to it.
    let _ = rp::DISPLAY_NAME.set("New name");
}
