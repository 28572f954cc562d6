use openspp_client::GroupRecord;
use openspp_models::res_partner::ResPartner;

// Odoo groups dates by day, week, month, quarter or year.
#[derive(GroupRecord)]
#[group(model = ResPartner)]
struct PerFortnight {
    #[group(by = "fortnight", field = "birthdate")]
    born: (),
}

fn main() {}
