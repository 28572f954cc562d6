//! Domains: parsing Odoo's prefix-notation lists, and translating them into SQL the way the
//! ORM's `expression.py` does (NULL handling, `%` wrapping of `like`, name search on relations,
//! paths through relations as `any`, `child_of`/`parent_of` over the `parent_id` hierarchy).

use crate::fault::{OdooError, OdooResult};
use crate::registry::{Field, Kind, Model, Registry, quote};
use crate::values::{as_id, leaf_repr, py_repr};
use openspp_xmlrpc::Value;
use rusqlite::types::Value as Sql;

/// A parsed domain.
#[derive(Debug, Clone, PartialEq)]
pub enum Domain {
    /// Matches every record (the empty domain, `(1, '=', 1)`).
    True,
    /// Matches nothing (`(0, '=', 1)`).
    False,
    /// All of them.
    And(Vec<Domain>),
    /// Any of them.
    Or(Vec<Domain>),
    /// Not this one.
    Not(Box<Domain>),
    /// A condition on a field.
    Leaf(Leaf),
}

/// One `(path, operator, value)` condition.
#[derive(Debug, Clone, PartialEq)]
pub struct Leaf {
    /// Field name, or a dotted path through relations.
    pub path: String,
    /// Normalised (lowercase) operator.
    pub op: Op,
    /// Right-hand side.
    pub value: Value,
    /// The leaf as sent, for error messages.
    pub raw: Vec<Value>,
}

/// A domain operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    EqOrTrue,
    EqLike,
    EqIlike,
    Like,
    NotLike,
    Ilike,
    NotIlike,
    In,
    NotIn,
    ChildOf,
    ParentOf,
    Any,
    NotAny,
}

impl Op {
    fn parse(op: &str) -> Option<Op> {
        Some(match op.to_lowercase().as_str() {
            "=" | "==" => Op::Eq,
            "!=" | "<>" => Op::Ne,
            "<" => Op::Lt,
            "<=" => Op::Le,
            ">" => Op::Gt,
            ">=" => Op::Ge,
            "=?" => Op::EqOrTrue,
            "=like" => Op::EqLike,
            "=ilike" => Op::EqIlike,
            "like" => Op::Like,
            "not like" => Op::NotLike,
            "ilike" => Op::Ilike,
            "not ilike" => Op::NotIlike,
            "in" => Op::In,
            "not in" => Op::NotIn,
            "child_of" => Op::ChildOf,
            "parent_of" => Op::ParentOf,
            "any" => Op::Any,
            "not any" => Op::NotAny,
            _ => return None,
        })
    }

    /// The operator that matches exactly the records this one does not, for the operators
    /// whose negative form Odoo evaluates as "not the positive one".
    fn positive(self) -> Option<Op> {
        Some(match self {
            Op::Ne => Op::Eq,
            Op::NotLike => Op::Like,
            Op::NotIlike => Op::Ilike,
            Op::NotIn => Op::In,
            Op::NotAny => Op::Any,
            _ => return None,
        })
    }
}

/// Parses a domain sent over the wire.
pub fn parse(domain: &Value) -> OdooResult<Domain> {
    let items = match domain {
        Value::Array(items) => items,
        Value::Bool(false) | Value::Nil => return Ok(Domain::True),
        other => {
            return Err(OdooError::value(format!(
                "Invalid domain {}: a domain is a list",
                py_repr(other)
            )));
        }
    };
    let syntax = || {
        OdooError::value(format!(
            "Domain {} is syntactically not correct.",
            py_repr(domain)
        ))
    };
    let mut stack: Vec<Domain> = Vec::new();
    for item in items.iter().rev() {
        match item {
            Value::String(op) if op == "&" || op == "|" => {
                let (a, b) = (
                    stack.pop().ok_or_else(syntax)?,
                    stack.pop().ok_or_else(syntax)?,
                );
                stack.push(if op == "&" {
                    Domain::And(vec![a, b])
                } else {
                    Domain::Or(vec![a, b])
                });
            }
            Value::String(op) if op == "!" => {
                let a = stack.pop().ok_or_else(syntax)?;
                stack.push(Domain::Not(Box::new(a)));
            }
            Value::Array(leaf) => stack.push(parse_leaf(leaf)?),
            _ => return Err(syntax()),
        }
    }
    stack.reverse();
    Ok(match stack.len() {
        0 => Domain::True,
        1 => stack.pop().unwrap_or(Domain::True),
        _ => Domain::And(stack),
    })
}

fn parse_leaf(leaf: &[Value]) -> OdooResult<Domain> {
    let invalid = || OdooError::value(format!("Invalid leaf {}", leaf_repr(leaf)));
    let [left, op, value] = leaf else {
        return Err(invalid());
    };
    let Value::String(op_text) = op else {
        return Err(invalid());
    };
    let op = Op::parse(op_text).ok_or_else(invalid)?;
    match left {
        Value::String(path) if !path.is_empty() => Ok(Domain::Leaf(Leaf {
            path: path.clone(),
            op,
            value: value.clone(),
            raw: leaf.to_vec(),
        })),
        // TRUE_LEAF (1, '=', 1) and FALSE_LEAF (0, '=', 1)
        Value::Int(1) if op == Op::Eq && value == &Value::Int(1) => Ok(Domain::True),
        Value::Int(0) if op == Op::Eq && value == &Value::Int(1) => Ok(Domain::False),
        _ => Err(invalid()),
    }
}

impl Domain {
    /// Whether a leaf anywhere in the domain is on the field `name` itself (not a path).
    pub fn mentions(&self, name: &str) -> bool {
        match self {
            Domain::True | Domain::False => false,
            Domain::And(items) | Domain::Or(items) => items.iter().any(|d| d.mentions(name)),
            Domain::Not(d) => d.mentions(name),
            Domain::Leaf(leaf) => leaf.path == name,
        }
    }
}

/// Builds SQL conditions; collects the bound parameters in order.
#[derive(Debug)]
pub struct Compiler<'a> {
    registry: &'a Registry,
    /// Positional parameters (`?`) of the SQL built so far.
    pub params: Vec<Sql>,
    aliases: usize,
    active_test: bool,
    version: crate::version::OdooVersion,
}

impl<'a> Compiler<'a> {
    /// A compiler; `active_test` hides archived records of models with an `active` field.
    pub fn new(registry: &'a Registry, active_test: bool) -> Self {
        Compiler {
            registry,
            params: Vec::new(),
            aliases: 0,
            active_test,
            version: crate::version::OdooVersion::V17,
        }
    }

    /// Its messages as `version` words them.
    pub fn version(mut self, version: crate::version::OdooVersion) -> Self {
        self.version = version;
        self
    }

    /// A fresh table alias.
    pub fn alias(&mut self) -> String {
        self.aliases += 1;
        format!("t{}", self.aliases)
    }

    fn bind(&mut self, value: Sql) -> &'static str {
        self.params.push(value);
        "?"
    }

    /// The condition selecting the records of `model` (as `alias`) that match `domain`,
    /// archived records excluded unless the domain asks about `active` or `active_test` is off.
    pub fn search_condition(
        &mut self,
        model: &Model,
        alias: &str,
        domain: &Domain,
    ) -> OdooResult<String> {
        let mut sql = self.condition(model, alias, domain)?;
        if self.active_test && !domain.mentions("active") && model.has_stored("active") {
            if let Some(active) = model.field("active").filter(|f| f.kind == Kind::Boolean) {
                sql = format!(
                    "({sql}) AND COALESCE({alias}.{}, 0) = 1",
                    quote(&active.name)
                );
            }
        }
        Ok(sql)
    }

    /// The condition for `domain` on `model` as `alias`.
    pub fn condition(&mut self, model: &Model, alias: &str, domain: &Domain) -> OdooResult<String> {
        Ok(match domain {
            Domain::True => "1".to_owned(),
            Domain::False => "0".to_owned(),
            Domain::And(items) | Domain::Or(items) => {
                let joiner = if matches!(domain, Domain::And(_)) {
                    " AND "
                } else {
                    " OR "
                };
                let parts = items
                    .iter()
                    .map(|d| self.condition(model, alias, d))
                    .collect::<OdooResult<Vec<_>>>()?;
                format!("({})", parts.join(joiner))
            }
            Domain::Not(inner) => format!("NOT ({})", self.condition(model, alias, inner)?),
            Domain::Leaf(leaf) => self.leaf(model, alias, leaf)?,
        })
    }

    /// `SELECT id FROM model WHERE domain`, as a subquery.
    pub fn subquery(
        &mut self,
        model: &Model,
        domain: &Domain,
        active_test: bool,
    ) -> OdooResult<String> {
        let alias = self.alias();
        let saved = std::mem::replace(&mut self.active_test, active_test);
        let cond = self.search_condition(model, &alias, domain);
        self.active_test = saved;
        Ok(format!(
            "SELECT {alias}.id FROM {} AS {alias} WHERE {}",
            quote(&model.table),
            cond?
        ))
    }

    fn leaf(&mut self, model: &Model, alias: &str, leaf: &Leaf) -> OdooResult<String> {
        let version = self.version;
        let invalid_field = || {
            // Odoo 19's Domain rewrite names the leaf a condition
            let leaf_word = if version >= crate::version::OdooVersion::V19 {
                "condition"
            } else {
                "leaf"
            };
            OdooError::value(format!(
                "Invalid field {}.{} in {leaf_word} {}",
                model.name,
                leaf.path.split('.').next().unwrap_or_default(),
                leaf_repr(&leaf.raw)
            ))
        };
        let (head, rest) = match leaf.path.split_once('.') {
            Some((head, rest)) => (head, Some(rest)),
            None => (leaf.path.as_str(), None),
        };
        let field = model.field(head).ok_or_else(invalid_field)?;
        if let Some(rest) = rest {
            if !matches!(
                field.kind,
                Kind::Many2one | Kind::One2many | Kind::Many2many
            ) {
                return Err(invalid_field());
            }
            let inner = Domain::Leaf(Leaf {
                path: rest.to_owned(),
                ..leaf.clone()
            });
            return self.any(model, alias, field, &inner, false);
        }
        if !field.stored {
            return self.non_stored(model, alias, field, leaf);
        }
        if matches!(leaf.op, Op::Any | Op::NotAny) {
            if !matches!(
                field.kind,
                Kind::Many2one | Kind::One2many | Kind::Many2many
            ) {
                return Err(OdooError::value(format!(
                    "Invalid leaf {}: 'any' needs a relational field",
                    leaf_repr(&leaf.raw)
                )));
            }
            let inner = parse(&leaf.value)?;
            return self.any(model, alias, field, &inner, leaf.op == Op::NotAny);
        }
        match field.kind {
            Kind::Many2one => self.many2one(model, alias, field, leaf),
            Kind::One2many | Kind::Many2many => self.x2many(model, alias, field, leaf),
            _ if field.name == "id" && matches!(leaf.op, Op::ChildOf | Op::ParentOf) => {
                let ids = self.hierarchy(model, leaf)?;
                Ok(format!("{alias}.id IN ({ids})"))
            }
            _ => self.scalar(alias, field, leaf),
        }
    }

    /// Leaves on fields without a column: `display_name` searches the record name, related
    /// fields follow their path; anything else cannot be searched here.
    fn non_stored(
        &mut self,
        model: &Model,
        alias: &str,
        field: &Field,
        leaf: &Leaf,
    ) -> OdooResult<String> {
        let target = if field.name == "display_name" {
            model.rec_name.clone()
        } else {
            field.related.clone()
        };
        match target {
            Some(path) => self.leaf(
                model,
                alias,
                &Leaf {
                    path,
                    ..leaf.clone()
                },
            ),
            None => Err(OdooError::value(format!(
                "Non-stored field {}.{} cannot be searched.",
                model.name, field.name
            ))),
        }
    }

    fn comodel(&self, model: &Model, field: &Field) -> OdooResult<&'a Model> {
        field
            .relation
            .as_deref()
            .and_then(|name| self.registry.model(name))
            .ok_or_else(|| {
                OdooError::value(format!(
                    "Field {}.{} refers to a model this server does not have ({})",
                    model.name,
                    field.name,
                    field.relation.as_deref().unwrap_or("none")
                ))
            })
    }

    /// `field any inner`: records with at least one related record matching `inner`.
    fn any(
        &mut self,
        model: &Model,
        alias: &str,
        field: &Field,
        inner: &Domain,
        negate: bool,
    ) -> OdooResult<String> {
        let comodel = self.comodel(model, field)?;
        let col = format!("{alias}.{}", quote(&field.name));
        if field.kind == Kind::Many2one {
            let sub = self.subquery(comodel, inner, false)?;
            return Ok(if negate {
                format!("({col} IS NULL OR {col} NOT IN ({sub}))")
            } else {
                format!("{col} IN ({sub})")
            });
        }
        let sub = self.subquery(comodel, inner, self.active_test)?;
        let owners = self.owners_linked_to(model, field, &sub)?;
        Ok(format!(
            "{alias}.id {} ({owners})",
            if negate { "NOT IN" } else { "IN" }
        ))
    }

    /// The ids of `model` records whose x2many `field` contains one of `targets` (a subquery
    /// or a list of ids).
    fn owners_linked_to(
        &mut self,
        model: &Model,
        field: &Field,
        targets: &str,
    ) -> OdooResult<String> {
        let comodel = self.comodel(model, field)?;
        match (&field.m2m, &field.relation_field) {
            (Some(rel), _) => Ok(format!(
                "SELECT {this} FROM {table} WHERE {other} IN ({targets})",
                this = quote(&rel.this),
                table = quote(&rel.table),
                other = quote(&rel.other)
            )),
            (None, Some(inverse)) if comodel.has_stored(inverse) => {
                let a = self.alias();
                Ok(format!(
                    "SELECT {a}.{inv} FROM {table} AS {a} WHERE {a}.{inv} IS NOT NULL AND {a}.id IN ({targets})",
                    inv = quote(inverse),
                    table = quote(&comodel.table)
                ))
            }
            _ => Err(OdooError::value(format!(
                "Field {}.{} cannot be searched: its inverse is not stored",
                model.name, field.name
            ))),
        }
    }

    fn many2one(
        &mut self,
        model: &Model,
        alias: &str,
        field: &Field,
        leaf: &Leaf,
    ) -> OdooResult<String> {
        let col = format!("{alias}.{}", quote(&field.name));
        if matches!(leaf.op, Op::ChildOf | Op::ParentOf) {
            let comodel = self.comodel(model, field)?;
            let ids = self.hierarchy(comodel, leaf)?;
            return Ok(format!("{col} IN ({ids})"));
        }
        if has_text(&leaf.value) {
            // ('country_id', 'ilike', 'bel'): a name search on the comodel
            let comodel = self.comodel(model, field)?;
            let (op, negate) = match leaf.op.positive() {
                Some(op) => (op, true),
                None => (leaf.op, false),
            };
            let sub = self.name_subquery(comodel, op, &leaf.value, leaf)?;
            return Ok(if negate {
                format!("({col} IS NULL OR {col} NOT IN ({sub}))")
            } else {
                format!("{col} IN ({sub})")
            });
        }
        self.scalar(alias, field, leaf)
    }

    fn x2many(
        &mut self,
        model: &Model,
        alias: &str,
        field: &Field,
        leaf: &Leaf,
    ) -> OdooResult<String> {
        let comodel = self.comodel(model, field)?;
        let (op, negate) = match leaf.op.positive() {
            Some(op) => (op, true),
            None => (leaf.op, false),
        };
        let empty = match &leaf.value {
            Value::Bool(false) | Value::Nil => true,
            Value::Array(items) => items.iter().all(|v| matches!(v, Value::Bool(false))),
            _ => false,
        };
        let targets = if matches!(op, Op::ChildOf | Op::ParentOf) {
            self.hierarchy(comodel, leaf)?
        } else if empty && matches!(op, Op::Eq | Op::In) {
            // `= False`: no related record at all
            let a = self.alias();
            let all = format!("SELECT {a}.id FROM {} AS {a}", quote(&comodel.table));
            let owners = self.owners_linked_to(model, field, &all)?;
            let match_empty = !negate;
            return Ok(format!(
                "{alias}.id {} ({owners})",
                if match_empty { "NOT IN" } else { "IN" }
            ));
        } else if has_text(&leaf.value) {
            self.name_subquery(comodel, op, &leaf.value, leaf)?
        } else if matches!(op, Op::Eq | Op::In) {
            self.id_list(&leaf.value, leaf)?
        } else {
            return Err(OdooError::value(format!(
                "Invalid leaf {}: operator not supported on x2many field",
                leaf_repr(&leaf.raw)
            )));
        };
        let owners = self.owners_linked_to(model, field, &targets)?;
        Ok(format!(
            "{alias}.id {} ({owners})",
            if negate { "NOT IN" } else { "IN" }
        ))
    }

    /// `?, ?, ?` for a list of ids (or one id).
    fn id_list(&mut self, value: &Value, leaf: &Leaf) -> OdooResult<String> {
        let items: Vec<&Value> = match value {
            Value::Array(items) => items.iter().collect(),
            other => vec![other],
        };
        let mut ids = Vec::new();
        for item in items {
            match item {
                Value::Bool(false) => {}
                v => ids.push(as_id(v).ok_or_else(|| {
                    OdooError::value(format!(
                        "Invalid leaf {}: expected ids",
                        leaf_repr(&leaf.raw)
                    ))
                })?),
            }
        }
        if ids.is_empty() {
            return Ok("NULL".to_owned());
        }
        Ok(ids
            .into_iter()
            .map(|id| self.bind(Sql::Integer(id)))
            .collect::<Vec<_>>()
            .join(", "))
    }

    /// Ids of `model` whose name matches `op value` (name_search semantics).
    fn name_subquery(
        &mut self,
        model: &Model,
        op: Op,
        value: &Value,
        leaf: &Leaf,
    ) -> OdooResult<String> {
        let rec_name = model.rec_name.clone().ok_or_else(|| {
            OdooError::value(format!(
                "Invalid leaf {}: {} has no name to search",
                leaf_repr(&leaf.raw),
                model.name
            ))
        })?;
        let inner = Domain::Leaf(Leaf {
            path: rec_name,
            op,
            value: value.clone(),
            raw: leaf.raw.clone(),
        });
        self.subquery(model, &inner, false)
    }

    /// The ids reached from the leaf's value through the `parent_id` hierarchy of `model`:
    /// descendants for `child_of`, ancestors for `parent_of`, the ids themselves included.
    fn hierarchy(&mut self, model: &Model, leaf: &Leaf) -> OdooResult<String> {
        let seeds = if has_text(&leaf.value) {
            self.name_subquery(model, Op::Ilike, &leaf.value, leaf)?
        } else {
            self.id_list(&leaf.value, leaf)?
        };
        let Some(parent) = &model.parent_field else {
            return Ok(seeds);
        };
        let (table, parent) = (quote(&model.table), quote(parent));
        let step = if leaf.op == Op::ChildOf {
            format!("SELECT t.id FROM {table} AS t JOIN h ON t.{parent} = h.id")
        } else {
            format!(
                "SELECT t.{parent} FROM {table} AS t JOIN h ON t.id = h.id WHERE t.{parent} IS NOT NULL"
            )
        };
        Ok(format!(
            "WITH RECURSIVE h(id) AS (SELECT id FROM {table} WHERE id IN ({seeds}) UNION {step}) SELECT id FROM h"
        ))
    }

    fn scalar(&mut self, alias: &str, field: &Field, leaf: &Leaf) -> OdooResult<String> {
        let invalid =
            |why: &str| OdooError::value(format!("Invalid leaf {}: {why}", leaf_repr(&leaf.raw)));
        let raw_col = format!("{alias}.{}", quote(&field.name));
        let boolean = field.kind == Kind::Boolean;
        let col = if boolean {
            format!("COALESCE({raw_col}, 0)")
        } else {
            raw_col.clone()
        };
        let textual = field.kind.is_textual();
        // Odoo 19 compares a datetime to the whole second (17 compares the text)
        if field.kind == Kind::Datetime && self.version >= crate::version::OdooVersion::V19 {
            if let Some(condition) = super::whole_seconds::condition(&raw_col, leaf.op, &leaf.value)
            {
                self.params.extend(condition.params);
                return Ok(condition.sql);
            }
        }
        // expression.py: a 10-character text for a datetime is that day's first second, or
        // its last one for `>` and `<=`
        let adjusted;
        let value = match (&leaf.value, field.kind) {
            (Value::String(text), Kind::Datetime)
                if text.chars().count() == 10 && !matches!(leaf.op, Op::In | Op::NotIn) =>
            {
                let time = if matches!(leaf.op, Op::Gt | Op::Le) {
                    " 23:59:59"
                } else {
                    " 00:00:00"
                };
                adjusted = Value::String(format!("{text}{time}"));
                &adjusted
            }
            (value, _) => value,
        };
        let is_false = matches!(value, Value::Bool(false) | Value::Nil);
        // Odoo 19's Domain turns `=` into `in`, which hands its values over as they are
        let as_list = self.version >= crate::version::OdooVersion::V19;
        Ok(match leaf.op {
            Op::EqOrTrue if is_false => "1".to_owned(),
            Op::Eq | Op::Ne | Op::EqOrTrue => {
                let eq = leaf.op != Op::Ne;
                if boolean {
                    let truth = !crate::values::is_falsy(value);
                    format!("{col} = {}", if truth == eq { 1 } else { 0 })
                } else if is_false {
                    match (eq, textual) {
                        (true, true) => format!("({col} IS NULL OR {col} = '')"),
                        (false, true) => format!("({col} IS NOT NULL AND {col} != '')"),
                        (true, false) => format!("{col} IS NULL"),
                        (false, false) => format!("{col} IS NOT NULL"),
                    }
                } else {
                    let p = self.bind(column_param(field, value, as_list, &invalid)?);
                    if eq {
                        format!("{col} = {p}")
                    } else {
                        format!("({col} != {p} OR {col} IS NULL)")
                    }
                }
            }
            Op::Lt | Op::Le | Op::Gt | Op::Ge => {
                let sql_op = match leaf.op {
                    Op::Lt => "<",
                    Op::Le => "<=",
                    Op::Gt => ">",
                    _ => ">=",
                };
                if is_false {
                    "0".to_owned()
                } else {
                    let p = self.bind(column_param(field, value, false, &invalid)?);
                    format!("{col} {sql_op} {p}")
                }
            }
            Op::Like | Op::Ilike | Op::NotLike | Op::NotIlike | Op::EqLike | Op::EqIlike => {
                let negate = matches!(leaf.op, Op::NotLike | Op::NotIlike);
                if is_false {
                    return Ok(if negate {
                        format!("{raw_col} IS NOT NULL")
                    } else {
                        format!("{raw_col} IS NULL")
                    });
                }
                let text = match value {
                    Value::String(s) => s.clone(),
                    Value::Int(i) => i.to_string(),
                    Value::I8(i) => i.to_string(),
                    Value::Double(d) => d.to_string(),
                    _ => return Err(invalid("a pattern must be a string")),
                };
                let pattern = if matches!(leaf.op, Op::EqLike | Op::EqIlike) {
                    text
                } else {
                    format!("%{text}%")
                };
                let ci = matches!(leaf.op, Op::Ilike | Op::NotIlike | Op::EqIlike);
                let p = self.bind(Sql::Text(pattern));
                let test = format!("odoo_like(CAST({raw_col} AS TEXT), {p}, {})", i32::from(ci));
                if negate {
                    format!("({raw_col} IS NULL OR NOT {test})")
                } else {
                    test
                }
            }
            Op::In | Op::NotIn => {
                let items: Vec<&Value> = match value {
                    Value::Array(items) => items.iter().collect(),
                    other => vec![other],
                };
                let with_null = items
                    .iter()
                    .any(|v| matches!(v, Value::Bool(false) | Value::Nil))
                    && !boolean;
                let mut params = Vec::new();
                for item in items
                    .iter()
                    .filter(|v| boolean || !matches!(v, Value::Bool(false) | Value::Nil))
                {
                    let param = if boolean {
                        Sql::Integer(i64::from(!crate::values::is_falsy(item)))
                    } else {
                        column_param(field, item, true, &invalid)?
                    };
                    params.push(self.bind(param));
                }
                let listed = if params.is_empty() {
                    "0".to_owned()
                } else {
                    format!("{col} IN ({})", params.join(", "))
                };
                match (leaf.op == Op::In, with_null) {
                    (true, false) => listed,
                    (true, true) => format!("({listed} OR {raw_col} IS NULL)"),
                    (false, false) => format!("(NOT ({listed}) OR {raw_col} IS NULL)"),
                    (false, true) => format!("(NOT ({listed}) AND {raw_col} IS NOT NULL)"),
                }
            }
            Op::ChildOf | Op::ParentOf | Op::Any | Op::NotAny => {
                return Err(invalid("operator needs a relational field"));
            }
        })
    }
}

fn has_text(value: &Value) -> bool {
    match value {
        Value::String(_) => true,
        Value::Array(items) => items.iter().any(|v| matches!(v, Value::String(_))),
        _ => false,
    }
}

/// A domain value as the SQL parameter it becomes on Odoo 17: `field.convert_to_column(value,
/// validate=False)` (`int()` for integers, `float()` for floats, the text for dates,
/// datetimes and `id`), then what PostgreSQL makes of a text compared with the column
/// ([`super::pg_input`]: `1-1-1970` is a date, `2026-02-30` and `''` are refused). `listed`
/// is a value of an `in` list (or of `=` on Odoo 19, which makes it one), which `id` takes
/// as it is.
fn column_param(
    field: &Field,
    value: &Value,
    listed: bool,
    invalid: &dyn Fn(&str) -> OdooError,
) -> OdooResult<Sql> {
    use super::pg_input;
    if field.name == "id" {
        return Ok(match value {
            Value::Int(i) if listed => Sql::Integer(i64::from(*i)),
            Value::I8(i) if listed => Sql::Integer(*i),
            Value::Double(d) if listed => Sql::Real(*d),
            other => Sql::Integer(pg_input::int4(&to_text(other))?),
        });
    }
    Ok(match field.kind {
        Kind::Integer | Kind::IdReference => Sql::Integer(if crate::values::is_falsy(value) {
            0
        } else {
            crate::values::py_int(value)?
        }),
        Kind::Float => Sql::Real(if crate::values::is_falsy(value) {
            0.0
        } else {
            crate::values::py_float(value)?
        }),
        Kind::Date => Sql::Text(pg_input::date(&to_text(value))?),
        Kind::Datetime => Sql::Text(pg_input::timestamp(&to_text(value))?),
        Kind::Many2one => match value {
            Value::Int(i) => Sql::Integer(i64::from(*i)),
            Value::I8(i) => Sql::Integer(*i),
            Value::Bool(b) => Sql::Integer(i64::from(*b)),
            Value::Double(d) => Sql::Real(*d),
            _ => return Err(invalid("bad value")),
        },
        _ => match value {
            Value::Array(_) | Value::Struct(_) | Value::Base64(_) => {
                return Err(invalid("bad value"));
            }
            other => Sql::Text(to_text(other)),
        },
    })
}

/// `pycompat.to_text(value)`: the text Python's `str()` gives.
fn to_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Int(i) => i.to_string(),
        Value::I8(i) => i.to_string(),
        Value::Bool(true) => "True".to_owned(),
        Value::Bool(false) | Value::Nil => String::new(),
        Value::DateTime(dt) => format!(
            "{:04}{:02}{:02}T{:02}:{:02}:{:02}",
            dt.year, dt.month, dt.day, dt.hour, dt.minute, dt.second
        ),
        other => py_repr(other),
    }
}

/// SQL `LIKE` with `%`, `_` and `\` escapes; case-insensitive when `ci`, folding as
/// PostgreSQL's `ILIKE` does in a UTF-8 database: each character by itself through the
/// locale's `towlower` ([`pg_lower`]), so `istanbul` matches `İstanbul`.
pub fn like(value: &str, pattern: &str, ci: bool) -> bool {
    let fold = |s: &str| -> Vec<char> {
        if ci {
            s.chars().map(pg_lower).collect()
        } else {
            s.chars().collect()
        }
    };
    let (v, p) = (fold(value), fold(pattern));
    // tokens: Some(c) literal, None for `_`, and a marker for `%`
    #[derive(Clone, Copy, PartialEq)]
    enum T {
        Lit(char),
        One,
        Many,
    }
    let mut tokens = Vec::with_capacity(p.len());
    let mut chars = p.iter().copied();
    while let Some(c) = chars.next() {
        tokens.push(match c {
            '\\' => T::Lit(chars.next().unwrap_or('\\')),
            '%' => T::Many,
            '_' => T::One,
            c => T::Lit(c),
        });
    }
    // iterative wildcard matching with backtracking on the last `%`
    let (mut vi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while vi < v.len() {
        match tokens.get(ti) {
            Some(T::Lit(c)) if *c == v[vi] => {
                vi += 1;
                ti += 1;
            }
            Some(T::One) => {
                vi += 1;
                ti += 1;
            }
            Some(T::Many) => {
                star = Some((ti, vi));
                ti += 1;
            }
            _ => match star {
                Some((st, sv)) => {
                    ti = st + 1;
                    vi = sv + 1;
                    star = Some((st, sv + 1));
                }
                None => return false,
            },
        }
    }
    tokens[ti..].iter().all(|t| *t == T::Many)
}

/// One character lowercased as PostgreSQL's `lower()` does it in a UTF-8 database (glibc's
/// `towlower`, a one-to-one mapping): Unicode's simple lowercase, where Rust's
/// `to_lowercase` writes `İ` (U+0130) as two characters (`i` and a combining dot) and
/// `towlower` as `i`.
pub fn pg_lower(c: char) -> char {
    if c == '\u{130}' {
        return 'i';
    }
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

/// `expression.normalize_domain`: the implicit `&` between terms written out.
fn normalize(domain: &[Value]) -> Vec<Value> {
    let mut result = Vec::with_capacity(domain.len() + 1);
    let mut expected = 1i64;
    for token in domain {
        if expected == 0 {
            result.insert(0, Value::String("&".into()));
            expected = 1;
        }
        expected += match token {
            Value::String(op) if op == "!" => 0,
            Value::String(op) if op == "&" || op == "|" => 1,
            _ => -1,
        };
        result.push(token.clone());
    }
    result
}

/// `expression.AND([a, b])`: empty domains drop out, the rest are normalized and joined
/// with a leading `&`.
pub fn and_domains(a: &[Value], b: &[Value]) -> Vec<Value> {
    match (a.is_empty(), b.is_empty()) {
        (true, _) => normalize(b),
        (false, true) => normalize(a),
        (false, false) => {
            let mut out = vec![Value::String("&".into())];
            out.extend(normalize(a));
            out.extend(normalize(b));
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group_leaf(field: &str, value: i32) -> Value {
        Value::Array(vec![
            Value::String(field.to_owned()),
            Value::String("=".into()),
            Value::Int(value),
        ])
    }

    #[test]
    fn domains_are_anded_as_expression_and_writes_them() {
        let a = group_leaf("a", 1);
        let b = group_leaf("b", 2);
        let c = group_leaf("c", 3);
        assert_eq!(and_domains(&[], std::slice::from_ref(&c)), vec![c.clone()]);
        assert_eq!(
            and_domains(&[a.clone(), b.clone()], std::slice::from_ref(&c)),
            vec![s("&"), s("&"), a.clone(), b.clone(), c.clone()]
        );
        assert_eq!(
            and_domains(
                &[s("|"), a.clone(), b.clone()],
                &[s("&"), c.clone(), c.clone()]
            ),
            vec![s("&"), s("|"), a, b, s("&"), c.clone(), c]
        );
    }

    fn s(x: &str) -> Value {
        Value::String(x.into())
    }

    #[test]
    fn like_follows_sql() {
        assert!(like("Azure Interior", "%zure%", false));
        assert!(!like("Azure Interior", "%AZURE%", false));
        assert!(like("Azure Interior", "%AZURE%", true));
        assert!(like("Ünïcode", "%üNÏ%", true));
        assert!(like("abc", "a_c", false));
        assert!(!like("abc", "a_", false));
        assert!(like("50%", "50\\%", false));
        assert!(!like("500", "50\\%", false));
        assert!(like("", "%", false));
    }

    #[test]
    fn prefix_notation() {
        let d = parse(&Value::Array(vec![
            s("|"),
            Value::Array(vec![s("a"), s("="), Value::Int(1)]),
            Value::Array(vec![s("b"), s("="), Value::Int(2)]),
            Value::Array(vec![s("c"), s("="), Value::Int(3)]),
        ]))
        .unwrap();
        let Domain::And(items) = d else {
            panic!("{d:?}")
        };
        assert!(matches!(items[0], Domain::Or(_)));
        assert!(matches!(items[1], Domain::Leaf(_)));
    }

    #[test]
    fn syntax_errors_match_odoo() {
        let domain = Value::Array(vec![s("|"), Value::Array(vec![s("name"), s("="), s("x")])]);
        let err = parse(&domain).unwrap_err();
        assert_eq!(
            err.to_string(),
            "ValueError: Domain ['|', ['name', '=', 'x']] is syntactically not correct."
        );
        let err = parse(&Value::Array(vec![Value::Array(vec![
            s("name"),
            s("bogus_op"),
            s("x"),
        ])]))
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "ValueError: Invalid leaf ('name', 'bogus_op', 'x')"
        );
    }
}
