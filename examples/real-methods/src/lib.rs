//! What the programs share: the server named on the command line, logged in with the API key
//! in `ODOO_API_KEY`.

use openspp_client::{Client, Protocol, Secret, Session};

/// Logs in to `--url URL --db DB --user LOGIN` (default database `openspp`, user `admin`) with
/// the API key in `ODOO_API_KEY`, over JSON-2, or XML-RPC with `--xmlrpc`.
pub async fn login() -> anyhow::Result<Session> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let url = value("--url")
        .ok_or_else(|| anyhow::anyhow!("usage: --url URL [--db DB] [--user LOGIN] [--xmlrpc]"))?;
    let db = value("--db").unwrap_or_else(|| "openspp".into());
    let user = value("--user").unwrap_or_else(|| "admin".into());
    let key = std::env::var("ODOO_API_KEY")
        .map_err(|_| anyhow::anyhow!("the API key goes in ODOO_API_KEY"))?;
    let protocol = if args.iter().any(|a| a == "--xmlrpc") {
        Protocol::XmlRpc
    } else {
        Protocol::Json2
    };
    let session = Client::builder(&url, &db)
        .protocol(protocol)
        .build()?
        .login(&user, Secret::api_key(key))
        .await?;
    println!("logged in to {url} ({db}) as {user} over {protocol}");
    Ok(session)
}

/// What a call that may change data did: its answer, or the fault that came after the server
/// committed (`may_have_changed_data`: Odoo 17 and 19 cannot marshal a `None` answer over
/// XML-RPC, and say so only after the transaction is committed). Any other error stops the
/// program.
pub fn outcome<T: std::fmt::Debug>(
    answer: Result<T, openspp_client::Error>,
) -> anyhow::Result<String> {
    match answer {
        Ok(answer) => Ok(format!("answered {answer:?}")),
        Err(e) if e.may_have_changed_data() => Ok(format!(
            "faulted after the commit (may_have_changed_data = true): {e}"
        )),
        Err(e) => Err(e.into()),
    }
}
