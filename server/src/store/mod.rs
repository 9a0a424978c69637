//! Storage of documents, mentions, events, corrections, tokens and news feeds behind one
//! trait, [`Store`].
//!
//! The default implementation is [`SqliteStore`], an SQLite file in WAL mode created and
//! migrated on first open. [`PostgresStore`] keeps the same data in PostgreSQL with PostGIS,
//! for several servers sharing one database. [`open`] opens either from a path or a URL.

mod cells;
mod columns;
mod feed;
mod filter;
mod model;
mod postgres;
pub(crate) use model::day;
mod schema;
mod sqlite;

pub use cells::{
    Cell, CellRange, FEW, Grid, MAX_LEVEL, TABLE_LEVEL, bin_events, day_number, day_of_number,
    mercator_souths, merge_cell,
};
pub use feed::{Feed, FeedHealth, FeedId, FeedPoll, NewFeed, Validators};
pub use filter::{Area, EventFilter, Page, Place};
pub use model::{
    Correction, DocumentId, DocumentView, EventChange, EventExtent, EventId, EventRow, EventStatus,
    Imported, IngestResult, NewDocument, Role, StoredDocument, StoredEvent, TokenInfo,
};
pub use postgres::{Copied, PostgresStore, copy_sqlite, is_postgres_url};
pub use sqlite::SqliteStore;

use crate::rtree::Bbox;
use chrono::{DateTime, Utc};
use extract::Event;
use gazetteer::Mention;
use std::ops::ControlFlow;
use std::sync::Arc;
use vocab::ReferenceLayer;

/// What can go wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database failed.
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A stored JSON value could not be read or written.
    #[error("stored JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// The database file was written by a newer karta.
    #[error("database schema version {found} is newer than this karta knows ({known})")]
    NewerSchema {
        /// The version found in the file.
        found: i64,
        /// The newest version this build knows.
        known: i64,
    },
    /// No event has this id.
    #[error("no event {0}")]
    NoEvent(EventId),
    /// No document has this id.
    #[error("no document {0}")]
    NoDocument(DocumentId),
    /// A feed with this URL is already polled.
    #[error("the feed {0} is already there")]
    DuplicateFeed(String),
    /// PostgreSQL failed (the driver's error and its causes: a refused certificate says why).
    #[error("PostgreSQL: {}", with_causes(.0))]
    Postgres(#[from] ::postgres::Error),
    /// The PostgreSQL URL asks for TLS that cannot be set up (an unknown `sslmode`, a root
    /// certificate file that cannot be read).
    #[error("PostgreSQL TLS: {0}")]
    Tls(String),
    /// A stored value could not be read.
    #[error("stored value: {0}")]
    Value(String),
    /// The database file could not be created.
    #[error("creating the database file: {0}")]
    Create(#[from] std::io::Error),
}

/// An error and the causes below it, each after a colon.
fn with_causes(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(e) = cause {
        let said = e.to_string();
        if !text.ends_with(&said) {
            text = format!("{text}: {said}");
        }
        cause = e.source();
    }
    text
}

/// How the store writes a time: RFC 3339 in UTC with milliseconds, one width for every time, so
/// that times compare as text.
pub fn timestamp(at: chrono::DateTime<chrono::Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Opens the store that `db` names: a PostgreSQL database for a `postgres://` or
/// `postgresql://` URL, else the SQLite file at that path; either is created and migrated as
/// needed.
pub fn open(db: &str) -> Result<Arc<dyn Store>> {
    Ok(if is_postgres_url(db) {
        Arc::new(PostgresStore::open(db)?)
    } else {
        Arc::new(SqliteStore::open(db)?)
    })
}

/// A database name as messages show it: a URL without its password.
pub fn shown(db: &str) -> String {
    match db.split_once("://") {
        Some((scheme, rest)) => match rest.split_once('@') {
            Some((user, host)) => {
                let user = user.split(':').next().unwrap_or_default();
                format!("{scheme}://{user}@{host}")
            }
            None => db.to_owned(),
        },
        None => db.to_owned(),
    }
}

/// The store's result type.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Everything karta keeps, behind one interface so that another database can stand in.
///
/// Every method that writes does so in one transaction: either all of it lands or none.
pub trait Store: Send + Sync {
    /// The document whose content hash is `hash`, if any.
    fn document_by_hash(&self, hash: &str) -> Result<Option<StoredDocument>>;

    /// Stores a new document with its mentions and events. When a document with the same
    /// content hash already exists (a concurrent ingest won the race), nothing is written and
    /// the existing document is returned with `created: false`.
    fn insert_document(
        &self,
        document: &NewDocument,
        extractor: &str,
        mentions: &[Mention],
        events: &[Event],
    ) -> Result<IngestResult>;

    /// Replaces a document's mentions and machine events with a new extraction. Events a person
    /// corrected or deleted are kept as they are; machine events keep their id when the new
    /// extraction finds them again (same key).
    fn reextract_document(
        &self,
        id: DocumentId,
        extractor: &str,
        mentions: &[Mention],
        events: &[Event],
    ) -> Result<IngestResult>;

    /// A document with its mentions and events (deleted events included, marked).
    fn document(&self, id: DocumentId) -> Result<Option<DocumentView>>;

    /// One event, deleted or not.
    fn event(&self, id: EventId) -> Result<Option<StoredEvent>>;

    /// A page of events that pass `filter`, by ascending id after `page.after`. When `ids` is
    /// given (sorted ascending, from the R-tree), only those events are considered.
    fn events(
        &self,
        filter: &EventFilter,
        ids: Option<&[EventId]>,
        page: Page,
    ) -> Result<Vec<StoredEvent>>;

    /// Streams the flat rows of the events that pass `filter` (by ascending id, only ids after
    /// `after`, at most `limit`) to `sink` until it breaks. Memory does not grow with the number
    /// of rows.
    fn scan_events(
        &self,
        filter: &EventFilter,
        ids: Option<&[EventId]>,
        after: Option<EventId>,
        limit: Option<usize>,
        sink: &mut dyn FnMut(EventRow) -> ControlFlow<()>,
    ) -> Result<()>;

    /// How many events pass `filter` (among `ids` when given, sorted ascending): the
    /// `numberMatched` of a page of the OGC API.
    fn count_events(&self, filter: &EventFilter, ids: Option<&[EventId]>) -> Result<u64>;

    /// Bins on `grid` the events that pass `filter` (among `ids` when given, sorted
    /// ascending): each cell's count, sums, types and days, with its events when it holds at
    /// most [`FEW`]. By default every event is read ([`bin_events`]).
    fn event_cells(
        &self,
        filter: &EventFilter,
        ids: Option<&[EventId]>,
        grid: Grid,
    ) -> Result<Vec<Cell>> {
        bin_events(self, filter, ids, grid)
    }

    /// Bins on `grid` the events that pass `filter` and meet one of `boxes` (none crossing
    /// the antimeridian), as [`Store::event_cells`] bins the ids the spatial index finds in
    /// them: the thin strips along a view's edges that the sums do not answer. `None` when
    /// the store does not find places itself (the default), so that the caller asks the R-tree
    /// for the ids.
    fn cells_in_boxes(
        &self,
        filter: &EventFilter,
        boxes: &[Bbox],
        grid: Grid,
    ) -> Result<Option<Vec<Cell>>> {
        let _ = (filter, boxes, grid);
        Ok(None)
    }

    /// The cells of `grid` within `ranges` (which do not overlap) for `filter`, summed from
    /// sums the store keeps, without reading the events (the cells carry no events); `None`
    /// when the store keeps no sums for this grid or this filter (the default), so that the
    /// caller bins with [`Store::event_cells`].
    fn summed_cells(
        &self,
        filter: &EventFilter,
        grid: Grid,
        ranges: &[CellRange],
    ) -> Result<Option<Vec<Cell>>> {
        let _ = (filter, grid, ranges);
        Ok(None)
    }

    /// The events that pass `filter` (among `ids` when given, sorted ascending) summed per
    /// place: each place's GeoNames id (`None` for the events without one), how many, and
    /// their fatalities as their rows report them (the lowest a source gives, else the
    /// event's own). By default every row is read ([`sum_places`]); the stores group in SQL.
    fn place_sums(&self, filter: &EventFilter, ids: Option<&[EventId]>) -> Result<Vec<PlaceSum>> {
        sum_places(self, filter, ids)
    }

    /// Where and when the events that are not deleted lie: the extent of the OGC API's
    /// collection.
    fn event_extent(&self) -> Result<EventExtent>;

    /// Replaces an event's content with a person's correction, recording the change.
    fn correct_event(&self, id: EventId, corrected: &Event, who: &str) -> Result<StoredEvent>;

    /// Deletes (`true`) or restores (`false`) an event, recording the change.
    fn set_deleted(&self, id: EventId, deleted: bool, who: &str) -> Result<StoredEvent>;

    /// Marks an event verified by a reviewer (`true`), or takes the mark back (`false`: the
    /// event is then `corrected`), recording the change.
    fn set_verified(&self, id: EventId, verified: bool, who: &str) -> Result<StoredEvent>;

    /// The corrections made to an event, oldest first.
    fn corrections(&self, id: EventId) -> Result<Vec<Correction>>;

    /// Stores events that come from another tool, skipping those already imported (same key).
    fn import_events(&self, source: &str, events: &[(String, Event)]) -> Result<Imported>;

    /// The bounding box of every event that is not deleted, for building the R-tree.
    fn event_bboxes(&self) -> Result<Vec<(EventId, Bbox)>>;

    /// Number of documents and of events that are not deleted.
    fn counts(&self) -> Result<(u64, u64)>;

    /// Whether another process wrote to the database since the last call.
    fn changed_elsewhere(&self) -> Result<bool>;

    /// Whether the database answers where events are itself ([`Store::locate`]); when it does
    /// not, the caller keeps an R-tree of [`Store::event_bboxes`].
    fn indexes_places(&self) -> bool {
        false
    }

    /// The ids of the events at `place` that are neither deleted nor following another,
    /// ascending (nearest first for [`Place::Nearest`]); `None` when the database does not
    /// index places ([`Store::indexes_places`]).
    fn locate(&self, _place: &Place) -> Result<Option<Vec<EventId>>> {
        Ok(None)
    }

    /// Stores a new token's hash under a name, with what it may do, accepted until `expires`
    /// (RFC 3339, UTC) if given.
    fn insert_token(
        &self,
        name: &str,
        hash: &str,
        expires: Option<&str>,
        role: Role,
    ) -> Result<TokenInfo>;

    /// The token with this hash, if there is one that is neither revoked nor expired.
    fn token_by_hash(&self, hash: &str) -> Result<Option<TokenInfo>>;

    /// Adds a feed to poll; its first poll is due at once.
    fn insert_feed(&self, feed: &NewFeed) -> Result<Feed>;

    /// Every feed with its health, by id.
    fn feeds(&self) -> Result<Vec<Feed>>;

    /// Removes a feed; `false` when there was none. The links of its items stay known, so
    /// that adding it again stores nothing twice.
    fn delete_feed(&self, id: FeedId) -> Result<bool>;

    /// Takes the feeds whose next poll is due at `now` for one poller: each one's next poll is
    /// moved to `until` in the same statement, so that another server polling the same
    /// database does not take it too (if this one dies mid-poll, the feed is due again at
    /// `until`); [`Store::record_poll`] then sets its real next poll. By id.
    fn claim_due_feeds(&self, now: DateTime<Utc>, until: DateTime<Utc>) -> Result<Vec<Feed>>;

    /// Records how a poll of a feed went (validators, health, next poll).
    fn record_poll(&self, id: FeedId, poll: &FeedPoll) -> Result<()>;

    /// Whether a feed item with this link was seen before, in any feed.
    fn feed_item_seen(&self, link: &str) -> Result<bool>;

    /// Records a feed item's link as seen, with the document it became, if any.
    fn record_feed_item(
        &self,
        feed: FeedId,
        link: &str,
        document: Option<DocumentId>,
    ) -> Result<()>;

    /// Every token, oldest first, revoked and expired ones included.
    fn tokens(&self) -> Result<Vec<TokenInfo>>;

    /// Revokes the tokens not yet revoked whose id or name is `which`, and ends their
    /// sessions; returns the tokens revoked.
    fn revoke_tokens(&self, which: &str) -> Result<Vec<TokenInfo>>;

    /// Records that a token was accepted just now.
    fn touch_token(&self, id: i64) -> Result<()>;

    /// Stores a new browser session of a token by its id's hash, valid until `expires`
    /// (RFC 3339, UTC).
    fn insert_session(&self, token_id: i64, hash: &str, expires: &str) -> Result<()>;

    /// The token of the session with this hash, when the session and its token are both
    /// neither revoked nor expired.
    fn session_token(&self, hash: &str) -> Result<Option<TokenInfo>>;

    /// Ends the session with this hash.
    fn revoke_session(&self, hash: &str) -> Result<()>;

    /// Keeps a reference layer for the map: a GeoJSON file (checked by
    /// [`vocab::read_reference`]) with its name and number of features, added by `who`.
    fn insert_reference(&self, layer: &NewReference, who: &str) -> Result<ReferenceLayer>;

    /// Every reference layer, by id.
    fn references(&self) -> Result<Vec<ReferenceLayer>>;

    /// The GeoJSON of a reference layer; `None` when no layer has this id.
    fn reference_geojson(&self, id: i64) -> Result<Option<String>>;

    /// Removes a reference layer; `false` when there was none.
    fn delete_reference(&self, id: i64) -> Result<bool>;
}

/// The events at one place, summed ([`Store::place_sums`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PlaceSum {
    /// The place's GeoNames id; `None` for events placed on no gazetteer place.
    pub place: Option<i64>,
    /// How many events.
    pub count: u64,
    /// The sum of their reported fatalities.
    pub fatalities: u64,
}

/// Sums of events per place as their rows are read, by place (events without a place first).
#[derive(Debug, Clone, Default)]
pub struct PlaceTally(std::collections::BTreeMap<Option<i64>, PlaceSum>);

impl PlaceTally {
    /// Counts one event's row.
    pub fn add(&mut self, row: &EventRow) {
        self.add_sum(PlaceSum {
            place: row.fields.place_id,
            count: 1,
            fatalities: u64::from(row.fields.fatalities.unwrap_or(0)),
        });
    }

    /// Adds the sums of some events at a place.
    pub fn add_sum(&mut self, sum: PlaceSum) {
        let at = self.0.entry(sum.place).or_insert(PlaceSum {
            place: sum.place,
            ..PlaceSum::default()
        });
        at.count += sum.count;
        at.fatalities += sum.fatalities;
    }

    /// The sums, by place.
    pub fn finish(self) -> Vec<PlaceSum> {
        self.0.into_values().collect()
    }
}

/// [`Store::place_sums`] by reading every row that passes `filter`: what a store that cannot
/// group does, and what the others are checked against.
pub fn sum_places<S: Store + ?Sized>(
    store: &S,
    filter: &EventFilter,
    ids: Option<&[EventId]>,
) -> Result<Vec<PlaceSum>> {
    let mut tally = PlaceTally::default();
    store.scan_events(filter, ids, None, None, &mut |row| {
        tally.add(&row);
        ControlFlow::Continue(())
    })?;
    Ok(tally.finish())
}

/// A reference layer to keep: its name and its GeoJSON, already checked.
#[derive(Debug, Clone, PartialEq)]
pub struct NewReference {
    /// Its name ([`vocab::reference_name`]).
    pub name: String,
    /// The GeoJSON file as it came.
    pub geojson: String,
    /// How many features with a geometry it holds.
    pub features: u64,
}
