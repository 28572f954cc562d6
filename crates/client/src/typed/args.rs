//! [`Args`]: the arguments of one model method, named as in its Python signature, so that
//! one call is encoded for either protocol.

use openspp_xmlrpc::Value;
use serde::Serialize;

/// A positional argument, with its Python name when the caller gave one.
pub(crate) type Named = (Option<String>, Value);

/// The arguments of one model method call, for [`Session::call`](crate::Session::call).
///
/// Every argument has its Python parameter name, because JSON-2 (Odoo 19+) only takes named
/// arguments. Over XML-RPC, `execute_kw` sends [`ids`](Args::ids) then the
/// [`arg`](Args::arg)s positionally, in order, and the [`kwarg`](Args::kwarg)s by name; over
/// JSON-2 all of them are members of the body (`ids` too). A `context` kwarg is merged into
/// the session's context (its keys win).
///
/// ```no_run
/// # async fn demo(odoo: openspp_client::Session) -> Result<(), openspp_client::Error> {
/// use openspp_client::{Args, Value};
/// // XML-RPC: execute_kw(…, "res.partner", "read", [[7, 9], ["name"]], {"load": None})
/// // JSON-2:  POST /json/2/res.partner/read {"ids": [7, 9], "fields": ["name"], "load": null}
/// let rows: Vec<Value> = odoo
///     .call(
///         "res.partner",
///         "read",
///         Args::new().ids([7, 9]).arg("fields", ["name"]).kwarg("load", ()),
///     )
///     .await?;
/// # Ok(()) }
/// ```
#[derive(Debug, Default)]
pub struct Args {
    ids: Option<Value>,
    positional: Vec<(String, Value)>,
    keyword: Vec<(String, Value)>,
    error: Option<openspp_xmlrpc::Error>,
}

impl Args {
    /// No arguments.
    pub fn new() -> Self {
        Self::default()
    }

    /// The records the method runs on (leave out for `@api.model` methods such as `search`
    /// or `create`). Usually a list of ids.
    pub fn ids(mut self, ids: impl Serialize) -> Self {
        self.ids = self.encode(&ids);
        self
    }

    /// An argument XML-RPC sends positionally (after the ids, in call order); named `name`
    /// over JSON-2.
    pub fn arg(mut self, name: &str, value: impl Serialize) -> Self {
        if let Some(value) = self.encode(&value) {
            self.positional.push((name.to_owned(), value));
        }
        self
    }

    /// A keyword argument (`kwargs` of `execute_kw`; a member of the body over JSON-2).
    pub fn kwarg(mut self, name: &str, value: impl Serialize) -> Self {
        if let Some(value) = self.encode(&value) {
            self.keyword.push((name.to_owned(), value));
        }
        self
    }

    /// Encodes now; the first failure is kept and reported by the call, before any I/O.
    fn encode(&mut self, value: &impl Serialize) -> Option<Value> {
        match openspp_xmlrpc::to_value(value) {
            Ok(value) => Some(value),
            Err(e) => {
                self.error.get_or_insert(e);
                None
            }
        }
    }

    /// The first encoding failure of an argument, if any.
    pub(crate) fn take_error(&mut self) -> Option<openspp_xmlrpc::Error> {
        self.error.take()
    }

    /// The ids, the positional arguments with their names, and the keyword arguments.
    pub(crate) fn into_parts(self) -> (Option<Value>, Vec<Named>, Vec<(String, Value)>) {
        let args = self
            .positional
            .into_iter()
            .map(|(name, value)| (Some(name), value))
            .collect();
        (self.ids, args, self.keyword)
    }
}
