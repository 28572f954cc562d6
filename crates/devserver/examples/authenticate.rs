//! Guide section 1: authenticate with an API key and with a password.
//! `cargo run -p odoo-devserver --example authenticate [-- --url URL --db DB --user LOGIN]`
mod guide;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let target = guide::Target::from_args().await?;
    let session = guide::authenticate(&target).await?;
    println!("API key accepted: uid {}", session.uid());
    if target.server.is_some() {
        let session = guide::authenticate_with_password(&target, "admin").await?;
        println!("password accepted: uid {}", session.uid());
        let refused = guide::authenticate_with_password(&target, "wrong").await;
        println!("wrong password: {}", refused.expect_err("refused"));
    }
    target.finish().await;
    Ok(())
}
