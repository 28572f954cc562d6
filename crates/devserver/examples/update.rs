//! Guide section 4: write to a registrant (created first, so the example runs anywhere).
//! `cargo run -p openspp-devserver --example update [-- --json2 | --xmlrpc] [--url URL --db DB --user LOGIN]`
mod guide;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let target = guide::Target::from_args().await?;
    let session = guide::authenticate(&target).await?;
    let id = guide::create(&session).await?;
    guide::update(&session, id).await?;
    target.finish().await;
    Ok(())
}
