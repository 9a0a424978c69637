//! The news feeds the store keeps: what to poll, how often, and how the last polls went.

use chrono::{DateTime, Utc};
use serde::Serialize;

/// A feed's id.
pub type FeedId = i64;

/// A feed to add.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFeed {
    /// Its address (http or https).
    pub url: String,
    /// A name to show; `None` shows the URL.
    pub name: Option<String>,
    /// ISO 639-1 language of its items (`fr`); `None` lets the geoparser guess per item.
    pub lang: Option<String>,
    /// Seconds between two polls, before jitter.
    pub every_secs: u64,
}

/// A stored feed with its health.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Feed {
    /// Its id.
    pub id: FeedId,
    /// Its address.
    pub url: String,
    /// A name to show.
    pub name: Option<String>,
    /// ISO 639-1 language of its items.
    pub lang: Option<String>,
    /// Seconds between two polls, before jitter.
    pub every_secs: u64,
    /// When it was added.
    pub added: DateTime<Utc>,
    /// The validators of the last answer with a body, sent back on the next poll.
    #[serde(skip)]
    pub validators: Validators,
    /// How its polls went.
    pub health: FeedHealth,
}

/// The `ETag` and `Last-Modified` of a feed's last full answer, which make the next poll
/// conditional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validators {
    /// The `ETag` header.
    pub etag: Option<String>,
    /// The `Last-Modified` header.
    pub last_modified: Option<String>,
}

/// How a feed's polls went.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FeedHealth {
    /// When it was last fetched.
    pub last_fetch: Option<DateTime<Utc>>,
    /// The HTTP status of the last fetch (none when it got no answer).
    pub status: Option<u16>,
    /// Items read that karta had not seen before (by link), over all polls.
    pub items_seen: u64,
    /// Of those, the ones stored as new documents (the others had the text of a stored one).
    pub items_stored: u64,
    /// What went wrong in the last poll, if anything (also a summary kept for want of its
    /// article page).
    pub last_error: Option<String>,
    /// Polls failed in a row.
    pub failures: u32,
    /// Since when the polls fail, if they do.
    pub failing_since: Option<DateTime<Utc>>,
    /// When it is next due.
    pub next_poll: DateTime<Utc>,
}

/// The outcome of one poll, recorded by [`super::Store::record_poll`].
#[derive(Debug, Clone, PartialEq)]
pub struct FeedPoll {
    /// When the poll started.
    pub at: DateTime<Utc>,
    /// The HTTP status, when there was an answer.
    pub status: Option<u16>,
    /// What went wrong, if anything.
    pub error: Option<String>,
    /// Whether the poll failed (no feed read): counts toward back-off and `/healthz`.
    pub failed: bool,
    /// New validators to keep (an answer with a body); `None` keeps the stored ones.
    pub validators: Option<Validators>,
    /// New items read.
    pub items_seen: u64,
    /// New documents stored.
    pub items_stored: u64,
    /// When the next poll is due.
    pub next_poll: DateTime<Utc>,
}
