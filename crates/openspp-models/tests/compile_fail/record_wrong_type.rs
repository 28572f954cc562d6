use openspp_client::Record;
use openspp_models::res_partner::ResPartner;

// `name` is a char field: it reads into `String` or `Option<String>`, not a number.
#[derive(Record)]
#[record(model = ResPartner)]
struct Household {
    name: i64,
}

fn main() {}
