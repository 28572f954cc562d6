use openspp_client::{GroupRecord, Many2one};
use openspp_models::res_country::ResCountry;
use openspp_models::res_partner::ResPartner;

// `name` is a char field: PostgreSQL has no SUM of text.
#[derive(GroupRecord)]
#[group(model = ResPartner)]
struct PerCountry {
    #[group(by)]
    country_id: Option<Many2one<ResCountry>>,
    #[group(sum, field = "name")]
    names: Option<f64>,
}

fn main() {}
