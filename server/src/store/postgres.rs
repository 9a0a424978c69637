//! The PostgreSQL/PostGIS implementation of [`Store`]: one database that several servers share,
//! with a small pool of connections per process.
//!
//! It behaves as [`super::SqliteStore`] does (the conformance tests in `server/tests/store.rs`
//! run both), and it answers the spatial part of queries itself ([`Store::locate`]): events
//! carry their box as a PostGIS geometry with a GiST index, so no process keeps an index that
//! could go stale. Writes that touch events hold one advisory lock for their transaction, so
//! that incidents are linked one document after another, as SQLite's single writer does.

mod copy;
mod events;
mod feeds;
mod incidents;
mod references;
mod schema;
mod spatial;
mod sums;
mod tls;
mod tokens;

pub use copy::{Copied, copy_sqlite};

use super::cells::with_rows_of_few;
use super::columns::{event_keys, now, parse_date};
use super::{
    Cell, CellRange, Correction, DocumentId, DocumentView, EventExtent, EventFilter, EventId,
    EventRow, EventStatus, Feed, FeedId, FeedPoll, Grid, Imported, IngestResult, NewDocument,
    NewFeed, NewReference, Page, Place, PlaceSum, Result, Role, Store, StoredDocument, StoredEvent,
    TABLE_LEVEL, TokenInfo, bin_events,
};
use crate::rtree::Bbox;
use chrono::{DateTime, Utc};
use events::{EVENT_COLUMNS, Params, ROW_COLUMNS, event_row, load_event, raw_event, reload};
use extract::Event;
use gazetteer::Mention;
use postgres::types::ToSql;
use postgres::{Client, Row, Transaction};
use std::ops::{ControlFlow, Deref, DerefMut};
use std::sync::{Mutex, MutexGuard, PoisonError};
use tls::Connector;
use vocab::ReferenceLayer;

/// Connections kept open between queries.
const POOL_SIZE: usize = 8;

/// Rows fetched at a time when streaming events.
const BATCH: i32 = 512;

/// The key of the advisory lock that writes of events hold.
const WRITE_LOCK: i64 = 0x6b61_7274_6101;

/// A PostgreSQL database with PostGIS holding karta's data.
pub struct PostgresStore {
    connector: Connector,
    pool: Mutex<Vec<Client>>,
}

impl std::fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresStore")
            .field("hosts", &self.connector.config.get_hosts())
            .field("dbname", &self.connector.config.get_dbname())
            .finish()
    }
}

impl Drop for PostgresStore {
    fn drop(&mut self) {
        let clients = std::mem::take(&mut *lock(&self.pool));
        // Closing a client blocks on the client's own runtime, which tokio refuses on one of
        // its threads: there, the clients are closed on a thread of their own.
        if tokio::runtime::Handle::try_current().is_ok() {
            std::thread::spawn(move || drop(clients));
        }
    }
}

/// A pooled connection, back to the pool when dropped.
struct Conn<'a> {
    store: &'a PostgresStore,
    client: Option<Client>,
}

impl Deref for Conn<'_> {
    type Target = Client;

    fn deref(&self) -> &Client {
        self.client
            .as_ref()
            .expect("a connection holds its client until dropped")
    }
}

impl DerefMut for Conn<'_> {
    fn deref_mut(&mut self) -> &mut Client {
        self.client
            .as_mut()
            .expect("a connection holds its client until dropped")
    }
}

impl Drop for Conn<'_> {
    fn drop(&mut self) {
        if let Some(client) = self.client.take().filter(|c| !c.is_closed()) {
            let mut pool = lock(&self.store.pool);
            if pool.len() < POOL_SIZE {
                pool.push(client);
            }
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Whether `db` names a PostgreSQL database (`postgres://…` or `postgresql://…`) rather than
/// an SQLite file.
pub fn is_postgres_url(db: &str) -> bool {
    db.starts_with("postgres://") || db.starts_with("postgresql://")
}

impl PostgresStore {
    /// Connects to the database at `url` (`postgres://user:password@host:port/name`, with
    /// `?sslmode=require` and maybe `&sslrootcert=FILE` for TLS: see `tls.rs`), creating and
    /// migrating its tables as needed. PostGIS must be available; the migration creates
    /// the extension when the user may.
    pub fn open(url: &str) -> Result<Self> {
        let store = Self {
            connector: Connector::from_url(url)?,
            pool: Mutex::new(Vec::new()),
        };
        schema::migrate(&mut *store.conn()?)?;
        Ok(store)
    }

    fn conn(&self) -> Result<Conn<'_>> {
        let pooled = lock(&self.pool).pop();
        let client = match pooled {
            Some(c) => c,
            None => self.connector.connect()?,
        };
        Ok(Conn {
            store: self,
            client: Some(client),
        })
    }

    /// Runs `f` in a transaction that holds the write lock, and commits it.
    fn write<T>(&self, f: impl FnOnce(&mut Transaction<'_>) -> Result<T>) -> Result<T> {
        let mut conn = self.conn()?;
        let mut tx = conn.transaction()?;
        tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK])?;
        let out = f(&mut tx)?;
        tx.commit()?;
        Ok(out)
    }

    /// A person's decision on an event (deleting, restoring, verifying), recorded in its trail
    /// under `action`: whether it is deleted, if that changes, and its status from the one
    /// before.
    fn decide(
        &self,
        id: EventId,
        who: &str,
        action: &str,
        deleted: Option<bool>,
        status: &dyn Fn(EventStatus) -> EventStatus,
    ) -> Result<StoredEvent> {
        self.write(|tx| {
            let id = incidents::shown_as(tx, id)?;
            let before = reload(tx, id)?;
            tx.execute(
                "UPDATE events SET deleted = coalesce($2, deleted), status = $3, updated = $4 \
                 WHERE id = $1",
                &[&id, &deleted, &status(before.status).as_str(), &now()],
            )?;
            let after = reload(tx, id)?;
            events::record(tx, id, who, action, &before, &after)?;
            Ok(after)
        })
    }
}

/// Which events a query may return, apart from its filter.
struct Scope<'a> {
    ids: Option<&'a [EventId]>,
    after: Option<EventId>,
    limit: Option<usize>,
}

impl<'a> Scope<'a> {
    /// Every event among `ids` (or all), from the first, without a limit.
    fn every(ids: Option<&'a [EventId]>) -> Self {
        Self {
            ids,
            after: None,
            limit: None,
        }
    }
}

/// The SQL of a filter and a scope, with its parameters.
fn where_sql(filter: &EventFilter, scope: &Scope<'_>) -> (String, Params) {
    let mut params: Params = Vec::new();
    let mut cond = events::filter_sql(filter, &mut params);
    if let Some(ids) = scope.ids {
        params.push(Box::new(ids.to_vec()));
        cond.push_str(&format!(" AND id = ANY(${})", params.len()));
    }
    if let Some(after) = scope.after {
        params.push(Box::new(after));
        cond.push_str(&format!(" AND id > ${}", params.len()));
    }
    (cond, params)
}

/// Streams `SELECT {columns}` over the events that pass `filter` within `scope`, by ascending
/// id, to `each` until it breaks; rows come in batches through a portal, so memory stays flat.
fn select_events<T>(
    client: &mut Client,
    columns: &str,
    read: fn(&Row) -> Result<T>,
    filter: &EventFilter,
    scope: Scope<'_>,
    each: &mut dyn FnMut(T) -> ControlFlow<()>,
) -> Result<()> {
    let (cond, mut params) = where_sql(filter, &scope);
    let limit = scope
        .limit
        .map_or(i64::MAX, |l| i64::try_from(l).unwrap_or(i64::MAX));
    params.push(Box::new(limit));
    let sql = format!(
        "SELECT {columns} FROM events WHERE {cond} ORDER BY id LIMIT ${}",
        params.len()
    );
    let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p.as_ref()).collect();
    let mut tx = client.transaction()?;
    let portal = tx.bind(&sql, &refs)?;
    loop {
        let rows = tx.query_portal(&portal, BATCH)?;
        let last = rows.len() < BATCH as usize;
        for row in &rows {
            if each(read(row)?).is_break() {
                return Ok(());
            }
        }
        if last {
            return Ok(());
        }
    }
}

/// The columns of [`StoredDocument`], in the order [`document_row`] reads them.
const DOCUMENT_COLUMNS: &str =
    "id, text, title, url, lang, published, ingested, content_hash, extractor";

fn document_row(r: &Row) -> Result<StoredDocument> {
    Ok(StoredDocument {
        id: r.try_get(0)?,
        text: r.try_get(1)?,
        title: r.try_get(2)?,
        url: r.try_get(3)?,
        lang: r.try_get(4)?,
        published: parse_date(r.try_get(5)?),
        ingested: r.try_get(6)?,
        content_hash: r.try_get(7)?,
        extractor: r.try_get(8)?,
    })
}

/// The document with this id, read within a transaction.
fn document_by_id(tx: &mut Transaction<'_>, id: DocumentId) -> Result<StoredDocument> {
    let row = tx.query_one(
        &format!("SELECT {DOCUMENT_COLUMNS} FROM documents WHERE id = $1"),
        &[&id],
    )?;
    document_row(&row)
}

/// Stores a new document's row and gives it back as stored; `None` when one with the same
/// content is there.
fn insert_document_row(
    tx: &mut Transaction<'_>,
    document: &NewDocument,
    hash: &str,
    extractor: &str,
) -> Result<Option<StoredDocument>> {
    let row = tx.query_opt(
        &format!(
            "INSERT INTO documents (content_hash, text, title, url, lang, published, ingested, \
             extractor) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING \
             RETURNING {DOCUMENT_COLUMNS}"
        ),
        &[
            &hash,
            &document.text,
            &document.title,
            &document.url,
            &document.lang,
            &document.published.map(|d| d.to_string()),
            &now(),
            &extractor,
        ],
    )?;
    row.as_ref().map(document_row).transpose()
}

impl Store for PostgresStore {
    fn document_by_hash(&self, hash: &str) -> Result<Option<StoredDocument>> {
        self.conn()?
            .query_opt(
                &format!("SELECT {DOCUMENT_COLUMNS} FROM documents WHERE content_hash = $1"),
                &[&hash],
            )?
            .as_ref()
            .map(document_row)
            .transpose()
    }

    fn insert_document(
        &self,
        document: &NewDocument,
        extractor: &str,
        mentions: &[Mention],
        events: &[Event],
    ) -> Result<IngestResult> {
        let hash = document.content_hash();
        self.write(|tx| {
            let Some(stored) = insert_document_row(tx, document, &hash, extractor)? else {
                let row = tx.query_one(
                    &format!("SELECT {DOCUMENT_COLUMNS} FROM documents WHERE content_hash = $1"),
                    &[&hash],
                )?;
                return Ok(IngestResult {
                    document: document_row(&row)?,
                    created: false,
                    changes: Vec::new(),
                });
            };
            let id = stored.id;
            events::insert_mentions(tx, id, mentions)?;
            for (event, key) in events.iter().zip(event_keys(events)) {
                events::insert_event(tx, Some(id), &key, None, EventStatus::Machine, event)?;
            }
            let changes = incidents::link_document(tx, id, &incidents::Detached::default())?;
            Ok(IngestResult {
                document: stored,
                created: true,
                changes,
            })
        })
    }

    fn reextract_document(
        &self,
        id: DocumentId,
        extractor: &str,
        mentions: &[Mention],
        events: &[Event],
    ) -> Result<IngestResult> {
        self.write(|tx| {
            tx.execute("DELETE FROM mentions WHERE document_id = $1", &[&id])?;
            events::insert_mentions(tx, id, mentions)?;
            tx.execute(
                "UPDATE documents SET extractor = $2 WHERE id = $1",
                &[&id, &extractor],
            )?;
            let detached = incidents::detach_document(tx, id)?;
            let mut stored = events::stored_by_key(tx, id)?;
            let mut changes = events::merge_machine_events(tx, id, events, &mut stored)?;
            changes.extend(events::delete_machine_events(tx, stored.into_values())?);
            changes.extend(incidents::link_document(tx, id, &detached)?);
            Ok(IngestResult {
                document: document_by_id(tx, id)?,
                created: false,
                changes,
            })
        })
    }

    fn document(&self, id: DocumentId) -> Result<Option<DocumentView>> {
        let mut conn = self.conn()?;
        let Some(row) = conn.query_opt(
            &format!("SELECT {DOCUMENT_COLUMNS} FROM documents WHERE id = $1"),
            &[&id],
        )?
        else {
            return Ok(None);
        };
        let mentions = conn
            .query(
                "SELECT data FROM mentions WHERE document_id = $1 ORDER BY char_start, id",
                &[&id],
            )?
            .iter()
            .map(|r| Ok(serde_json::from_str(r.try_get(0)?)?))
            .collect::<Result<Vec<Mention>>>()?;
        let events = conn
            .query(
                &format!("SELECT {EVENT_COLUMNS} FROM events WHERE document_id = $1 ORDER BY id"),
                &[&id],
            )?
            .iter()
            .map(raw_event)
            .collect::<Result<Vec<_>>>()?;
        Ok(Some(DocumentView {
            document: document_row(&row)?,
            mentions,
            events,
        }))
    }

    fn event(&self, id: EventId) -> Result<Option<StoredEvent>> {
        load_event(&mut *self.conn()?, id)
    }

    fn events(
        &self,
        filter: &EventFilter,
        ids: Option<&[EventId]>,
        page: Page,
    ) -> Result<Vec<StoredEvent>> {
        let mut out = Vec::new();
        select_events(
            &mut *self.conn()?,
            EVENT_COLUMNS,
            raw_event,
            filter,
            Scope {
                ids,
                after: page.after,
                limit: Some(page.limit),
            },
            &mut |event| {
                out.push(event);
                ControlFlow::Continue(())
            },
        )?;
        Ok(out)
    }

    fn scan_events(
        &self,
        filter: &EventFilter,
        ids: Option<&[EventId]>,
        after: Option<EventId>,
        limit: Option<usize>,
        sink: &mut dyn FnMut(EventRow) -> ControlFlow<()>,
    ) -> Result<()> {
        select_events(
            &mut *self.conn()?,
            ROW_COLUMNS,
            event_row,
            filter,
            Scope { ids, after, limit },
            sink,
        )
    }

    fn count_events(&self, filter: &EventFilter, ids: Option<&[EventId]>) -> Result<u64> {
        let scope = Scope::every(ids);
        let (cond, params) = where_sql(filter, &scope);
        let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p.as_ref()).collect();
        let n: i64 = self
            .conn()?
            .query_one(&format!("SELECT count(*) FROM events WHERE {cond}"), &refs)?
            .try_get(0)?;
        Ok(n.unsigned_abs())
    }

    fn place_sums(&self, filter: &EventFilter, ids: Option<&[EventId]>) -> Result<Vec<PlaceSum>> {
        let scope = Scope::every(ids);
        let (cond, params) = where_sql(filter, &scope);
        let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p.as_ref()).collect();
        // An event's fatalities as its row reports them: the lowest a source gives, else its
        // own (as SQLite's `sqlite/places.rs`).
        let sql = format!(
            "SELECT place_id, count(*), sum(coalesce((SELECT min((s ->> 'fatalities')::bigint) \
             FROM jsonb_array_elements(sources::jsonb) AS s), \
             (data::jsonb ->> 'fatalities')::bigint, 0))::bigint \
             FROM events WHERE {cond} GROUP BY place_id ORDER BY place_id NULLS FIRST"
        );
        self.conn()?
            .query(&sql, &refs)?
            .iter()
            .map(|r| {
                Ok(PlaceSum {
                    place: r.try_get(0)?,
                    count: r.try_get::<_, i64>(1)?.unsigned_abs(),
                    fatalities: r.try_get::<_, Option<i64>>(2)?.unwrap_or(0).unsigned_abs(),
                })
            })
            .collect()
    }

    fn event_extent(&self) -> Result<EventExtent> {
        let r = self.conn()?.query_one(
            "SELECT min(min_lon), min(min_lat), max(max_lon), max(max_lat), min(date), \
             max(date) FROM events WHERE NOT deleted",
            &[],
        )?;
        let corners: [Option<f64>; 4] =
            [r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?];
        let bbox = match corners {
            [Some(min_lon), Some(min_lat), Some(max_lon), Some(max_lat)] => Some(Bbox {
                min_lon,
                min_lat,
                max_lon,
                max_lat,
            }),
            _ => None,
        };
        let first: Option<String> = r.try_get(4)?;
        let last: Option<String> = r.try_get(5)?;
        Ok(EventExtent {
            bbox,
            first: first.and_then(|d| d.parse().ok()),
            last: last.and_then(|d| d.parse().ok()),
        })
    }

    fn correct_event(&self, id: EventId, corrected: &Event, who: &str) -> Result<StoredEvent> {
        self.write(|tx| {
            let id = incidents::shown_as(tx, id)?;
            let before = reload(tx, id)?;
            events::update_event(tx, id, EventStatus::Corrected, corrected)?;
            incidents::refresh_sources(tx, &[id])?;
            let after = reload(tx, id)?;
            events::record(tx, id, who, "update", &before, &after)?;
            Ok(after)
        })
    }

    fn set_deleted(&self, id: EventId, deleted: bool, who: &str) -> Result<StoredEvent> {
        let action = if deleted { "delete" } else { "restore" };
        self.decide(id, who, action, Some(deleted), &EventStatus::decided)
    }

    fn set_verified(&self, id: EventId, verified: bool, who: &str) -> Result<StoredEvent> {
        let action = if verified { "verify" } else { "unverify" };
        self.decide(id, who, action, None, &|s| s.verified(verified))
    }

    fn corrections(&self, id: EventId) -> Result<Vec<Correction>> {
        self.conn()?
            .query(
                "SELECT id, event_id, who, at, action, before, after FROM corrections \
                 WHERE event_id = $1 ORDER BY id",
                &[&id],
            )?
            .iter()
            .map(|r| {
                Ok(Correction {
                    id: r.try_get(0)?,
                    event_id: r.try_get(1)?,
                    who: r.try_get(2)?,
                    at: r.try_get(3)?,
                    action: r.try_get(4)?,
                    before: serde_json::from_str(r.try_get(5)?)?,
                    after: serde_json::from_str(r.try_get(6)?)?,
                })
            })
            .collect()
    }

    fn import_events(&self, source: &str, events: &[(String, Event)]) -> Result<Imported> {
        self.write(|tx| {
            let mut out = Imported::default();
            for (key, event) in events {
                let key = format!("import:{key}");
                match events::insert_event(
                    tx,
                    None,
                    &key,
                    Some(source),
                    EventStatus::Imported,
                    event,
                )? {
                    Some(change) => {
                        out.inserted += 1;
                        out.changes.push(change);
                    }
                    None => out.skipped += 1,
                }
            }
            Ok(out)
        })
    }

    fn event_bboxes(&self) -> Result<Vec<(EventId, Bbox)>> {
        self.conn()?
            .query(
                "SELECT id, min_lon, min_lat, max_lon, max_lat FROM events \
                 WHERE NOT deleted AND incident IS NULL",
                &[],
            )?
            .iter()
            .map(|r| {
                Ok((
                    r.try_get(0)?,
                    Bbox {
                        min_lon: r.try_get(1)?,
                        min_lat: r.try_get(2)?,
                        max_lon: r.try_get(3)?,
                        max_lat: r.try_get(4)?,
                    },
                ))
            })
            .collect()
    }

    fn counts(&self) -> Result<(u64, u64)> {
        let r = self.conn()?.query_one(
            "SELECT (SELECT count(*) FROM documents), \
             (SELECT count(*) FROM events WHERE NOT deleted AND incident IS NULL)",
            &[],
        )?;
        let (docs, events): (i64, i64) = (r.try_get(0)?, r.try_get(1)?);
        Ok((docs.unsigned_abs(), events.unsigned_abs()))
    }

    /// Always `false`: nothing is cached in the process, the database answers every query.
    fn changed_elsewhere(&self) -> Result<bool> {
        Ok(false)
    }

    fn indexes_places(&self) -> bool {
        true
    }

    fn event_cells(
        &self,
        filter: &EventFilter,
        ids: Option<&[EventId]>,
        grid: Grid,
    ) -> Result<Vec<Cell>> {
        if grid.level > TABLE_LEVEL {
            return bin_events(self, filter, ids, grid);
        }
        let scope = Scope::every(ids);
        let (cond, params) = where_sql(filter, &scope);
        let source = sums::centred(&cond);
        let (cells, few) = sums::binned_cells(&mut *self.conn()?, &source, params, grid)?;
        with_rows_of_few(self, filter, grid, cells, &few)
    }

    fn cells_in_boxes(
        &self,
        filter: &EventFilter,
        boxes: &[Bbox],
        grid: Grid,
    ) -> Result<Option<Vec<Cell>>> {
        if grid.level > TABLE_LEVEL || filter.within.is_some() {
            return Ok(None);
        }
        if boxes.is_empty() {
            return Ok(Some(Vec::new()));
        }
        let (cond, mut params) = where_sql(filter, &Scope::every(None));
        let source = sums::centred_in_boxes(&cond, boxes, &mut params);
        let (cells, few) = sums::binned_cells(&mut *self.conn()?, &source, params, grid)?;
        Ok(Some(with_rows_of_few(self, filter, grid, cells, &few)?))
    }

    fn summed_cells(
        &self,
        filter: &EventFilter,
        grid: Grid,
        ranges: &[CellRange],
    ) -> Result<Option<Vec<Cell>>> {
        sums::summed_cells(&mut *self.conn()?, filter, grid, ranges)
    }

    fn locate(&self, place: &Place) -> Result<Option<Vec<EventId>>> {
        Ok(Some(spatial::locate(&mut *self.conn()?, place)?))
    }

    fn insert_token(
        &self,
        name: &str,
        hash: &str,
        expires: Option<&str>,
        role: Role,
    ) -> Result<TokenInfo> {
        tokens::insert(&mut *self.conn()?, name, hash, expires, role)
    }

    fn token_by_hash(&self, hash: &str) -> Result<Option<TokenInfo>> {
        tokens::by_hash(&mut *self.conn()?, hash)
    }

    fn tokens(&self) -> Result<Vec<TokenInfo>> {
        tokens::all(&mut *self.conn()?)
    }

    fn revoke_tokens(&self, which: &str) -> Result<Vec<TokenInfo>> {
        tokens::revoke(&mut *self.conn()?, which)
    }

    fn touch_token(&self, id: i64) -> Result<()> {
        tokens::touch(&mut *self.conn()?, id)
    }

    fn insert_session(&self, token_id: i64, hash: &str, expires: &str) -> Result<()> {
        tokens::insert_session(&mut *self.conn()?, token_id, hash, expires)
    }

    fn session_token(&self, hash: &str) -> Result<Option<TokenInfo>> {
        tokens::session_token(&mut *self.conn()?, hash)
    }

    fn revoke_session(&self, hash: &str) -> Result<()> {
        tokens::revoke_session(&mut *self.conn()?, hash)
    }

    fn insert_feed(&self, feed: &NewFeed) -> Result<Feed> {
        feeds::insert(&mut *self.conn()?, feed)
    }

    fn feeds(&self) -> Result<Vec<Feed>> {
        feeds::all(&mut *self.conn()?)
    }

    fn claim_due_feeds(&self, now: DateTime<Utc>, until: DateTime<Utc>) -> Result<Vec<Feed>> {
        feeds::claim_due(&mut *self.conn()?, now, until)
    }

    fn delete_feed(&self, id: FeedId) -> Result<bool> {
        let mut conn = self.conn()?;
        let mut tx = conn.transaction()?;
        let deleted = feeds::delete(&mut tx, id)?;
        tx.commit()?;
        Ok(deleted)
    }

    fn record_poll(&self, id: FeedId, poll: &FeedPoll) -> Result<()> {
        feeds::record_poll(&mut *self.conn()?, id, poll)
    }

    fn feed_item_seen(&self, link: &str) -> Result<bool> {
        feeds::item_seen(&mut *self.conn()?, link)
    }

    fn record_feed_item(
        &self,
        feed: FeedId,
        link: &str,
        document: Option<DocumentId>,
    ) -> Result<()> {
        feeds::record_item(&mut *self.conn()?, feed, link, document)
    }

    fn insert_reference(&self, layer: &NewReference, who: &str) -> Result<ReferenceLayer> {
        references::insert(&mut *self.conn()?, layer, who)
    }

    fn references(&self) -> Result<Vec<ReferenceLayer>> {
        references::all(&mut *self.conn()?)
    }

    fn reference_geojson(&self, id: i64) -> Result<Option<String>> {
        references::geojson(&mut *self.conn()?, id)
    }

    fn delete_reference(&self, id: i64) -> Result<bool> {
        references::delete(&mut *self.conn()?, id)
    }
}
