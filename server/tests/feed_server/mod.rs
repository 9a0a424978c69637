//! A news site on 127.0.0.1 for the feed tests and benchmarks: the fixtures of `tests/feeds/`
//! with ETags, an article page, and servers that fail in the ways real ones do (500 then
//! recovery, slow, 50 MB, 429 with `Retry-After`).

#![allow(dead_code)]

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::header::{CONTENT_TYPE, ETAG, IF_NONE_MATCH, RETRY_AFTER};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::hash::{Hash, Hasher};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// How many answers of each kind the server gave.
#[derive(Debug, Default)]
pub struct Hits {
    /// Feeds answered with a body.
    pub full: AtomicUsize,
    /// Feeds answered `304 Not Modified`.
    pub not_modified: AtomicUsize,
    /// Article pages served.
    pub pages: AtomicUsize,
    /// Requests of the flaky feed.
    pub flaky: AtomicUsize,
}

impl Hits {
    /// The count of one kind.
    pub fn get(counter: &AtomicUsize) -> usize {
        counter.load(Ordering::SeqCst)
    }
}

struct Shared {
    base: String,
    hits: Arc<Hits>,
    generated: String,
    user_agents: std::sync::Mutex<Vec<String>>,
}

/// A running feed server.
pub struct FeedServer {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// Its answers so far.
    pub hits: Arc<Hits>,
    shared: Arc<Shared>,
}

impl FeedServer {
    /// Starts a server of the fixtures.
    pub async fn start() -> Self {
        Self::start_generating(0).await
    }

    /// Starts a server that also serves a feed of `items` generated items at `/generated.xml`.
    pub async fn start_generating(items: usize) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port");
        let base = format!("http://{}", listener.local_addr().expect("an address"));
        let hits = Arc::new(Hits::default());
        let shared = Arc::new(Shared {
            generated: generated_feed(&base, items),
            base: base.clone(),
            hits: hits.clone(),
            user_agents: std::sync::Mutex::default(),
        });
        let app = Router::new()
            .route("/feeds/{name}", get(fixture))
            .route("/generated.xml", get(generated))
            .route("/article/1", get(article))
            .route("/flaky.xml", get(flaky))
            .route("/slow.xml", get(slow))
            .route("/huge.xml", get(huge))
            .route("/limited.xml", get(limited))
            .with_state(shared.clone());
        tokio::spawn(async move { axum::serve(listener, app).await });
        Self { base, hits, shared }
    }

    /// The URL of a path.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The User-Agent headers received.
    pub fn user_agents(&self) -> Vec<String> {
        self.shared
            .user_agents
            .lock()
            .map(|v| v.clone())
            .unwrap_or_default()
    }
}

/// A fixture of `tests/feeds/` with `{base}` set to the server's address.
pub fn fixture_text(name: &str, base: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/feeds")
        .join(name);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .replace("{base}", base)
}

/// An RSS feed of `items` English reports, each with its full text.
pub fn generated_feed(base: &str, items: usize) -> String {
    let places = [
        "Ganja",
        "Stepanakert",
        "Barda",
        "Fuzuli",
        "Martuni",
        "Shusha",
        "Tartar",
    ];
    let body: String = (0..items)
        .map(|i| {
            let place = places[i % places.len()];
            format!(
                "<item><title>Report {i}</title><link>{base}/generated/{i}</link>\
                 <pubDate>Sun, 11 Oct 2020 09:00:00 GMT</pubDate><content:encoded><![CDATA[<p>\
                 Report {i}: artillery shelled {place} on Saturday, killing {n} civilians, \
                 officials said.</p>]]></content:encoded></item>\n",
                n = i % 9 + 2
            )
        })
        .collect();
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\" \
         xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel>\
         <title>Generated</title><link>{base}/</link><description>d</description>\n{body}\
         </channel></rss>"
    )
}

/// Answers a feed with an ETag, or 304 when the client sent that ETag back.
fn feed_answer(shared: &Shared, headers: &HeaderMap, text: String) -> Response {
    if let Some(agent) = headers.get("user-agent").and_then(|v| v.to_str().ok())
        && let Ok(mut agents) = shared.user_agents.lock()
    {
        agents.push(agent.to_owned());
    }
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut hasher);
    let etag = format!("\"{:x}\"", hasher.finish());
    if headers.get(IF_NONE_MATCH).and_then(|v| v.to_str().ok()) == Some(etag.as_str()) {
        shared.hits.not_modified.fetch_add(1, Ordering::SeqCst);
        return (StatusCode::NOT_MODIFIED, [(ETAG, etag)]).into_response();
    }
    shared.hits.full.fetch_add(1, Ordering::SeqCst);
    (
        [
            (CONTENT_TYPE, "application/rss+xml".to_owned()),
            (ETAG, etag),
        ],
        text,
    )
        .into_response()
}

async fn fixture(
    State(shared): State<Arc<Shared>>,
    Path(name): Path<String>,
    headers: HeaderMap,
) -> Response {
    let text = fixture_text(&name, &shared.base);
    feed_answer(&shared, &headers, text)
}

async fn generated(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    let text = shared.generated.clone();
    feed_answer(&shared, &headers, text)
}

async fn article(State(shared): State<Arc<Shared>>) -> Response {
    shared.hits.pages.fetch_add(1, Ordering::SeqCst);
    (
        [(CONTENT_TYPE, "text/html; charset=utf-8")],
        fixture_text("article.html", &shared.base),
    )
        .into_response()
}

/// 500 on the first request, the RSS fixture after.
async fn flaky(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    if shared.hits.flaky.fetch_add(1, Ordering::SeqCst) == 0 {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    let text = fixture_text("atom.xml", &shared.base);
    feed_answer(&shared, &headers, text)
}

/// Answers after three seconds.
async fn slow(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    tokio::time::sleep(Duration::from_secs(3)).await;
    let text = fixture_text("atom.xml", &shared.base);
    feed_answer(&shared, &headers, text)
}

/// A 50 MB body, streamed without a Content-Length.
async fn huge() -> Response {
    let chunk = Bytes::from(vec![b' '; 1024 * 1024]);
    let chunks = (0..50).map(move |_| Ok::<_, std::io::Error>(chunk.clone()));
    (
        [(CONTENT_TYPE, "application/rss+xml")],
        Body::from_stream(tokio_stream::iter(chunks)),
    )
        .into_response()
}

/// 429 with `Retry-After: 120`.
async fn limited() -> Response {
    (StatusCode::TOO_MANY_REQUESTS, [(RETRY_AFTER, "120")]).into_response()
}
