#![allow(unused_imports)]
#[path = "../support/models.rs"]
mod models;

use models::res_partner::{self as rp, ResPartner};
use openspp_client::ExportColumns;

fn columns() {
    // a one2many exports one line per child, not one row per record
    let _ = ExportColumns::<ResPartner>::new().field(rp::CHILD_IDS);
    // nor a many2many
    let _ = ExportColumns::<ResPartner>::new().field(rp::CATEGORY_ID);
}

fn main() {}
