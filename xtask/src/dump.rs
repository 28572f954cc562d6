//! `cargo xtask dump`: ask a live server for its models and write one JSON schema per model.
//!
//! # The calls it makes
//!
//! The set of calls is small and made of standard Odoo calls, so that the dev server can
//! answer the same ones from `schemas/` (`cargo xtask regen` is then a fixed point). Call 1
//! is `POST /web/webclient/version_info` (what `common.version()` answers, on a route every
//! release serves). Over XML-RPC (`--protocol xmlrpc`):
//!
//! | # | endpoint | call |
//! |---|---|---|
//! | 1 | `/web/webclient/version_info` | `common.version()`'s answer |
//! | 2 | `/xmlrpc/2/common` | `authenticate(db, login, secret, {})` |
//! | 3 | `/xmlrpc/2/object` | `ir.model` `search_read([], fields=[model, name, transient, modules, info], order="model")` |
//! | 4 | `/xmlrpc/2/object` | `ir.module.module` `search_read([["state","=","installed"]], fields=[name, summary, latest_version, author, license, category_id, application], order="name")` |
//! | 5 | `/xmlrpc/2/object` | `ir.module.module.dependency` `search_read([["module_id.state","=","installed"]], fields=[module_id, name], order="id")` |
//! | 6 | `/xmlrpc/2/object` | `ir.model.data` `search_read([["model","=","ir.model"]], fields=[module, res_id], order="id")`: the oldest record of each `ir.model` id names the addon that created the model |
//! | 7 | `/xmlrpc/2/object` | `ir.model.fields` `search_read(D, fields=[model, name, modules, ttype, store, readonly, required, relation, related, compute, depends, copied, index, on_delete], order="model, name")`, once for all models; `D` is `[]`, or `[["model","in",[...]]]` when filters are given |
//! | 8 | `/xmlrpc/2/object` | `<model>` `fields_get()` (no arguments: every field, every attribute), per model |
//! | 9 | `/jsonrpc` | the same `fields_get` over JSON-RPC, only when 8 faults with `cannot marshal` |
//! | 10 | `/xmlrpc/2/object` | `<model>` `default_get([every field from 8])`, per model |
//! | 11 | `/jsonrpc` | the same `default_get` over JSON-RPC, only when 10 faults with `cannot marshal` |
//! | 12 | `/xmlrpc/2/object` | `<model>` `get_views([[False, "form"]])`, per model: the form view's `<button type="object" name=...>` are the model's public methods (Odoo 17 lists them nowhere else) |
//!
//! On Odoo 19+ with an API key, call 12 is `GET /doc-bearer/<model>.json` instead (the
//! `api_doc` addon, the key as bearer token and the database in `X-Odoo-Database`), which lists
//! every public method with its signature, flags and docstring; when the server refuses it for
//! the first model (no `api_doc`, or a user outside `api_doc.group_allow_doc`) the dump says so
//! and reads the form views. Private names (a leading underscore) are never recorded.
//!
//! Over the web session (`--protocol web`, or `auto` with a password) call 2 is
//! `/web/session/authenticate` and calls 3–8, 10 and 12 are `/web/dataset/call_kw/<model>/<method>`
//! with the same arguments; over JSON-RPC (`--protocol jsonrpc`, or `auto` with an API key and
//! an Odoo before 19) they are the same `common`/`object` calls on `/jsonrpc`. Both carry
//! `null`: a `fields_get` or `default_get` answer holding one is what Odoo 17's XML-RPC
//! cannot marshal, so that call is made once more over XML-RPC and its fault recorded as
//! `*_xmlrpc_fault` (the schemas are then the same as an XML-RPC dump's). This is the fast
//! path: Odoo answers JSON with its C encoder where XML-RPC marshals in Python, and a web
//! session skips the RPC service's per-call authentication.
//!
//! Over JSON-2 (`--protocol json2`, or `auto` with an API key and Odoo 19+), call 1 is the
//! same, call 2 is `POST /json/2/res.users/context_get` (the uid) and `res.users/read` (the
//! login check), and calls 3–8 and 10 are `POST /json/2/<model>/<method>` with the same
//! arguments by name (`domain`, `fields`, `order`; `default_get`'s `fields`). JSON-2 carries
//! `null`, so 9 and 11 are never needed and no `*_xmlrpc_fault` is recorded.
//!
//! Calls 3–6 run together, then 7 alongside 8–11 for every model; `--concurrency` bounds the
//! requests in flight. Database ids (`ir.model` `id`, `ir.model.fields` `id`) are used to join
//! answers and are not kept.
//!
//! # Faults
//!
//! * `fields_get` faulting on a model: the model is reported and skipped (listed in the
//!   manifest's `skipped_models`), or the run fails with `--strict`. When the fault is
//!   XML-RPC failing to marshal the answer (`cannot marshal None`: Odoo 17 refuses to send a
//!   `None`; product.pricelist has one in a domain), the fields are read over JSON-RPC
//!   instead, which carries `null`, and the model records the XML-RPC fault in
//!   `fields_get_xmlrpc_fault`. `--no-jsonrpc-fallback` turns this off. This is how
//!   product.pricelist gets into `schemas/` with exactly what the server knows, `null`
//!   included.
//! * `default_get` faulting while XML-RPC marshals the answer (a `None` default, or an
//!   object XML-RPC cannot carry): read over JSON-RPC the same way, the `null`s kept as the
//!   fields' defaults, and the XML-RPC fault recorded in `default_get_xmlrpc_fault`
//!   (`--no-jsonrpc-fallback` turns this off too).
//! * `default_get` faulting otherwise (wizards that expect a UI context), or over JSON-RPC
//!   too: recorded as the model's `default_get_fault`; its fields have no server default.
//! * Anything else (a fault in calls 1–7, network errors, malformed answers): the run fails
//!   and the output directory is left as it was.
//!
//! # Writing
//!
//! Nothing is written until every answer is in; then [`openspp_schema::SchemaSet::save`] writes a
//! sibling directory and swaps it in, so an interrupted dump never leaves a half-written
//! `schemas/`, and files of models that no longer exist go away.

mod assemble;
mod credentials;
mod fetch;
pub mod filter;
mod methods;
mod progress;
mod rpc;
mod snapshot;

use anyhow::{Context, bail};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Command-line arguments of `cargo xtask dump` (boxed: they are many, and the other
/// subcommands' are few).
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    options: Box<DumpArgs>,
}

#[derive(Debug, clap::Args)]
struct DumpArgs {
    /// Server URL, e.g. http://localhost:8069.
    #[arg(long, env = "ODOO_URL")]
    url: String,
    #[command(flatten)]
    server: Server,
    #[command(flatten)]
    selection: SelectionArgs,
    /// Output directory; replaced as a whole when the dump completes. Required: the
    /// checked-in `schemas/` is replaced only when named (`--out schemas`, or `cargo xtask
    /// regen --url`), never by a dump of another server by default.
    #[arg(long, value_name = "DIR")]
    out: PathBuf,
}

/// How to log in to a live server and read it: the dump's options, which `cargo xtask diff`
/// takes too for a side that is a live server.
#[derive(Debug, clap::Args)]
pub struct Server {
    /// Database name (required to read a server).
    #[arg(long, env = "ODOO_DB")]
    db: Option<String>,
    /// Login of the user to dump as (its groups decide which fields are visible; required to
    /// read a server).
    #[arg(long, env = "ODOO_USER")]
    user: Option<String>,
    /// Name of the environment variable holding an API key [default: ODOO_API_KEY].
    #[arg(long, value_name = "VAR", conflicts_with = "password_env")]
    api_key_env: Option<String>,
    /// Name of the environment variable holding a password [default: ODOO_PASSWORD].
    #[arg(long, value_name = "VAR")]
    password_env: Option<String>,
    /// Requests in flight at most.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..))]
    concurrency: u16,
    /// Fail when a model's fields_get faults, instead of skipping the model.
    #[arg(long)]
    strict: bool,
    /// Do not retry fields_get and default_get over JSON-RPC when XML-RPC cannot marshal the
    /// answer.
    #[arg(long)]
    no_jsonrpc_fallback: bool,
    /// The protocol: `auto` opens a web session with a password (`--password-env` or
    /// ODOO_PASSWORD), speaks JSON-2 to Odoo 19+ with an API key (`--api-key-env` or
    /// ODOO_API_KEY) and JSON-RPC to older servers with one.
    #[arg(long, value_enum, default_value_t = ProtocolArg::Auto)]
    protocol: ProtocolArg,
}

/// Which models to read: `--models`, `--exclude`, `--addons`.
#[derive(Debug, clap::Args)]
pub struct SelectionArgs {
    /// Only models matching one of these globs (e.g. `res.*,g2p.*`).
    #[arg(long, value_name = "GLOB,...", value_delimiter = ',')]
    models: Vec<String>,
    /// Leave out models matching one of these globs.
    #[arg(long, value_name = "GLOB,...", value_delimiter = ',')]
    exclude: Vec<String>,
    /// Only models that belong to (were created by) one of these addons.
    #[arg(long, value_name = "ADDON,...", value_delimiter = ',')]
    addons: Vec<String>,
}

impl SelectionArgs {
    /// The selection these flags describe.
    pub fn selection(&self) -> anyhow::Result<filter::Selection> {
        filter::Selection::new(&self.models, &self.exclude, &self.addons)
    }

    /// The flags in words (`models `res.*` of addons `base``), or `None` when every model is
    /// kept.
    pub fn describe(&self) -> Option<String> {
        let list = |items: &[String]| {
            let items: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
            items.join(", ")
        };
        let mut parts = Vec::new();
        if !self.models.is_empty() {
            parts.push(format!("models {}", list(&self.models)));
        }
        if !self.exclude.is_empty() {
            parts.push(format!("excluding {}", list(&self.exclude)));
        }
        if !self.addons.is_empty() {
            parts.push(format!("of addons {}", list(&self.addons)));
        }
        (!parts.is_empty()).then(|| parts.join(" "))
    }
}

/// `--protocol`.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum ProtocolArg {
    /// Odoo-client's choice for the secret and server.
    Auto,
    /// `/xmlrpc/2` (with the `/jsonrpc` fallback).
    Xmlrpc,
    /// `/jsonrpc`.
    Jsonrpc,
    /// `/web/session/authenticate` and `/web/dataset/call_kw` (a password).
    Web,
    /// `/json/2` (Odoo 19+, an API key).
    Json2,
}

impl From<ProtocolArg> for openspp_client::Protocol {
    fn from(arg: ProtocolArg) -> Self {
        match arg {
            ProtocolArg::Auto => openspp_client::Protocol::Auto,
            ProtocolArg::Xmlrpc => openspp_client::Protocol::XmlRpc,
            ProtocolArg::Jsonrpc => openspp_client::Protocol::JsonRpc,
            ProtocolArg::Web => openspp_client::Protocol::Web,
            ProtocolArg::Json2 => openspp_client::Protocol::Json2,
        }
    }
}

/// Runs `cargo xtask dump`.
pub fn run(args: Args) -> anyhow::Result<()> {
    let args = *args.options;
    let selection = args.selection.selection()?;
    let started = Instant::now();
    let dumped = args.server.dump(&args.url, &selection)?;
    dumped
        .set
        .save(&args.out)
        .with_context(|| format!("cannot write {}", args.out.display()))?;
    let timing = Timing {
        asking: dumped.asking,
        total: started.elapsed(),
    };
    print!("{}", summary(&dumped.set, &dumped.notes, &args.out, timing));
    Ok(())
}

/// A dump held in memory, before (or instead of) being written.
#[derive(Debug)]
pub struct Dumped {
    /// The schemas.
    pub set: openspp_schema::SchemaSet,
    /// What the dump noticed on the way.
    pub notes: assemble::Notes,
    /// The time spent talking to the server.
    pub asking: Duration,
}

impl Server {
    /// Logs in to the server at `url` and reads every model `selection` keeps, into memory.
    pub fn dump(&self, url: &str, selection: &filter::Selection) -> anyhow::Result<Dumped> {
        let (Some(db), Some(user)) = (&self.db, &self.user) else {
            bail!("--db and --user (or ODOO_DB and ODOO_USER) are required to read a server");
        };
        let secret =
            credentials::resolve(self.api_key_env.as_deref(), self.password_env.as_deref())?;
        let options = fetch::Options {
            concurrency: usize::from(self.concurrency),
            strict: self.strict,
            jsonrpc_fallback: !self.no_jsonrpc_fallback,
        };
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .context("cannot start the async runtime")?;
        let started = Instant::now();
        let progress = progress::Progress::new();
        let snapshot = runtime.block_on(async {
            let (session, version) = rpc::connect(
                url,
                db,
                user,
                secret,
                self.protocol.into(),
                options.concurrency,
            )
            .await?;
            fetch::fetch(&session, version, selection, options, &progress).await
        });
        progress.finish();
        let asking = started.elapsed();
        let (set, notes) = assemble::assemble(snapshot?)?;
        Ok(Dumped { set, notes, asking })
    }
}

/// Where the run's time went.
#[derive(Debug, Clone, Copy)]
struct Timing {
    /// Talking to the server.
    asking: Duration,
    /// Everything, writing included.
    total: Duration,
}

/// What the run did, for stdout.
fn summary(
    set: &openspp_schema::SchemaSet,
    notes: &assemble::Notes,
    out: &std::path::Path,
    timing: Timing,
) -> String {
    let mut types: BTreeMap<&str, usize> = BTreeMap::new();
    for field in set.models.values().flat_map(|m| m.fields.values()) {
        *types.entry(field.field_type()).or_default() += 1;
    }
    let fields: usize = types.values().sum();
    let mut text = format!(
        "dumped {} models, {fields} fields to {} in {:.1}s (server {:.1}s, writing {:.1}s)\n",
        set.models.len(),
        out.display(),
        timing.total.as_secs_f64(),
        timing.asking.as_secs_f64(),
        (timing.total - timing.asking).as_secs_f64()
    );
    let list: Vec<String> = types.iter().map(|(t, n)| format!("{t} {n}")).collect();
    text += &format!("field types ({}): {}\n", types.len(), list.join(", "));
    for (model, fault) in &set.manifest.skipped_models {
        text += &format!("skipped {model}: fault {}: {}\n", fault.code, fault.message);
    }
    for model in set.models.values() {
        if let Some(fault) = &model.fields_get_xmlrpc_fault {
            text += &format!(
                "read over JSON-RPC: {} (XML-RPC fault {}: {})\n",
                model.model, fault.code, fault.message
            );
        }
        if let Some(fault) = &model.default_get_xmlrpc_fault {
            text += &format!(
                "defaults read over JSON-RPC: {} (XML-RPC fault {}: {})\n",
                model.model, fault.code, fault.message
            );
        }
    }
    let faulted = set
        .models
        .values()
        .filter(|m| m.default_get_fault.is_some())
        .count();
    if faulted > 0 {
        text += &format!("default_get faulted on {faulted} models (no server defaults recorded)\n");
    }
    for (model, names) in &notes.stray_defaults {
        text += &format!(
            "warning: default_get on {model} returned values for unknown fields: {}\n",
            names.join(", ")
        );
    }
    text
}
