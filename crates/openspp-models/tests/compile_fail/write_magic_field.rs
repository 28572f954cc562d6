use openspp_models::res_country;

fn main() {
    let _ = res_country::NAME.set("Belgium").set(res_country::CREATE_DATE, chrono::NaiveDateTime::default());
}
