//! News feeds in: `karta serve` polls the feeds kept in the store and ingests their new items.
//!
//! - [`fetch`]: the HTTP client (conditional GET, time and size limits, User-Agent).
//! - [`parse`]: RSS 0.9x/1.0/2.0, Atom and JSON Feed to [`Item`]s (`feed-rs`).
//! - [`article`]: the main text of an article page when an item carries a summary only.
//! - [`schedule`]: the next poll (jitter, back-off, `Retry-After`).
//! - [`poll`]: the [`Poller`] that joins them to the ingest pipeline and records the health.
//!
//! The feeds themselves (URL, period, validators, health) and the links already read live in
//! the store ([`crate::store::Store::feeds`]); `karta feeds` and `/api/feeds` manage them.

pub mod article;
pub mod fetch;
pub mod parse;
pub mod poll;
pub mod schedule;

pub use fetch::{FetchError, FetchSettings, Fetcher};
pub use parse::Item;
pub use poll::{PollError, PollReport, Poller};

use crate::store::{Feed, NewFeed};
use chrono::{DateTime, Utc};
use std::time::Duration;

/// The shortest period a feed may have. Short periods are for feeds served on the same
/// machine (tests); a news site is polled every few minutes at most.
pub const MIN_EVERY: Duration = Duration::from_secs(1);

/// The period of a feed added without one.
pub const DEFAULT_EVERY: Duration = Duration::from_secs(15 * 60);

/// How long a feed must fail before `/healthz` reports it.
pub const FAILING_AFTER: Duration = Duration::from_secs(3600);

/// A feed that cannot be added.
#[derive(Debug, thiserror::Error)]
pub enum FeedSpecError {
    /// The URL is not an http or https address.
    #[error("{0:?} is not an http(s) URL")]
    Url(String),
    /// The period cannot be read (`15m`, `1h`, `90s`).
    #[error("{0:?} is not a period like 15m, 1h or 90s")]
    Every(String),
    /// The period is shorter than [`MIN_EVERY`].
    #[error("a feed is polled every {min:?} at most often, not every {0:?}", min = MIN_EVERY)]
    TooOften(Duration),
    /// The language is not an ISO 639-1 code.
    #[error("{0:?} is not a two-letter language code")]
    Lang(String),
}

/// Checks what a person gave to add a feed: the URL, an optional language, an optional
/// period (`15m`; default [`DEFAULT_EVERY`]) and name.
pub fn new_feed(
    url: &str,
    lang: Option<&str>,
    every: Option<&str>,
    name: Option<&str>,
) -> Result<NewFeed, FeedSpecError> {
    let url = url.trim();
    let parsed = reqwest::Url::parse(url).map_err(|_| FeedSpecError::Url(url.to_owned()))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(FeedSpecError::Url(url.to_owned()));
    }
    let every = match every.map(str::trim) {
        None | Some("") => DEFAULT_EVERY,
        Some(text) => {
            humantime::parse_duration(text).map_err(|_| FeedSpecError::Every(text.to_owned()))?
        }
    };
    if every < MIN_EVERY {
        return Err(FeedSpecError::TooOften(every));
    }
    let lang = lang.map(str::trim).filter(|l| !l.is_empty());
    if let Some(l) = lang
        && !(l.len() == 2 && l.chars().all(|c| c.is_ascii_lowercase()))
    {
        return Err(FeedSpecError::Lang(l.to_owned()));
    }
    Ok(NewFeed {
        url: parsed.to_string(),
        name: name
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_owned),
        lang: lang.map(str::to_owned),
        every_secs: every.as_secs(),
    })
}

/// The feeds whose polls have failed for longer than [`FAILING_AFTER`] at `now`.
pub fn failing(feeds: &[Feed], now: DateTime<Utc>) -> Vec<&Feed> {
    feeds
        .iter()
        .filter(|f| {
            f.health
                .failing_since
                .is_some_and(|since| (now - since).to_std().is_ok_and(|d| d >= FAILING_AFTER))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feeds_are_checked_before_they_are_added() {
        let feed = new_feed(
            "http://127.0.0.1:9/rss",
            Some("fr"),
            Some("1h"),
            Some(" Le Monde "),
        )
        .expect("a good feed");
        assert_eq!(feed.every_secs, 3600);
        assert_eq!(feed.name.as_deref(), Some("Le Monde"));
        assert_eq!(
            new_feed("http://127.0.0.1:9/rss", None, None, None)
                .expect("defaults")
                .every_secs,
            900
        );
        assert!(matches!(
            new_feed("ftp://x/rss", None, None, None),
            Err(FeedSpecError::Url(_))
        ));
        assert!(matches!(
            new_feed("http://x/rss", None, Some("soon"), None),
            Err(FeedSpecError::Every(_))
        ));
        assert!(matches!(
            new_feed("http://x/rss", None, Some("10ms"), None),
            Err(FeedSpecError::TooOften(_))
        ));
        assert!(matches!(
            new_feed("http://x/rss", Some("French"), None, None),
            Err(FeedSpecError::Lang(_))
        ));
    }
}
