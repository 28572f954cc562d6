//! Guide section 1: authenticate with an API key and, over XML-RPC, with a password.
//! `cargo run -p openspp-devserver --example authenticate [-- --json2 | --xmlrpc] [--url URL --db DB --user LOGIN]`
mod guide;

use openspp_client::{Protocol, Secret};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let target = guide::Target::from_args().await?;
    let session = guide::authenticate(&target).await?;
    println!("API key accepted: uid {}", session.uid());
    if target.server.is_some() {
        let refused = if session.protocol() == Protocol::Json2 {
            // JSON-2 takes API keys alone: a wrong one is refused
            target
                .client()
                .build()?
                .login(&target.login, Secret::api_key("wrong"))
                .await
        } else {
            let session = guide::authenticate_with_password(&target, "admin").await?;
            println!("password accepted: uid {}", session.uid());
            guide::authenticate_with_password(&target, "wrong").await
        };
        match refused {
            Err(error) => println!("wrong secret refused: {error}"),
            Ok(_) => anyhow::bail!("a wrong secret was accepted"),
        }
    }
    target.finish().await;
    Ok(())
}
