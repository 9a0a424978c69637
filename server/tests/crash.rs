//! A `karta serve` process killed with SIGKILL in the middle of a batch ingest loses no
//! document whose answer had been sent, and restarts with an R-tree that matches the store;
//! on an SQLite file and on PostgreSQL (when `KARTA_TEST_POSTGRES` names a cluster).

mod common;

use common::{KARTA, serve};
use serde_json::Value;
use std::process::Command;

/// Documents for the batch: LGL when it is there, else generated reports.
fn batch() -> String {
    let docs: Vec<String> = match common::lgl_path() {
        Some(p) => std::fs::read_to_string(p)
            .expect("LGL reads")
            .lines()
            .take(300)
            .map(|l| {
                let v: Value = serde_json::from_str(l).expect("an LGL line");
                serde_json::json!({"text": v["text"], "lang": "en"}).to_string()
            })
            .collect(),
        None => (0..300)
            .map(|i| {
                serde_json::json!({
                    "text": format!("Report {i}: shelling was reported near Stepanakert and Ganja on day {i}."),
                    "lang": "en",
                })
                .to_string()
            })
            .collect(),
    };
    docs.join("\n")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_mid_batch_loses_no_answered_document() {
    let dir = tempfile::tempdir().expect("a temp dir");
    sigkill_mid_batch(&dir.path().join("karta.db").display().to_string()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_mid_batch_loses_no_answered_document_on_postgres() {
    let Some(db) = common::db::PostgresDb::create() else {
        eprintln!("KARTA_TEST_POSTGRES is not set: skipped");
        return;
    };
    sigkill_mid_batch(&db.url).await;
}

/// Kills `karta serve` on `db` after 20 documents of a batch were answered, then checks on a
/// new server that each of them is there.
async fn sigkill_mid_batch(db: &str) {
    let out = Command::new(KARTA)
        .args(["token", "create", "--db", db])
        .output()
        .expect("karta token create runs");
    assert!(out.status.success());
    let token = String::from_utf8(out.stdout)
        .expect("utf-8")
        .trim()
        .to_owned();

    let (mut child, base) = serve(db);
    let client = common::client();
    let mut response = client
        .post(format!("{base}/api/documents/batch"))
        .bearer_auth(&token)
        .header("content-type", "application/x-ndjson")
        .body(batch())
        .send()
        .await
        .expect("the batch is accepted");
    assert_eq!(response.status(), 200);
    let mut answered: Vec<i64> = Vec::new();
    let mut pending = String::new();
    while answered.len() < 20 {
        let Some(chunk) = response.chunk().await.expect("the answer streams") else {
            break;
        };
        pending.push_str(std::str::from_utf8(&chunk).expect("utf-8"));
        while let Some(end) = pending.find('\n') {
            let line: Value = serde_json::from_str(&pending[..end]).expect("a JSON line");
            pending.drain(..=end);
            // A document the analysis failed on is answered with an error and stored nowhere.
            answered.extend(line["id"].as_i64());
        }
    }
    child.kill().expect("SIGKILL");
    child.wait().expect("the process is gone");
    assert!(answered.len() >= 20, "the batch was still running");

    let (mut child, base) = serve(db);
    for id in &answered {
        let r = client
            .get(format!("{base}/api/documents/{id}"))
            .send()
            .await
            .expect("answer");
        assert_eq!(r.status(), 200, "document {id} was answered but is gone");
    }
    let health: Value = client
        .get(format!("{base}/healthz"))
        .send()
        .await
        .expect("answer")
        .json()
        .await
        .expect("json");
    assert!(health["documents"].as_u64().expect("count") >= answered.len() as u64);
    assert_eq!(
        health["events"], health["indexed"],
        "the R-tree matches the store"
    );
    child.kill().expect("stopped");
    child.wait().expect("the process is gone");
}
