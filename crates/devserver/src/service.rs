//! The three XML-RPC services (`common`, `object`, `db`): authentication, argument binding
//! with Python's rules, access checks, and dispatch to the ORM methods.

use crate::auth::User;
use crate::fault::{OdooError, OdooResult};
use crate::orm::domain::{self, Domain};
use crate::orm::formatted_read_group::FormattedGroupBy;
use crate::orm::read_group::GroupBy;
use crate::orm::search::Window;
use crate::orm::write::Mode;
use crate::orm::{Env, formatted_read_group, ids_of, meta, read, read_group, search, write, xmlid};
use crate::registry::{Model, Registry};
use crate::store::Store;
use crate::values::{as_id, py_repr, py_type};
use crate::version::OdooVersion;
use openspp_xmlrpc::{Struct, Value};

/// Everything a call needs, shared by all connections.
#[derive(Debug)]
pub struct App {
    pub(crate) registry: Registry,
    pub(crate) store: Store,
    pub(crate) users: Vec<User>,
    pub(crate) database: String,
    pub(crate) version: Value,
    /// The release the server presents itself as.
    pub(crate) odoo_version: crate::version::OdooVersion,
    /// The web sessions open on it.
    pub(crate) sessions: crate::session::Sessions,
    /// What `create_date` and `write_date` are stamped with.
    pub(crate) clock: crate::clock::Clock,
    /// The business methods' handlers, and the calls received.
    pub(crate) methods: crate::methods::Methods,
    /// Logins refused where Odoo's `res.users._login` counts them toward its login cooldown
    /// (`base.login_cooldown_after`): `common.login`/`authenticate` and
    /// `/web/session/authenticate`. A bad bearer key or a per-call check is not a login.
    pub(crate) failed_logins: std::sync::atomic::AtomicUsize,
    /// The path every route is served under (`""`, or `/odoo` behind a reverse proxy).
    pub(crate) path_prefix: String,
    /// `create` answers the new recordset's `repr` and `unlink` answers `None`, as OpenSPP's
    /// overrides of them do ([`crate::Config::openspp_answers`]).
    pub(crate) openspp_answers: bool,
}

/// Who a user is, as the web client's session info shows it (read as superuser).
#[derive(Debug, Default)]
pub(crate) struct UserSummary {
    pub name: String,
    pub partner_id: Option<i64>,
    pub partner_name: String,
    pub company_id: Option<i64>,
    /// The user's companies (`company_ids`), with their names.
    pub companies: Vec<(i64, String)>,
}

/// Runs `work` off the async threads (SQLite blocks); a panic becomes a `RuntimeError`.
pub(crate) async fn blocking<T, E>(
    work: impl FnOnce() -> Result<T, E> + Send + 'static,
) -> Result<T, E>
where
    T: Send + 'static,
    E: From<OdooError> + Send + 'static,
{
    tokio::task::spawn_blocking(work)
        .await
        .unwrap_or_else(|panic| {
            Err(E::from(OdooError::python(
                "RuntimeError",
                format!("the call failed: {panic}"),
            )))
        })
}

pub(crate) use crate::context::split_context;

impl App {
    pub(crate) fn count_failed_login(&self) {
        self.failed_logins
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }

    /// Runs `method(params)` on `service` (`common`, `object` or `db`).
    /// `json` is set for JSON-RPC calls.
    pub fn dispatch(
        &self,
        service: &str,
        method: &str,
        params: Vec<Value>,
        json: bool,
    ) -> OdooResult<Value> {
        match service {
            "common" => self.common(method, params),
            "object" => self.object(method, params, json),
            "db" => self.db(method, params),
            other => Err(OdooError::python("KeyError", format!("'{other}'"))),
        }
    }

    fn check_db(&self, db: &Value) -> OdooResult<()> {
        match db {
            Value::String(name) if *name == self.database => Ok(()),
            other => {
                let name = match other {
                    Value::String(s) => s.clone(),
                    v => py_repr(v),
                };
                Err(OdooError::python(
                    "psycopg2.OperationalError",
                    format!(
                        "connection to server failed: FATAL:  database \"{name}\" does not exist"
                    ),
                ))
            }
        }
    }

    fn common(&self, method: &str, params: Vec<Value>) -> OdooResult<Value> {
        let call = Call::new(method, params, Struct::new());
        match method {
            "version" => Ok(self.version.clone()),
            "login" | "authenticate" => {
                let names: &[&str] = if method == "login" {
                    &["db", "login", "password"]
                } else {
                    &["db", "login", "password", "user_agent_env"]
                };
                let a = call.bind(names, names.len())?;
                self.check_db(a.get(0))?;
                let uid = match (a.get(1), a.get(2)) {
                    (Value::String(login), Value::String(password)) => self
                        .users
                        .iter()
                        .find(|u| u.login == *login && u.accepts(password))
                        .map(|u| u.uid),
                    _ => None,
                };
                if uid.is_none() {
                    self.count_failed_login();
                }
                Ok(uid.map_or(Value::Bool(false), crate::orm::read::int_value))
            }
            "about" => {
                let a = call.bind(&["extended"], 0)?;
                let text = Value::String("See http://openerp.com".into());
                Ok(if crate::values::is_falsy(a.get(0)) {
                    text
                } else {
                    let version = match &self.version {
                        Value::Struct(s) => s
                            .get("server_version")
                            .cloned()
                            .unwrap_or(Value::Bool(false)),
                        _ => Value::Bool(false),
                    };
                    Value::Array(vec![text, version])
                })
            }
            other => Err(OdooError::python(
                "Exception",
                format!("Method not found: {other}"),
            )),
        }
    }

    fn db(&self, method: &str, params: Vec<Value>) -> OdooResult<Value> {
        let call = Call::new(method, params, Struct::new());
        match method {
            "list" => Ok(Value::Array(vec![Value::String(self.database.clone())])),
            "db_exist" => {
                let a = call.bind(&["db_name"], 1)?;
                Ok(Value::Bool(
                    matches!(a.get(0), Value::String(s) if *s == self.database),
                ))
            }
            "server_version" => Ok(match &self.version {
                Value::Struct(s) => s.get("server_serie").cloned().unwrap_or(Value::Bool(false)),
                _ => Value::Bool(false),
            }),
            "list_lang" => Ok(Value::Array(vec![Value::Array(vec![
                Value::String("en_US".into()),
                Value::String("English (US)".into()),
            ])])),
            "create_database"
            | "duplicate_database"
            | "drop"
            | "dump"
            | "restore"
            | "rename"
            | "change_admin_password"
            | "migrate_databases"
            | "list_countries" => Err(OdooError::AccessDenied("Access Denied".into())),
            other => Err(OdooError::python(
                "KeyError",
                format!("'Method not found: {other}'"),
            )),
        }
    }

    /// The caller of an `object` call, checked as `model.py`'s `dispatch` does before it looks
    /// at the method: `db, uid, passwd = params[0], int(params[1]), params[2]` (so `2.0` and
    /// `"2"` are uid 2, `"admin"` is a `ValueError`), then `security.check` (database, then
    /// uid and password: `AccessDenied`).
    fn caller(&self, params: &[Value]) -> OdooResult<&User> {
        let out_of_range = || OdooError::python("IndexError", "tuple index out of range");
        let db = params.first().ok_or_else(out_of_range)?;
        let uid = crate::values::py_int(params.get(1).ok_or_else(out_of_range)?)?;
        let password = params.get(2).ok_or_else(out_of_range)?;
        self.check_db(db)?;
        self.users
            .iter()
            .find(|u| u.uid == uid)
            .filter(|u| matches!(password, Value::String(p) if u.accepts(p)))
            .ok_or_else(|| OdooError::AccessDenied("Access Denied".into()))
    }

    fn object(&self, method: &str, params: Vec<Value>, json: bool) -> OdooResult<Value> {
        let user = self.caller(&params)?;
        let (model, model_method, args, kwargs) = match method {
            "execute_kw" => {
                let call = Call::new("execute_kw", params, Struct::new());
                let mut a = call.bind(
                    &["db", "uid", "password", "model", "method", "args", "kw"],
                    6,
                )?;
                let args = match a.take(5) {
                    Value::Array(items) => items,
                    other => {
                        return Err(OdooError::type_error(format!(
                            "execute_kw() argument after * must be an iterable, not {}",
                            py_type(&other)
                        )));
                    }
                };
                let kwargs = match a.take(6) {
                    Value::Struct(s) => s,
                    Value::Bool(false) | Value::Nil => Struct::new(),
                    other => {
                        return Err(OdooError::type_error(format!(
                            "execute_kw() argument after ** must be a mapping, not {}",
                            py_type(&other)
                        )));
                    }
                };
                (a.take(3), a.take(4), args, kwargs)
            }
            "execute" => {
                if params.len() < 5 {
                    return Err(OdooError::type_error(format!(
                        "execute() missing {} required positional arguments",
                        5 - params.len()
                    )));
                }
                let mut params = params.into_iter().skip(3);
                let mut next = || params.next().unwrap_or(Value::Bool(false));
                let (model, model_method) = (next(), next());
                (model, model_method, params.collect(), Struct::new())
            }
            other => {
                return Err(OdooError::python(
                    "NameError",
                    format!("Method not available {other}"),
                ));
            }
        };
        let Value::String(model) = model else {
            return Err(OdooError::type_error(format!(
                "model name must be a string, not {}",
                py_type(&model)
            )));
        };
        let Value::String(model_method) = model_method else {
            return Err(OdooError::type_error("method name must be a string"));
        };
        if model_method.starts_with('_') {
            return Err(OdooError::Access(format!(
                "Private methods (such as {model_method}) cannot be called remotely."
            )));
        }
        let (context, kwargs) = split_context(kwargs)?;
        let call = Call::new(&model_method, args, kwargs);
        self.call_method(user, &model, context, call, json)
    }

    /// Runs `work` as the superuser (uid 1) in one transaction: what Odoo does with `sudo()`.
    pub(crate) fn sudo<T>(&self, work: impl FnOnce(&Env<'_>) -> OdooResult<T>) -> OdooResult<T> {
        let now = self.clock.now_text();
        self.store.transaction(|tx| {
            let env = Env {
                tx,
                registry: &self.registry,
                uid: 1,
                context: Struct::new(),
                now,
                json: true,
                version: self.odoo_version,
            };
            work(&env)
        })
    }

    /// The user's name, partner and companies, read from `res.users` as superuser (fields the
    /// schemas lack read as empty).
    pub(crate) fn user_summary(&self, user: &User) -> OdooResult<UserSummary> {
        self.sudo(|env| {
            let mut summary = UserSummary {
                name: user.login.clone(),
                ..UserSummary::default()
            };
            let Some(users) = env.registry.model("res.users") else {
                return Ok(summary);
            };
            summary.partner_id = many2one_of(env, users, user.uid, "partner_id")?;
            summary.company_id = many2one_of(env, users, user.uid, "company_id")?;
            if let (Some(partner), Some(partners)) =
                (summary.partner_id, env.registry.model("res.partner"))
            {
                let names = read::display_names(env, partners, &[partner])?;
                summary.partner_name = names.get(&partner).cloned().unwrap_or_default();
                summary.name = summary.partner_name.clone();
            }
            let companies = match users.field("company_ids") {
                Some(field) => read::x2many_ids(env, field, &[user.uid])?
                    .remove(&user.uid)
                    .unwrap_or_default(),
                None => summary.company_id.into_iter().collect(),
            };
            if let Some(company_model) = env.registry.model("res.company") {
                let names = read::display_names(env, company_model, &companies)?;
                summary.companies = companies
                    .into_iter()
                    .map(|id| (id, names.get(&id).cloned().unwrap_or_default()))
                    .collect();
            }
            Ok(summary)
        })
    }

    /// Runs `call` on `model` as `user` in one transaction, committed only when it succeeds:
    /// what `execute_kw` and JSON-2 share once they have authenticated and split their
    /// arguments. `json` is set when the answer travels as JSON (which carries `null`).
    pub(crate) fn call_method(
        &self,
        user: &User,
        model: &str,
        context: Struct,
        call: Call,
        json: bool,
    ) -> OdooResult<Value> {
        let now = self.clock.now_text();
        let (method, model_name) = (call.method.clone(), model);
        let answer = self.store.transaction(|tx| {
            let env = Env {
                tx,
                registry: &self.registry,
                uid: user.uid,
                context,
                now,
                json,
                version: self.odoo_version,
            };
            let model = env.model(model)?;
            if touches_records(&call.method) {
                crate::context::check_allowed_companies(&env)?;
            }
            crate::methods::run(self, &env, user, model, call)
        })?;
        // OpenSPP's overrides return what their `super()` call gave them, or nothing: the
        // transaction has committed when the answer cannot be marshalled
        Ok(match (self.openspp_answers, method.as_str()) {
            (true, "unlink") => Value::Nil,
            (true, "create") if json => recordset_repr(model_name, &answer),
            (true, "create") => {
                return Err(OdooError::type_error(format!(
                    "cannot marshal <class 'odoo.api.{model_name}'> objects"
                )));
            }
            _ => answer,
        })
    }
}

/// A recordset as Python's `repr` writes it (`g2p.program(4,)`, `res.partner(4, 5)`), from
/// `create`'s answer of an id or ids.
fn recordset_repr(model: &str, created: &Value) -> Value {
    let ids: Vec<String> = match created {
        Value::Array(items) => items
            .iter()
            .filter_map(as_id)
            .map(|id| id.to_string())
            .collect(),
        single => as_id(single).map(|id| id.to_string()).into_iter().collect(),
    };
    let inside = match ids.as_slice() {
        [one] => format!("{one},"),
        _ => ids.join(", "),
    };
    Value::String(format!("{model}({inside})"))
}

/// Whether a method reads or writes records, so that Odoo's record rules and company
/// defaults evaluate `env.companies` (metadata calls do not).
fn touches_records(method: &str) -> bool {
    !matches!(
        method,
        "fields_get"
            | "default_get"
            | "check_access_rights"
            | "context_get"
            | "check_object_reference"
            | "exists"
    )
}

/// The target of a many2one of one record, straight from its column.
fn many2one_of(env: &Env<'_>, model: &Model, id: i64, field: &str) -> OdooResult<Option<i64>> {
    if !model.field(field).is_some_and(|f| f.has_column()) {
        return Ok(None);
    }
    let sql = format!(
        "SELECT {} FROM {} WHERE id = ?",
        crate::registry::quote(field),
        crate::registry::quote(&model.table)
    );
    match env
        .tx
        .query_row(&sql, [id], |row| row.get::<_, Option<i64>>(0))
    {
        Ok(target) => Ok(target),
        Err(rusqlite::Error::QueryReturnedNoRows) => Ok(None),
        Err(error) => Err(crate::store::sql_error(error)),
    }
}

/// A method call's positional and keyword arguments.
#[derive(Debug)]
pub(crate) struct Call {
    method: String,
    args: Vec<Value>,
    kwargs: Struct,
}

/// Arguments bound to parameter names.
#[derive(Debug)]
struct Bound(Vec<Option<Value>>);

static FALSE: Value = Value::Bool(false);

impl Bound {
    /// The argument, or `false` (Python's `None` stand-in) when not given.
    fn get(&self, i: usize) -> &Value {
        self.opt(i).unwrap_or(&FALSE)
    }

    /// The argument when given and not nil.
    fn opt(&self, i: usize) -> Option<&Value> {
        self.0
            .get(i)
            .and_then(Option::as_ref)
            .filter(|v| !matches!(v, Value::Nil))
    }

    fn take(&mut self, i: usize) -> Value {
        self.0
            .get_mut(i)
            .and_then(Option::take)
            .unwrap_or(Value::Bool(false))
    }
}

impl Call {
    pub(crate) fn new(method: &str, args: Vec<Value>, kwargs: Struct) -> Self {
        Call {
            method: method.to_owned(),
            args,
            kwargs,
        }
    }

    /// The method's name.
    pub(crate) fn method(&self) -> &str {
        &self.method
    }

    /// The name, the positional and the keyword arguments.
    pub(crate) fn into_parts(self) -> (String, Vec<Value>, Struct) {
        (self.method, self.args, self.kwargs)
    }

    /// Binds arguments like Python: positionals first, then keywords; the first `required`
    /// names must be given.
    fn bind(self, names: &[&str], required: usize) -> OdooResult<Bound> {
        let m = &self.method;
        if self.args.len() > names.len() {
            return Err(OdooError::type_error(format!(
                "{m}() takes {} positional arguments but {} were given",
                names.len(),
                self.args.len()
            )));
        }
        let mut slots: Vec<Option<Value>> = vec![None; names.len()];
        for (i, arg) in self.args.into_iter().enumerate() {
            slots[i] = Some(arg);
        }
        for (key, value) in self.kwargs {
            let i = names.iter().position(|n| *n == key).ok_or_else(|| {
                OdooError::type_error(format!("{m}() got an unexpected keyword argument '{key}'"))
            })?;
            if slots[i].is_some() {
                return Err(OdooError::type_error(format!(
                    "{m}() got multiple values for argument '{key}'"
                )));
            }
            slots[i] = Some(value);
        }
        if let Some(i) = (0..required).find(|i| slots[*i].is_none()) {
            return Err(OdooError::type_error(format!(
                "{m}() missing 1 required positional argument: '{}'",
                names[i]
            )));
        }
        Ok(Bound(slots))
    }
}

/// An optional integer argument (`None`/`False` mean "not given").
fn opt_int(value: Option<&Value>, what: &str) -> OdooResult<Option<i64>> {
    match value {
        None | Some(Value::Bool(false)) => Ok(None),
        Some(v) => as_id(v).map(Some).ok_or_else(|| {
            OdooError::type_error(format!("{what} must be an integer, not {}", py_repr(v)))
        }),
    }
}

fn opt_text(value: Option<&Value>, what: &str) -> OdooResult<Option<String>> {
    match value {
        None | Some(Value::Bool(false)) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(v) => Err(OdooError::type_error(format!(
            "{what} must be a string, not {}",
            py_repr(v)
        ))),
    }
}

fn field_list(value: Option<&Value>) -> OdooResult<Option<Vec<String>>> {
    match value {
        None | Some(Value::Bool(false)) => Ok(None),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| match v {
                Value::String(s) => Ok(s.clone()),
                other => Err(OdooError::type_error(format!(
                    "field names must be strings, not {}",
                    py_repr(other)
                ))),
            })
            .collect::<OdooResult<Vec<_>>>()
            .map(Some),
        Some(Value::String(s)) => Ok(Some(vec![s.clone()])),
        Some(other) => Err(OdooError::type_error(format!(
            "fields must be a list, not {}",
            py_repr(other)
        ))),
    }
}

/// `load='_classic_read'` (many2one as pairs) unless `load` is given as something else.
fn classic(value: Option<&Value>) -> bool {
    match value {
        None => true,
        Some(Value::String(s)) => s == "_classic_read",
        Some(_) => false,
    }
}

fn window(a: &Bound, offset: usize, limit: usize, order: usize) -> OdooResult<Window> {
    Ok(Window {
        offset: opt_int(a.opt(offset), "offset")?.unwrap_or(0),
        limit: opt_int(a.opt(limit), "limit")?.filter(|l| *l > 0),
        order: opt_text(a.opt(order), "order")?,
    })
}

fn check_access(user: &User, operation: &str, model: &Model) -> OdooResult<()> {
    if user.may(operation, &model.name) {
        return Ok(());
    }
    let verb = match operation {
        "read" => "access",
        "write" => "modify",
        "create" => "create",
        _ => "delete",
    };
    Err(OdooError::Access(format!(
        "You are not allowed to {verb} '{}' ({}) records.\n\nThis operation is allowed for the following groups:\n\t- Administration/Settings\n\nContact your administrator to request access if necessary.",
        model.label, model.name
    )))
}

/// The record ids of a method on records (`ids, args = args[0], args[1:]`).
fn split_ids(mut call: Call) -> OdooResult<(Vec<i64>, Call)> {
    if call.args.is_empty() {
        return Err(OdooError::python("IndexError", "tuple index out of range"));
    }
    let ids = ids_of(&call.args.remove(0))?;
    Ok((ids, call))
}

/// How an ORM method takes its arguments, as Odoo declares it: the one method table that
/// XML-RPC's positional calls and JSON-2's named ones are both bound against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Signature {
    /// `@api.model`: called on the model, without record ids.
    pub model: bool,
    /// The parameters after `self`, in order.
    pub params: &'static [&'static str],
    /// How many leading parameters have no default.
    pub required: usize,
    /// Returns records (JSON-2 answers their ids where XML-RPC's `create` of one dict
    /// answers the id).
    pub returns_records: bool,
    /// Takes `**kwargs` and hands them to this function, which names what it does not take
    /// (`search_read`'s `**read_kwargs` go to `_read_format(fnames, load)`).
    pub var_kwargs: Option<&'static str>,
}

impl Signature {
    const fn model(params: &'static [&'static str], required: usize) -> Self {
        Signature {
            model: true,
            params,
            required,
            returns_records: false,
            var_kwargs: None,
        }
    }

    const fn records(params: &'static [&'static str], required: usize) -> Self {
        Signature {
            model: false,
            params,
            required,
            returns_records: false,
            var_kwargs: None,
        }
    }

    const fn passing_kwargs_to(self, function: &'static str) -> Self {
        Signature {
            var_kwargs: Some(function),
            ..self
        }
    }

    const fn returning_records(self) -> Self {
        Signature {
            returns_records: true,
            ..self
        }
    }
}

/// The methods of [`signature`]'s table, for listings (Odoo 19's `/doc-bearer`).
pub(crate) const METHODS: &[&str] = &[
    "action_archive",
    "action_unarchive",
    "check_access_rights",
    "check_object_reference",
    "context_get",
    "copy",
    "create",
    "default_get",
    "exists",
    "fields_get",
    "formatted_read_group",
    "get_views",
    "name_create",
    "name_search",
    "read",
    "read_group",
    "search",
    "search_count",
    "search_read",
    "unlink",
    "write",
];

/// The signature of a method the server answers on `model`, as `version` declares it
/// (`odoo/models.py`, and `res.users.context_get` in `odoo/addons/base/models/res_users.py`):
/// `name_search` names its domain `args` before 18.3 and `domain` from 18.3 on; `default_get`
/// names its list `fields_list` before 19.0 and `fields` from 19.0 on.
pub(crate) fn signature(model: &str, method: &str, version: OdooVersion) -> Option<Signature> {
    let name_search: &'static [&'static str] = if version >= OdooVersion::new(18, 3) {
        &["name", "domain", "operator", "limit"]
    } else {
        &["name", "args", "operator", "limit"]
    };
    let default_get: &'static [&'static str] = if version >= OdooVersion::V19 {
        &["fields"]
    } else {
        &["fields_list"]
    };
    Some(match method {
        "search" => {
            Signature::model(&["domain", "offset", "limit", "order"], 1).returning_records()
        }
        "search_count" => Signature::model(&["domain", "limit"], 1),
        "search_read" => {
            Signature::model(&["domain", "fields", "offset", "limit", "order", "load"], 0)
                .passing_kwargs_to("BaseModel._read_format")
        }
        "read" => Signature::records(&["fields", "load"], 0),
        "exists" => Signature::records(&[], 0).returning_records(),
        "create" => Signature::model(&["vals_list"], 1).returning_records(),
        "write" => Signature::records(&["vals"], 1),
        "unlink" => Signature::records(&[], 0),
        "name_search" => Signature::model(name_search, 0),
        "fields_get" => Signature::model(&["allfields", "attributes"], 0),
        "default_get" => Signature::model(default_get, 1),
        "check_access_rights" => Signature::model(&["operation", "raise_exception"], 1),
        "read_group" => Signature::model(
            &[
                "domain", "fields", "groupby", "offset", "limit", "orderby", "lazy",
            ],
            3,
        ),
        // addons/web/models/models.py, from 19.0
        "formatted_read_group" if version >= OdooVersion::V19 => Signature::model(
            &[
                "domain",
                "groupby",
                "aggregates",
                "having",
                "offset",
                "limit",
                "order",
            ],
            1,
        ),
        "context_get" if model == "res.users" => Signature::model(&[], 0),
        "check_object_reference" if model == "ir.model.data" => {
            Signature::model(&["module", "xml_id", "raise_on_access_error"], 2)
        }
        "load" => Signature::model(&["fields", "data"], 2),
        "export_data" => Signature::records(&["fields_to_export"], 1),
        "name_create" => Signature::model(&["name"], 1),
        "copy" => Signature::records(&["default"], 0),
        "action_archive" | "action_unarchive" => Signature::records(&[], 0),
        "get_views" => Signature::model(&["views", "options"], 1),
        _ => return None,
    })
}

/// Runs `call` on `model`, its arguments bound to the method's [`signature`].
pub(crate) fn execute(
    env: &Env<'_>,
    user: &User,
    model: &Model,
    version: OdooVersion,
    call: Call,
) -> OdooResult<Value> {
    let method = call.method.clone();
    let Some(signature) = signature(&model.name, &method, version) else {
        return Err(no_such_method(&method, model));
    };
    let (ids, call) = if signature.model {
        (Vec::new(), call)
    } else {
        split_ids(call)?
    };
    if let Some(function) = signature.var_kwargs {
        if let Some(extra) = call
            .kwargs
            .keys()
            .find(|k| !signature.params.contains(&k.as_str()))
        {
            return Err(OdooError::type_error(format!(
                "{function}() got an unexpected keyword argument '{extra}'"
            )));
        }
    }
    let a = call.bind(signature.params, signature.required)?;
    let ids_value = |ids: Vec<i64>| Value::Array(ids.into_iter().map(read::int_value).collect());
    match method.as_str() {
        "search" => {
            check_access(user, "read", model)?;
            let d = domain::parse(a.get(0))?;
            Ok(ids_value(search::search(
                env,
                model,
                &d,
                &window(&a, 1, 2, 3)?,
            )?))
        }
        "search_count" => {
            check_access(user, "read", model)?;
            let d = domain::parse(a.get(0))?;
            let n = search::count(env, model, &d, opt_int(a.opt(1), "limit")?)?;
            Ok(read::int_value(n))
        }
        "search_read" => {
            check_access(user, "read", model)?;
            let d = domain::parse(a.get(0))?;
            let names = field_list(a.opt(1))?;
            let fields = read::field_names(model, names.as_deref())?;
            let ids = search::search(env, model, &d, &window(&a, 2, 3, 4)?)?;
            Ok(Value::Array(read::read(
                env,
                model,
                &ids,
                &fields,
                classic(a.opt(5)),
            )?))
        }
        "read" => {
            let names = field_list(a.opt(0))?;
            if !reads_own_user(user, model, version, &ids, names.as_deref()) {
                check_access(user, "read", model)?;
            }
            let fields = read::field_names(model, names.as_deref())?;
            Ok(Value::Array(read::read(
                env,
                model,
                &ids,
                &fields,
                classic(a.opt(1)),
            )?))
        }
        "exists" => {
            check_access(user, "read", model)?;
            Ok(ids_value(env.existing(model, &ids)?))
        }
        "create" => {
            check_access(user, "create", model)?;
            match a.get(0) {
                Value::Struct(vals) => {
                    crate::orm::xmlid::check_create(env, model, vals)?;
                    Ok(read::int_value(write::create(env, model, vals, Mode::Rpc)?))
                }
                Value::Array(list) => {
                    let mut ids = Vec::with_capacity(list.len());
                    for vals in list {
                        let Value::Struct(vals) = vals else {
                            return Err(OdooError::type_error(format!(
                                "create() expects dicts, got {}",
                                py_repr(vals)
                            )));
                        };
                        crate::orm::xmlid::check_create(env, model, vals)?;
                        ids.push(write::create(env, model, vals, Mode::Rpc)?);
                    }
                    Ok(ids_value(ids))
                }
                other => Err(OdooError::type_error(format!(
                    "create() expects a dict or a list of dicts, got {}",
                    py_repr(other)
                ))),
            }
        }
        "write" => {
            check_access(user, "write", model)?;
            let Value::Struct(vals) = a.get(0) else {
                return Err(OdooError::type_error(format!(
                    "write() expects a dict, got {}",
                    py_repr(a.get(0))
                )));
            };
            write::write(env, model, &ids, vals)?;
            Ok(Value::Bool(true))
        }
        "unlink" => {
            check_access(user, "unlink", model)?;
            write::unlink(env, model, &ids)?;
            Ok(Value::Bool(true))
        }
        "name_search" => {
            check_access(user, "read", model)?;
            let name = opt_text(a.opt(0), "name")?.unwrap_or_default();
            let operator = opt_text(a.opt(2), "operator")?.unwrap_or_else(|| "ilike".to_owned());
            // `limit=100` by default; 0 (or None) is no limit, as `Query` writes `LIMIT`
            // only when the limit is truthy (Odoo 17 and 19.0)
            let limit = match a.opt(3) {
                None => Some(100),
                v => opt_int(v, "limit")?.filter(|l| *l > 0),
            };
            let mut d = domain::parse(a.get(1))?;
            if !name.is_empty()
                || !matches!(operator.as_str(), "ilike" | "like" | "=like" | "=ilike")
            {
                let leaf = Value::Array(vec![
                    Value::String("display_name".into()),
                    Value::String(operator),
                    Value::String(name),
                ]);
                d = Domain::And(vec![d, domain::parse(&Value::Array(vec![leaf]))?]);
            }
            let order = model.rec_name.clone();
            let ids = search::search(
                env,
                model,
                &d,
                &Window {
                    offset: 0,
                    limit,
                    order,
                },
            )?;
            let names = read::display_names(env, model, &ids)?;
            Ok(Value::Array(
                ids.into_iter()
                    .map(|id| {
                        Value::Array(vec![
                            read::int_value(id),
                            Value::String(names.get(&id).cloned().unwrap_or_default()),
                        ])
                    })
                    .collect(),
            ))
        }
        "fields_get" => meta::fields_get(env, model, a.opt(0), a.opt(1)),
        "default_get" => meta::default_get(env, model, a.opt(0)),
        "check_access_rights" => {
            let operation = opt_text(a.opt(0), "operation")?.unwrap_or_default();
            if !matches!(operation.as_str(), "read" | "write" | "create" | "unlink") {
                return Err(OdooError::value(format!(
                    "Invalid access mode: {operation}"
                )));
            }
            let raise = a.opt(1).is_none_or(|v| !crate::values::is_falsy(v));
            match check_access(user, &operation, model) {
                Ok(()) => Ok(Value::Bool(true)),
                Err(_) if !raise => Ok(Value::Bool(false)),
                Err(e) => Err(e),
            }
        }
        "check_object_reference" => {
            let module = opt_text(a.opt(0), "module")?.unwrap_or_default();
            let name = opt_text(a.opt(1), "xml_id")?.unwrap_or_default();
            let (target, _) = xmlid::lookup(env, &format!("{module}.{name}"))?;
            check_access(user, "read", env.model(&target)?)?;
            let raise = a.opt(2).is_some_and(|v| !crate::values::is_falsy(v));
            xmlid::check_object_reference(env, &module, &name, raise)
        }
        "context_get" => {
            // res.users.context_get: the user's lang and tz, and the uid
            let mut context = Struct::new();
            context.insert("lang".into(), Value::String("en_US".into()));
            context.insert("tz".into(), Value::Bool(false));
            context.insert("uid".into(), read::int_value(user.uid));
            Ok(Value::Struct(context))
        }
        "load" => {
            check_access(user, "create", model)?;
            crate::orm::load::load(env, model, a.get(0), a.get(1))
        }
        "name_create" => {
            check_access(user, "create", model)?;
            // `_rec_name`: `name` when the model has it, else the field the display name
            // comes from; none: "Cannot execute name_create, no _rec_name defined"
            let rec_name = ["name"]
                .into_iter()
                .chain(model.rec_name.as_deref())
                .find(|f| model.field(f).is_some_and(|f| f.stored));
            let Some(rec_name) = rec_name else {
                return Ok(Value::Bool(false));
            };
            let mut vals = Struct::new();
            vals.insert(rec_name.to_owned(), a.get(0).clone());
            let id = write::create(env, model, &vals, Mode::Rpc)?;
            let names = read::display_names(env, model, &[id])?;
            Ok(Value::Array(vec![
                read::int_value(id),
                Value::String(names.get(&id).cloned().unwrap_or_default()),
            ]))
        }
        "copy" => {
            check_access(user, "create", model)?;
            crate::orm::copy::copy(env, model, &ids, a.opt(0))
        }
        "action_archive" | "action_unarchive" => {
            check_access(user, "write", model)?;
            crate::orm::copy::set_active(env, model, &ids, method == "action_unarchive")?;
            Ok(Value::Nil)
        }
        "get_views" => crate::methods::get_views(model, a.get(0)),
        "export_data" => {
            check_access(user, "read", model)?;
            crate::orm::export::export_data(env, model, &ids, a.get(0))
        }
        "read_group" => {
            check_access(user, "read", model)?;
            let args = GroupBy {
                domain_value: a.get(0),
                domain: domain::parse(a.get(0))?,
                fields: field_list(a.opt(1))?.unwrap_or_default(),
                groupby: field_list(a.opt(2))?.unwrap_or_default(),
                offset: opt_int(a.opt(3), "offset")?.unwrap_or(0),
                limit: opt_int(a.opt(4), "limit")?.filter(|l| *l > 0),
                orderby: opt_text(a.opt(5), "orderby")?,
                lazy: a.opt(6).is_none_or(|v| !crate::values::is_falsy(v)),
            };
            read_group::read_group(env, model, &args)
        }
        "formatted_read_group" => {
            check_access(user, "read", model)?;
            let args = FormattedGroupBy {
                domain: domain::parse(a.get(0))?,
                groupby: field_list(a.opt(1))?.unwrap_or_default(),
                aggregates: field_list(a.opt(2))?.unwrap_or_default(),
                having: a.opt(3),
                offset: opt_int(a.opt(4), "offset")?.unwrap_or(0),
                limit: opt_int(a.opt(5), "limit")?.filter(|l| *l > 0),
                order: opt_text(a.opt(6), "order")?,
            };
            formatted_read_group::formatted_read_group(env, model, &args)
        }
        _ => Err(no_such_method(&method, model)),
    }
}

/// The fields any user may read on their own `res.users` record, which `read` then reads as
/// superuser (`ResUsers.SELF_READABLE_FIELDS` in `odoo/addons/base/models/res_users.py`, with
/// the API-key extension's `api_key_ids`): those of both 17 and 19.
const SELF_READABLE_FIELDS: &[&str] = &[
    "signature",
    "company_id",
    "login",
    "email",
    "name",
    "image_1920",
    "image_1024",
    "image_512",
    "image_256",
    "image_128",
    "lang",
    "tz",
    "tz_offset",
    "partner_id",
    "write_date",
    "action_id",
    "avatar_1920",
    "avatar_1024",
    "avatar_512",
    "avatar_256",
    "avatar_128",
    "share",
    "api_key_ids",
];

/// 17's others.
const SELF_READABLE_FIELDS_17: &[&str] = &["groups_id"];

/// 19's others: `groups_id` became `group_ids`; devices, phone and display name came in.
const SELF_READABLE_FIELDS_19: &[&str] = &["group_ids", "device_ids", "phone", "display_name"];

/// Whether `read` is a user reading safe fields of their own `res.users` record, which
/// Odoo allows whatever the user's groups (how a JSON-2 client learns its login).
fn reads_own_user(
    user: &User,
    model: &Model,
    version: OdooVersion,
    ids: &[i64],
    fields: Option<&[String]>,
) -> bool {
    let release = if version >= OdooVersion::V19 {
        SELF_READABLE_FIELDS_19
    } else {
        SELF_READABLE_FIELDS_17
    };
    let readable = |name: &str| {
        SELF_READABLE_FIELDS.contains(&name)
            || release.contains(&name)
            || name.starts_with("context_")
    };
    model.name == "res.users"
        && ids == [user.uid]
        && fields.is_some_and(|names| !names.is_empty() && names.iter().all(|n| readable(n)))
}

/// Odoo 17's `api.call_kw` on a method the model does not have.
fn no_such_method(method: &str, model: &Model) -> OdooError {
    OdooError::python(
        "AttributeError",
        format!(
            "The method '{method}' does not exist on the model '{}'",
            model.name
        ),
    )
}
