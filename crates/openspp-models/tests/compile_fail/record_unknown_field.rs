use openspp_client::Record;
use openspp_models::res_partner::ResPartner;

// `nmae` is not a field of res.partner: the error is at the struct field.
#[derive(Record)]
#[record(model = ResPartner)]
struct Household {
    nmae: String,
}

fn main() {}
