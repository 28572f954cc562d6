use openspp_client::Id;
use openspp_models::res_partner::{self, ResPartner};

fn main() {
    // `country_id` points to res.country: a partner id does not fit.
    let _ = res_partner::COUNTRY_ID.set(Id::<ResPartner>::new(7));
}
