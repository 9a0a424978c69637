//! Helpers shared by the end-to-end tests: a real server on a random loopback port over a
//! real SQLite file, the shipped gazetteer and the built-in extractor.

#![allow(dead_code)]

use extract::Extractor;
use gazetteer::Gazetteer;
use karta::api::{ApiSettings, router};
use karta::auth::create_token;
use karta::ingest::Pipeline;
use karta::listen::{self, ConnectionLimits};
use karta::store::{SqliteStore, Store};
use reqwest::StatusCode;
use serde_json::Value;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, OnceLock};

pub mod db;

/// The shipped gazetteer, opened once per test binary.
pub fn gazetteer() -> Arc<Gazetteer> {
    static GAZ: OnceLock<Arc<Gazetteer>> = OnceLock::new();
    GAZ.get_or_init(|| Arc::new(Gazetteer::open_default().expect("the shipped gazetteer opens")))
        .clone()
}

/// The extractor with the built-in lexicons, loaded once per test binary.
pub fn extractor() -> Arc<Extractor> {
    static EXTRACTOR: OnceLock<Arc<Extractor>> = OnceLock::new();
    EXTRACTOR
        .get_or_init(|| Arc::new(Extractor::new().expect("the built-in lexicons load")))
        .clone()
}

/// The store of a test server: an SQLite file `karta.db` in `dir`, or with
/// `KARTA_TEST_STORE=postgres` a fresh database on the test cluster.
fn test_store(dir: &Path) -> (Arc<dyn Store>, Option<db::PostgresDb>) {
    if db::api_on_postgres() {
        let db = db::PostgresDb::create()
            .expect("KARTA_TEST_STORE=postgres needs KARTA_TEST_POSTGRES (scripts/with-postgres)");
        let store = karta::store::open(&db.url).expect("the PostgreSQL store opens");
        return (store, Some(db));
    }
    let store = SqliteStore::open(dir.join("karta.db")).expect("the database opens");
    (Arc::new(store), None)
}

/// A server running in this process on 127.0.0.1 with a fresh database.
pub struct TestServer {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// A valid write token.
    pub token: String,
    /// The pipeline behind the server.
    pub pipeline: Pipeline,
    /// The folder holding the SQLite database; removed when dropped.
    pub dir: tempfile::TempDir,
    /// The PostgreSQL database instead, with `KARTA_TEST_STORE=postgres`; dropped when
    /// dropped.
    pub postgres: Option<db::PostgresDb>,
}

impl TestServer {
    /// Starts a server with the given settings.
    pub async fn start(settings: ApiSettings) -> Self {
        Self::start_with(settings, false).await
    }

    /// Starts a server with the given settings that also serves the web app's pages, as
    /// `karta serve` does.
    pub async fn start_with_pages(settings: ApiSettings) -> Self {
        Self::start_with(settings, true).await
    }

    /// Starts a server with the given settings whose connections are bounded by `limits`.
    pub async fn start_limited(settings: ApiSettings, limits: ConnectionLimits) -> Self {
        Self::start_with_limits(settings, false, limits).await
    }

    async fn start_with(settings: ApiSettings, pages: bool) -> Self {
        Self::start_with_limits(settings, pages, ConnectionLimits::default()).await
    }

    async fn start_with_limits(
        settings: ApiSettings,
        pages: bool,
        limits: ConnectionLimits,
    ) -> Self {
        let dir = tempfile::tempdir().expect("a temp dir");
        let path = dir.path().to_owned();
        // Off the async runtime: PostgreSQL's client blocks.
        let (pipeline, token, postgres) = tokio::task::spawn_blocking(move || {
            let (store, postgres) = test_store(&path);
            let pipeline =
                Pipeline::new(store, gazetteer(), extractor()).expect("the pipeline starts");
            let (token, _) = create_token(pipeline.store(), "tester").expect("a token");
            (pipeline, token, postgres)
        })
        .await
        .expect("the store opens");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a loopback port");
        let addr = listener.local_addr().expect("the bound address");
        let app = if pages {
            karta::api::site(pipeline.clone(), &settings, None)
        } else {
            router(pipeline.clone(), &settings)
        };
        tokio::spawn(listen::serve(listener, app, limits, std::future::pending()));
        Self {
            base: format!("http://{addr}"),
            token,
            pipeline,
            dir,
            postgres,
        }
    }

    /// Runs `f` on the server's pipeline on a blocking thread, as the server runs store calls
    /// (PostgreSQL's client blocks and must not run on the async runtime's threads).
    pub async fn blocking<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Pipeline) -> T + Send + 'static,
    ) -> T {
        let pipeline = self.pipeline.clone();
        tokio::task::spawn_blocking(move || f(&pipeline))
            .await
            .expect("the blocking task ends")
    }

    /// The URL of a path.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The answer to `GET path`, without a token; a redirect is handed back, not followed.
    pub async fn get(&self, path: &str) -> reqwest::Response {
        client_seeing_redirects()
            .get(self.url(path))
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: the server answers ({e})"))
    }

    /// The JSON body of the answer to `GET path`, without a token.
    pub async fn get_json(&self, path: &str) -> Value {
        json_of(self.get(path).await, path).await
    }

    /// The JSON body of the answer to `GET path`, with this server's token (what a token
    /// holder reads: deleted events, the names in the audit trail).
    pub async fn get_json_with_token(&self, path: &str) -> Value {
        let r = client()
            .get(self.url(path))
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: the server answers ({e})"));
        json_of(r, path).await
    }

    /// Sends `body` as JSON with this server's write token; the status and the JSON answer.
    pub async fn write_json(
        &self,
        method: reqwest::Method,
        path: &str,
        body: &Value,
    ) -> (StatusCode, Value) {
        let r = client()
            .request(method.clone(), self.url(path))
            .bearer_auth(&self.token)
            .json(body)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{method} {path}: the server answers ({e})"));
        (r.status(), json_of(r, path).await)
    }
}

/// The JSON body of an answer, or a panic that names the path.
pub async fn json_of(r: reqwest::Response, path: &str) -> Value {
    r.json()
        .await
        .unwrap_or_else(|e| panic!("{path}: a JSON answer ({e})"))
}

/// A French report of one shelling (Stepanakert, 4 October 2020), the document most tests ingest.
pub const SHELLING: &str = "Les forces azerbaïdjanaises ont bombardé Stepanakert le 4 octobre, \
    selon le ministère arménien de la Défense.";

impl TestServer {
    /// Ingests the shelling report (published 2020-10-05) and returns its first event.
    pub async fn shelling_event(&self) -> Value {
        let (_, doc) = self
            .write_json(
                reqwest::Method::POST,
                "/api/documents",
                &serde_json::json!({"text": SHELLING, "lang": "fr", "published": "2020-10-05"}),
            )
            .await;
        doc["events"]
            .as_array()
            .and_then(|e| e.first())
            .cloned()
            .unwrap_or_else(|| panic!("the report has an event: {doc}"))
    }
}

/// An HTTP client.
pub fn client() -> reqwest::Client {
    reqwest::Client::new()
}

/// An HTTP client that hands redirects back instead of following them, for tests of where they
/// lead.
pub fn client_seeing_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client")
}

/// The LGL evaluation corpus, when the shared folder is beside the repository.
pub fn lgl_path() -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/eval/lgl.jsonl");
    p.exists().then_some(p)
}

/// The `karta` binary built for these tests.
pub const KARTA: &str = env!("CARGO_BIN_EXE_karta");

/// Starts the `karta serve` binary on a free loopback port over `db`, without the demo, and
/// returns it with its base URL.
pub fn serve(db: impl AsRef<std::ffi::OsStr>) -> (Child, String) {
    let mut child = Command::new(KARTA)
        .args(["serve", "--addr", "127.0.0.1:0", "--no-demo", "--db"])
        .arg(db)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("karta serve starts");
    let stdout = child.stdout.take().expect("stdout is piped");
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("karta serve prints its address");
    let base = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned();
    (child, base)
}
