//! Guide section 2: search_read with a domain, fields and a limit.
//! `cargo run -p openspp-devserver --example read [-- --json2 | --xmlrpc] [--url URL --db DB --user LOGIN]`
mod guide;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let target = guide::Target::from_args().await?;
    let session = guide::authenticate(&target).await?;
    guide::read(&session).await?;
    target.finish().await;
    Ok(())
}
