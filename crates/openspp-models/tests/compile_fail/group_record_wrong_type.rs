use openspp_client::{GroupRecord, Many2one};
use openspp_models::res_partner::ResPartner;

// `country_id` groups into `Option<Many2one<ResCountry>>`, not a partner; a count is a u64.
#[derive(GroupRecord)]
#[group(model = ResPartner)]
struct PerCountry {
    #[group(by)]
    country_id: Option<Many2one<ResPartner>>,
    #[group(records)]
    partners: i32,
}

fn main() {}
