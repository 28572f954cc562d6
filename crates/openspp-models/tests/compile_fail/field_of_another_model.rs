use openspp_models::{res_country, res_partner};

fn main() {
    let _ = res_partner::NAME.ilike("a") & res_country::CODE.eq("BE");
}
