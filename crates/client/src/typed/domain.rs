//! [`Domain`]: Odoo's search filter (prefix-notation list of leaves and `&`, `|`, `!`),
//! built from typed fields and combined with Rust's `&`, `|` and `!` operators.

use std::fmt;
use std::marker::PhantomData;
use std::ops::{BitAnd, BitOr, Not};

use serde::{Serialize, Serializer};

use crate::typed::term::Term;

/// A search filter on model `M`.
///
/// Leaves come from field constants (`NAME.ilike("a")`); `a & b`, `a | b` and `!a` combine them.
/// [`Domain::all`] (the empty domain) matches every record.
///
/// ```
/// # use openspp_client::{Domain, Field, Model};
/// # #[derive(Debug, Clone, Copy)] pub struct ResPartner;
/// # impl Model for ResPartner {
/// #     const NAME: &'static str = "res.partner";
/// #     const FIELDS: &'static [&'static str] = &["is_company", "name"];
/// #     const REQUIRED: &'static [&'static str] = &[];
/// # }
/// # const NAME: Field<ResPartner, String> = Field::new("name");
/// # const IS_COMPANY: Field<ResPartner, bool> = Field::new("is_company");
/// let companies_named_a = IS_COMPANY.eq(true) & (NAME.ilike("a") | !NAME.is_set());
/// assert_eq!(
///     companies_named_a.to_string(),
///     r#"[["is_company", "=", true], "|", ["name", "ilike", "a"], "!", ["name", "!=", false]]"#
/// );
/// ```
pub struct Domain<M> {
    items: Vec<Term>,
    model: PhantomData<fn() -> M>,
}

impl<M> Domain<M> {
    /// The empty domain: every record.
    pub fn all() -> Self {
        Self::from_items(Vec::new())
    }

    fn from_items(items: Vec<Term>) -> Self {
        Self {
            items,
            model: PhantomData,
        }
    }

    pub(crate) fn leaf(path: String, op: &'static str, value: Term) -> Self {
        Self::from_items(vec![Term::list(vec![
            Term::str(path),
            Term::str(op),
            value,
        ])])
    }

    /// True for the empty domain.
    pub fn is_all(&self) -> bool {
        self.items.is_empty()
    }

    /// All of `domains` (an empty iterator gives [`Domain::all`]).
    pub fn and_all(domains: impl IntoIterator<Item = Self>) -> Self {
        domains.into_iter().fold(Self::all(), |acc, d| acc & d)
    }

    /// Any of `domains`. An empty iterator matches nothing (`id in []`), as in Odoo's `OR([])`.
    pub fn or_any(domains: impl IntoIterator<Item = Self>) -> Self {
        let mut iter = domains.into_iter();
        match iter.next() {
            None => Self::from_items(vec![Term::list(vec![
                Term::str("id"),
                Term::str("in"),
                Term::list(Vec::new()),
            ])]),
            Some(first) => iter.fold(first, |acc, d| acc | d),
        }
    }

    pub(crate) fn into_term(self) -> Term {
        let skip = self.leading_ands();
        let mut items = self.items;
        items.drain(..skip);
        Term::list(items)
    }

    /// Leading `&` operators are implicit in Odoo (a list of expressions is their AND), so the
    /// wire form leaves them out, as people write domains: `[a, b]` rather than `["&", a, b]`.
    fn leading_ands(&self) -> usize {
        let and = Term::str("&");
        self.items.iter().take_while(|t| **t == and).count()
    }

    fn wire_items(&self) -> &[Term] {
        &self.items[self.leading_ands()..]
    }

    fn combine(op: &'static str, a: Self, b: Self) -> Self {
        let mut items = Vec::with_capacity(1 + a.items.len() + b.items.len());
        items.push(Term::str(op));
        items.extend(a.items);
        items.extend(b.items);
        Self::from_items(items)
    }
}

impl<M> BitAnd for Domain<M> {
    type Output = Self;
    fn bitand(self, rhs: Self) -> Self {
        match (self.is_all(), rhs.is_all()) {
            (true, _) => rhs,
            (_, true) => self,
            _ => Self::combine("&", self, rhs),
        }
    }
}

impl<M> BitOr for Domain<M> {
    type Output = Self;
    fn bitor(self, rhs: Self) -> Self {
        // Odoo's OR with an empty (always true) domain is always true.
        if self.is_all() || rhs.is_all() {
            return Self::all();
        }
        Self::combine("|", self, rhs)
    }
}

impl<M> Not for Domain<M> {
    type Output = Self;
    fn not(self) -> Self {
        if self.is_all() {
            // NOT(true): match nothing.
            return Self::or_any(std::iter::empty());
        }
        let mut items = Vec::with_capacity(1 + self.items.len());
        items.push(Term::str("!"));
        items.extend(self.items);
        Self::from_items(items)
    }
}

impl<M> Clone for Domain<M> {
    fn clone(&self) -> Self {
        Self::from_items(self.items.clone())
    }
}
impl<M> Default for Domain<M> {
    fn default() -> Self {
        Self::all()
    }
}
impl<M> PartialEq for Domain<M> {
    fn eq(&self, other: &Self) -> bool {
        self.items == other.items
    }
}

impl<M> fmt::Debug for Domain<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Domain({self})")
    }
}

/// Python-like rendering of the wire form, as the domain would be written in Odoo.
impl<M> fmt::Display for Domain<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[")?;
        for (i, item) in self.wire_items().iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            item.fmt_literal(f)?;
        }
        f.write_str("]")
    }
}

impl<M> Serialize for Domain<M> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.wire_items().serialize(serializer)
    }
}

/// One `order` clause: a sortable field and a direction. Chain with [`Order::then`].
pub struct Order<M> {
    clause: String,
    model: PhantomData<fn() -> M>,
}

impl<M> Order<M> {
    pub(crate) fn new(field: &str, descending: bool) -> Self {
        let dir = if descending { "desc" } else { "asc" };
        Self {
            clause: format!("{field} {dir}"),
            model: PhantomData,
        }
    }

    /// Adds a tie-breaker.
    pub fn then(mut self, next: Order<M>) -> Self {
        self.clause.push_str(", ");
        self.clause.push_str(&next.clause);
        self
    }

    /// The `order` string sent to the server, e.g. `"name asc, id desc"`.
    pub fn as_str(&self) -> &str {
        &self.clause
    }
}

impl<M> Clone for Order<M> {
    fn clone(&self) -> Self {
        Self {
            clause: self.clause.clone(),
            model: PhantomData,
        }
    }
}
impl<M> fmt::Debug for Order<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Order({})", self.clause)
    }
}
