//! Issue 19, item 6: tokens can be withdrawn. They expire, they are revoked with `karta token
//! revoke`, and a signed-in browser holds a session id of its own, which "Sign out" and the
//! token's revocation end. Against a real server on 127.0.0.1 and the real `karta` binary.

mod common;

use chrono::{TimeDelta, Utc};
use common::{TestServer, client_seeing_redirects};
use karta::api::ApiSettings;
use karta::auth::create_token_until;
use karta::store::Role;
use reqwest::header::{CONTENT_TYPE, COOKIE, SET_COOKIE};
use reqwest::{Method, StatusCode};
use serde_json::json;
use std::process::Command;

const KARTA: &str = env!("CARGO_BIN_EXE_karta");

/// A server whose reads need a token or a signed-in browser.
async fn private_server() -> TestServer {
    TestServer::start(ApiSettings {
        private_reads: true,
        ..ApiSettings::default()
    })
    .await
}

/// Signs in with `token`; the `name=value` of the cookie set.
async fn sign_in(s: &TestServer, token: &str) -> String {
    let body = serde_urlencoded::to_string([("token", token), ("next", "/")]).expect("a form");
    let r = client_seeing_redirects()
        .post(s.url("/session"))
        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .expect("answer");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let set = r.headers()[SET_COOKIE].to_str().expect("ASCII").to_owned();
    set.split(';').next().expect("name=value").to_owned()
}

/// The status of `GET /api/events` with a cookie.
async fn read_with_cookie(s: &TestServer, cookie: &str) -> StatusCode {
    client_seeing_redirects()
        .get(s.url("/api/events"))
        .header(COOKIE, cookie)
        .send()
        .await
        .expect("answer")
        .status()
}

/// The status of a write with a bearer token.
async fn write_with(s: &TestServer, token: &str) -> StatusCode {
    reqwest::Client::new()
        .post(s.url("/api/documents"))
        .bearer_auth(token)
        .json(&json!({"text": common::SHELLING, "lang": "fr"}))
        .send()
        .await
        .expect("answer")
        .status()
}

#[tokio::test]
async fn the_cookie_holds_a_session_that_signing_out_ends() {
    let s = private_server().await;
    let cookie = sign_in(&s, &s.token).await;
    let (_, value) = cookie.split_once('=').expect("name=value");
    assert!(
        !value.contains(&s.token) && !value.contains("karta_"),
        "{value}"
    );
    assert_eq!(read_with_cookie(&s, &cookie).await, StatusCode::OK);
    // The session id is no token: it opens no write.
    assert_eq!(write_with(&s, value).await, StatusCode::UNAUTHORIZED);
    let r = client_seeing_redirects()
        .post(s.url("/session/end"))
        .header(COOKIE, &cookie)
        .send()
        .await
        .expect("answer");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    // A copy of the cookie kept elsewhere is worth nothing once signed out.
    assert_eq!(
        read_with_cookie(&s, &cookie).await,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn revoking_a_token_ends_its_writes_and_its_sessions() {
    let s = private_server().await;
    let cookie = sign_in(&s, &s.token).await;
    assert_eq!(read_with_cookie(&s, &cookie).await, StatusCode::OK);
    let revoked = s.pipeline.store().revoke_tokens("tester").expect("revoked");
    assert_eq!(revoked.len(), 1);
    assert_eq!(
        read_with_cookie(&s, &cookie).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(write_with(&s, &s.token).await, StatusCode::UNAUTHORIZED);
    let (status, _) = s
        .write_json(Method::POST, "/api/documents", &json!({"text": "x"}))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_expired_token_is_refused_and_a_session_ends_with_its_token() {
    let s = private_server().await;
    let store = s.pipeline.store();
    let (expired, _) = create_token_until(
        store,
        "past",
        Some(Utc::now() - TimeDelta::minutes(1)),
        Role::Editor,
    )
    .expect("made");
    assert_eq!(write_with(&s, &expired).await, StatusCode::UNAUTHORIZED);
    let (brief, _) = create_token_until(
        store,
        "brief",
        Some(Utc::now() + TimeDelta::seconds(2)),
        Role::Editor,
    )
    .expect("made");
    assert_eq!(write_with(&s, &brief).await, StatusCode::CREATED);
    let cookie = sign_in(&s, &brief).await;
    assert_eq!(read_with_cookie(&s, &cookie).await, StatusCode::OK);
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    assert_eq!(write_with(&s, &brief).await, StatusCode::UNAUTHORIZED);
    assert_eq!(
        read_with_cookie(&s, &cookie).await,
        StatusCode::UNAUTHORIZED
    );
}

/// Runs `karta token ARGS` on a database; its standard output, after checking it succeeded.
fn karta_token(db: &std::path::Path, args: &[&str]) -> (bool, String) {
    let out = Command::new(KARTA)
        .arg("token")
        .args(args)
        .arg("--db")
        .arg(db)
        .output()
        .expect("karta runs");
    (
        out.status.success(),
        String::from_utf8(out.stdout).expect("UTF-8"),
    )
}

#[test]
fn the_command_line_creates_lists_and_revokes_tokens() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let db = dir.path().join("karta.db");
    let (ok, token) = karta_token(&db, &["create", "--name", "night", "--expires", "90d"]);
    assert!(ok && token.trim().starts_with("karta_"), "{token}");
    let (ok, _) = karta_token(&db, &["create", "--name", "day"]);
    assert!(ok);
    let (ok, list) = karta_token(&db, &["list"]);
    assert!(ok, "{list}");
    assert!(!list.contains(token.trim()), "the list shows no secret");
    let night = list
        .lines()
        .find(|l| l.contains("\tnight\t"))
        .unwrap_or_else(|| panic!("{list}"));
    assert_eq!(night.split('\t').nth(2), Some("editor"), "the default role");
    let expires = night.split('\t').nth(5).expect("an expiry column");
    let in_89_days = Utc::now() + TimeDelta::days(89);
    assert!(*expires > *karta::store::timestamp(in_89_days), "{expires}");
    assert!(night.ends_with("\t-"), "not revoked yet: {night}");
    assert!(karta_token(&db, &["revoke", "night"]).0);
    assert!(!karta_token(&db, &["revoke", "night"]).0, "nothing left");
    let (_, list) = karta_token(&db, &["list"]);
    let day = list.lines().find(|l| l.contains("\tday\t")).expect("day");
    assert!(day.ends_with("\t-"), "{day}");
    assert!(
        !list
            .lines()
            .any(|l| l.contains("\tnight\t") && l.ends_with("\t-"))
    );
    assert!(!karta_token(&db, &["create", "--expires", "90"]).0);
    assert!(karta_token(&db, &["create", "--name", "eye", "--role", "reader"]).0);
    let (_, list) = karta_token(&db, &["list"]);
    assert!(list.contains("\teye\treader\t"), "{list}");
    assert!(!karta_token(&db, &["create", "--role", "owner"]).0);
}

/// The status of `POST /api/feeds` with a bearer token.
async fn add_feed_with(s: &TestServer, token: &str) -> StatusCode {
    reqwest::Client::new()
        .post(s.url("/api/feeds"))
        .bearer_auth(token)
        .json(&json!({"url": "http://127.0.0.1:9/feed.xml"}))
        .send()
        .await
        .expect("answer")
        .status()
}

/// The status of `GET /api/events` with a bearer token.
async fn read_with(s: &TestServer, token: &str) -> StatusCode {
    reqwest::Client::new()
        .get(s.url("/api/events"))
        .bearer_auth(token)
        .send()
        .await
        .expect("answer")
        .status()
}

#[tokio::test]
async fn a_tokens_role_bounds_what_it_may_do() {
    let s = private_server().await;
    let store = s.pipeline.store();
    let token = |name, role| create_token_until(store, name, None, role).expect("made").0;
    let reader = token("eye", Role::Reader);
    assert_eq!(read_with(&s, &reader).await, StatusCode::OK);
    let cookie = sign_in(&s, &reader).await;
    assert_eq!(read_with_cookie(&s, &cookie).await, StatusCode::OK);
    assert_eq!(write_with(&s, &reader).await, StatusCode::FORBIDDEN);
    let editor = token("hand", Role::Editor);
    assert_eq!(write_with(&s, &editor).await, StatusCode::CREATED);
    assert_eq!(add_feed_with(&s, &editor).await, StatusCode::FORBIDDEN);
    let reviewer = token("judge", Role::Reviewer);
    assert_eq!(add_feed_with(&s, &reviewer).await, StatusCode::FORBIDDEN);
    let admin = token("root", Role::Admin);
    assert_eq!(add_feed_with(&s, &admin).await, StatusCode::CREATED);
}

/// `PATCH /api/events/{id}` with `verified` and a bearer token: its status and body.
async fn verify_with(s: &TestServer, token: &str, id: i64) -> (StatusCode, serde_json::Value) {
    let r = reqwest::Client::new()
        .patch(s.url(&format!("/api/events/{id}")))
        .bearer_auth(token)
        .json(&json!({"verified": true}))
        .send()
        .await
        .expect("answer");
    (r.status(), r.json().await.unwrap_or_default())
}

#[tokio::test]
async fn only_a_reviewer_verifies_and_the_map_filters_by_status() {
    let s = private_server().await;
    let store = s.pipeline.store();
    let token = |name, role| create_token_until(store, name, None, role).expect("made").0;
    let (editor, reviewer) = (token("hand", Role::Editor), token("judge", Role::Reviewer));
    assert_eq!(write_with(&s, &editor).await, StatusCode::CREATED);
    let listed = |query: &'static str| {
        let url = s.url(&format!("/api/events?{query}"));
        let reviewer = reviewer.clone();
        async move {
            let r = reqwest::Client::new()
                .get(url)
                .bearer_auth(reviewer)
                .send()
                .await
                .expect("answer");
            let status = r.status();
            (
                status,
                r.json::<serde_json::Value>().await.unwrap_or_default(),
            )
        }
    };
    let (_, all) = listed("status=machine").await;
    let id = all["events"][0]["id"].as_i64().expect("an event");
    let (status, body) = verify_with(&s, &editor, id).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, body) = verify_with(&s, &reviewer, id).await;
    assert_eq!(
        (status, body["status"].as_str()),
        (StatusCode::OK, Some("verified"))
    );
    let (_, verified) = listed("status=verified").await;
    let ids: Vec<i64> = verified["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter_map(|e| e["id"].as_i64())
        .collect();
    assert_eq!(ids, [id]);
    let (status, body) = listed("status=checked").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body.to_string().contains("status"), "{body}");
}
