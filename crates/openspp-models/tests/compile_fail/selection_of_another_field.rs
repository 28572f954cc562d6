use openspp_models::res_partner;

fn main() {
    // `type` takes res_partner::Type, not the keys of another selection.
    let _ = res_partner::TYPE.eq(res_partner::CompanyType::Company);
}
