use openspp_client::Record;
use openspp_models::res_partner::ResPartner;

// A rename must name a field of res.partner too: the error is at the rename.
#[derive(Record)]
#[record(model = ResPartner)]
struct Household {
    #[record(rename = "member-ids")]
    members: Vec<openspp_client::Id<ResPartner>>,
}

fn main() {}
