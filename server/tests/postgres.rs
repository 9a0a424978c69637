//! karta on PostgreSQL end to end, with the real `karta` binary on a fresh database of the
//! test cluster (`scripts/with-postgres`; each test says so and passes when no cluster is
//! given): two servers share one database and each sees the other's writes at once.

mod common;

use common::db::PostgresDb;
use common::{KARTA, SHELLING, client, json_of, serve};
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
