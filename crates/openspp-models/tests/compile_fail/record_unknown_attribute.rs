#![allow(unused_imports)]
use openspp_client::Record;
use openspp_models::res_partner::ResPartner;

// `#[record]` takes `model` on the struct and `rename` on a field, nothing else.
#[derive(Record)]
#[record(model = ResPartner)]
struct Household {
    #[record(renamed = "name")]
    title: String,
}

fn main() {}
