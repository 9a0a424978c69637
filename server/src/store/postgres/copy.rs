//! `karta migrate`: copies an SQLite database into PostgreSQL, table by table in one
//! transaction, ids kept. Rows already there (same key) are skipped, so a second run doubles
//! nothing; the counts of both sides must agree at the end.

use super::super::{Result, StoreError};
use super::events::box_ewkt;
use super::{PostgresStore, WRITE_LOCK};
use crate::rtree::Bbox;
use postgres::Transaction;
use postgres::binary_copy::BinaryCopyInWriter;
use postgres::types::{ToSql, Type};
use rusqlite::types::Value;
use rusqlite::{Connection, OpenFlags};
use std::path::Path;

/// How a column is copied.
#[derive(Clone, Copy)]
enum Kind {
    /// An integer (or NULL).
    Int,
    /// A real number.
    Real,
    /// A text (or NULL).
    Text,
    /// SQLite's 0 or 1, PostgreSQL's boolean.
    Bool,
}

use Kind::{Bool, Int, Real, Text};

impl Kind {
    /// The column's type in the staging table.
    fn sql_type(self) -> &'static str {
        match self {
            Int => "BIGINT",
            Real => "DOUBLE PRECISION",
            Text => "TEXT",
            Bool => "BOOLEAN",
        }
    }

    /// The same type as the binary `COPY` writes it.
    fn pg_type(self) -> Type {
        match self {
            Int => Type::INT8,
            Real => Type::FLOAT8,
            Text => Type::TEXT,
            Bool => Type::BOOL,
        }
    }
}

/// The tables copied, in an order that their references allow, with their columns.
const TABLES: &[(&str, &[(&str, Kind)])] = &[
    (
        "documents",
        &[
            ("id", Int),
            ("content_hash", Text),
            ("text", Text),
            ("title", Text),
            ("url", Text),
            ("lang", Text),
            ("published", Text),
            ("ingested", Text),
            ("extractor", Text),
        ],
    ),
    (
        "mentions",
        &[
            ("id", Int),
            ("document_id", Int),
            ("char_start", Int),
            ("char_end", Int),
            ("place_id", Int),
            ("score", Real),
            ("data", Text),
        ],
    ),
    ("events", EVENT_COLUMNS),
    (
        "corrections",
        &[
            ("id", Int),
            ("event_id", Int),
            ("who", Text),
            ("at", Text),
            ("action", Text),
            ("before", Text),
            ("after", Text),
        ],
    ),
    (
        "tokens",
        &[
            ("id", Int),
            ("name", Text),
            ("hash", Text),
            ("created", Text),
            ("expires", Text),
            ("revoked", Text),
            ("last_used", Text),
            ("role", Text),
        ],
    ),
    (
        "sessions",
        &[
            ("id", Int),
            ("hash", Text),
            ("token_id", Int),
            ("created", Text),
            ("expires", Text),
            ("revoked", Text),
        ],
    ),
    (
        "feeds",
        &[
            ("id", Int),
            ("url", Text),
            ("name", Text),
            ("lang", Text),
            ("every_secs", Int),
            ("added", Text),
            ("etag", Text),
            ("last_modified", Text),
            ("last_fetch", Text),
            ("last_status", Int),
            ("last_error", Text),
            ("failures", Int),
            ("failing_since", Text),
            ("items_seen", Int),
            ("items_stored", Int),
            ("next_poll", Text),
        ],
    ),
    (
        "feed_items",
        &[
            ("link", Text),
            ("feed_id", Int),
            ("document_id", Int),
            ("seen", Text),
        ],
    ),
    (
        "reference_layers",
        &[
            ("id", Int),
            ("name", Text),
            ("features", Int),
            ("geojson", Text),
            ("added", Text),
            ("who", Text),
        ],
    ),
];

/// The columns of `events` copied as they are; the box's four edges come last, and the words
/// of the full-text search after them (from SQLite's `events_fts`).
const EVENT_COLUMNS: &[(&str, Kind)] = &[
    ("id", Int),
    ("document_id", Int),
    ("key", Text),
    ("source", Text),
    ("status", Text),
    ("deleted", Bool),
    ("event_type", Text),
    ("sub_type", Text),
    ("date", Text),
    ("date_precision", Text),
    ("location_precision", Text),
    ("country", Text),
    ("place_id", Int),
    ("place_name", Text),
    ("actors", Text),
    ("claim", Text),
    ("sentence", Text),
    ("confidence", Real),
    ("geometry", Text),
    ("data", Text),
    ("created", Text),
    ("updated", Text),
    ("incident", Int),
    ("sources", Text),
    ("day", Int),
    ("min_lon", Real),
    ("min_lat", Real),
    ("max_lon", Real),
    ("max_lat", Real),
];

/// What was copied of one table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copied {
    /// The table.
    pub table: &'static str,
    /// Rows in the SQLite database.
    pub rows: u64,
    /// Of those, rows new to PostgreSQL (the others were there already).
    pub inserted: u64,
}

/// Copies the SQLite database at `from` (migrated to the current version first) into `to`,
/// and checks that every table holds as many rows on both sides.
pub fn copy_sqlite(from: &Path, to: &PostgresStore) -> Result<Vec<Copied>> {
    drop(super::super::SqliteStore::open(from)?);
    let source = Connection::open_with_flags(from, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    let mut conn = to.conn()?;
    let mut tx = conn.transaction()?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&WRITE_LOCK])?;
    let mut copied = Vec::new();
    for &(table, columns) in TABLES {
        let inserted = copy_table(&source, &mut tx, table, columns)?;
        let rows = count(&source, table)?;
        let there: i64 = tx
            .query_one(&format!("SELECT count(*) FROM {table}"), &[])?
            .try_get(0)?;
        if there.unsigned_abs() != rows {
            return Err(StoreError::Value(format!(
                "{table}: {rows} rows in SQLite but {there} in PostgreSQL"
            )));
        }
        copied.push(Copied {
            table,
            rows,
            inserted,
        });
    }
    restart_ids(&mut tx)?;
    tx.commit()?;
    if copied.iter().any(|c| c.table == "events" && c.inserted > 0) {
        settle(&mut conn)?;
    }
    Ok(copied)
}

/// After a bulk copy: orders the events table by place (`CLUSTER` on the GiST index), so that
/// the events of one city lie on neighbouring pages, gathers the planner's statistics,
/// without which the first queries are planned as for an empty table (on a million events it
/// halved the time of a city's page), and marks the pages all visible, so that index-only
/// scans (`events_points`) need not visit them. `VACUUM` runs outside any transaction.
fn settle(client: &mut postgres::Client) -> Result<()> {
    client.batch_execute("CLUSTER events USING events_geom")?;
    client.batch_execute("VACUUM (ANALYZE) events")?;
    client.batch_execute("ANALYZE")?;
    Ok(())
}

/// Rows of a table in SQLite.
fn count(source: &Connection, table: &str) -> Result<u64> {
    let n: i64 = source.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?;
    Ok(n.unsigned_abs())
}

/// Copies one table's rows that PostgreSQL does not hold yet; returns how many it inserted.
/// The rows stream into a staging table by binary `COPY` (a round trip per row took 17 minutes
/// for a million events), and one `INSERT … SELECT` moves the new ones across.
fn copy_table(
    source: &Connection,
    tx: &mut Transaction<'_>,
    table: &str,
    columns: &[(&str, Kind)],
) -> Result<u64> {
    let names: Vec<&str> = columns.iter().map(|(n, _)| *n).collect();
    let is_events = table == "events";
    let mut staged: Vec<(&str, Kind)> = columns.to_vec();
    if is_events {
        staged.extend([("ewkt", Text), ("words", Text)]);
    }
    stage(source, tx, &staged, &read_sql(table, &names))?;
    let mut targets = names.clone();
    let mut values = names.clone();
    if is_events {
        targets.extend(["geom", "search"]);
        values.extend([
            "ST_GeomFromEWKT(ewkt)",
            "to_tsvector('simple', unaccent(coalesce(words, '')))",
        ]);
    }
    let inserted = tx.execute(
        &format!(
            "INSERT INTO {table} ({}) SELECT {} FROM staged ON CONFLICT DO NOTHING",
            targets.join(", "),
            values.join(", ")
        ),
        &[],
    )?;
    tx.batch_execute("DROP TABLE staged")?;
    Ok(inserted)
}

/// The query that reads a table's copied columns from SQLite (for events, with the words of
/// the full-text search last).
fn read_sql(table: &str, names: &[&str]) -> String {
    match table {
        "events" => format!(
            "SELECT {}, (SELECT body FROM events_fts WHERE rowid = events.id) FROM events \
             ORDER BY id",
            names.join(", ")
        ),
        _ => format!("SELECT {} FROM {table}", names.join(", ")),
    }
}

/// Streams the rows of `read` into a new temporary table `staged` with the columns `staged`,
/// by binary `COPY`. For events (`staged` then ends with `ewkt` and `words`), the last two are
/// made from the box's four edges and the words read after the copied columns.
fn stage(
    source: &Connection,
    tx: &mut Transaction<'_>,
    staged: &[(&str, Kind)],
    read: &str,
) -> Result<()> {
    let is_events = staged.last().is_some_and(|(name, _)| *name == "words");
    let copied = if is_events {
        staged.len() - 2
    } else {
        staged.len()
    };
    let defs: Vec<String> = staged
        .iter()
        .map(|(name, kind)| format!("{name} {}", kind.sql_type()))
        .collect();
    let names: Vec<&str> = staged.iter().map(|(n, _)| *n).collect();
    tx.batch_execute(&format!("CREATE TEMP TABLE staged ({})", defs.join(", ")))?;
    let sink = tx.copy_in(&format!(
        "COPY staged ({}) FROM STDIN BINARY",
        names.join(", ")
    ))?;
    let types: Vec<Type> = staged.iter().map(|(_, kind)| kind.pg_type()).collect();
    let mut writer = BinaryCopyInWriter::new(sink, &types);
    let mut statement = source.prepare(read)?;
    let mut rows = statement.query([])?;
    while let Some(row) = rows.next()? {
        let mut params = Vec::with_capacity(staged.len());
        for (i, &(_, kind)) in staged[..copied].iter().enumerate() {
            params.push(param(row.get::<_, Value>(i)?, kind));
        }
        if is_events {
            params.extend(event_extras(row, copied)?);
        }
        let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p.as_ref()).collect();
        writer.write(&refs)?;
    }
    writer.finish()?;
    Ok(())
}

/// The PostGIS box and the words of an event row whose last four copied columns are its box.
fn event_extras(row: &rusqlite::Row<'_>, n: usize) -> Result<[Box<dyn ToSql + Sync>; 2]> {
    let bbox = Bbox {
        min_lon: row.get(n - 4)?,
        min_lat: row.get(n - 3)?,
        max_lon: row.get(n - 2)?,
        max_lat: row.get(n - 1)?,
    };
    let words: Option<String> = row.get(n)?;
    Ok([Box::new(box_ewkt(&bbox)), Box::new(words)])
}

/// An SQLite value as the PostgreSQL parameter of a column of `kind`.
fn param(value: Value, kind: Kind) -> Box<dyn ToSql + Sync> {
    match (kind, value) {
        (Int, Value::Integer(i)) => Box::new(Some(i)),
        (Int, _) => Box::new(None::<i64>),
        (Real, Value::Real(r)) => Box::new(r),
        (Real, Value::Integer(i)) => Box::new(i as f64),
        (Real, _) => Box::new(f64::NAN),
        (Bool, Value::Integer(i)) => Box::new(i != 0),
        (Bool, _) => Box::new(false),
        (Text, Value::Text(t)) => Box::new(Some(t)),
        (Text, Value::Integer(i)) => Box::new(Some(i.to_string())),
        (Text, Value::Real(r)) => Box::new(Some(r.to_string())),
        (Text, _) => Box::new(None::<String>),
    }
}

/// Moves every identity past the largest id copied, so that new rows get new ids.
fn restart_ids(tx: &mut Transaction<'_>) -> Result<()> {
    for &(table, columns) in TABLES {
        if columns.first().is_some_and(|(name, _)| *name == "id") {
            tx.execute(
                &format!(
                    "SELECT setval(pg_get_serial_sequence('{table}', 'id'), \
                     coalesce((SELECT max(id) FROM {table}), 0) + 1, false)"
                ),
                &[],
            )?;
        }
    }
    Ok(())
}
