use openspp_models::res_partner;

fn main() {
    // display_name is computed without an inverse: the server would ignore the write.
    let _ = res_partner::DISPLAY_NAME.set("Ada");
}
