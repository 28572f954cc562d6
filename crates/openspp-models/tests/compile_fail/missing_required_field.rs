use openspp_models::res_country::ResCountry;

fn main() {
    // res.country requires `code` and `name`, and the server defaults neither.
    let _ = ResCountry::create("Belgium");
}
