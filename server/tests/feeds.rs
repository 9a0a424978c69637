//! News feeds in, against a feed server on 127.0.0.1 (`feed_server`) and a real SQLite store:
//! RSS and Atom to documents, an item whose text is fetched from its page, ETag and 304, a
//! 500 then recovery, a slow server, a 50 MB body, malformed XML, repeated items, a French
//! feed dated from its item, `Retry-After`; and `/api/feeds` and `/healthz`.

mod common;
mod feed_server;

use common::TestServer;
use feed_server::{FeedServer, Hits};
use karta::api::ApiSettings;
use karta::feeds::{FetchSettings, PollReport, Poller, new_feed};
use karta::store::{Feed, FeedPoll, StoredDocument};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::Duration;

/// The fetch limits of the tests: a short timeout, 8 MiB.
fn settings() -> FetchSettings {
    FetchSettings {
        timeout: Duration::from_secs(1),
        max_bytes: 8 * 1024 * 1024,
    }
}

/// A karta server with its poller, and a feed server.
async fn start() -> (TestServer, Poller, FeedServer) {
    let karta = TestServer::start(ApiSettings::default()).await;
    let poller = Poller::new(karta.pipeline.clone(), settings()).expect("a poller");
    (karta, poller, FeedServer::start().await)
}

/// Adds a feed to the store.
fn add(karta: &TestServer, url: &str, lang: Option<&str>) -> Feed {
    let spec = new_feed(url, lang, Some("15m"), None).expect("a valid feed");
    karta.pipeline.store().insert_feed(&spec).expect("added")
}

/// The feed as stored now.
fn reload(karta: &TestServer, feed: &Feed) -> Feed {
    karta
        .pipeline
        .store()
        .feeds()
        .expect("listed")
        .into_iter()
        .find(|f| f.id == feed.id)
        .expect("the feed is there")
}

/// Polls a feed as stored now.
async fn poll(karta: &TestServer, poller: &Poller, feed: &Feed) -> PollReport {
    poller
        .poll(&reload(karta, feed))
        .await
        .expect("the poll is recorded")
}

/// Every stored document.
fn documents(karta: &TestServer) -> Vec<StoredDocument> {
    let store = karta.pipeline.store();
    let (count, _) = store.counts().expect("counted");
    (1..=count as i64)
        .filter_map(|id| store.document(id).expect("read").map(|v| v.document))
        .collect()
}

fn document_at(karta: &TestServer, url: &str) -> StoredDocument {
    documents(karta)
        .into_iter()
        .find(|d| d.url.as_deref() == Some(url))
        .unwrap_or_else(|| panic!("a document from {url}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rss_items_become_documents_and_a_summary_gets_its_page() {
    let (karta, poller, site) = start().await;
    let feed = add(&karta, &site.url("/feeds/rss.xml"), None);
    let report = poll(&karta, &poller, &feed).await;
    assert_eq!(report.poll.status, Some(200));
    assert_eq!((report.poll.items_seen, report.poll.items_stored), (2, 2));
    assert_eq!(report.poll.error, None, "{report:?}");
    let ganja = document_at(&karta, &site.url("/news/ganja"));
    assert_eq!(ganja.title.as_deref(), Some("Shelling reported in Ganja"));
    assert_eq!(
        ganja.published.map(|d| d.to_string()).as_deref(),
        Some("2020-10-11")
    );
    assert!(
        ganja.text.contains("killing nine civilians"),
        "{}",
        ganja.text
    );
    // The second item carries a one-line summary: its page gave the text, without the menu.
    let fuzuli = document_at(&karta, &site.url("/article/1"));
    assert_eq!(Hits::get(&site.hits.pages), 1);
    assert!(
        fuzuli.text.contains("Heavy fighting broke out near Fuzuli"),
        "{}",
        fuzuli.text
    );
    assert!(!fuzuli.text.contains("Sport"), "{}", fuzuli.text);
    let agents = site.user_agents();
    assert!(agents.iter().all(|a| a.starts_with("karta/")), "{agents:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn atom_entries_become_documents() {
    let (karta, poller, site) = start().await;
    let feed = add(&karta, &site.url("/feeds/atom.xml"), None);
    let report = poll(&karta, &poller, &feed).await;
    assert_eq!(report.poll.items_stored, 1, "{report:?}");
    let doc = document_at(&karta, &site.url("/updates/stepanakert"));
    assert_eq!(doc.lang.as_deref(), Some("en"), "the feed's xml:lang");
    assert_eq!(
        doc.published.map(|d| d.to_string()).as_deref(),
        Some("2020-10-13")
    );
    assert!(
        doc.text.starts_with("A drone strike hit Stepanakert"),
        "{}",
        doc.text
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_etag_comes_back_and_a_304_stores_nothing() {
    let (karta, poller, site) = start().await;
    let feed = add(&karta, &site.url("/feeds/atom.xml"), None);
    poll(&karta, &poller, &feed).await;
    assert!(
        reload(&karta, &feed).validators.etag.is_some(),
        "the ETag is kept"
    );
    let second = poll(&karta, &poller, &feed).await;
    assert_eq!(second.poll.status, Some(304));
    assert_eq!((second.poll.items_seen, second.poll.items_stored), (0, 0));
    assert_eq!(Hits::get(&site.hits.full), 1);
    assert_eq!(Hits::get(&site.hits.not_modified), 1);
    let health = reload(&karta, &feed).health;
    assert_eq!((health.status, health.items_stored), (Some(304), 1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_500_backs_off_then_the_feed_recovers() {
    let (karta, poller, site) = start().await;
    let feed = add(&karta, &site.url("/flaky.xml"), None);
    let failed = poll(&karta, &poller, &feed).await;
    assert!(failed.poll.failed);
    assert_eq!(failed.poll.status, Some(500));
    let health = reload(&karta, &feed).health;
    assert_eq!(health.failures, 1);
    assert!(health.failing_since.is_some());
    assert!(health.next_poll > failed.poll.at + chrono::Duration::minutes(13));
    let recovered = poll(&karta, &poller, &feed).await;
    assert_eq!(
        (recovered.poll.status, recovered.poll.items_stored),
        (Some(200), 1)
    );
    let health = reload(&karta, &feed).health;
    assert_eq!((health.failures, health.failing_since), (0, None));
    assert_eq!(health.last_error, None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_server_times_out() {
    let (karta, poller, site) = start().await;
    let feed = add(&karta, &site.url("/slow.xml"), None);
    let started = std::time::Instant::now();
    let report = poll(&karta, &poller, &feed).await;
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert!(report.poll.failed);
    let error = reload(&karta, &feed).health.last_error.unwrap_or_default();
    assert!(error.contains("no complete answer within"), "{error}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_50_mb_body_is_cut_at_the_limit() {
    let (karta, poller, site) = start().await;
    let feed = add(&karta, &site.url("/huge.xml"), None);
    let report = poll(&karta, &poller, &feed).await;
    assert!(report.poll.failed);
    let error = reload(&karta, &feed).health.last_error.unwrap_or_default();
    assert!(error.contains("larger than 8388608 bytes"), "{error}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn malformed_xml_fails_the_poll_and_keeps_no_validators() {
    let (karta, poller, site) = start().await;
    let feed = add(&karta, &site.url("/feeds/malformed.xml"), None);
    let report = poll(&karta, &poller, &feed).await;
    assert!(report.poll.failed);
    assert_eq!(report.poll.status, Some(200));
    let stored = reload(&karta, &feed);
    assert!(
        stored
            .health
            .last_error
            .as_deref()
            .unwrap_or_default()
            .starts_with("not a feed"),
        "{:?}",
        stored.health
    );
    assert_eq!(
        stored.validators.etag, None,
        "the next poll fetches it whole"
    );
    assert!(documents(&karta).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn repeated_items_are_stored_once_by_link_then_by_content() {
    let (karta, poller, site) = start().await;
    let feed = add(&karta, &site.url("/feeds/repeats.xml"), None);
    let report = poll(&karta, &poller, &feed).await;
    // Three items: two with one link (one seen), a copy under another link (seen, not stored).
    assert_eq!((report.poll.items_seen, report.poll.items_stored), (2, 1));
    assert_eq!(documents(&karta).len(), 1);
    // Another feed listing the same article adds nothing.
    let other = add(&karta, &site.url("/feeds/repeats.xml?again"), None);
    let again = poll(&karta, &poller, &other).await;
    assert_eq!((again.poll.items_seen, again.poll.items_stored), (0, 0));
    assert_eq!(documents(&karta).len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_french_feed_gives_events_dated_from_its_items() {
    let (karta, poller, site) = start().await;
    let feed = add(&karta, &site.url("/feeds/fr.xml"), Some("fr"));
    let report = poll(&karta, &poller, &feed).await;
    assert_eq!(report.poll.items_stored, 1, "{report:?}");
    let doc = document_at(&karta, &site.url("/fr/stepanakert"));
    assert_eq!(doc.lang.as_deref(), Some("fr"));
    assert_eq!(
        doc.published.map(|d| d.to_string()).as_deref(),
        Some("2020-10-05")
    );
    let events = karta.get_json("/api/events").await;
    let dates: Vec<&str> = events["events"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["date"]["date"].as_str())
        .collect();
    // «le 4 octobre», the year from the item's date.
    assert!(dates.contains(&"2020-10-04"), "{events}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_that_fails_keeps_the_summary_and_says_so() {
    let (karta, poller, site) = start().await;
    let feed = add(&karta, &site.url("/feeds/missing-article.xml"), None);
    let report = poll(&karta, &poller, &feed).await;
    assert!(!report.poll.failed);
    assert_eq!(report.poll.items_stored, 1);
    let doc = document_at(&karta, &site.url("/gone/martuni"));
    assert_eq!(doc.text, "Clashes were reported near Martuni on Friday.");
    let error = reload(&karta, &feed).health.last_error.unwrap_or_default();
    assert!(
        error.contains("kept the summary") && error.contains("404"),
        "{error}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn retry_after_of_a_429_is_honoured() {
    let (karta, poller, site) = start().await;
    // A period of one second: only `Retry-After` can push the next poll two minutes away.
    let spec = new_feed(&site.url("/limited.xml"), None, Some("1s"), None).expect("valid");
    let feed = karta.pipeline.store().insert_feed(&spec).expect("added");
    let report = poll(&karta, &poller, &feed).await;
    assert_eq!(report.poll.status, Some(429));
    assert!(report.poll.next_poll >= report.poll.at + chrono::Duration::seconds(120));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_lists_adds_and_removes_feeds_for_token_holders() {
    let (karta, _poller, site) = start().await;
    let body = json!({"url": site.url("/feeds/fr.xml"), "lang": "fr", "every": "30m"});
    let anonymous = common::client()
        .post(karta.url("/api/feeds"))
        .json(&body)
        .send()
        .await
        .expect("an answer");
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    let (status, feed) = karta
        .write_json(reqwest::Method::POST, "/api/feeds", &body)
        .await;
    assert_eq!(status, StatusCode::CREATED, "{feed}");
    assert_eq!(feed["every_secs"], 1800);
    assert_eq!(feed["health"]["items_seen"], 0);
    let (status, _) = karta
        .write_json(reqwest::Method::POST, "/api/feeds", &body)
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let bad = json!({"url": "file:///etc/passwd"});
    let (status, _) = karta
        .write_json(reqwest::Method::POST, "/api/feeds", &bad)
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        karta.get("/api/feeds").await.status(),
        StatusCode::UNAUTHORIZED
    );
    let listed: Value = common::client()
        .get(karta.url("/api/feeds"))
        .bearer_auth(&karta.token)
        .send()
        .await
        .expect("an answer")
        .json()
        .await
        .expect("JSON");
    assert_eq!(listed[0]["url"], site.url("/feeds/fr.xml"));
    let path = format!("/api/feeds/{}", feed["id"]);
    let deleted = common::client()
        .delete(karta.url(&path))
        .bearer_auth(&karta.token)
        .send()
        .await
        .expect("an answer");
    assert_eq!(deleted.status(), StatusCode::NO_CONTENT);
    let again = common::client()
        .delete(karta.url(&path))
        .bearer_auth(&karta.token)
        .send()
        .await
        .expect("an answer");
    assert_eq!(again.status(), StatusCode::NOT_FOUND);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthz_names_a_feed_failing_for_an_hour_and_stays_200() {
    let (karta, _poller, site) = start().await;
    let feed = add(&karta, &site.url("/flaky.xml"), None);
    let recent = add(&karta, &site.url("/slow.xml"), None);
    let now = chrono::Utc::now();
    let failure = |at| FeedPoll {
        at,
        status: Some(500),
        error: Some("HTTP 500".into()),
        failed: true,
        validators: None,
        items_seen: 0,
        items_stored: 0,
        next_poll: now,
    };
    let store = karta.pipeline.store();
    store
        .record_poll(feed.id, &failure(now - chrono::Duration::minutes(61)))
        .expect("recorded");
    store
        .record_poll(recent.id, &failure(now))
        .expect("recorded");
    let r = karta.get("/healthz").await;
    assert_eq!(r.status(), StatusCode::OK);
    let body: Value = r.json().await.expect("JSON");
    assert_eq!(body["feeds"]["count"], 2);
    let failing = body["feeds"]["failing"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(failing.len(), 1, "{body}");
    assert_eq!(failing[0]["id"], feed.id);
    assert_eq!(failing[0]["last_error"], "HTTP 500");
}

#[tokio::test]
async fn openapi_describes_the_feed_routes() {
    let karta = TestServer::start(ApiSettings::default()).await;
    let doc = karta.get_json("/api/openapi.json").await;
    for (path, method) in [
        ("/api/feeds", "get"),
        ("/api/feeds", "post"),
        ("/api/feeds/{id}", "delete"),
    ] {
        assert!(doc["paths"][path][method].is_object(), "{method} {path}");
    }
    assert!(doc["components"]["schemas"]["Feed"]["properties"]["health"].is_object());
}
