//! [`Repository`]: the typed ORM methods of one model, on top of `execute_kw`.

pub mod aggregate;
mod answers;
pub mod export;
pub mod import;
pub mod method;
pub mod xmlid;

use std::collections::BTreeMap;
use std::fmt;
use std::future::IntoFuture;
use std::marker::PhantomData;

use futures_util::future::BoxFuture;
use futures_util::stream::{self, Stream, StreamExt, TryStreamExt};
use openspp_xmlrpc::{DecodeOptions, Fault, Struct, Value};

use crate::error::{Error, ProtocolError};
use crate::session::{CallOptions, Session};
use crate::typed::args::Args;
use crate::typed::context::Context;
use crate::typed::domain::{Domain, Order};
use crate::typed::fetch::{Columns, Fetch, FieldSet, Records};
use crate::typed::model::{Id, Model};
use crate::typed::record::Record;
use crate::typed::types::Many2one;
use crate::typed::values::Values;
use crate::wire::protocol::{Decoder, idempotency};

/// The ORM methods of model `M`: search, read, create, write, unlink and friends.
///
/// ```no_run
/// # use openspp_client::{Field, Model, Session};
/// # #[derive(Debug, Clone, Copy)] pub struct ResPartner;
/// # impl Model for ResPartner {
/// #     const NAME: &'static str = "res.partner";
/// #     const FIELDS: &'static [&'static str] = &["email", "is_company", "name"];
/// #     const REQUIRED: &'static [&'static str] = &[];
/// # }
/// # const NAME: Field<ResPartner, String> = Field::new("name");
/// # const EMAIL: Field<ResPartner, String> = Field::new("email");
/// # const IS_COMPANY: Field<ResPartner, bool> = Field::new("is_company");
/// # async fn demo(odoo: Session) -> Result<(), openspp_client::Error> {
/// let partners = odoo.repo::<ResPartner>();
/// for (id, (name, email)) in partners
///     .search_read(IS_COMPANY.eq(true))
///     .fields((NAME, EMAIL))
///     .order(NAME.asc())
///     .limit(5)
///     .await?
/// {
///     println!("{id}: {name:?} <{email:?}>");
/// }
/// # Ok(()) }
/// ```
pub struct Repository<M> {
    session: Session,
    model: PhantomData<fn() -> M>,
}

impl<M> Clone for Repository<M> {
    fn clone(&self) -> Self {
        Self {
            session: self.session.clone(),
            model: PhantomData,
        }
    }
}

impl<M: Model> fmt::Debug for Repository<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Repository({})", M::NAME)
    }
}

/// Paging parameters shared by `search` and `search_read`.
#[derive(Debug, Clone, Default)]
struct Page {
    offset: Option<usize>,
    limit: Option<usize>,
    order: Option<String>,
}

impl Page {
    /// The parameters that are set, as kwargs.
    fn add_to(&self, mut args: Args) -> Args {
        if let Some(offset) = self.offset {
            args = args.kwarg("offset", offset);
        }
        if let Some(limit) = self.limit {
            args = args.kwarg("limit", limit);
        }
        if let Some(order) = &self.order {
            args = args.kwarg("order", order);
        }
        args
    }
}

/// The `offset`, `limit` and `order` setters of a call builder with a `page: Page` field and
/// a model `M`; `$items` names what the call returns, for the docs.
macro_rules! page_setters {
    ($items:literal) => {
        /// Skip the first `offset` matches.
        pub fn offset(mut self, offset: usize) -> Self {
            self.page.offset = Some(offset);
            self
        }
        #[doc = concat!("At most `limit` ", $items, ". `limit(0)` means none: the call answers an")]
        /// empty list without asking the server (which would read every record for
        /// `limit=0` on Odoo 17 and 19.0, and none from 19.1), for `.await` and `.stream()`.
        pub fn limit(mut self, limit: usize) -> Self {
            self.page.limit = Some(limit);
            self
        }
        /// Sort order (the model's default `_order` otherwise).
        pub fn order(mut self, order: Order<M>) -> Self {
            self.page.order = Some(order.as_str().to_owned());
            self
        }
    };
}

impl<M: Model> Repository<M> {
    pub(crate) fn new(session: Session) -> Self {
        Self {
            session,
            model: PhantomData,
        }
    }

    /// The session this repository calls through.
    pub fn session(&self) -> &Session {
        &self.session
    }

    /// This repository with `context` added to every call.
    pub fn with_context(&self, context: &Context) -> Self {
        Self::new(self.session.with_context(context))
    }

    async fn call<R: serde::de::DeserializeOwned>(
        &self,
        method: &str,
        args: Args,
    ) -> Result<R, Error> {
        self.session.call(M::NAME, method, args).await
    }

    /// `search`: ids of the records matching `domain`.
    pub fn search(&self, domain: Domain<M>) -> Search<M> {
        Search {
            repo: self.clone(),
            domain,
            page: Page::default(),
        }
    }

    /// `search_read`: the matching records, with the fields chosen by `.fields(...)` (only
    /// ids until then), or decoded into a [`Record`] with `.records()`.
    pub fn search_read(&self, domain: Domain<M>) -> SearchRead<M, Columns<()>> {
        SearchRead {
            repo: self.clone(),
            domain,
            page: Page::default(),
            fetch: Columns(()),
        }
    }

    /// `read`: the records `ids` (missing ids are left out by the server).
    pub fn read(&self, ids: &[Id<M>]) -> Read<M, Columns<()>> {
        Read {
            repo: self.clone(),
            ids: ids.to_vec(),
            fetch: Columns(()),
        }
    }

    /// `search_count`: how many records match `domain`.
    pub async fn search_count(&self, domain: Domain<M>) -> Result<u64, Error> {
        let n: i64 = self
            .call("search_count", Args::new().arg("domain", domain))
            .await?;
        u64::try_from(n)
            .map_err(|_| self.shape_error("search_count", format!("negative count {n}")))
    }

    /// `name_search`: records whose display name matches `name`, as (id, display name).
    pub fn name_search(&self, name: &str) -> NameSearch<M> {
        NameSearch {
            repo: self.clone(),
            name: name.to_owned(),
            domain: None,
            operator: None,
            limit: None,
        }
    }

    /// `create` of one record. Required fields ([`Model::REQUIRED`]) are checked first:
    /// when some are missing nothing is sent.
    pub async fn create(&self, values: Values<M>) -> Result<Id<M>, Error> {
        check_required(&values)?;
        let answer: Value = self
            .call("create", Args::new().arg("vals_list", values))
            .await?;
        match answers::created_ids(&answer).as_deref() {
            Some([id]) => Ok(Id::new(*id)),
            _ => Err(self.created_error(&answer, 1)),
        }
    }

    /// `create` of several records in one call (one id per values, in order).
    pub async fn create_many(&self, values: Vec<Values<M>>) -> Result<Vec<Id<M>>, Error> {
        values.iter().try_for_each(check_required)?;
        let answer: Value = self
            .call("create", Args::new().arg("vals_list", values.as_slice()))
            .await?;
        match answers::created_ids(&answer) {
            Some(ids) if ids.len() == values.len() => Ok(ids.into_iter().map(Id::new).collect()),
            _ => Err(self.created_error(&answer, values.len())),
        }
    }

    /// A `create` answer that names no ids, or not one per record: the server ran it without
    /// a fault, so the records exist.
    fn created_error(&self, answer: &Value, records: usize) -> Error {
        self.shape_error(
            "create",
            format!(
                "create of {records} record(s) answered {}, not their ids; the server did not \
                 fault, so the records were created",
                answers::shown(answer)
            ),
        )
    }

    /// `write` of `values` to every record of `ids`. Done once the server answers without a
    /// fault, whatever it answers (`True`, or nothing from an override that returns `None`).
    pub async fn write(&self, ids: &[Id<M>], values: Values<M>) -> Result<(), Error> {
        let _done: Value = self
            .call("write", Args::new().ids(ids).arg("vals", values))
            .await?;
        Ok(())
    }

    /// `unlink`: deletes the records `ids`. Done once the server answers without a fault,
    /// whatever it answers (OpenSPP's `res.partner.unlink` answers nothing over JSON-RPC).
    pub async fn unlink(&self, ids: &[Id<M>]) -> Result<(), Error> {
        let _done: Value = self.call("unlink", Args::new().ids(ids)).await?;
        Ok(())
    }

    /// `fields_get`: the server's description of every field, limited to `attributes`
    /// (all attributes when empty).
    pub async fn fields_get(&self, attributes: &[&str]) -> Result<BTreeMap<String, Struct>, Error> {
        let mut args = Args::new();
        if !attributes.is_empty() {
            args = args.kwarg("attributes", attributes);
        }
        self.call("fields_get", args).await
    }

    /// `default_get`: the server-side defaults of `fields` (parameter `fields_list` until
    /// Odoo 18, `fields` from 19: sent positionally over XML-RPC, by its 19 name over
    /// JSON-2). A default of `None` is [`Value::Nil`] over JSON-2; XML-RPC cannot carry it.
    pub async fn default_get(&self, fields: &[&str]) -> Result<Struct, Error> {
        self.call("default_get", Args::new().arg("fields", fields))
            .await
    }

    /// An answer of the right type but an impossible value.
    pub(crate) fn shape_error(&self, method: &str, message: String) -> Error {
        let call = self.session.call_id(M::NAME, method);
        Error::bad_answer(
            &call,
            ProtocolError::Unexpected(message),
            idempotency(method),
        )
    }
}

fn check_required<M: Model>(values: &Values<M>) -> Result<(), Error> {
    let missing = values.missing_required();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(Error::MissingRequired {
            model: M::NAME,
            fields: missing,
        })
    }
}

/// A `search` call being built; `.await` it.
#[must_use = "a search does nothing until awaited"]
pub struct Search<M> {
    repo: Repository<M>,
    domain: Domain<M>,
    page: Page,
}

impl<M: Model> Search<M> {
    page_setters!("ids");
}

impl<M: Model> fmt::Debug for Search<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Search({}, {}, {:?})", M::NAME, self.domain, self.page)
    }
}

impl<M: Model> IntoFuture for Search<M> {
    type Output = Result<Vec<Id<M>>, Error>;
    type IntoFuture = BoxFuture<'static, Self::Output>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            if self.page.limit == Some(0) {
                return Ok(Vec::new());
            }
            let args = self.page.add_to(Args::new().arg("domain", self.domain));
            self.repo.call("search", args).await
        })
    }
}

/// A `search_read` call being built; `.await` it, or page through it with `.stream(n)`.
#[must_use = "a search_read does nothing until awaited"]
pub struct SearchRead<M, F> {
    repo: Repository<M>,
    domain: Domain<M>,
    page: Page,
    fetch: F,
}

impl<M: Model, F: Fetch<M>> SearchRead<M, F> {
    /// Read these fields; rows are `(Id<M>, values)` with values typed like the set.
    pub fn fields<S: FieldSet<M>>(self, fields: S) -> SearchRead<M, Columns<S>> {
        SearchRead {
            repo: self.repo,
            domain: self.domain,
            page: self.page,
            fetch: Columns(fields),
        }
    }
    /// Decode each record into the program's struct `R`, reading `R::FIELDS`.
    pub fn records<R: Record<Model = M>>(self) -> SearchRead<M, Records<R>> {
        SearchRead {
            repo: self.repo,
            domain: self.domain,
            page: self.page,
            fetch: Records::new(),
        }
    }
    page_setters!("records");

    async fn fetch_page(
        repo: &Repository<M>,
        fetch: &F,
        domain: Domain<M>,
        page: &Page,
    ) -> Result<Vec<F::Item>, Error> {
        let args = Args::new()
            .arg("domain", domain)
            .kwarg("fields", fetch.field_names());
        repo.session
            .invoke(
                M::NAME,
                "search_read",
                page.add_to(args),
                &CallOptions::default(),
                &FetchDecoder::new(fetch),
            )
            .await
    }

    /// All matches as a stream, fetched `batch_size` records per call; at most one batch is
    /// held in memory. Without an explicit order it pages by id (`id > last`, stable while
    /// records are added); with one it pages by offset.
    pub fn stream(self, batch_size: usize) -> impl Stream<Item = Result<F::Item, Error>> + Send
    where
        F::Item: HasId<M>,
        M: Model,
    {
        let batch_size = batch_size.max(1);
        let keyset = self.page.order.is_none();
        struct State<M, F> {
            search: SearchRead<M, F>,
            after: Option<Id<M>>,
            offset: usize,
            remaining: Option<usize>,
            done: bool,
        }
        let state = State {
            offset: self.page.offset.unwrap_or(0),
            remaining: self.page.limit,
            search: self,
            after: None,
            done: false,
        };
        stream::try_unfold(state, move |mut st| async move {
            if st.done || st.remaining == Some(0) {
                return Ok(None);
            }
            let want = st.remaining.map_or(batch_size, |r| r.min(batch_size));
            let (domain, page) = if keyset {
                let domain = match st.after {
                    Some(last) => st.search.domain.clone() & M::ID.gt(last),
                    None => st.search.domain.clone(),
                };
                let page = Page {
                    offset: (st.after.is_none() && st.offset > 0).then_some(st.offset),
                    limit: Some(want),
                    order: Some("id asc".to_owned()),
                };
                (domain, page)
            } else {
                let page = Page {
                    offset: Some(st.offset),
                    limit: Some(want),
                    order: st.search.page.order.clone(),
                };
                (st.search.domain.clone(), page)
            };
            let batch = Self::fetch_page(&st.search.repo, &st.search.fetch, domain, &page).await?;
            st.done = batch.len() < want;
            st.offset += batch.len();
            st.after = batch.last().map(HasId::id).or(st.after);
            if let Some(r) = &mut st.remaining {
                *r -= batch.len().min(*r);
            }
            Ok(Some((stream::iter(batch.into_iter().map(Ok)), st)))
        })
        .try_flatten()
        .boxed()
    }
}

/// Items that carry their record id (rows of [`Columns`], record structs with an `id`
/// field); used for id-keyed paging.
#[diagnostic::on_unimplemented(
    message = "`{Self}` carries no record id to page by",
    label = "`stream` pages by id",
    note = "read the `id` too: `.fields(...)` rows carry it; a `#[derive(Record)]` struct needs an `id: Id<{M}>` field"
)]
pub trait HasId<M> {
    /// The record's id.
    fn id(&self) -> Id<M>;
}

impl<M, R> HasId<M> for (Id<M>, R) {
    fn id(&self) -> Id<M> {
        self.0
    }
}

impl<M: Model, F> fmt::Debug for SearchRead<M, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "SearchRead({}, {}, {:?})",
            M::NAME,
            self.domain,
            self.page
        )
    }
}

impl<M: Model, F: Fetch<M>> IntoFuture for SearchRead<M, F> {
    type Output = Result<Vec<F::Item>, Error>;
    type IntoFuture = BoxFuture<'static, Self::Output>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            if self.page.limit == Some(0) {
                return Ok(Vec::new());
            }
            Self::fetch_page(&self.repo, &self.fetch, self.domain, &self.page).await
        })
    }
}

/// A `read` call being built; `.await` it.
#[must_use = "a read does nothing until awaited"]
pub struct Read<M, F> {
    repo: Repository<M>,
    ids: Vec<Id<M>>,
    fetch: F,
}

impl<M: Model, F: Fetch<M>> Read<M, F> {
    /// Read these fields.
    pub fn fields<S: FieldSet<M>>(self, fields: S) -> Read<M, Columns<S>> {
        Read {
            repo: self.repo,
            ids: self.ids,
            fetch: Columns(fields),
        }
    }
    /// Decode each record into the program's struct `R`.
    pub fn records<R: Record<Model = M>>(self) -> Read<M, Records<R>> {
        Read {
            repo: self.repo,
            ids: self.ids,
            fetch: Records::new(),
        }
    }
}

impl<M: Model, F> fmt::Debug for Read<M, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Read({}, {:?})", M::NAME, self.ids)
    }
}

impl<M: Model, F: Fetch<M>> IntoFuture for Read<M, F> {
    type Output = Result<Vec<F::Item>, Error>;
    type IntoFuture = BoxFuture<'static, Self::Output>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            let args = Args::new()
                .ids(&self.ids)
                .kwarg("fields", self.fetch.field_names());
            self.repo
                .session
                .invoke(
                    M::NAME,
                    "read",
                    args,
                    &CallOptions::default(),
                    &FetchDecoder::new(&self.fetch),
                )
                .await
        })
    }
}

/// A `name_search` call being built; `.await` it.
#[must_use = "a name_search does nothing until awaited"]
pub struct NameSearch<M> {
    repo: Repository<M>,
    name: String,
    domain: Option<Domain<M>>,
    operator: Option<&'static str>,
    limit: Option<usize>,
}

impl<M: Model> NameSearch<M> {
    /// Only among records matching `domain`. Works on every Odoo release although the
    /// parameter was renamed from `args` to `domain` in 18.3: it is sent as the second
    /// positional argument (by name only over JSON-2, which starts at 19).
    pub fn domain(mut self, domain: Domain<M>) -> Self {
        self.domain = Some(domain);
        self
    }
    /// The match operator (`ilike` by default on the server), e.g. `"="`.
    pub fn operator(mut self, operator: &'static str) -> Self {
        self.operator = Some(operator);
        self
    }
    /// At most `limit` results (the server's default is 100); `limit(0)` means none, without
    /// a call.
    pub fn limit(mut self, limit: usize) -> Self {
        self.limit = Some(limit);
        self
    }
}

impl<M: Model> fmt::Debug for NameSearch<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "NameSearch({}, {:?})", M::NAME, self.name)
    }
}

impl<M: Model> IntoFuture for NameSearch<M> {
    type Output = Result<Vec<Many2one<M>>, Error>;
    type IntoFuture = BoxFuture<'static, Self::Output>;
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            if self.limit == Some(0) {
                return Ok(Vec::new());
            }
            // The domain is name_search's second parameter in every release, but its name
            // changed: `args` before Odoo 18.3, `domain` from 18.3 on (odoo/models.py), and
            // each release refuses the other's keyword. So it goes positionally, `name`
            // before it, which fits any release over XML-RPC; JSON-2 (Odoo 19+) names
            // everything, and names it `domain`.
            let mut args = match self.domain {
                Some(domain) => Args::new().arg("name", &self.name).arg("domain", domain),
                // Without a domain, `name` as a keyword, as Python callers send it.
                None => Args::new().kwarg("name", &self.name),
            };
            if let Some(operator) = self.operator {
                args = args.kwarg("operator", operator);
            }
            if let Some(limit) = self.limit {
                args = args.kwarg("limit", limit);
            }
            self.repo.call("name_search", args).await
        })
    }
}

/// Decodes a read's answer with a [`Fetch`], from either protocol.
struct FetchDecoder<'a, M, F> {
    fetch: &'a F,
    model: PhantomData<fn() -> M>,
}

impl<'a, M, F> FetchDecoder<'a, M, F> {
    fn new(fetch: &'a F) -> Self {
        Self {
            fetch,
            model: PhantomData,
        }
    }
}

impl<M: Model, F: Fetch<M>> Decoder for FetchDecoder<'_, M, F> {
    type Output = Vec<F::Item>;
    fn xmlrpc(
        &self,
        body: &[u8],
        opts: &DecodeOptions,
    ) -> Result<Result<Self::Output, Fault>, ProtocolError> {
        self.fetch.decode(body, opts)
    }
    fn json<'de, D: serde::Deserializer<'de>>(
        &self,
        d: D,
    ) -> Result<Result<Self::Output, ProtocolError>, D::Error> {
        self.fetch.decode_json(d)
    }
}

impl Session {
    /// The typed repository of model `M`.
    pub fn repo<M: Model>(&self) -> Repository<M> {
        Repository::new(self.clone())
    }
}
