//! The SQLite implementation of [`Store`]: one file in WAL mode, one writing connection and a
//! small pool of reading ones.

mod clusters;
mod incidents;
mod places;
mod references;
mod spatial;

use super::cells::{BinnedPoint, PointBins, with_rows_of_few};
use super::columns::{
    Columns, KeptEvent, RawEvent, Reextracted, conservative, event_keys, machine_events_gone, now,
    parse_date, reextraction, source_urls, stored_event,
};
use super::schema;
use super::{
    Cell, CellRange, Correction, DocumentId, DocumentView, EventChange, EventExtent, EventFilter,
    EventId, EventRow, EventStatus, Feed, FeedId, FeedPoll, Grid, Imported, IngestResult,
    NewDocument, NewFeed, NewReference, Page, PlaceSum, Result, Role, Store, StoreError,
    StoredDocument, StoredEvent, TokenInfo,
};
use crate::rtree::Bbox;
use chrono::{DateTime, Datelike, Utc};
use extract::Event;
use gazetteer::Mention;
use rusqlite::types::Value;
use rusqlite::{Connection, OpenFlags, OptionalExtension, Row, ToSql, Transaction, params};
use std::collections::HashMap;
use std::ops::{ControlFlow, Deref};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::{Mutex, MutexGuard, PoisonError};
use vocab::ReferenceLayer;

mod feeds;

/// Ids passed to SQLite per query when the R-tree chose the candidates.
const ID_CHUNK: usize = 4096;

/// Reading connections kept open between queries.
const POOL_SIZE: usize = 8;

/// The writing connection's page cache, in KiB (SQLite's default is 2 MiB). Each stored event
/// updates the sums of seven grid levels and their spans, scattered over tables that outgrow
/// a small cache within a few hundred thousand events; with this one, storing 100,000
/// events spends 2 s in the kernel instead of 17 s. The cache fills only as pages are read.
const WRITER_CACHE_KIB: i64 = 256 * 1024;

/// The centre of an event's box, longitude and latitude: the longitude is the middle of the
/// box, taken across the antimeridian when the box crosses it (`min_lon > max_lon`).
macro_rules! centre_columns {
    () => {
        "CASE WHEN min_lon <= max_lon THEN (min_lon + max_lon) / 2 \
         WHEN min_lon + max_lon > 0 THEN (min_lon + max_lon) / 2 - 180 \
         ELSE (min_lon + max_lon) / 2 + 180 END, (min_lat + max_lat) / 2"
    };
}

/// The columns of [`EventRow`], in the order [`event_row`] reads them.
const ROW_COLUMNS: &str = concat!(
    "id, document_id, status, deleted, event_type, sub_type, date, date_precision, \
     location_precision, country, place_id, place_name, actors, claim, sentence, confidence, \
     updated, ",
    centre_columns!(),
    ", geometry, data, json_extract(data, '$.fatalities'), json_extract(data, '$.wounded'), \
     sources, json_extract(data, '$.geo_precision'), json_extract(data, '$.actor1.text'), \
     json_extract(data, '$.actor2.text')"
);

/// The columns of [`BinnedPoint`], in the order [`binned_point`] reads them.
const POINT_COLUMNS: &str = concat!("id, ", centre_columns!(), ", event_type, day");

/// The columns of [`StoredEvent`], in the order [`stored_event`] reads them.
const EVENT_COLUMNS: &str = "id, document_id, status, deleted, updated, data, incident, sources";

/// An SQLite database file holding karta's data.
pub struct SqliteStore {
    path: PathBuf,
    writer: Mutex<Connection>,
    readers: Mutex<Vec<Connection>>,
    data_version: Mutex<Option<i64>>,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.path)
            .finish()
    }
}

/// A reading connection, back to the pool when dropped.
struct Reader<'a> {
    store: &'a SqliteStore,
    conn: Option<Connection>,
}

impl Deref for Reader<'_> {
    type Target = Connection;

    fn deref(&self) -> &Connection {
        self.conn
            .as_ref()
            .expect("a reader holds its connection until dropped")
    }
}

impl Drop for Reader<'_> {
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            let mut pool = lock(&self.store.readers);
            if pool.len() < POOL_SIZE {
                pool.push(conn);
            }
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The columns of [`POINT_COLUMNS`] as a point to bin.
fn binned_point(r: &Row<'_>) -> rusqlite::Result<BinnedPoint> {
    Ok(BinnedPoint {
        id: r.get(0)?,
        lon: r.get(1)?,
        lat: r.get(2)?,
        event_type: r.get(3)?,
        day: r.get(4)?,
    })
}

/// Creates the database file, when there is none, readable and writable by its owner only
/// (0600): it holds the tokens' hashes and every document. SQLite gives its `-wal` and `-shm`
/// files the same mode.
fn create_private(path: &Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

impl SqliteStore {
    /// Opens the database at `path`, creating and migrating it as needed.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref().to_owned();
        create_private(&path)?;
        let mut writer = Self::connect(&path, OpenFlags::default())?;
        writer.pragma_update(None, "journal_mode", "WAL")?;
        writer.pragma_update(None, "cache_size", -WRITER_CACHE_KIB)?;
        schema::migrate(&mut writer)?;
        Ok(Self {
            path,
            writer: Mutex::new(writer),
            readers: Mutex::new(Vec::new()),
            data_version: Mutex::new(None),
        })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn connect(path: &Path, flags: OpenFlags) -> Result<Connection> {
        let conn = Connection::open_with_flags(path, flags)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        // In WAL mode, NORMAL loses no committed transaction when the process dies; only a
        // power cut may lose the last ones.
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        rusqlite::vtab::array::load_module(&conn)?;
        spatial::register(&conn)?;
        Ok(conn)
    }

    fn reader(&self) -> Result<Reader<'_>> {
        let pooled = lock(&self.readers).pop();
        let conn = match pooled {
            Some(c) => c,
            None => Self::connect(
                &self.path,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?,
        };
        Ok(Reader {
            store: self,
            conn: Some(conn),
        })
    }

    fn writer(&self) -> MutexGuard<'_, Connection> {
        lock(&self.writer)
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
        let mut conn = self.writer();
        let tx = conn.transaction()?;
        let id = incidents::shown_as(&tx, id)?;
        let before = load_event(&tx, id)?.ok_or(StoreError::NoEvent(id))?;
        tx.execute(
            "UPDATE events SET deleted = coalesce(?2, deleted), status = ?3, updated = ?4 \
             WHERE id = ?1",
            params![id, deleted, status(before.status).as_str(), now()],
        )?;
        let after = load_event(&tx, id)?.ok_or(StoreError::NoEvent(id))?;
        record(&tx, id, who, action, &before, &after)?;
        tx.commit()?;
        Ok(after)
    }
}

impl Columns {
    /// The columns an event writes, as the named parameters that `INSERT` and `UPDATE` share
    /// (`:event_type` … `:data`).
    fn params<'a>(&'a self, event: &'a Event) -> Vec<(&'static str, &'a dyn ToSql)> {
        vec![
            (":event_type", &self.event_type),
            (":sub_type", &event.sub_type),
            (":date", &self.date),
            (":day", &self.day),
            (":date_precision", &self.date_precision),
            (":location_precision", &self.location_precision),
            (":country", &self.country),
            (":place_id", &self.place_id),
            (":place_name", &self.place_name),
            (":actors", &self.actors),
            (":claim", &self.claim),
            (":sentence", &event.sentence.text),
            (":confidence", &event.confidence),
            (":geometry", &self.geometry),
            (":min_lon", &self.bbox.min_lon),
            (":min_lat", &self.bbox.min_lat),
            (":max_lon", &self.bbox.max_lon),
            (":max_lat", &self.bbox.max_lat),
            (":data", &self.data),
        ]
    }
}

fn insert_event(
    tx: &Transaction<'_>,
    document_id: Option<DocumentId>,
    key: &str,
    source: Option<&str>,
    status: EventStatus,
    event: &Event,
) -> Result<Option<EventChange>> {
    let c = Columns::of(event)?;
    let at = now();
    let status = status.as_str();
    let mut params = c.params(event);
    params.extend([
        (":document_id", &document_id as &dyn ToSql),
        (":key", &key),
        (":source", &source),
        (":status", &status),
        (":at", &at),
    ]);
    let n = tx
        .prepare_cached(
            "INSERT OR IGNORE INTO events (document_id, key, source, status, deleted, event_type, \
         sub_type, date, day, date_precision, location_precision, country, place_id, place_name, \
         actors, claim, sentence, confidence, geometry, min_lon, min_lat, max_lon, max_lat, data, \
         created, updated) VALUES (:document_id, :key, :source, :status, 0, :event_type, \
         :sub_type, :date, :day, :date_precision, :location_precision, :country, :place_id, \
         :place_name, :actors, :claim, :sentence, :confidence, :geometry, :min_lon, :min_lat, \
         :max_lon, :max_lat, :data, :at, :at)",
        )?
        .execute(params.as_slice())?;
    if n == 0 {
        return Ok(None);
    }
    let id = tx.last_insert_rowid();
    tx.prepare_cached("INSERT INTO events_fts (rowid, body) VALUES (?1, ?2)")?
        .execute(params![id, c.fts])?;
    Ok(Some(EventChange {
        id,
        bbox: Some(c.bbox),
    }))
}

fn update_event(
    tx: &Transaction<'_>,
    id: EventId,
    status: EventStatus,
    event: &Event,
) -> Result<EventChange> {
    let c = Columns::of(event)?;
    let at = now();
    let status = status.as_str();
    let mut params = c.params(event);
    params.extend([
        (":id", &id as &dyn ToSql),
        (":status", &status),
        (":at", &at),
    ]);
    tx.execute(
        "UPDATE events SET status = :status, event_type = :event_type, sub_type = :sub_type, \
         date = :date, day = :day, date_precision = :date_precision, \
         location_precision = :location_precision, country = :country, place_id = :place_id, \
         place_name = :place_name, actors = :actors, claim = :claim, sentence = :sentence, \
         confidence = :confidence, geometry = :geometry, min_lon = :min_lon, min_lat = :min_lat, \
         max_lon = :max_lon, max_lat = :max_lat, data = :data, updated = :at WHERE id = :id",
        params.as_slice(),
    )?;
    tx.execute("DELETE FROM events_fts WHERE rowid = ?1", [id])?;
    tx.prepare_cached("INSERT INTO events_fts (rowid, body) VALUES (?1, ?2)")?
        .execute(params![id, c.fts])?;
    Ok(EventChange {
        id,
        bbox: Some(c.bbox),
    })
}

fn insert_mentions(tx: &Transaction<'_>, id: DocumentId, mentions: &[Mention]) -> Result<()> {
    let mut stmt = tx.prepare_cached(
        "INSERT INTO mentions (document_id, char_start, char_end, place_id, score, data) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for m in mentions {
        stmt.execute(params![
            id,
            m.chars.start as i64,
            m.chars.end as i64,
            m.place.id,
            m.score,
            serde_json::to_string(m)?,
        ])?;
    }
    Ok(())
}

fn document_row(r: &Row<'_>) -> rusqlite::Result<StoredDocument> {
    Ok(StoredDocument {
        id: r.get(0)?,
        text: r.get(1)?,
        title: r.get(2)?,
        url: r.get(3)?,
        lang: r.get(4)?,
        published: parse_date(r.get(5)?),
        ingested: r.get(6)?,
        content_hash: r.get(7)?,
        extractor: r.get(8)?,
    })
}

const DOCUMENT_COLUMNS: &str =
    "id, text, title, url, lang, published, ingested, content_hash, extractor";

fn event_row(r: &Row<'_>) -> rusqlite::Result<EventRow> {
    let event_type: String = r.get(4)?;
    let sub_type: String = r.get(5)?;
    let date_precision: Option<String> = r.get(7)?;
    let disorder_type = vocab::EventType::parse(&event_type)
        .and_then(|t| t.disorder_type(&sub_type))
        .map(str::to_owned);
    let time_precision = date_precision.as_deref().and_then(vocab::time_precision);
    let sources = sources(r, 23)?;
    let fields = vocab::EventRow {
        id: r.get(0)?,
        document_id: r.get(1)?,
        status: r.get(2)?,
        deleted: r.get(3)?,
        event_type,
        sub_type,
        date: r.get(6)?,
        date_precision,
        location_precision: r.get(8)?,
        country: r.get(9)?,
        place_id: r.get(10)?,
        place_name: r.get(11)?,
        division: String::new(),
        actors: r.get(12)?,
        actor1: r.get(25)?,
        actor2: r.get(26)?,
        claim: r.get(13)?,
        sentence: r.get(14)?,
        confidence: r.get(15)?,
        updated: r.get(16)?,
        lon: r.get(17)?,
        lat: r.get(18)?,
        disorder_type,
        time_precision,
        geo_precision: r.get(24)?,
        fatalities: conservative(r.get(21)?, sources.iter().map(|s| s.fatalities)),
        wounded: conservative(r.get(22)?, sources.iter().map(|s| s.wounded)),
        source_count: u32::try_from(sources.len()).unwrap_or(u32::MAX),
        source_urls: source_urls(&sources),
    };
    Ok(EventRow {
        fields,
        geometry: r.get(19)?,
        data: r.get(20)?,
        sources,
    })
}

/// The sources in column `index` (the column `sources`, kept by [`incidents`]).
fn sources(r: &Row<'_>, index: usize) -> rusqlite::Result<Vec<vocab::Source>> {
    let text: String = r.get(index)?;
    serde_json::from_str(&text).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, e.into())
    })
}

fn raw_event(r: &Row<'_>) -> rusqlite::Result<RawEvent> {
    Ok(RawEvent {
        id: r.get(0)?,
        document_id: r.get(1)?,
        status: r.get(2)?,
        deleted: r.get(3)?,
        updated: r.get(4)?,
        data: r.get(5)?,
        incident: r.get(6)?,
        sources: sources(r, 7)?,
    })
}

fn load_event(conn: &Connection, id: EventId) -> Result<Option<StoredEvent>> {
    conn.query_row(
        &format!("SELECT {EVENT_COLUMNS} FROM events WHERE id = ?1"),
        [id],
        raw_event,
    )
    .optional()?
    .map(stored_event)
    .transpose()
}

/// An FTS5 query that matches every word of `q` as typed: each word is quoted, so no
/// user input is read as FTS5 syntax.
fn fts_query(q: &str) -> String {
    q.split_whitespace()
        .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The SQL condition for a filter, with its parameters appended to `params`.
fn filter_sql(f: &EventFilter, params: &mut Vec<Value>) -> String {
    let mut conds: Vec<String> = Vec::new();
    if let Some(area) = &f.within {
        conds.push(spatial::area_condition(area, params));
    }
    // Appends a condition whose one `?` stands for `v`.
    let mut push = |cond: &str, v: Value| {
        params.push(v);
        conds.push(cond.replace('?', &format!("?{}", params.len())));
    };
    if let Some(d) = f.from {
        push("day >= ?", Value::Integer(d.num_days_from_ce().into()));
    }
    if let Some(d) = f.to {
        push("day <= ?", Value::Integer(d.num_days_from_ce().into()));
    }
    if let Some(c) = &f.country {
        push("country = ? COLLATE NOCASE", Value::Text(c.clone()));
    }
    if let Some(a) = &f.actor {
        push("instr(lower(actors), lower(?)) > 0", Value::Text(a.clone()));
    }
    if let Some(c) = f.min_confidence {
        push("confidence >= ?", Value::Real(c));
    }
    if let Some(p) = f.max_geo_precision.filter(|&p| p < 3) {
        push(
            "coalesce(json_extract(data, '$.geo_precision'), 3) <= ? \
             AND location_precision != 'document'",
            Value::Integer(i64::from(p)),
        );
    }
    if let Some(d) = f.document {
        push(
            "(document_id = ? OR id IN (SELECT incident FROM events AS r WHERE r.document_id = ?))",
            Value::Integer(d),
        );
    }
    if let Some(outlet) = &f.source {
        push(
            "id IN (SELECT coalesce(r.incident, r.id) FROM events AS r \
             JOIN documents AS d ON d.id = r.document_id WHERE instr(lower(d.url), lower(?)) > 0)",
            Value::Text(outlet.clone()),
        );
    }
    if let Some(q) = f.q.as_deref().map(fts_query).filter(|q| !q.is_empty()) {
        conds.push(text_condition(q, &f.q_places, params));
    }
    if !f.types.is_empty() {
        let list = f
            .types
            .iter()
            .map(|t| {
                params.push(Value::Text(t.clone()));
                format!("?{}", params.len())
            })
            .collect::<Vec<_>>()
            .join(", ");
        conds.push(format!("event_type IN ({list})"));
    }
    if !f.statuses.is_empty() {
        let list = f
            .statuses
            .iter()
            .map(|s| {
                params.push(Value::Text(s.as_str().to_owned()));
                format!("?{}", params.len())
            })
            .collect::<Vec<_>>()
            .join(", ");
        conds.push(format!("status IN ({list})"));
    }
    if !f.include_deleted {
        conds.push("deleted = 0".into());
    }
    // An event that follows another is one of that event's sources, not an event of its own.
    conds.push("incident IS NULL".into());
    conds.join(" AND ")
}

/// The condition of a full-text query `q` (already quoted): its words, or a place it names.
fn text_condition(q: String, places: &[i64], params: &mut Vec<Value>) -> String {
    params.push(Value::Text(q));
    let words = format!(
        "id IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?{})",
        params.len()
    );
    if places.is_empty() {
        return words;
    }
    let places = places
        .iter()
        .map(|&id| {
            params.push(Value::Integer(id));
            format!("?{}", params.len())
        })
        .collect::<Vec<_>>()
        .join(", ");
    format!("({words} OR place_id IN ({places}))")
}

/// Which events a query may return, apart from its filter.
struct Scope<'a> {
    /// Candidates from the R-tree, ascending.
    ids: Option<&'a [EventId]>,
    /// Only ids greater than this.
    after: Option<EventId>,
    /// At most this many.
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

/// Runs `SELECT {columns} FROM events` over the events that pass `filter` (restricted to `ids`
/// when given) by ascending id after `after`, handing each row to `each` until it breaks or
/// `limit` rows were handed.
fn select_events<T>(
    conn: &Connection,
    columns: &str,
    read: fn(&Row<'_>) -> rusqlite::Result<T>,
    filter: &EventFilter,
    scope: Scope<'_>,
    each: &mut dyn FnMut(T) -> Result<ControlFlow<()>>,
) -> Result<()> {
    let Scope { ids, after, limit } = scope;
    let mut params = Vec::new();
    let cond = filter_sql(filter, &mut params);
    let mut left = limit.unwrap_or(usize::MAX);
    let mut run = |extra: &str, value: &dyn ToSql, left: &mut usize| -> Result<bool> {
        let limit = Value::Integer(i64::try_from(*left).unwrap_or(i64::MAX));
        let mut all: Vec<&dyn ToSql> = params.iter().map(|v| v as &dyn ToSql).collect();
        all.push(value);
        let extra = extra.replace('?', &format!("?{}", all.len()));
        all.push(&limit);
        let sql = format!(
            "SELECT {columns} FROM events WHERE {cond} AND {extra} ORDER BY id LIMIT ?{}",
            all.len()
        );
        let mut stmt = conn.prepare(&sql)?;
        let mut rows = stmt.query(all.as_slice())?;
        while let Some(row) = rows.next()? {
            if *left == 0 {
                return Ok(false);
            }
            *left -= 1;
            if each(read(row)?)?.is_break() {
                return Ok(false);
            }
        }
        Ok(*left > 0)
    };
    match ids {
        None => {
            let after = after.unwrap_or(i64::MIN);
            run("id > ?", &after, &mut left)?;
        }
        Some(ids) => {
            let start = after.map_or(0, |a| ids.partition_point(|&id| id <= a));
            for chunk in ids[start..].chunks(ID_CHUNK) {
                let list: Rc<Vec<Value>> = Rc::new(chunk.iter().map(|&i| Value::from(i)).collect());
                if !run("id IN rarray(?)", &list, &mut left)? {
                    break;
                }
            }
        }
    }
    Ok(())
}

/// The stored events of a document, by key.
fn stored_by_key(tx: &Transaction<'_>, document: DocumentId) -> Result<HashMap<String, KeptEvent>> {
    let mut stmt =
        tx.prepare("SELECT key, id, status, deleted FROM events WHERE document_id = ?1")?;
    let rows = stmt.query_map([document], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, EventId>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, bool>(3)?,
        ))
    })?;
    let mut stored = HashMap::new();
    for row in rows {
        let (key, id, status, deleted) = row?;
        stored.insert(key, (id, EventStatus::parse(&status), deleted));
    }
    Ok(stored)
}

/// Stores a new extraction's events of a document by [`reextraction`]'s rule. Takes the
/// events found again out of `stored`.
fn merge_machine_events(
    tx: &Transaction<'_>,
    document: DocumentId,
    events: &[Event],
    stored: &mut HashMap<String, KeptEvent>,
) -> Result<Vec<EventChange>> {
    let mut changes = Vec::new();
    for step in reextraction(events, stored) {
        match step {
            Reextracted::Update(id, event) => {
                changes.push(update_event(tx, id, EventStatus::Machine, event)?);
            }
            Reextracted::Insert(key, event) => changes.extend(insert_event(
                tx,
                Some(document),
                &key,
                None,
                EventStatus::Machine,
                event,
            )?),
        }
    }
    Ok(changes)
}

/// Deletes the machine events that a new extraction no longer finds; the others stay.
fn delete_machine_events(
    tx: &Transaction<'_>,
    left: impl IntoIterator<Item = KeptEvent>,
) -> Result<Vec<EventChange>> {
    let mut changes = Vec::new();
    for id in machine_events_gone(left) {
        tx.execute("DELETE FROM events_fts WHERE rowid = ?1", [id])?;
        tx.execute("DELETE FROM events WHERE id = ?1", [id])?;
        changes.push(EventChange { id, bbox: None });
    }
    Ok(changes)
}

impl Store for SqliteStore {
    fn document_by_hash(&self, hash: &str) -> Result<Option<StoredDocument>> {
        Ok(self
            .reader()?
            .query_row(
                &format!("SELECT {DOCUMENT_COLUMNS} FROM documents WHERE content_hash = ?1"),
                [hash],
                document_row,
            )
            .optional()?)
    }

    fn insert_document(
        &self,
        document: &NewDocument,
        extractor: &str,
        mentions: &[Mention],
        events: &[Event],
    ) -> Result<IngestResult> {
        let hash = document.content_hash();
        let mut conn = self.writer();
        let tx = conn.transaction()?;
        let n = tx.execute(
            "INSERT OR IGNORE INTO documents (content_hash, text, title, url, lang, published, \
             ingested, extractor) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                hash,
                document.text,
                document.title,
                document.url,
                document.lang,
                document.published.map(|d| d.to_string()),
                now(),
                extractor,
            ],
        )?;
        let created = n == 1;
        let mut changes = Vec::new();
        if created {
            let id = tx.last_insert_rowid();
            insert_mentions(&tx, id, mentions)?;
            for (event, key) in events.iter().zip(event_keys(events)) {
                insert_event(&tx, Some(id), &key, None, EventStatus::Machine, event)?;
            }
            changes = incidents::link_document(&tx, id, &incidents::Detached::default())?;
        }
        let stored = tx.query_row(
            &format!("SELECT {DOCUMENT_COLUMNS} FROM documents WHERE content_hash = ?1"),
            [&hash],
            document_row,
        )?;
        tx.commit()?;
        Ok(IngestResult {
            document: stored,
            created,
            changes,
        })
    }

    fn reextract_document(
        &self,
        id: DocumentId,
        extractor: &str,
        mentions: &[Mention],
        events: &[Event],
    ) -> Result<IngestResult> {
        let mut conn = self.writer();
        let tx = conn.transaction()?;
        tx.execute("DELETE FROM mentions WHERE document_id = ?1", [id])?;
        insert_mentions(&tx, id, mentions)?;
        tx.execute(
            "UPDATE documents SET extractor = ?2 WHERE id = ?1",
            params![id, extractor],
        )?;
        let detached = incidents::detach_document(&tx, id)?;
        let mut stored = stored_by_key(&tx, id)?;
        let mut changes = merge_machine_events(&tx, id, events, &mut stored)?;
        changes.extend(delete_machine_events(&tx, stored.into_values())?);
        changes.extend(incidents::link_document(&tx, id, &detached)?);
        let document = tx.query_row(
            &format!("SELECT {DOCUMENT_COLUMNS} FROM documents WHERE id = ?1"),
            [id],
            document_row,
        )?;
        tx.commit()?;
        Ok(IngestResult {
            document,
            created: false,
            changes,
        })
    }

    fn document(&self, id: DocumentId) -> Result<Option<DocumentView>> {
        let conn = self.reader()?;
        let Some(document) = conn
            .query_row(
                &format!("SELECT {DOCUMENT_COLUMNS} FROM documents WHERE id = ?1"),
                [id],
                document_row,
            )
            .optional()?
        else {
            return Ok(None);
        };
        let mut stmt =
            conn.prepare("SELECT data FROM mentions WHERE document_id = ?1 ORDER BY char_start")?;
        let mentions = stmt
            .query_map([id], |r| r.get::<_, String>(0))?
            .map(|data| Ok(serde_json::from_str(&data?)?))
            .collect::<Result<Vec<Mention>>>()?;
        let mut stmt = conn.prepare(&format!(
            "SELECT {EVENT_COLUMNS} FROM events WHERE document_id = ?1 ORDER BY id"
        ))?;
        let events = stmt
            .query_map([id], raw_event)?
            .map(|raw| stored_event(raw?))
            .collect::<Result<Vec<_>>>()?;
        Ok(Some(DocumentView {
            document,
            mentions,
            events,
        }))
    }

    fn event(&self, id: EventId) -> Result<Option<StoredEvent>> {
        let conn = self.reader()?;
        load_event(&conn, id)
    }

    fn events(
        &self,
        filter: &EventFilter,
        ids: Option<&[EventId]>,
        page: Page,
    ) -> Result<Vec<StoredEvent>> {
        let conn = self.reader()?;
        let mut out = Vec::new();
        select_events(
            &conn,
            EVENT_COLUMNS,
            raw_event,
            filter,
            Scope {
                ids,
                after: page.after,
                limit: Some(page.limit),
            },
            &mut |raw| {
                out.push(stored_event(raw)?);
                Ok(ControlFlow::Continue(()))
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
        let conn = self.reader()?;
        select_events(
            &conn,
            ROW_COLUMNS,
            event_row,
            filter,
            Scope { ids, after, limit },
            &mut |row| Ok(sink(row)),
        )
    }

    fn count_events(&self, filter: &EventFilter, ids: Option<&[EventId]>) -> Result<u64> {
        let conn = self.reader()?;
        let mut count = 0;
        select_events(
            &conn,
            "id",
            |row| row.get::<_, EventId>(0),
            filter,
            Scope::every(ids),
            &mut |_| {
                count += 1;
                Ok(ControlFlow::Continue(()))
            },
        )?;
        Ok(count)
    }

    /// Bins the events from their centres, types and days alone; only the events of the
    /// cells holding a few are read whole.
    fn event_cells(
        &self,
        filter: &EventFilter,
        ids: Option<&[EventId]>,
        grid: Grid,
    ) -> Result<Vec<Cell>> {
        let mut bins = PointBins::new(grid);
        select_events(
            &*self.reader()?,
            POINT_COLUMNS,
            binned_point,
            filter,
            Scope::every(ids),
            &mut |point| {
                bins.add(point);
                Ok(ControlFlow::Continue(()))
            },
        )?;
        let (cells, few) = bins.finish();
        with_rows_of_few(self, filter, grid, cells, &few)
    }

    fn place_sums(&self, filter: &EventFilter, ids: Option<&[EventId]>) -> Result<Vec<PlaceSum>> {
        places::sums(&*self.reader()?, filter, ids)
    }

    fn summed_cells(
        &self,
        filter: &EventFilter,
        grid: Grid,
        ranges: &[CellRange],
    ) -> Result<Option<Vec<Cell>>> {
        let conn = self.reader()?;
        clusters::summed_cells(&conn, filter, grid, ranges)
    }

    fn event_extent(&self) -> Result<EventExtent> {
        let conn = self.reader()?;
        let (corners, dates) = conn.query_row(
            "SELECT min(min_lon), min(min_lat), max(max_lon), max(max_lat), min(date), max(date)
             FROM events WHERE deleted = 0",
            [],
            |r| {
                let corners: [Option<f64>; 4] = [r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?];
                let dates: [Option<String>; 2] = [r.get(4)?, r.get(5)?];
                Ok((corners, dates))
            },
        )?;
        let bbox = match corners {
            [Some(min_lon), Some(min_lat), Some(max_lon), Some(max_lat)] => Some(Bbox {
                min_lon,
                min_lat,
                max_lon,
                max_lat,
            }),
            _ => None,
        };
        let [first, last] = dates.map(|d| d.and_then(|d| d.parse().ok()));
        Ok(EventExtent { bbox, first, last })
    }

    fn correct_event(&self, id: EventId, corrected: &Event, who: &str) -> Result<StoredEvent> {
        let mut conn = self.writer();
        let tx = conn.transaction()?;
        let id = incidents::shown_as(&tx, id)?;
        let before = load_event(&tx, id)?.ok_or(StoreError::NoEvent(id))?;
        update_event(&tx, id, EventStatus::Corrected, corrected)?;
        incidents::refresh_sources(&tx, [id])?;
        let after = load_event(&tx, id)?.ok_or(StoreError::NoEvent(id))?;
        record(&tx, id, who, "update", &before, &after)?;
        tx.commit()?;
        Ok(after)
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
        let conn = self.reader()?;
        let mut stmt = conn.prepare(
            "SELECT id, event_id, who, at, action, before, after FROM corrections \
             WHERE event_id = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, EventId>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
            ))
        })?;
        rows.map(|row| {
            let (id, event_id, who, at, action, before, after) = row?;
            Ok(Correction {
                id,
                event_id,
                who,
                at,
                action,
                before: serde_json::from_str(&before)?,
                after: serde_json::from_str(&after)?,
            })
        })
        .collect()
    }

    fn import_events(&self, source: &str, events: &[(String, Event)]) -> Result<Imported> {
        let mut conn = self.writer();
        let tx = conn.transaction()?;
        let mut out = Imported::default();
        for (key, event) in events {
            match insert_event(
                &tx,
                None,
                &format!("import:{key}"),
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
        tx.commit()?;
        Ok(out)
    }

    fn event_bboxes(&self) -> Result<Vec<(EventId, Bbox)>> {
        let conn = self.reader()?;
        let mut stmt = conn.prepare(
            "SELECT id, min_lon, min_lat, max_lon, max_lat FROM events \
             WHERE deleted = 0 AND incident IS NULL",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get(0)?,
                Bbox {
                    min_lon: r.get(1)?,
                    min_lat: r.get(2)?,
                    max_lon: r.get(3)?,
                    max_lat: r.get(4)?,
                },
            ))
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    fn counts(&self) -> Result<(u64, u64)> {
        let conn = self.reader()?;
        let docs: i64 = conn.query_row("SELECT count(*) FROM documents", [], |r| r.get(0))?;
        let events: i64 = conn.query_row(
            "SELECT count(*) FROM events WHERE deleted = 0 AND incident IS NULL",
            [],
            |r| r.get(0),
        )?;
        Ok((docs as u64, events as u64))
    }

    fn changed_elsewhere(&self) -> Result<bool> {
        let version: i64 = self
            .writer()
            .query_row("PRAGMA data_version", [], |r| r.get(0))?;
        let mut last = lock(&self.data_version);
        let changed = last.is_some_and(|v| v != version);
        *last = Some(version);
        Ok(changed)
    }

    fn insert_token(
        &self,
        name: &str,
        hash: &str,
        expires: Option<&str>,
        role: Role,
    ) -> Result<TokenInfo> {
        tokens::insert(&self.writer(), name, hash, expires, role)
    }

    fn token_by_hash(&self, hash: &str) -> Result<Option<TokenInfo>> {
        tokens::by_hash(&*self.reader()?, hash)
    }

    fn tokens(&self) -> Result<Vec<TokenInfo>> {
        tokens::all(&*self.reader()?)
    }

    fn revoke_tokens(&self, which: &str) -> Result<Vec<TokenInfo>> {
        tokens::revoke(&mut self.writer(), which)
    }

    fn touch_token(&self, id: i64) -> Result<()> {
        tokens::touch(&self.writer(), id)
    }

    fn insert_session(&self, token_id: i64, hash: &str, expires: &str) -> Result<()> {
        tokens::insert_session(&self.writer(), token_id, hash, expires)
    }

    fn session_token(&self, hash: &str) -> Result<Option<TokenInfo>> {
        tokens::session_token(&*self.reader()?, hash)
    }

    fn revoke_session(&self, hash: &str) -> Result<()> {
        tokens::revoke_session(&self.writer(), hash)
    }

    fn insert_feed(&self, feed: &NewFeed) -> Result<Feed> {
        feeds::insert(&self.writer(), feed)
    }

    fn feeds(&self) -> Result<Vec<Feed>> {
        feeds::all(&*self.reader()?)
    }

    fn delete_feed(&self, id: FeedId) -> Result<bool> {
        let mut conn = self.writer();
        let tx = conn.transaction()?;
        let deleted = feeds::delete(&tx, id)?;
        tx.commit()?;
        Ok(deleted)
    }

    fn claim_due_feeds(&self, now: DateTime<Utc>, until: DateTime<Utc>) -> Result<Vec<Feed>> {
        feeds::claim_due(&self.writer(), now, until)
    }

    fn record_poll(&self, id: FeedId, poll: &FeedPoll) -> Result<()> {
        feeds::record_poll(&self.writer(), id, poll)
    }

    fn feed_item_seen(&self, link: &str) -> Result<bool> {
        feeds::item_seen(&*self.reader()?, link)
    }

    fn record_feed_item(
        &self,
        feed: FeedId,
        link: &str,
        document: Option<DocumentId>,
    ) -> Result<()> {
        feeds::record_item(&self.writer(), feed, link, document)
    }

    fn insert_reference(&self, layer: &NewReference, who: &str) -> Result<ReferenceLayer> {
        references::insert(&self.writer(), layer, who)
    }

    fn references(&self) -> Result<Vec<ReferenceLayer>> {
        references::all(&*self.reader()?)
    }

    fn reference_geojson(&self, id: i64) -> Result<Option<String>> {
        references::geojson(&*self.reader()?, id)
    }

    fn delete_reference(&self, id: i64) -> Result<bool> {
        references::delete(&self.writer(), id)
    }
}

fn record(
    tx: &Transaction<'_>,
    id: EventId,
    who: &str,
    action: &str,
    before: &StoredEvent,
    after: &StoredEvent,
) -> Result<()> {
    tx.execute(
        "INSERT INTO corrections (event_id, who, at, action, before, after) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            id,
            who,
            now(),
            action,
            serde_json::to_string(before)?,
            serde_json::to_string(after)?,
        ],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests;
mod tokens;
