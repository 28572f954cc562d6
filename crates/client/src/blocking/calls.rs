//! [`Pending`]: a blocking call being built, with the async builder's methods, sent with
//! `.send()`; and [`Iter`], a stream of records as an iterator.

use std::fmt;
use std::future::IntoFuture;
use std::pin::Pin;
use std::time::Duration;

use futures_util::{Stream, StreamExt};

use super::Handle;
use crate::error::Error;
use crate::repository::aggregate::{Aggregate, AggregateRecords, GroupKeys, GroupRecord, Measures};
use crate::repository::export::{ChangeWindow, Changes, Export, ExportRow, Watermark};
use crate::repository::import::{Import, ImportMode, Progress};
use crate::repository::{HasId, NameSearch, Read, Search, SearchRead};
use crate::typed::domain::{Domain, Order};
use crate::typed::fetch::{Columns, Fetch, FieldSet, Records};
use crate::typed::model::Model;
use crate::typed::record::Record;

/// A call being built on a blocking [`Repository`](super::Repository): the same builder
/// methods as the async call `B`, then `.send()` for its result.
#[must_use = "a call does nothing until sent"]
pub struct Pending<B> {
    inner: B,
    handle: Handle,
}

impl<B: fmt::Debug> fmt::Debug for Pending<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.inner.fmt(f)
    }
}

impl<B> Pending<B> {
    pub(super) fn new(inner: B, handle: Handle) -> Self {
        Self { inner, handle }
    }

    pub(super) fn map<C>(self, f: impl FnOnce(B) -> C) -> Pending<C> {
        Pending {
            inner: f(self.inner),
            handle: self.handle,
        }
    }

    /// Sends the call and waits for its result.
    pub fn send<T>(self) -> Result<T, Error>
    where
        B: IntoFuture<Output = Result<T, Error>>,
    {
        self.handle.wait(self.inner.into_future())
    }
}

/// `offset`, `limit` and `order` passed through to the async builder.
macro_rules! paging {
    ($what:literal) => {
        /// Skip the first `offset` matches.
        pub fn offset(self, offset: usize) -> Self {
            self.map(|b| b.offset(offset))
        }
        #[doc = concat!("At most `limit` ", $what, "; `limit(0)` means none, without a call.")]
        pub fn limit(self, limit: usize) -> Self {
            self.map(|b| b.limit(limit))
        }
        /// The order (see the async call's `order`).
        pub fn order(self, order: Order<M>) -> Self {
            self.map(|b| b.order(order))
        }
    };
}

impl<M: Model> Pending<Search<M>> {
    paging!("ids");
}

impl<M: Model, F: Fetch<M>> Pending<SearchRead<M, F>> {
    paging!("records");

    /// Read these fields (see [`SearchRead::fields`]).
    pub fn fields<S: FieldSet<M>>(self, fields: S) -> Pending<SearchRead<M, Columns<S>>> {
        self.map(|b| b.fields(fields))
    }

    /// Decode each record into `R` (see [`SearchRead::records`]).
    pub fn records<R: Record<Model = M>>(self) -> Pending<SearchRead<M, Records<R>>> {
        self.map(|b| b.records::<R>())
    }

    /// Every match, fetched `batch_size` records per call as the iterator advances (see
    /// [`SearchRead::stream`]); an error ends it.
    pub fn stream(self, batch_size: usize) -> Iter<F::Item>
    where
        F::Item: HasId<M>,
    {
        Iter {
            stream: Some(Box::pin(self.inner.stream(batch_size))),
            handle: self.handle,
        }
    }
}

impl<M: Model, F: Fetch<M>> Pending<Read<M, F>> {
    /// Read these fields (see [`Read::fields`]).
    pub fn fields<S: FieldSet<M>>(self, fields: S) -> Pending<Read<M, Columns<S>>> {
        self.map(|b| b.fields(fields))
    }

    /// Decode each record into `R` (see [`Read::records`]).
    pub fn records<R: Record<Model = M>>(self) -> Pending<Read<M, Records<R>>> {
        self.map(|b| b.records::<R>())
    }
}

impl<M: Model> Pending<NameSearch<M>> {
    /// Only among records matching `domain` (see [`NameSearch::domain`]).
    pub fn domain(self, domain: Domain<M>) -> Self {
        self.map(|b| b.domain(domain))
    }
    /// The match operator (see [`NameSearch::operator`]).
    pub fn operator(self, operator: &'static str) -> Self {
        self.map(|b| b.operator(operator))
    }
    /// At most `limit` results; `limit(0)` means none, without a call.
    pub fn limit(self, limit: usize) -> Self {
        self.map(|b| b.limit(limit))
    }
}

impl<M: Model, K: GroupKeys<M>, A: Measures<M>> Pending<Aggregate<M, K, A>> {
    paging!("groups");

    /// Groups by these keys (see [`Aggregate::group_by`]).
    pub fn group_by<K2: GroupKeys<M>>(self, keys: K2) -> Pending<Aggregate<M, K2, A>> {
        self.map(|b| b.group_by(keys))
    }

    /// Computes these measures per group (see [`Aggregate::measures`]).
    pub fn measures<A2: Measures<M>>(self, measures: A2) -> Pending<Aggregate<M, K, A2>> {
        self.map(|b| b.measures(measures))
    }
}

impl<M: Model> Pending<Aggregate<M, (), ()>> {
    /// Reads each group into `R` (see [`Aggregate::records`]).
    pub fn records<R: GroupRecord<Model = M>>(self) -> Pending<AggregateRecords<R>> {
        self.map(|b| b.records::<R>())
    }
}

impl<R: GroupRecord> Pending<AggregateRecords<R>> {
    /// Skip the first `offset` groups.
    pub fn offset(self, offset: usize) -> Self {
        self.map(|b| b.offset(offset))
    }
    /// At most `limit` groups; `limit(0)` means none, without a call.
    pub fn limit(self, limit: usize) -> Self {
        self.map(|b| b.limit(limit))
    }
    /// The order of the groups (see [`Aggregate::order`]).
    pub fn order(self, order: Order<R::Model>) -> Self {
        self.map(|b| b.order(order))
    }
}

impl<M: Model> Pending<Import<M>> {
    /// Rows per `load` call (see [`Import::batch_size`]).
    pub fn batch_size(self, rows: usize) -> Self {
        self.map(|b| b.batch_size(rows))
    }
    /// `load` calls in flight at once (see [`Import::concurrency`]).
    pub fn concurrency(self, batches: usize) -> Self {
        self.map(|b| b.concurrency(batches))
    }
    /// Create only: refuse rows whose external id exists (see [`Import::create_only`]).
    pub fn create_only(self) -> Self {
        self.map(|b| b.create_only())
    }
    /// What to do with existing records (see [`Import::mode`]).
    pub fn mode(self, mode: ImportMode) -> Self {
        self.map(|b| b.mode(mode))
    }
    /// Mark the external ids `noupdate` (see [`Import::noupdate`]).
    pub fn noupdate(self, noupdate: bool) -> Self {
        self.map(|b| b.noupdate(noupdate))
    }
    /// Called after each batch (see [`Import::on_progress`]).
    pub fn on_progress(self, progress: impl FnMut(&Progress) + Send + 'static) -> Self {
        self.map(|b| b.on_progress(progress))
    }
}

impl<M: Model> Pending<Export<M>> {
    /// The records written since `watermark` (see [`Export::changed_since`]); `.open()` opens
    /// the window.
    pub fn changed_since(self, watermark: Watermark) -> Pending<Changes<M>> {
        self.map(|b| b.changed_since(watermark))
    }
    /// Every matching record, fetched `page_size` records per call as the iterator advances
    /// (see [`Export::stream`]); an error ends it.
    pub fn stream(self, page_size: usize) -> Iter<ExportRow<M>> {
        Iter {
            stream: Some(Box::pin(self.inner.stream(page_size))),
            handle: self.handle,
        }
    }
}

impl<M: Model> Pending<Changes<M>> {
    /// How far before the watermark to read again (see [`Changes::overlap`]).
    pub fn overlap(self, overlap: Duration) -> Self {
        self.map(|b| b.overlap(overlap))
    }
    /// Opens the window, which fixes the next watermark (see [`Changes::open`]).
    pub fn open(self) -> Result<Pending<ChangeWindow<M>>, Error> {
        let window = self.handle.wait(self.inner.open())?;
        Ok(Pending::new(window, self.handle))
    }
}

impl<M: Model> Pending<ChangeWindow<M>> {
    /// The watermark to store once every row is applied (see
    /// [`ChangeWindow::next_watermark`]).
    pub fn next_watermark(&self) -> Watermark {
        self.inner.next_watermark()
    }
    /// The window's records, fetched `page_size` per call as the iterator advances (see
    /// [`ChangeWindow::stream`]); an error ends it.
    pub fn stream(self, page_size: usize) -> Iter<ExportRow<M>> {
        Iter {
            stream: Some(Box::pin(self.inner.stream(page_size))),
            handle: self.handle,
        }
    }
}

/// The async stream an [`Iter`] drives.
type RecordStream<T> = Pin<Box<dyn Stream<Item = Result<T, Error>> + Send>>;

/// Records of a blocking `.stream(n)`, fetched a batch at a time as it is iterated.
pub struct Iter<T> {
    stream: Option<RecordStream<T>>,
    handle: Handle,
}

impl<T> fmt::Debug for Iter<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.stream.is_some() {
            "Iter"
        } else {
            "Iter(done)"
        })
    }
}

impl<T> Iterator for Iter<T> {
    type Item = Result<T, Error>;
    fn next(&mut self) -> Option<Self::Item> {
        let stream = self.stream.as_mut()?;
        let item = match self.handle.wait(async { Ok(stream.next().await) }) {
            Ok(item) => item,
            Err(refused) => Some(Err(refused)),
        };
        if !matches!(item, Some(Ok(_))) {
            // the end, or an error: nothing follows
            self.stream = None;
        }
        item
    }
}
