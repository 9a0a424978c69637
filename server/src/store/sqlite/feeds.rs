//! The SQL of news feeds: the `feeds` table (what to poll, validators, health) and the
//! `feed_items` table (the links already read, by any feed).

use super::super::{
    DocumentId, Feed, FeedHealth, FeedId, FeedPoll, NewFeed, Result, StoreError, Validators,
    timestamp,
};
use chrono::{DateTime, Utc};
use rusqlite::{Connection, ErrorCode, OptionalExtension, Row, params};

/// The columns of [`Feed`], in the order [`feed_row`] reads them.
const FEED_COLUMNS: &str = "id, url, name, lang, every_secs, added, etag, last_modified, \
    last_fetch, last_status, last_error, failures, failing_since, items_seen, items_stored, \
    next_poll";

/// Reads a stored time at column `i`.
fn time(r: &Row<'_>, i: usize) -> rusqlite::Result<Option<DateTime<Utc>>> {
    let Some(text) = r.get::<_, Option<String>>(i)? else {
        return Ok(None);
    };
    DateTime::parse_from_rfc3339(&text)
        .map(|t| Some(t.with_timezone(&Utc)))
        .map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
        })
}

/// Reads a time that is never NULL.
fn required_time(r: &Row<'_>, i: usize) -> rusqlite::Result<DateTime<Utc>> {
    time(r, i)?.ok_or(rusqlite::Error::InvalidColumnType(
        i,
        "time".into(),
        rusqlite::types::Type::Null,
    ))
}

/// A count as SQLite stores it (saturating at `i64::MAX`).
fn signed(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Reads a count or a number of seconds, never negative.
fn count(r: &Row<'_>, i: usize) -> rusqlite::Result<u64> {
    Ok(r.get::<_, i64>(i)?.max(0).unsigned_abs())
}

fn feed_row(r: &Row<'_>) -> rusqlite::Result<Feed> {
    Ok(Feed {
        id: r.get(0)?,
        url: r.get(1)?,
        name: r.get(2)?,
        lang: r.get(3)?,
        every_secs: count(r, 4)?,
        added: required_time(r, 5)?,
        validators: Validators {
            etag: r.get(6)?,
            last_modified: r.get(7)?,
        },
        health: FeedHealth {
            last_fetch: time(r, 8)?,
            status: r.get(9)?,
            last_error: r.get(10)?,
            failures: r.get(11)?,
            failing_since: time(r, 12)?,
            items_seen: count(r, 13)?,
            items_stored: count(r, 14)?,
            next_poll: required_time(r, 15)?,
        },
    })
}

/// Adds a feed, due at once; a URL already there is [`StoreError::DuplicateFeed`].
pub(super) fn insert(conn: &Connection, feed: &NewFeed) -> Result<Feed> {
    let now = timestamp(Utc::now());
    let inserted = conn.execute(
        "INSERT INTO feeds (url, name, lang, every_secs, added, next_poll) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
        params![feed.url, feed.name, feed.lang, signed(feed.every_secs), now],
    );
    match inserted {
        Err(rusqlite::Error::SqliteFailure(e, _)) if e.code == ErrorCode::ConstraintViolation => {
            return Err(StoreError::DuplicateFeed(feed.url.clone()));
        }
        other => other?,
    };
    Ok(conn.query_row(
        &format!("SELECT {FEED_COLUMNS} FROM feeds WHERE id = ?1"),
        [conn.last_insert_rowid()],
        feed_row,
    )?)
}

/// Every feed, by id.
pub(super) fn all(conn: &Connection) -> Result<Vec<Feed>> {
    let mut stmt = conn.prepare(&format!("SELECT {FEED_COLUMNS} FROM feeds ORDER BY id"))?;
    let feeds = stmt
        .query_map([], feed_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(feeds)
}

/// Takes the feeds due at `now`, their next poll moved to `until` (see
/// [`super::super::Store::claim_due_feeds`]).
pub(super) fn claim_due(
    conn: &Connection,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<Vec<Feed>> {
    let mut stmt = conn.prepare(&format!(
        "UPDATE feeds SET next_poll = ?2 WHERE next_poll <= ?1 RETURNING {FEED_COLUMNS}"
    ))?;
    let mut feeds: Vec<Feed> = stmt
        .query_map([timestamp(now), timestamp(until)], feed_row)?
        .collect::<rusqlite::Result<_>>()?;
    feeds.sort_by_key(|f| f.id);
    Ok(feeds)
}

/// Removes a feed; its items' links stay (their `feed_id` set to NULL).
pub(super) fn delete(conn: &Connection, id: FeedId) -> Result<bool> {
    conn.execute(
        "UPDATE feed_items SET feed_id = NULL WHERE feed_id = ?1",
        [id],
    )?;
    Ok(conn.execute("DELETE FROM feeds WHERE id = ?1", [id])? == 1)
}

/// Records a poll: validators when new, health, counts and the next poll.
pub(super) fn record_poll(conn: &Connection, id: FeedId, poll: &FeedPoll) -> Result<()> {
    let at = timestamp(poll.at);
    let (replace, etag, last_modified) = match &poll.validators {
        Some(v) => (true, v.etag.clone(), v.last_modified.clone()),
        None => (false, None, None),
    };
    conn.execute(
        "UPDATE feeds SET \
           etag = CASE WHEN ?2 THEN ?3 ELSE etag END, \
           last_modified = CASE WHEN ?2 THEN ?4 ELSE last_modified END, \
           last_fetch = ?5, last_status = ?6, last_error = ?7, \
           failures = CASE WHEN ?8 THEN failures + 1 ELSE 0 END, \
           failing_since = CASE WHEN ?8 THEN coalesce(failing_since, ?5) ELSE NULL END, \
           items_seen = items_seen + ?9, items_stored = items_stored + ?10, next_poll = ?11 \
         WHERE id = ?1",
        params![
            id,
            replace,
            etag,
            last_modified,
            at,
            poll.status,
            poll.error,
            poll.failed,
            signed(poll.items_seen),
            signed(poll.items_stored),
            timestamp(poll.next_poll),
        ],
    )?;
    Ok(())
}

/// Whether a link was seen before.
pub(super) fn item_seen(conn: &Connection, link: &str) -> Result<bool> {
    Ok(conn
        .query_row("SELECT 1 FROM feed_items WHERE link = ?1", [link], |_| {
            Ok(())
        })
        .optional()?
        .is_some())
}

/// Records a link as seen (the first record wins).
pub(super) fn record_item(
    conn: &Connection,
    feed: FeedId,
    link: &str,
    document: Option<DocumentId>,
) -> Result<()> {
    conn.execute(
        "INSERT OR IGNORE INTO feed_items (link, feed_id, document_id, seen) \
         VALUES (?1, (SELECT id FROM feeds WHERE id = ?2), ?3, ?4)",
        params![link, feed, document, timestamp(Utc::now())],
    )?;
    Ok(())
}
