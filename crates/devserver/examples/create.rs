//! Guide section 3: create a registrant.
//! `cargo run -p openspp-devserver --example create [-- --json2 | --xmlrpc] [--url URL --db DB --user LOGIN]`
mod guide;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let target = guide::Target::from_args().await?;
    let session = guide::authenticate(&target).await?;
    guide::create(&session).await?;
    target.finish().await;
    Ok(())
}
