//! The poller: fetches the feeds that are due, turns their new items into documents through
//! the ingest pipeline, and records each poll's health and next date.

use super::article::main_text;
use super::fetch::{FetchError, FetchSettings, Fetched, Fetcher};
use super::parse::{Item, items};
use super::schedule::next_wait;
use crate::ingest::{IngestError, Pipeline};
use crate::store::{Feed, FeedPoll, NewDocument, StoreError};
use chrono::{DateTime, Utc};
use std::time::Duration;

/// How often the poller looks for due feeds (feeds added meanwhile are due at once).
pub const TICK: Duration = Duration::from_secs(1);

/// How long a feed taken for a poll stays with this server before another may take it (should
/// this one die mid-poll): longer than any poll takes.
pub const CLAIM: Duration = Duration::from_secs(15 * 60);

/// What can stop a poll from being recorded.
#[derive(Debug, thiserror::Error)]
pub enum PollError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A blocking task (store, parser, ingest) panicked or was cancelled.
    #[error("a background task: {0}")]
    Task(#[from] tokio::task::JoinError),
}

/// How one poll went, as recorded in the feed's health.
#[derive(Debug, Clone, PartialEq)]
pub struct PollReport {
    /// The poll as recorded.
    pub poll: FeedPoll,
    /// Notes on items whose article page could not be used (the summary was kept).
    pub notes: Vec<String>,
}

/// Polls feeds and ingests their items; clones share the HTTP client and the pipeline.
#[derive(Debug, Clone)]
pub struct Poller {
    pipeline: Pipeline,
    fetcher: Fetcher,
}

/// What the new items of one fetch gave.
#[derive(Debug, Default)]
struct Harvest {
    seen: u64,
    stored: u64,
    notes: Vec<String>,
}

impl Poller {
    /// A poller over the pipeline's store, fetching within `settings`.
    pub fn new(pipeline: Pipeline, settings: FetchSettings) -> Result<Self, FetchError> {
        Ok(Self {
            pipeline,
            fetcher: Fetcher::new(settings)?,
        })
    }

    /// Polls the due feeds every [`TICK`], forever (`karta serve` aborts it on shutdown).
    pub async fn run(self) {
        let mut tick = tokio::time::interval(TICK);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(e) = self.poll_due().await {
                tracing::warn!("polling feeds: {e}");
            }
        }
    }

    /// Polls, side by side, every feed whose next poll is due and that no other server sharing
    /// the database took first ([`crate::store::Store::claim_due_feeds`]); returns how many.
    pub async fn poll_due(&self) -> Result<usize, PollError> {
        let now = Utc::now();
        let until = now + CLAIM;
        let due: Vec<Feed> = self
            .blocking(move |p| p.store().claim_due_feeds(now, until))
            .await??;
        let mut polls = tokio::task::JoinSet::new();
        for feed in due {
            let poller = self.clone();
            polls.spawn(async move { (poller.poll(&feed).await, feed.url) });
        }
        let mut count = 0;
        while let Some(done) = polls.join_next().await {
            count += 1;
            if let (Err(e), url) = done? {
                tracing::warn!("polling {url}: {e}");
            }
        }
        Ok(count)
    }

    /// Polls one feed now: a conditional fetch, the new items stored, the health recorded.
    pub async fn poll(&self, feed: &Feed) -> Result<PollReport, PollError> {
        let at = Utc::now();
        let every = Duration::from_secs(feed.every_secs);
        let report = match self.fetcher.feed(&feed.url, &feed.validators).await {
            Ok(Fetched::NotModified) => ok_report(at, 304, None, Harvest::default(), every),
            Ok(Fetched::Body {
                status,
                bytes,
                validators,
            }) => match self.read(feed, bytes).await? {
                Ok(harvest) => ok_report(at, status, Some(validators), harvest, every),
                Err(e) => failed_report(at, Some(status), e.to_string(), feed, None),
            },
            Err(e) => failed_report(at, e.status(), e.to_string(), feed, e.retry_after()),
        };
        let (id, poll) = (feed.id, report.poll.clone());
        self.blocking(move |p| p.store().record_poll(id, &poll))
            .await??;
        log(feed, &report);
        Ok(report)
    }

    /// Parses a fetched feed and stores its new items; the outer error stops the poll, the
    /// inner one is the feed's (not a feed).
    async fn read(
        &self,
        feed: &Feed,
        bytes: Vec<u8>,
    ) -> Result<Result<Harvest, super::parse::ParseError>, PollError> {
        let url = feed.url.clone();
        let parsed = tokio::task::spawn_blocking(move || items(&bytes, &url)).await?;
        let items = match parsed {
            Ok(items) => items,
            Err(e) => return Ok(Err(e)),
        };
        let mut harvest = Harvest::default();
        for item in items {
            self.take(feed, item, &mut harvest).await?;
        }
        Ok(Ok(harvest))
    }

    /// Stores one item unless its link was seen before (in this feed or another).
    async fn take(&self, feed: &Feed, item: Item, harvest: &mut Harvest) -> Result<(), PollError> {
        let key = item.key.clone();
        let seen_key = key.clone();
        if self
            .blocking(move |p| p.store().feed_item_seen(&seen_key))
            .await??
        {
            return Ok(());
        }
        harvest.seen += 1;
        let text = self.text_of(&item, &mut harvest.notes).await;
        let document = NewDocument {
            text,
            title: item.title,
            url: item.link,
            lang: feed.lang.clone().or(item.lang),
            // An item without a date is news of the day it was first read.
            published: Some(item.published.unwrap_or_else(Utc::now).date_naive()),
        };
        let feed_id = feed.id;
        let stored = self
            .blocking(move |p| -> Result<Option<i64>, PollError> {
                let id = match p.ingest(document, false) {
                    Ok(done) => done.created.then_some(done.view.document.id),
                    Err(IngestError::Store(e)) => return Err(e.into()),
                    Err(e) => {
                        tracing::info!("feed item {key} not stored: {e}");
                        None
                    }
                };
                p.store().record_feed_item(feed_id, &key, id)?;
                Ok(id)
            })
            .await??;
        harvest.stored += u64::from(stored.is_some());
        Ok(())
    }

    /// The item's text: its own, or the main text of its article page when it carries a
    /// summary only and the page gives more; a page that fails leaves a note.
    async fn text_of(&self, item: &Item, notes: &mut Vec<String>) -> String {
        let Some(link) = item.link.as_deref().filter(|_| item.summary_only) else {
            return item.text.clone();
        };
        let page = match self.fetcher.page(link).await {
            Ok(bytes) => bytes,
            Err(e) => {
                notes.push(format!("kept the summary of {link}: {e}"));
                return item.text.clone();
            }
        };
        let url = link.to_owned();
        let html = String::from_utf8_lossy(&page).into_owned();
        match tokio::task::spawn_blocking(move || main_text(&html, &url)).await {
            Ok(Ok(text)) if text.chars().count() > item.text.chars().count() => text,
            Ok(Ok(_)) => item.text.clone(),
            Ok(Err(e)) => {
                notes.push(format!("kept the summary of {link}: {e}"));
                item.text.clone()
            }
            Err(e) => {
                notes.push(format!("kept the summary of {link}: {e}"));
                item.text.clone()
            }
        }
    }

    /// Runs store or pipeline work off the async threads.
    async fn blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Pipeline) -> T + Send + 'static,
    ) -> Result<T, tokio::task::JoinError> {
        let pipeline = self.pipeline.clone();
        tokio::task::spawn_blocking(move || f(&pipeline)).await
    }
}

/// The record of a poll that read the feed (or found it unchanged).
fn ok_report(
    at: DateTime<Utc>,
    status: u16,
    validators: Option<crate::store::Validators>,
    harvest: Harvest,
    every: Duration,
) -> PollReport {
    let error = (!harvest.notes.is_empty()).then(|| harvest.notes.join("; "));
    PollReport {
        poll: FeedPoll {
            at,
            status: Some(status),
            error,
            failed: false,
            validators,
            items_seen: harvest.seen,
            items_stored: harvest.stored,
            next_poll: at + next_wait(every, 0, None),
        },
        notes: harvest.notes,
    }
}

/// The record of a poll that failed: back-off from the failures in a row so far.
fn failed_report(
    at: DateTime<Utc>,
    status: Option<u16>,
    error: String,
    feed: &Feed,
    retry_after: Option<Duration>,
) -> PollReport {
    let every = Duration::from_secs(feed.every_secs);
    let wait = next_wait(every, feed.health.failures + 1, retry_after);
    PollReport {
        poll: FeedPoll {
            at,
            status,
            error: Some(error),
            failed: true,
            validators: None,
            items_seen: 0,
            items_stored: 0,
            next_poll: at + wait,
        },
        notes: Vec::new(),
    }
}

fn log(feed: &Feed, report: &PollReport) {
    let poll = &report.poll;
    match &poll.error {
        Some(e) if poll.failed => tracing::warn!("feed {}: {e}", feed.url),
        _ => tracing::info!(
            "feed {}: {} new items, {} stored",
            feed.url,
            poll.items_seen,
            poll.items_stored
        ),
    }
}
