//! The SQL of news feeds in PostgreSQL, as in SQLite (`sqlite/feeds.rs`): the `feeds` table
//! and the `feed_items` table of the links already read.

use super::super::{
    DocumentId, Feed, FeedHealth, FeedId, FeedPoll, NewFeed, Result, StoreError, Validators,
    timestamp,
};
use chrono::{DateTime, Utc};
use postgres::error::SqlState;
use postgres::{Client, Row, Transaction};

/// The columns of [`Feed`], in the order [`feed_row`] reads them.
const FEED_COLUMNS: &str = "id, url, name, lang, every_secs, added, etag, last_modified, \
    last_fetch, last_status, last_error, failures, failing_since, items_seen, items_stored, \
    next_poll";

/// A stored time that could not be read.
#[derive(Debug, thiserror::Error)]
#[error("column {column}: {source}")]
struct BadTime {
    column: usize,
    source: chrono::ParseError,
}

/// Reads a stored time at column `i`.
fn time(r: &Row, i: usize) -> Result<Option<DateTime<Utc>>> {
    let Some(text) = r.try_get::<_, Option<String>>(i)? else {
        return Ok(None);
    };
    DateTime::parse_from_rfc3339(&text)
        .map(|t| Some(t.with_timezone(&Utc)))
        .map_err(|source| StoreError::Value(BadTime { column: i, source }.to_string()))
}

/// Reads a time that is never NULL.
fn required_time(r: &Row, i: usize) -> Result<DateTime<Utc>> {
    time(r, i)?.ok_or_else(|| StoreError::Value(format!("column {i}: NULL time")))
}

/// A count as stored (saturating at `i64::MAX`).
fn signed(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Reads a count or a number of seconds, never negative.
fn count(r: &Row, i: usize) -> Result<u64> {
    Ok(r.try_get::<_, i64>(i)?.max(0).unsigned_abs())
}

fn feed_row(r: &Row) -> Result<Feed> {
    let status: Option<i64> = r.try_get(9)?;
    let failures: i64 = r.try_get(11)?;
    Ok(Feed {
        id: r.try_get(0)?,
        url: r.try_get(1)?,
        name: r.try_get(2)?,
        lang: r.try_get(3)?,
        every_secs: count(r, 4)?,
        added: required_time(r, 5)?,
        validators: Validators {
            etag: r.try_get(6)?,
            last_modified: r.try_get(7)?,
        },
        health: FeedHealth {
            last_fetch: time(r, 8)?,
            status: status.and_then(|s| u16::try_from(s).ok()),
            last_error: r.try_get(10)?,
            failures: u32::try_from(failures.max(0)).unwrap_or(u32::MAX),
            failing_since: time(r, 12)?,
            items_seen: count(r, 13)?,
            items_stored: count(r, 14)?,
            next_poll: required_time(r, 15)?,
        },
    })
}

/// Adds a feed, due at once; a URL already there is [`StoreError::DuplicateFeed`].
pub(super) fn insert(client: &mut Client, feed: &NewFeed) -> Result<Feed> {
    let now = timestamp(Utc::now());
    let inserted = client.query_one(
        &format!(
            "INSERT INTO feeds (url, name, lang, every_secs, added, next_poll) \
             VALUES ($1, $2, $3, $4, $5, $5) RETURNING {FEED_COLUMNS}"
        ),
        &[
            &feed.url,
            &feed.name,
            &feed.lang,
            &signed(feed.every_secs),
            &now,
        ],
    );
    match inserted {
        Err(e) if e.code() == Some(&SqlState::UNIQUE_VIOLATION) => {
            Err(StoreError::DuplicateFeed(feed.url.clone()))
        }
        other => feed_row(&other?),
    }
}

/// Every feed, by id.
pub(super) fn all(client: &mut Client) -> Result<Vec<Feed>> {
    client
        .query(
            &format!("SELECT {FEED_COLUMNS} FROM feeds ORDER BY id"),
            &[],
        )?
        .iter()
        .map(feed_row)
        .collect()
}

/// Takes the feeds due at `now`, their next poll moved to `until` (see
/// [`super::super::Store::claim_due_feeds`]): rows another server is taking are skipped, not
/// waited for.
pub(super) fn claim_due(
    client: &mut Client,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<Vec<Feed>> {
    let mut feeds = client
        .query(
            &format!(
                "UPDATE feeds SET next_poll = $2 WHERE id IN (SELECT id FROM feeds \
                 WHERE next_poll <= $1 FOR UPDATE SKIP LOCKED) RETURNING {FEED_COLUMNS}"
            ),
            &[&timestamp(now), &timestamp(until)],
        )?
        .iter()
        .map(feed_row)
        .collect::<Result<Vec<Feed>>>()?;
    feeds.sort_by_key(|f| f.id);
    Ok(feeds)
}

/// Removes a feed; its items' links stay (their `feed_id` set to NULL).
pub(super) fn delete(tx: &mut Transaction<'_>, id: FeedId) -> Result<bool> {
    tx.execute(
        "UPDATE feed_items SET feed_id = NULL WHERE feed_id = $1",
        &[&id],
    )?;
    Ok(tx.execute("DELETE FROM feeds WHERE id = $1", &[&id])? == 1)
}

/// Records a poll: validators when new, health, counts and the next poll.
pub(super) fn record_poll(client: &mut Client, id: FeedId, poll: &FeedPoll) -> Result<()> {
    let at = timestamp(poll.at);
    let (replace, etag, last_modified) = match &poll.validators {
        Some(v) => (true, v.etag.clone(), v.last_modified.clone()),
        None => (false, None, None),
    };
    client.execute(
        "UPDATE feeds SET \
           etag = CASE WHEN $2 THEN $3 ELSE etag END, \
           last_modified = CASE WHEN $2 THEN $4 ELSE last_modified END, \
           last_fetch = $5, last_status = $6, last_error = $7, \
           failures = CASE WHEN $8 THEN failures + 1 ELSE 0 END, \
           failing_since = CASE WHEN $8 THEN coalesce(failing_since, $5) ELSE NULL END, \
           items_seen = items_seen + $9, items_stored = items_stored + $10, next_poll = $11 \
         WHERE id = $1",
        &[
            &id,
            &replace,
            &etag,
            &last_modified,
            &at,
            &poll.status.map(i64::from),
            &poll.error,
            &poll.failed,
            &signed(poll.items_seen),
            &signed(poll.items_stored),
            &timestamp(poll.next_poll),
        ],
    )?;
    Ok(())
}

/// Whether a link was seen before.
pub(super) fn item_seen(client: &mut Client, link: &str) -> Result<bool> {
    Ok(client
        .query_opt("SELECT 1 FROM feed_items WHERE link = $1", &[&link])?
        .is_some())
}

/// Records a link as seen (the first record wins).
pub(super) fn record_item(
    client: &mut Client,
    feed: FeedId,
    link: &str,
    document: Option<DocumentId>,
) -> Result<()> {
    client.execute(
        "INSERT INTO feed_items (link, feed_id, document_id, seen) \
         VALUES ($1, (SELECT id FROM feeds WHERE id = $2), $3, $4) ON CONFLICT DO NOTHING",
        &[&link, &feed, &document, &timestamp(Utc::now())],
    )?;
    Ok(())
}
