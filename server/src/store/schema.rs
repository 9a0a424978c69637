//! The SQLite schema and its migrations.
//!
//! Each migration runs once, in order, inside one transaction with the update of the
//! `schema_version` table, so a file is always at one known version.

use super::{Result, StoreError};
use rusqlite::{Connection, OptionalExtension};

/// The sources of the event of the current row of `events`, as a JSON array of
/// [`vocab::Source`]: its own document's report, then those of the events that follow it, by
/// id. Kept in the column `sources` (by `sqlite/incidents.rs`), so that reads do not join.
macro_rules! sources_of_row {
    () => {
        "(SELECT json_group_array(json_object('document_id', d.id, 'event_id', s.id, \
         'title', d.title, 'url', d.url, 'published', d.published, 'lang', d.lang, \
         'date', s.date, 'place_name', s.place_name, 'claim', s.claim, \
         'fatalities', json_extract(s.data, '$.fatalities'), \
         'wounded', json_extract(s.data, '$.wounded'), 'sentence', s.sentence)) \
         FROM (SELECT r.id, r.document_id, r.date, r.place_name, r.claim, r.data, r.sentence \
               FROM events AS r WHERE r.id = events.id OR r.incident = events.id \
               ORDER BY r.id) AS s \
         JOIN documents AS d ON d.id = s.document_id)"
    };
}
pub(super) use sources_of_row;

/// The migrations; the version of a file is the number of them applied.
const MIGRATIONS: &[&str] = &[
    r"
CREATE TABLE documents (
    id           INTEGER PRIMARY KEY,
    content_hash TEXT NOT NULL UNIQUE,
    text         TEXT NOT NULL,
    title        TEXT,
    url          TEXT,
    lang         TEXT,
    published    TEXT,
    ingested     TEXT NOT NULL,
    extractor    TEXT NOT NULL
);

CREATE TABLE mentions (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER NOT NULL REFERENCES documents(id),
    char_start  INTEGER NOT NULL,
    char_end    INTEGER NOT NULL,
    place_id    INTEGER NOT NULL,
    score       REAL NOT NULL,
    data        TEXT NOT NULL
);
CREATE INDEX mentions_document ON mentions(document_id, char_start);

CREATE TABLE events (
    id                 INTEGER PRIMARY KEY,
    document_id        INTEGER REFERENCES documents(id),
    key                TEXT NOT NULL,
    source             TEXT,
    status             TEXT NOT NULL,
    deleted            INTEGER NOT NULL DEFAULT 0,
    event_type         TEXT NOT NULL,
    sub_type           TEXT NOT NULL,
    date               TEXT,
    date_precision     TEXT,
    location_precision TEXT NOT NULL,
    country            TEXT NOT NULL,
    place_id           INTEGER,
    place_name         TEXT NOT NULL,
    actors             TEXT NOT NULL,
    claim              TEXT,
    sentence           TEXT NOT NULL,
    confidence         REAL NOT NULL,
    geometry           TEXT NOT NULL,
    min_lon            REAL NOT NULL,
    min_lat            REAL NOT NULL,
    max_lon            REAL NOT NULL,
    max_lat            REAL NOT NULL,
    data               TEXT NOT NULL,
    created            TEXT NOT NULL,
    updated            TEXT NOT NULL
);
CREATE UNIQUE INDEX events_document_key ON events(document_id, key) WHERE document_id IS NOT NULL;
CREATE UNIQUE INDEX events_import_key ON events(key) WHERE document_id IS NULL;
CREATE INDEX events_date ON events(date);
CREATE INDEX events_type ON events(event_type);
CREATE INDEX events_country ON events(country);

CREATE VIRTUAL TABLE events_fts USING fts5(body, tokenize = 'unicode61 remove_diacritics 2');

CREATE TABLE corrections (
    id       INTEGER PRIMARY KEY,
    event_id INTEGER NOT NULL REFERENCES events(id),
    who      TEXT NOT NULL,
    at       TEXT NOT NULL,
    action   TEXT NOT NULL,
    before   TEXT NOT NULL,
    after    TEXT NOT NULL
);
CREATE INDEX corrections_event ON corrections(event_id, id);

CREATE TABLE tokens (
    id      INTEGER PRIMARY KEY,
    name    TEXT NOT NULL,
    hash    TEXT NOT NULL UNIQUE,
    created TEXT NOT NULL
);
",
    // One incident across documents: an event that reports the incident of an event of another
    // document follows it, and each event keeps the list of its sources (see
    // `sqlite/incidents.rs`).
    concat!(
        "ALTER TABLE events ADD COLUMN incident INTEGER REFERENCES events(id);
         CREATE INDEX events_incident ON events(incident) WHERE incident IS NOT NULL;
         ALTER TABLE events ADD COLUMN sources TEXT NOT NULL DEFAULT '[]';
         UPDATE events SET sources = ",
        sources_of_row!(),
        ";"
    ),
    r"
-- News feeds polled by `karta serve`, with their validators and health.
CREATE TABLE feeds (
    id            INTEGER PRIMARY KEY,
    url           TEXT NOT NULL UNIQUE,
    name          TEXT,
    lang          TEXT,
    every_secs    INTEGER NOT NULL,
    added         TEXT NOT NULL,
    etag          TEXT,
    last_modified TEXT,
    last_fetch    TEXT,
    last_status   INTEGER,
    last_error    TEXT,
    failures      INTEGER NOT NULL DEFAULT 0,
    failing_since TEXT,
    items_seen    INTEGER NOT NULL DEFAULT 0,
    items_stored  INTEGER NOT NULL DEFAULT 0,
    next_poll     TEXT NOT NULL
);

-- The links of the feed items seen, by any feed: an article is read once. Kept when its feed
-- is removed, so that adding the feed again stores nothing twice.
CREATE TABLE feed_items (
    link        TEXT PRIMARY KEY,
    feed_id     INTEGER REFERENCES feeds(id) ON DELETE SET NULL,
    document_id INTEGER REFERENCES documents(id),
    seen        TEXT NOT NULL
);
",
    r"
-- Tokens can be withdrawn (issue 19, item 6): an expiry, a revocation time, the last use; a
-- signed-in browser holds a session of its own, never the token.
ALTER TABLE tokens ADD COLUMN expires TEXT;
ALTER TABLE tokens ADD COLUMN revoked TEXT;
ALTER TABLE tokens ADD COLUMN last_used TEXT;

CREATE TABLE sessions (
    id       INTEGER PRIMARY KEY,
    hash     TEXT NOT NULL UNIQUE,
    token_id INTEGER NOT NULL REFERENCES tokens(id),
    created  TEXT NOT NULL,
    expires  TEXT NOT NULL,
    revoked  TEXT
);
CREATE INDEX sessions_token ON sessions(token_id);
",
    r"
-- Date filters compare days, not text (issue 19, item 8d): `day` is the date's number of days
-- from 0001-12-31 (chrono's num_days_from_ce), which orders years before 0 and after 9999 as
-- well. julianday() reads the years 0000 to 9999 that every earlier karta wrote but a rare
-- import; those others stay NULL (undated for the filters) until the event is written again.
ALTER TABLE events ADD COLUMN day INTEGER;
UPDATE events SET day = CAST(julianday(date) - 1721424.5 AS INTEGER) WHERE date IS NOT NULL;
CREATE INDEX events_day ON events(day);
",
    // Sums of the events per grid cell, type and day, kept by triggers, for `/api/clusters`
    // (issue 21, item 4): see `sqlite/clusters.rs`.
    // (The rows' south edges are shared with PostgreSQL's migration, hence three files.)
    concat!(
        include_str!("sqlite/clusters-head.sql"),
        include_str!("mercator_rows.sql"),
        include_str!("sqlite/clusters.sql")
    ),
    // What a token may do (issue 20, item 10); the tokens made before could do everything, and
    // still may.
    "ALTER TABLE tokens ADD COLUMN role TEXT NOT NULL DEFAULT 'admin';",
    // The sums per span of 32 days, so that a view over years reads spans, not days.
    include_str!("sqlite/spans.sql"),
    // Reference layers a user adds to the map (issue 20, item 3): GeoJSON files checked by
    // `vocab::read_reference`, drawn under the events.
    r"
CREATE TABLE reference_layers (
    id       INTEGER PRIMARY KEY,
    name     TEXT NOT NULL,
    features INTEGER NOT NULL,
    geojson  TEXT NOT NULL,
    added    TEXT NOT NULL,
    who      TEXT NOT NULL
);
",
];

/// The version this build writes.
pub(super) fn current_version() -> i64 {
    MIGRATIONS.len() as i64
}

/// Brings a database to the current version, creating it when empty.
pub(super) fn migrate(conn: &mut Connection) -> Result<()> {
    migrate_to(conn, current_version())
}

/// Brings a database to `version` (at most the current one): the tests make files of older
/// versions with it.
pub(super) fn migrate_to(conn: &mut Connection, version: i64) -> Result<()> {
    let tx = conn.transaction()?;
    tx.execute_batch("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")?;
    let found: i64 = tx
        .query_row("SELECT version FROM schema_version", [], |r| r.get(0))
        .optional()?
        .unwrap_or(0);
    if found > current_version() {
        return Err(StoreError::NewerSchema {
            found,
            known: current_version(),
        });
    }
    for sql in MIGRATIONS
        .iter()
        .take(version as usize)
        .skip(found as usize)
    {
        tx.execute_batch(sql)?;
    }
    tx.execute("DELETE FROM schema_version", [])?;
    tx.execute(
        "INSERT INTO schema_version (version) VALUES (?1)",
        [found.max(version)],
    )?;
    tx.commit()?;
    Ok(())
}
