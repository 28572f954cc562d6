//! Our side of the peer comparison (`peers.py` drives it): logs in once, then for each line
//! `run` on stdin makes one typed `search_read` of every active partner with
//! `name, email, country_id, category_id` and prints `<wall ms> <cpu ms> <rows>`, where CPU is
//! this process's user + system time over the call (a current-thread runtime: one thread).
//!
//! ```sh
//! cargo run --release -p openspp-client --example peer_search_read -- \
//!     --url http://127.0.0.1:8069 --db openspp --user admin --password-env ODOO_PASSWORD
//! ```
//! Flags: `--api-key-env VAR` instead of `--password-env VAR`, or `--secret-env VAR` for the
//! secret as a plain string (what most programs pass: its shape says which it is);
//! `--protocol NAME` (auto, xmlrpc, jsonrpc, web, json2; auto by default).

use std::future::IntoFuture;
use std::io::BufRead;
use std::time::Instant;

use openspp_client::{Client, Protocol, Secret};

#[path = "../support/cpu.rs"]
mod cpu;
#[path = "../support/peer_row.rs"]
mod peer_row;

use cpu::cpu;
use peer_row::{ACTIVE, Partner, ResPartner};

fn flag(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1).cloned())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let url = flag(&args, "--url").ok_or("--url URL")?;
    let db = flag(&args, "--db").unwrap_or_else(|| "openspp".into());
    let user = flag(&args, "--user").unwrap_or_else(|| "admin".into());
    let protocol: Protocol = flag(&args, "--protocol")
        .unwrap_or_else(|| "auto".into())
        .parse()?;
    let secret = match (
        flag(&args, "--password-env"),
        flag(&args, "--api-key-env"),
        flag(&args, "--secret-env"),
    ) {
        (Some(var), _, _) => Secret::password(std::env::var(var)?),
        (_, Some(var), _) => Secret::api_key(std::env::var(var)?),
        (_, _, Some(var)) => Secret::from(std::env::var(var)?),
        _ => return Err("--password-env VAR, --api-key-env VAR or --secret-env VAR".into()),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let odoo = runtime.block_on(
        Client::builder(&url, &db)
            .protocol(protocol)
            .build()?
            .login(&user, secret),
    )?;
    eprintln!("logged in over {}", odoo.protocol());
    println!("ready {}", odoo.protocol());
    let partners = odoo.repo::<ResPartner>();
    for line in std::io::stdin().lock().lines() {
        if line?.trim() != "run" {
            break;
        }
        let (wall, cpu_before) = (Instant::now(), cpu());
        let rows: Vec<Partner> = runtime.block_on(
            partners
                .search_read(ACTIVE.eq(true))
                .records::<Partner>()
                .into_future(),
        )?;
        let (wall, cpu) = (wall.elapsed(), cpu() - cpu_before);
        println!(
            "{:.3} {:.3} {}",
            wall.as_secs_f64() * 1e3,
            cpu.as_secs_f64() * 1e3,
            rows.len()
        );
    }
    Ok(())
}
