mod support;
use odoo_devserver::{Config, OdooVersion, Seed};
use support::*;

#[tokio::test]
async fn scratch() {
    for seed in [Seed::Empty] {
        let server = start(Some(
            Config::new(schemas())
                .odoo_version(OdooVersion::V19)
                .seed(seed),
        ))
        .await;
        let http = reqwest::Client::new();
        for (path, body) in [
            ("/json/2/res.users/context_get", "{}"),
            (
                "/json/2/res.users/read",
                r#"{"ids":[2],"fields":["login"]}"#,
            ),
        ] {
            let r = http
                .post(format!("{}{}", server.url(), path))
                .header("authorization", format!("bearer {KEY}"))
                .header("x-odoo-database", "openspp")
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await
                .unwrap();
            println!("{path} {} {}", r.status(), r.text().await.unwrap());
        }
        server.stop().await;
    }
}
