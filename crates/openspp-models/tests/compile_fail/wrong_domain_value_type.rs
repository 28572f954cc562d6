use openspp_models::res_partner;

fn main() {
    let _ = res_partner::IS_COMPANY.eq("yes");
}
