use openspp_client::{Many2one, Record};
use openspp_models::res_partner::ResPartner;

// `country_id` points to res.country, not to res.partner.
#[derive(Record)]
#[record(model = ResPartner)]
struct Household {
    country_id: Option<Many2one<ResPartner>>,
}

fn main() {}
