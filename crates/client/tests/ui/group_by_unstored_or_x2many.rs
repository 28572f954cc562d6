#![allow(unused_imports)]
#[path = "../support/models.rs"]
mod models;

use models::res_partner::{self as rp, ResPartner};
use openspp_client::{Domain, Granularity, Repository};

fn groups(partners: Repository<ResPartner>) {
    // a non-stored field (display_name) cannot be grouped by
    let _ = partners.aggregate(Domain::all()).group_by(rp::DISPLAY_NAME);
    // nor a many2many
    let _ = partners.aggregate(Domain::all()).group_by(rp::CATEGORY_ID);
    // a date groups by a period, not by its bare value
    let _ = partners.aggregate(Domain::all()).group_by(rp::BIRTHDATE);
    // and only dates have periods
    let _ = rp::NAME.by(Granularity::Month);
}

fn main() {}
