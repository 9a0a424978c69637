//! karta on PostgreSQL end to end, with the real `karta` binary on a fresh database of the
//! test cluster (`scripts/with-postgres`; each test says so and passes when no cluster is
//! given): two servers share one database and each sees the other's writes at once, and
//! `karta migrate` copies an SQLite database into it once.

mod common;

use common::db::{PostgresDb, TestDb};
use common::{KARTA, SHELLING, client, extractor, gazetteer, json_of, serve};
use karta::auth::create_token;
use karta::feeds::new_feed;
use karta::ingest::Pipeline;
use karta::rtree::Bbox;
use karta::store::{
    Area, EventFilter, Grid, NewDocument, Page, Place, PostgresStore, Store, StoreError,
    StoredEvent,
};
use reqwest::Method;
use serde_json::{Value, json};
use std::process::{Child, Command};

/// A fresh database, or `None` (said on standard error) without a cluster.
fn database() -> Option<PostgresDb> {
    let db = PostgresDb::create();
    if db.is_none() {
        eprintln!("KARTA_TEST_POSTGRES is not set: skipped");
    }
    db
}

/// A new write token, made by `karta token create` on the database at `url`.
fn token(url: &str) -> String {
    let out = Command::new(KARTA)
        .args(["token", "create", "--name", "tester", "--db", url])
        .output()
        .expect("karta token runs");
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout)
        .expect("UTF-8")
        .trim()
        .to_owned()
}

/// A `karta serve` process, killed when dropped.
struct Server {
    child: Child,
    base: String,
}

impl Server {
    fn start(url: &str) -> Self {
        let (child, base) = serve(url);
        Self { child, base }
    }

    async fn send(&self, method: Method, path: &str, token: &str, body: &Value) -> Value {
        let r = client()
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .expect("the server answers");
        assert!(r.status().is_success(), "{path}: {}", r.status());
        json_of(r, path).await
    }

    async fn get(&self, path: &str) -> Value {
        let r = client()
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("the server answers");
        assert!(r.status().is_success(), "{path}: {}", r.status());
        json_of(r, path).await
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test]
async fn two_servers_on_one_database_see_each_others_writes_at_once() {
    let Some(db) = database() else { return };
    let token = token(&db.url);
    let (a, b) = (Server::start(&db.url), Server::start(&db.url));
    let doc = json!({"text": SHELLING, "lang": "fr", "published": "2020-10-05"});
    let written = a.send(Method::POST, "/api/documents", &token, &doc).await;
    let event = &written["events"][0];
    let id = event["id"].as_i64().expect("an event id");
    // B finds it at once, by id, by place (PostGIS) and by text.
    let read = b.get(&format!("/api/events/{id}")).await;
    assert_eq!(read["event_type"], event["event_type"]);
    let karabakh = b.get("/api/events?bbox=46,39,47.5,40.5").await;
    let ids: Vec<i64> = karabakh["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter_map(|e| e["id"].as_i64())
        .collect();
    assert!(ids.contains(&id), "{karabakh}");
    let near = b.get("/api/events?near=46.75,39.82&radius_km=30").await;
    assert_eq!(near["events"].as_array().map(Vec::len), Some(ids.len()));
    // A correction through B is seen through A at once, with its audit trail.
    let patch = json!({"event_type": "battles", "date": "2020-10-03"});
    b.send(Method::PATCH, &format!("/api/events/{id}"), &token, &patch)
        .await;
    let corrected = a.get(&format!("/api/events/{id}")).await;
    assert_eq!(corrected["status"], "corrected");
    assert_eq!(corrected["event_type"], "battles");
    let health = a.get("/healthz").await;
    assert_eq!(health["documents"], 1, "{health}");
    b.send(
        Method::DELETE,
        &format!("/api/events/{id}"),
        &token,
        &json!({}),
    )
    .await;
    let after = a.get("/api/events?bbox=46,39,47.5,40.5").await;
    let left: Vec<i64> = after["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter_map(|e| e["id"].as_i64())
        .collect();
    assert!(
        !left.contains(&id),
        "a deletion through B leaves A's map: {after}"
    );
}

/// Every event of a store, deleted ones included, by id.
fn all_events(store: &dyn Store) -> Vec<StoredEvent> {
    let filter = EventFilter {
        include_deleted: true,
        ..EventFilter::default()
    };
    let page = Page {
        after: None,
        limit: 10_000,
    };
    store.events(&filter, None, page).expect("events")
}

/// A summed cell's column, row, count and counts by type.
type CellCounts = (u32, u32, u64, Vec<(String, u64)>);

/// The summed cells of the whole world at a level of the grid, sorted.
fn world_sums(store: &dyn Store, level: u8) -> Vec<CellCounts> {
    let grid = Grid { level };
    let mut cells: Vec<_> = store
        .summed_cells(&EventFilter::default(), grid, &[grid.everything()])
        .expect("summed")
        .expect("the store keeps sums")
        .into_iter()
        .map(|c| (c.x, c.y, c.count, c.types.into_iter().collect()))
        .collect();
    cells.sort();
    cells
}

/// Runs `karta migrate` from an SQLite file to a URL; its table of counts.
fn migrate(from: &str, to: &str) -> String {
    let out = Command::new(KARTA)
        .args(["migrate", "--from", from, "--to", to])
        .output()
        .expect("karta migrate runs");
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// An SQLite database with the demo reports, a deleted event (whose id is returned), a token,
/// a session and a feed with an item.
fn sqlite_with_everything() -> (TestDb, i64) {
    let source = TestDb::sqlite();
    let pipeline = Pipeline::new(source.store.clone(), gazetteer(), extractor()).expect("ready");
    assert!(karta::demo::load_if_empty(&pipeline).expect("the demo") > 0);
    let store = source.store.as_ref();
    let first = all_events(store)[0].id;
    store.set_deleted(first, true, "tester").expect("deleted");
    let (_, token) = create_token(store, "tester").expect("a token");
    store
        .insert_session(token.id, "s-1", "2999-01-01T00:00:00.000Z")
        .expect("a session");
    let spec = new_feed("http://127.0.0.1:9/rss", None, None, None).expect("a feed");
    let feed = store.insert_feed(&spec).expect("a feed");
    store
        .record_feed_item(feed.id, "http://127.0.0.1:9/a/1", Some(1))
        .expect("an item");
    (source, first)
}

#[test]
fn migrate_copies_everything_once_ids_kept() {
    let Some(target) = database() else { return };
    let (source, first) = sqlite_with_everything();
    let store = source.store.as_ref();
    let once = migrate(&source.db, &target.url);
    assert!(once.contains("events\t"), "{once}");
    let twice = migrate(&source.db, &target.url);
    let new_rows: Vec<&str> = twice
        .lines()
        .skip(1)
        .filter_map(|l| l.rsplit('\t').next())
        .collect();
    assert!(
        new_rows.iter().all(|n| *n == "0"),
        "a second run copies nothing: {twice}"
    );

    let copy = karta::store::open(&target.url).expect("the copy opens");
    assert_eq!(
        copy.counts().expect("counts"),
        store.counts().expect("counts")
    );
    assert_eq!(
        all_events(copy.as_ref()),
        all_events(store),
        "every event, ids kept"
    );
    assert_eq!(
        copy.corrections(first).expect("trail"),
        store.corrections(first).expect("trail")
    );
    assert_eq!(
        copy.tokens().expect("tokens"),
        store.tokens().expect("tokens")
    );
    assert!(copy.session_token("s-1").expect("read").is_some());
    assert_eq!(copy.feeds().expect("feeds"), store.feeds().expect("feeds"));
    assert!(copy.feed_item_seen("http://127.0.0.1:9/a/1").expect("read"));
    for level in 2..=8 {
        assert_eq!(
            world_sums(copy.as_ref(), level),
            world_sums(store, level),
            "the sums of /api/clusters at level {level}"
        );
    }
    let karabakh = Place::Within(Area::Bbox(Bbox::from([44.0, 38.0, 51.0, 42.0])));
    let located = copy.locate(&karabakh).expect("located").expect("PostGIS");
    assert!(!located.is_empty() && !located.contains(&first));
    // New rows get new ids after the copied ones.
    let more = copy
        .insert_document(
            &NewDocument {
                text: "more".into(),
                ..NewDocument::default()
            },
            "x",
            &[],
            &[],
        )
        .expect("a new document");
    let (documents, _) = store.counts().expect("counts");
    assert_eq!(more.document.id, documents as i64 + 1);
}

/// How many connections to the database at `url` are encrypted, asked over plain text.
fn encrypted_connections(url: &str) -> i64 {
    let mut client = postgres::Client::connect(url, postgres::NoTls).expect("connected");
    client
        .query_one(
            "SELECT count(*) FROM pg_stat_ssl JOIN pg_stat_activity USING (pid) \
             WHERE ssl AND datname = current_database()",
            &[],
        )
        .expect("pg_stat_ssl")
        .get(0)
}

/// `sslmode=require` encrypts and verifies the server against `sslrootcert` (the test
/// cluster's own authority, `scripts/with-postgres`): the store and the `karta` binary connect
/// over TLS; without the authority the server's certificate is refused; an unknown mode is an
/// error that says which modes there are.
#[test]
fn tls_is_used_and_verified_when_the_url_asks() {
    let Some(db) = database() else { return };
    let Ok(ca) = std::env::var("KARTA_TEST_POSTGRES_CA") else {
        eprintln!("KARTA_TEST_POSTGRES_CA is not set: skipped");
        return;
    };
    let tls = format!("{}?sslmode=require&sslrootcert={ca}", db.url);
    assert_eq!(encrypted_connections(&db.url), 0);
    let store = PostgresStore::open(&tls).expect("opens over TLS");
    assert_eq!(store.counts().expect("counts"), (0, 0));
    assert!(
        encrypted_connections(&db.url) >= 1,
        "the store's connection"
    );
    assert!(!token(&tls).is_empty(), "karta token create over TLS");
    let refused = PostgresStore::open(&format!("{}?sslmode=require", db.url))
        .expect_err("an unknown authority");
    assert!(refused.to_string().contains("certificate"), "{refused}");
    let unknown =
        PostgresStore::open(&format!("{}?sslmode=maybe", db.url)).expect_err("an unknown mode");
    assert!(matches!(unknown, StoreError::Tls(_)), "{unknown}");
    assert!(unknown.to_string().contains("verify-full"), "{unknown}");
    drop(store);
}
