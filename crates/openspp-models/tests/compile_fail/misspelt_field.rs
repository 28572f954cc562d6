use openspp_models::res_partner;

fn main() {
    let _ = res_partner::NAEM.eq("Ada");
}
