//! End to end: a feed added with `karta feeds add --every 1s` beside a running `karta serve`
//! (the real binary) brings its articles onto `/api/events` within a polling period; polls
//! after that are 304s, and a restarted server fetches and stores nothing twice.

mod common;
mod feed_server;

use common::{KARTA, serve};
use feed_server::{FeedServer, Hits};
use serde_json::Value;
use std::path::Path;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

/// Runs `karta feeds ARGS --db DB` and returns its standard output.
fn feeds(db: &Path, args: &[&str]) -> String {
    let out = Command::new(KARTA)
        .arg("feeds")
        .args(args)
        .arg("--db")
        .arg(db)
        .output()
        .expect("karta feeds runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

/// The JSON answer to `GET {base}{path}`.
async fn get_json(base: &str, path: &str) -> Value {
    let r = common::client()
        .get(format!("{base}{path}"))
        .send()
        .await
        .unwrap_or_else(|e| panic!("GET {path}: {e}"));
    common::json_of(r, path).await
}

async fn health(base: &str) -> Value {
    get_json(base, "/healthz").await
}

fn stop(mut child: Child) {
    child.kill().expect("stopped");
    child.wait().expect("the process is gone");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_feed_added_to_a_running_server_reaches_the_map_once() {
    let site = FeedServer::start().await;
    let dir = tempfile::tempdir().expect("a temp dir");
    let db = dir.path().join("karta.db");
    let (server, base) = serve(&db);
    let added = feeds(&db, &["add", &site.url("/feeds/rss.xml"), "--every", "1s"]);
    assert!(added.starts_with("feed 1 added"), "{added}");

    // Within one period (1 s) plus the work: the two articles are stored with their events.
    let started = Instant::now();
    let mut body = Value::Null;
    while started.elapsed() < Duration::from_secs(15) {
        body = health(&base).await;
        if body["documents"] == 2 && body["indexed"].as_u64().unwrap_or(0) > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(body["documents"], 2, "{body}");
    let events = get_json(&base, "/api/events").await;
    let sentences: Vec<&str> = events["events"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["sentence"]["text"].as_str())
        .collect();
    assert!(sentences.iter().any(|s| s.contains("Ganja")), "{events}");

    // The next polls are conditional: 304s, nothing stored.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(Hits::get(&site.hits.full), 1);
    assert!(Hits::get(&site.hits.not_modified) >= 1);
    stop(server);

    // A restart keeps the validators and the links: nothing fetched whole or stored again.
    let not_modified = Hits::get(&site.hits.not_modified);
    let (server, base) = serve(&db);
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(health(&base).await["documents"], 2);
    assert_eq!(Hits::get(&site.hits.full), 1);
    assert_eq!(
        Hits::get(&site.hits.pages),
        1,
        "the article page is not fetched again"
    );
    assert!(Hits::get(&site.hits.not_modified) > not_modified);
    stop(server);
    let listed = feeds(&db, &["list"]);
    assert!(listed.contains("items seen 2, stored 2"), "{listed}");
    assert!(listed.contains("(HTTP 304)"), "{listed}");
}
