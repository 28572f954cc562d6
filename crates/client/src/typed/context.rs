//! [`Context`]: Odoo's per-call context (language, timezone, companies, `active_test`, …).

use std::collections::BTreeMap;

use openspp_xmlrpc::Value;
use serde::{Serialize, Serializer};

/// The `context` kwarg Odoo passes to every ORM method. Set on a session (every call) and
/// per call; per-call keys win.
///
/// ```
/// use openspp_client::Context;
/// let ctx = Context::new().lang("fr_FR").tz("Europe/Brussels").active_test(false);
/// assert_eq!(ctx.get("lang").and_then(|v| v.as_str()), Some("fr_FR"));
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Context {
    entries: BTreeMap<String, Value>,
}

impl Context {
    /// An empty context.
    pub fn new() -> Self {
        Self::default()
    }
    /// Language of translated values, e.g. `"fr_FR"`.
    pub fn lang(self, lang: &str) -> Self {
        self.set("lang", Value::String(lang.to_owned()))
    }
    /// Timezone, e.g. `"Europe/Brussels"` (datetimes stay UTC on the wire).
    pub fn tz(self, tz: &str) -> Self {
        self.set("tz", Value::String(tz.to_owned()))
    }
    /// Companies the call may see (multi-company databases).
    pub fn allowed_company_ids(self, ids: impl IntoIterator<Item = i32>) -> Self {
        let ids = ids.into_iter().map(Value::Int).collect();
        self.set("allowed_company_ids", Value::Array(ids))
    }
    /// `false` to include archived records in searches.
    pub fn active_test(self, active_test: bool) -> Self {
        self.set("active_test", Value::Bool(active_test))
    }
    /// Any other key.
    pub fn set(mut self, key: &str, value: Value) -> Self {
        self.entries.insert(key.to_owned(), value);
        self
    }
    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.entries.get(key)
    }
    /// True when no key is set.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
    /// `self` with `over`'s keys added (they win).
    pub fn merged(&self, over: &Context) -> Context {
        let mut entries = self.entries.clone();
        entries.extend(over.entries.iter().map(|(k, v)| (k.clone(), v.clone())));
        Context { entries }
    }
    pub(crate) fn into_struct(self) -> openspp_xmlrpc::Struct {
        self.entries
    }
}

impl Serialize for Context {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.entries.serialize(serializer)
    }
}
