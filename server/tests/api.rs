//! End-to-end tests of the HTTP API: a real server on 127.0.0.1, a real SQLite file, real
//! HTTP requests.

mod common;

use common::{SHELLING, TestServer, client, client_seeing_redirects};
use karta::api::ApiSettings;
use reqwest::header::CONTENT_TYPE;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

fn assert_error(body: &Value, code: &str, needle: &str) {
    assert_eq!(body["error"]["code"], code, "{body}");
    let message = body["error"]["message"].as_str().expect("a message");
    assert!(message.contains(needle), "{message:?} lacks {needle:?}");
}

#[tokio::test]
async fn writes_need_a_valid_token() {
    let s = TestServer::start(ApiSettings::default()).await;
    let c = client();
    let r = c
        .post(s.url("/api/documents"))
        .json(&json!({"text": SHELLING}))
        .send()
        .await
        .expect("answer");
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(r.headers()["www-authenticate"], "Bearer");
    assert_error(&r.json().await.expect("json"), "unauthorized", "Bearer");
    for req in [
        c.post(s.url("/api/documents")).bearer_auth("karta_0000"),
        c.post(s.url("/api/documents/batch")),
        c.patch(s.url("/api/events/1")).bearer_auth("nope"),
        c.delete(s.url("/api/events/1")),
    ] {
        let r = req.json(&json!({})).send().await.expect("answer");
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    }
    let (docs, _) = s.blocking(|p| p.store().counts()).await.expect("counts");
    assert_eq!(docs, 0, "nothing was written");
    // Reads are public by default.
    let r = s.get("/api/events").await;
    assert_eq!(r.status(), StatusCode::OK);
}

#[tokio::test]
async fn private_reads_need_a_token() {
    let s = TestServer::start(ApiSettings {
        private_reads: true,
        ..ApiSettings::default()
    })
    .await;
    let c = client();
    let r = s.get("/api/events").await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let r = c
        .get(s.url("/api/events"))
        .bearer_auth(&s.token)
        .send()
        .await
        .expect("answer");
    assert_eq!(r.status(), StatusCode::OK);
    let r = s.get("/healthz").await;
    assert_eq!(r.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_private_map_sends_its_page_to_sign_in_and_its_embed_to_the_page() {
    let s = TestServer::start_with_pages(ApiSettings {
        private_reads: true,
        ..ApiSettings::default()
    })
    .await;
    let r = s.get("/?zoom=5&type=battles").await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        r.headers()["location"],
        "/session?next=%2F%3Fzoom%3D5%26type%3Dbattles"
    );
    // A frame on another site could not keep the cookie: the embed links to the map's page.
    let r = s.get("/embed?zoom=5&type=battles").await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let page = r.text().await.expect("html");
    assert!(
        page.contains(r#"href="/?zoom=5&amp;type=battles" target="_blank""#),
        "{page}"
    );
    // The sign-in form itself may not be framed.
    let r = s.get("/session").await;
    assert_eq!(r.headers()["x-frame-options"], "DENY");
    assert_eq!(
        r.headers()["content-security-policy"],
        "frame-ancestors 'none'"
    );
}

#[tokio::test]
async fn a_browser_signs_in_with_a_cookie_for_private_reads_but_not_for_writes() {
    let s = TestServer::start(ApiSettings {
        private_reads: true,
        ..ApiSettings::default()
    })
    .await;
    let c = client_seeing_redirects();
    let form = |token: &str, next: &str| {
        c.post(s.url("/session"))
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(format!("token={token}&next={next}"))
    };
    // The form itself needs no token.
    let r = s.get("/session?next=/documents/1").await;
    assert_eq!(r.status(), StatusCode::OK);
    let page = r.text().await.expect("html");
    assert!(
        page.contains(r#"name="next" value="/documents/1""#),
        "{page}"
    );

    // A wrong token goes back to the form, which says so, and sets no cookie.
    let r = form("karta_wrong", "%2Fdocuments%2F1")
        .send()
        .await
        .expect("answer");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(r.headers().get("set-cookie").is_none());
    let back = r.headers()["location"].to_str().expect("ascii").to_owned();
    assert_eq!(back, "/session?next=%2Fdocuments%2F1&failed=true");
    let r = s.get(&back).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.expect("html").contains("not valid"));

    // Somewhere else than this site is not followed after signing in.
    let r = form(&s.token, "https%3A%2F%2Fevil.example%2F")
        .send()
        .await
        .expect("answer");
    assert_eq!(r.headers()["location"], "/");

    // The right token sets an HttpOnly cookie and goes on to `next`.
    let r = form(&s.token, "%2Fdocuments%2F1")
        .send()
        .await
        .expect("answer");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], "/documents/1");
    let cookie = r.headers()["set-cookie"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    assert!(!cookie.contains("Secure"), "{cookie}");
    let pair = cookie.split(';').next().expect("name=value").to_owned();

    // Behind a proxy that ends TLS, the cookie is sent over HTTPS only.
    let r = form(&s.token, "%2F")
        .header("x-forwarded-proto", "https")
        .send()
        .await
        .expect("answer");
    let secure = r.headers()["set-cookie"].to_str().expect("ascii");
    assert!(secure.ends_with("; Secure"), "{secure}");

    // Reads with the cookie work, reads without it do not, writes with it alone do not.
    let r = c
        .get(s.url("/api/events"))
        .header("cookie", &pair)
        .send()
        .await
        .expect("answer");
    assert_eq!(r.status(), StatusCode::OK);
    let r = s.get("/api/events").await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert_error(&r.json().await.expect("json"), "unauthorized", "/session");
    let r = c
        .post(s.url("/api/documents"))
        .header("cookie", &pair)
        .json(&json!({"text": SHELLING}))
        .send()
        .await
        .expect("answer");
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let r = c
        .get(s.url("/api/events"))
        .header("cookie", "karta_session=karta_forged")
        .send()
        .await
        .expect("answer");
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);

    // Signing out clears the cookie.
    let r = c.post(s.url("/session/end")).send().await.expect("answer");
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(
        r.headers()["set-cookie"]
            .to_str()
            .expect("ascii")
            .contains("Max-Age=0")
    );
}

#[tokio::test]
async fn a_body_over_the_limit_gets_413() {
    let s = TestServer::start(ApiSettings::default()).await;
    let big = "a".repeat(10 * 1024 * 1024 + 1);
    let r = client()
        .post(s.url("/api/documents"))
        .bearer_auth(&s.token)
        .header(CONTENT_TYPE, "text/plain")
        .body(big)
        .send()
        .await
        .expect("answer");
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_error(&r.json().await.expect("json"), "payload_too_large", "limit");
}

#[tokio::test]
async fn malformed_input_gets_400_saying_what_is_wrong() {
    let s = TestServer::start(ApiSettings::default()).await;
    let c = client();
    let send_raw = |body: &'static str| {
        c.post(s.url("/api/documents"))
            .bearer_auth(&s.token)
            .header(CONTENT_TYPE, "application/json")
            .body(body)
            .send()
    };
    for (body, needle) in [
        (r#"{"text": "Bakou"#, "malformed JSON"),
        (r#"{"text": 42}"#, "text"),
        (
            r#"{"text": "Bakou", "published": "2020-13-45"}"#,
            "published",
        ),
        (r#"{"title": "no text"}"#, "text"),
    ] {
        let r = send_raw(body).await.expect("answer");
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{body}");
        assert_error(&r.json().await.expect("json"), "invalid_json", needle);
    }
    let r = c
        .post(s.url("/api/documents?published=27/09/2020"))
        .bearer_auth(&s.token)
        .header(CONTENT_TYPE, "text/plain")
        .body("Bakou")
        .send()
        .await
        .expect("answer");
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_error(
        &r.json().await.expect("json"),
        "invalid_parameter",
        "published",
    );
    for (query, needle) in [
        ("bbox=44,38,48", "bbox"),
        ("bbox=44,38,48,95", "latitude 95"),
        ("near=46.7,39.8&radius_km=ten", "radius_km"),
        ("near=200,39", "longitude 200"),
        ("from=2020-09-31", "from"),
        ("to=yesterday", "to"),
        ("limit=-3", "limit"),
    ] {
        for path in ["/api/events", "/api/events.geojson", "/api/events.csv"] {
            let r = s.get(&format!("{path}?{query}")).await;
            assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{path}?{query}");
            assert_error(&r.json().await.expect("json"), "invalid_parameter", needle);
        }
    }
    for (path, code) in [
        ("/api/events/abc", "invalid_path"),
        ("/api/places/-1", "invalid_path"),
    ] {
        let r = s.get(path).await;
        assert_eq!(r.status(), StatusCode::BAD_REQUEST, "{path}");
        assert_error(&r.json().await.expect("json"), code, "");
    }
    let r = s.get("/api/places/reverse?lat=91&lon=0").await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_error(&r.json().await.expect("json"), "invalid_parameter", "lat");
}

#[tokio::test]
async fn unknown_ids_and_routes_get_404() {
    let s = TestServer::start(ApiSettings::default()).await;
    for path in [
        "/api/documents/999",
        "/api/events/999",
        "/api/places/4294967295",
        "/nowhere",
    ] {
        let r = s.get(path).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{path}");
        assert_error(&r.json().await.expect("json"), "not_found", "");
    }
    let (status, _) = s
        .write_json(
            Method::PATCH,
            "/api/events/999",
            &json!({"event_type": "protests"}),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn ingest_is_idempotent_on_content() {
    let s = TestServer::start(ApiSettings::default()).await;
    let doc = json!({"text": SHELLING, "lang": "fr", "published": "2020-10-05", "title": "t"});
    let (status, first) = s.write_json(Method::POST, "/api/documents", &doc).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    assert_eq!(first["created"], true);
    let (status, second) = s
        .write_json(
            Method::POST,
            "/api/documents",
            &json!({"text": format!("  {SHELLING}\n")}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(second["created"], false);
    assert_eq!(first["document"]["id"], second["document"]["id"]);
    assert_eq!(first["events"], second["events"]);
    let health: Value = s.get_json("/healthz").await;
    assert_eq!(health["documents"], 1);
    assert_eq!(health["events"], health["indexed"]);
    // The document comes back with its text and spans.
    let id = first["document"]["id"].as_i64().expect("an id");
    let view: Value = s.get_json(&format!("/api/documents/{id}")).await;
    assert_eq!(view["document"]["text"], SHELLING);
    let mention = view["mentions"]
        .as_array()
        .expect("mentions")
        .iter()
        .find(|m| m["text"] == "Stepanakert")
        .expect("Stepanakert is found");
    let (start, end) = (
        mention["chars"]["start"].as_u64().expect("start") as usize,
        mention["chars"]["end"].as_u64().expect("end") as usize,
    );
    let span: String = SHELLING.chars().skip(start).take(end - start).collect();
    assert_eq!(span, "Stepanakert");
}

#[tokio::test]
async fn events_name_their_place_in_english_and_keep_the_words_of_the_text() {
    let s = TestServer::start(ApiSettings::default()).await;
    let text = "Les forces azerbaïdjanaises ont bombardé Xankəndi le 4 octobre, selon le \
        ministère arménien de la Défense.";
    let doc = json!({"text": text, "lang": "fr", "published": "2020-10-05"});
    let (status, answer) = s.write_json(Method::POST, "/api/documents", &doc).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    // «Xankəndi» is also the division of the city's own territory, and named like it.
    let events: Value = s.get_json("/api/events.geojson").await;
    let row = &events["features"][0]["properties"];
    assert_eq!(
        row["place_name"], "Stepanakert",
        "not «Xankəndi» nor «Khankendi»: {row}"
    );
    let id = row["id"].as_i64().expect("an id");
    let event: Value = s.get_json(&format!("/api/events/{id}")).await;
    let place = &event["places"][0];
    assert_eq!(place["name"], "Stepanakert", "{event}");
    assert_eq!(
        place["mention"]["text"], "Xankəndi",
        "the words of the text stay: {event}"
    );
    let csv = s
        .get("/api/events.csv")
        .await
        .text()
        .await
        .expect("the CSV");
    assert!(csv.contains(",Stepanakert,"), "{csv}");
    // The CSV names the place's first-level division, read from the gazetteer.
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().expect("a header").clone();
    let column = headers.iter().position(|h| h == "division");
    let column = column.unwrap_or_else(|| panic!("no division column: {headers:?}"));
    let record = reader.records().next().expect("a row").expect("a record");
    assert_eq!(
        &record[column], "Stepanakert",
        "its own city division: {csv}"
    );
}

#[tokio::test]
async fn a_correction_survives_reingest_and_reextraction() {
    let s = TestServer::start(ApiSettings::default()).await;
    let event = s.shelling_event().await;
    let id = event["id"].as_i64().expect("an event id");
    let shusha: Value = s.get_json("/api/places/search?q=Choucha&lang=fr").await;
    let shusha_id = shusha[0]["place"]["id"]
        .as_u64()
        .expect("Shusha is in the gazetteer");
    let (status, body) = s.write_json(Method::PATCH, &format!("/api/events/{id}"), &json!({"place_id": shusha_id, "event_type": "battles", "actors": ["Azerbaijani army"], "date": "2020-10-04"})).await;
    assert_eq!(status, StatusCode::OK);
    let corrected: Value = body;
    assert_eq!(corrected["status"], "corrected");
    assert_eq!(corrected["event_type"], "battles");
    assert_eq!(corrected["places"][0]["place_id"], shusha_id);
    // The first candidate of «Choucha» is GeoNames' Shusha City, a first-level division.
    assert_eq!(shusha[0]["place"]["feature_code"], "ADM1");
    assert_eq!(
        corrected["geo_precision"], 3,
        "the precision of the place moved to"
    );

    // The same text again, then a forced re-extraction.
    for path in ["/api/documents", "/api/documents?reextract=1"] {
        let (status, _) = s
            .write_json(
                Method::POST,
                path,
                &json!({"text": SHELLING, "lang": "fr", "published": "2020-10-05"}),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let now: Value = s.get_json(&format!("/api/events/{id}")).await;
        assert_eq!(now["status"], "corrected", "after {path}");
        assert_eq!(now["places"][0]["place_id"], shusha_id, "after {path}");
        assert_eq!(now["event_type"], "battles");
        assert_eq!(now["date"]["date"], "2020-10-04");
    }
    // The R-tree follows the move.
    let near: Value = s.get_json("/api/events?near=46.75,39.76&radius_km=3").await;
    assert!(
        near["events"]
            .as_array()
            .expect("events")
            .iter()
            .any(|e| e["id"] == id)
    );
    // The audit trail says who changed what, to a token holder (issue 19: not to the public).
    let trail: Value = s
        .get_json_with_token(&format!("/api/events/{id}/corrections"))
        .await;
    assert_eq!(trail.as_array().expect("a list").len(), 1);
    assert_eq!(trail[0]["who"], "tester");
    assert_eq!(trail[0]["before"]["status"], "machine");
    assert_eq!(trail[0]["after"]["event_type"], "battles");
}

#[tokio::test]
async fn a_document_of_another_extractor_version_is_extracted_again() {
    let s = TestServer::start(ApiSettings::default()).await;
    let doc = json!({"text": SHELLING, "lang": "fr", "published": "2020-10-05"});
    let (status, first) = s.write_json(Method::POST, "/api/documents", &doc).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    let id = first["document"]["id"].as_i64().expect("a document id");
    let count = |v: &Value| v["events"].as_array().map_or(0, Vec::len);
    assert!(count(&first) > 0, "{first}");
    // As if an older extractor had found nothing in it.
    s.blocking(move |p| p.store().reextract_document(id, "extract-0.0.0", &[], &[]))
        .await
        .expect("the old extraction is stored");
    let (status, again) = s.write_json(Method::POST, "/api/documents", &doc).await;
    assert_eq!(status, StatusCode::OK, "{again}");
    assert_eq!(again["created"], false);
    assert_eq!(count(&again), count(&first));
    let stored = s
        .blocking(move |p| p.store().document(id))
        .await
        .expect("the store answers")
        .expect("the document");
    assert_eq!(stored.document.extractor, s.pipeline.extractor().version());
}

#[tokio::test]
async fn delete_is_soft_and_reversible() {
    let s = TestServer::start(ApiSettings::default()).await;
    let event = s.shelling_event().await;
    let id = event["id"].as_i64().expect("an id");
    let in_view = |body: Value| {
        body["events"]
            .as_array()
            .expect("events")
            .iter()
            .any(|e| e["id"] == id)
    };
    let bbox = "/api/events?bbox=44,38,48,41";
    assert!(in_view(s.get_json(bbox).await));
    let (status, _) = s
        .write_json(Method::DELETE, &format!("/api/events/{id}"), &json!({}))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(!in_view(s.get_json(bbox).await));
    // Kept, for a token holder (issue 19: the public gets 404).
    let kept: Value = s.get_json_with_token(&format!("/api/events/{id}")).await;
    assert_eq!(kept["deleted"], true);
    let (status, _) = s
        .write_json(
            Method::PATCH,
            &format!("/api/events/{id}"),
            &json!({"deleted": false}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(in_view(s.get_json(bbox).await));
    // Re-extraction leaves a deleted event deleted.
    s.write_json(Method::DELETE, &format!("/api/events/{id}"), &json!({}))
        .await;
    s.write_json(
        Method::POST,
        "/api/documents?reextract=1",
        &json!({"text": SHELLING, "lang": "fr", "published": "2020-10-05"}),
    )
    .await;
    assert!(!in_view(s.get_json(bbox).await));
}

/// Loads the demo reports through the batch endpoint and returns the number of events on the
/// map.
async fn load_demo(s: &TestServer) -> usize {
    let r = client()
        .post(s.url("/api/documents/batch"))
        .bearer_auth(&s.token)
        .header(CONTENT_TYPE, "application/x-ndjson")
        .body(format!("{}\nnot json\n", karta::demo::REPORTS))
        .send()
        .await
        .expect("answer");
    assert_eq!(r.status(), StatusCode::OK);
    let text = r.text().await.expect("text");
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    let reports = karta::demo::documents().expect("demo").len();
    assert_eq!(lines.len(), reports + 1, "one answer per line");
    // Every report is stored; the bad line after them is answered with an error and loses none.
    let stored = lines[..reports].iter().filter(|l| l["id"].is_i64()).count();
    assert_eq!(stored, reports, "{text}");
    assert_eq!(lines[reports]["line"], reports + 2);
    assert_eq!(lines[reports]["error"]["code"], "invalid_json");
    let extracted = lines
        .iter()
        .filter_map(|l| l["events"].as_u64())
        .sum::<u64>();
    // Reports of one incident by several documents are one event with several sources.
    let health = s.get_json("/healthz").await;
    let shown = health["events"].as_u64().expect("a count");
    assert!(
        shown < extracted,
        "the demo's Ganja strike is merged: {health}"
    );
    assert_eq!(health["indexed"], shown);
    shown as usize
}

#[tokio::test]
async fn event_queries_filter_and_page() {
    let s = TestServer::start(ApiSettings::default()).await;
    let total = load_demo(&s).await;
    assert!(total >= 10, "the demo reports make events: {total}");
    let s = &s;
    let get = |q: String| async move { s.get_json(&format!("/api/events?{q}")).await };
    // Paging with the cursor visits every event once.
    let mut seen = Vec::new();
    let mut cursor = String::new();
    loop {
        let page = get(format!("limit=4{cursor}")).await;
        seen.extend(
            page["events"]
                .as_array()
                .expect("events")
                .iter()
                .map(|e| e["id"].clone()),
        );
        match page["next_cursor"].as_str() {
            Some(next) => cursor = format!("&cursor={next}"),
            None => break,
        }
    }
    assert_eq!(seen.len(), total);
    let bbox = get("bbox=46.3,39.6,47.2,40.1&limit=1000".into()).await;
    let inside = bbox["events"].as_array().expect("events");
    assert!(!inside.is_empty());
    for e in inside {
        let lon = e["geometry"]["lon"].as_f64().unwrap_or(46.5);
        let lat = e["geometry"]["lat"].as_f64().unwrap_or(39.8);
        assert!(
            (46.3..=47.2).contains(&lon) && (39.6..=40.1).contains(&lat),
            "{e}"
        );
    }
    let dated = get("from=2020-11-01&to=2020-11-30&limit=1000".into()).await;
    for e in dated["events"].as_array().expect("events") {
        let d = e["date"]["date"].as_str().expect("a date");
        assert!(("2020-11-01"..="2020-11-30").contains(&d), "{d}");
    }
    let protests = get("type=protests&limit=1000".into()).await;
    for e in protests["events"].as_array().expect("events") {
        assert_eq!(e["event_type"], "protests");
    }
    let ganja = get("q=Ganja&limit=1000".into()).await;
    assert!(
        !ganja["events"].as_array().expect("events").is_empty(),
        "FTS finds Ganja"
    );
    let nearest = get("near=46.36,40.68&limit=3".into()).await;
    assert!(nearest["events"].as_array().expect("events").len() <= 3);
}

#[tokio::test]
async fn exports_carry_acled_disorder_type_and_time_precision() {
    let s = TestServer::start(ApiSettings::default()).await;
    load_demo(&s).await;
    let collection = s.get_json("/api/events.geojson").await;
    let features = collection["features"].as_array().expect("features");
    assert!(!features.is_empty());
    for f in features {
        let p = &f["properties"];
        let expected = match p["event_type"].as_str().expect("a type") {
            "battles" | "explosions_remote_violence" | "violence_against_civilians" => {
                json!("Political violence")
            }
            "protests" => json!("Demonstrations"),
            "strategic_developments" => json!("Strategic developments"),
            "diplomacy" => Value::Null,
            _ => p["disorder_type"].clone(),
        };
        assert_eq!(p["disorder_type"], expected, "{p}");
        let precision = match p["date_precision"].as_str() {
            Some("day") => json!(1),
            Some("week") => json!(2),
            Some(_) => json!(3),
            None => Value::Null,
        };
        assert_eq!(p["time_precision"], precision, "{p}");
    }
    let csv = s.get("/api/events.csv").await.text().await.expect("CSV");
    let header = csv.lines().next().expect("a header");
    assert!(
        header
            .ends_with(",disorder_type,time_precision,geo_precision,fatalities,wounded,source_count,source_urls"),
        "{header}"
    );
}

#[tokio::test]
async fn exports_carry_who_acted_and_whom_it_was_done_to() {
    let s = TestServer::start(ApiSettings::default()).await;
    load_demo(&s).await;
    let events = s.get_json("/api/events?limit=1000").await;
    let side = |e: &Value, key: &str| e[key]["text"].as_str().map(str::to_owned);
    let expected: std::collections::HashMap<i64, (Option<String>, Option<String>)> =
        events["events"]
            .as_array()
            .expect("events")
            .iter()
            .map(|e| {
                let id = e["id"].as_i64().expect("an id");
                (id, (side(e, "actor1"), side(e, "actor2")))
            })
            .collect();
    assert!(
        expected.values().any(|(a, b)| a.is_some() && b.is_some()),
        "the demo names who did what to whom: {events}"
    );
    let collection = s.get_json("/api/events.geojson?limit=1000").await;
    let features = collection["features"].as_array().expect("features");
    assert_eq!(features.len(), expected.len());
    for f in features {
        let p = &f["properties"];
        let id = f["id"].as_i64().expect("an id");
        let shown = (
            p["actor1"].as_str().map(str::to_owned),
            p["actor2"].as_str().map(str::to_owned),
        );
        assert_eq!(Some(&shown), expected.get(&id), "{p}");
    }
    let csv = s
        .get("/api/events.csv?limit=1000")
        .await
        .text()
        .await
        .expect("CSV");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().expect("a header").clone();
    let column = |name: &str| headers.iter().position(|h| h == name).expect(name);
    let (id, actor1, actor2) = (column("id"), column("actor1"), column("actor2"));
    assert_eq!(
        (actor1, actor2),
        (column("actors") + 1, column("actors") + 2)
    );
    let mut rows = 0;
    for record in reader.records() {
        let record = record.expect("a CSV record");
        let cell = |i: usize| Some(record[i].to_owned()).filter(|c| !c.is_empty());
        let key: i64 = record[id].parse().expect("an id");
        assert_eq!(
            Some(&(cell(actor1), cell(actor2))),
            expected.get(&key),
            "{record:?}"
        );
        rows += 1;
    }
    assert_eq!(rows, expected.len());
}

#[tokio::test]
async fn one_strike_reported_in_french_and_in_english_is_one_event_with_two_sources() {
    let s = TestServer::start(ApiSettings::default()).await;
    load_demo(&s).await;
    let fc = s.get_json("/api/events.geojson?q=missile").await;
    let features = fc["features"].as_array().expect("features");
    let merged: Vec<&Value> = features
        .iter()
        .filter(|f| f["properties"]["source_count"] == 2)
        .collect();
    assert_eq!(merged.len(), 1, "{fc}");
    let p = &merged[0]["properties"];
    assert_eq!(p["place_name"], "Ganja");
    let sources = p["sources"].as_array().expect("sources");
    let langs: Vec<&str> = sources.iter().filter_map(|s| s["lang"].as_str()).collect();
    assert_eq!(langs, ["fr", "en"]);
    // Each source keeps its own figures: the English report counts nine dead, the French none.
    assert_eq!(sources[1]["fatalities"], 9);
    assert_eq!(sources[0]["fatalities"], Value::Null);
    assert_eq!(p["fatalities"], 9, "the figure a source gives");
    // The event lists its sources; either document finds it.
    let id = p["id"].as_i64().expect("an id");
    let event = s.get_json(&format!("/api/events/{id}")).await;
    assert_eq!(event["sources"], p["sources"]);
    for source in sources {
        let document = &source["document_id"];
        let page = s
            .get_json(&format!("/api/events?document={document}&q=missile"))
            .await;
        let ids: Vec<&Value> = page["events"]
            .as_array()
            .expect("events")
            .iter()
            .map(|e| &e["id"])
            .collect();
        assert_eq!(ids, [&p["id"]], "document {document}");
    }
    // A correction sent to the English report's own event applies to the merged event.
    let follower = sources[1]["event_id"].as_i64().expect("an id");
    let (status, answer) = s
        .write_json(
            Method::DELETE,
            &format!("/api/events/{follower}"),
            &json!({}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["id"], p["id"]);
    let after = s.get_json("/api/events.geojson?q=missile").await;
    let left: Vec<&Value> = after["features"]
        .as_array()
        .expect("features")
        .iter()
        .map(|f| &f["id"])
        .collect();
    assert!(!left.contains(&&p["id"]), "{after}");
    // The CSV counts the sources.
    let csv = s
        .get(&format!(
            "/api/events.csv?ids={}&include_deleted=1",
            follower
        ))
        .await
        .text()
        .await
        .expect("CSV");
    assert_eq!(
        csv.lines().count(),
        1,
        "a follower is not a row of its own: {csv}"
    );
}

#[tokio::test]
async fn geojson_and_csv_exports() {
    let s = TestServer::start(ApiSettings::default()).await;
    let total = load_demo(&s).await;
    let r = s.get("/api/events.geojson?download=1").await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()[CONTENT_TYPE], "application/geo+json");
    let disposition = r.headers()["content-disposition"].to_str().expect("ascii");
    assert!(disposition.starts_with("attachment"), "{disposition}");
    let text = r.text().await.expect("text");
    let fc: Value = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(fc["type"], "FeatureCollection");
    let features = fc["features"].as_array().expect("features");
    assert_eq!(features.len(), total);
    for f in features {
        // RFC 7946: longitude first.
        let coords = &f["geometry"]["coordinates"];
        if f["geometry"]["type"] == "Point" {
            assert_eq!(coords[0], f["properties"]["lon"], "{f}");
            assert_eq!(coords[1], f["properties"]["lat"], "{f}");
        }
    }
    let path = s.dir.path().join("events.geojson");
    std::fs::write(&path, &text).expect("written");
    match std::process::Command::new("ogrinfo")
        .args(["-ro", "-al", "-so"])
        .arg(&path)
        .output()
    {
        Ok(out) => {
            let info = String::from_utf8_lossy(&out.stdout);
            assert!(
                out.status.success(),
                "ogrinfo failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(info.contains(&format!("Feature Count: {total}")), "{info}");
        }
        Err(_) => {
            eprintln!("NOTICE: ogrinfo (Debian gdal-bin) is not installed; GDAL check skipped")
        }
    }
    let csv = s
        .get("/api/events.csv?limit=5")
        .await
        .text()
        .await
        .expect("text");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().expect("a header").clone();
    assert!(headers.iter().any(|h| h == "event_type"));
    assert!(headers.iter().any(|h| h == "lat"));
    assert_eq!(reader.records().count(), total.min(5));
    // The cursor pages the exports as it pages /api/events.
    let ids = |fc: Value| -> Vec<i64> {
        fc["features"]
            .as_array()
            .expect("features")
            .iter()
            .map(|f| f["id"].as_i64().expect("an id"))
            .collect()
    };
    let first = ids(s.get_json("/api/events.geojson?limit=3").await);
    let last = *first.last().expect("three events");
    let next = ids(s
        .get_json(&format!("/api/events.geojson?limit=3&cursor={last}"))
        .await);
    assert!(
        !next.is_empty() && next.iter().all(|&id| id > last),
        "{first:?} then {next:?}"
    );
    // `ids` picks exactly the events named (a cluster of the map), ranges included; unknown
    // ids are no error, and the other filters still apply.
    let picked = format!("{},{}-{},999999", first[0], next[0], next[next.len() - 1]);
    let exact = ids(s
        .get_json(&format!("/api/events.geojson?ids={picked}"))
        .await);
    let mut wanted = vec![first[0]];
    wanted.extend(&next);
    assert_eq!(exact, wanted);
    let csv = s
        .get(&format!("/api/events.csv?ids={picked}"))
        .await
        .text()
        .await
        .expect("text");
    assert_eq!(
        csv::Reader::from_reader(csv.as_bytes()).records().count(),
        wanted.len()
    );
    let bad = s.get("/api/events.geojson?ids=4-x").await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
}

#[test]
fn the_map_names_each_country_as_the_gazetteer_does() {
    let gaz = gazetteer::Gazetteer::open_default().expect("the shipped gazetteer");
    let differ: Vec<String> = vocab::countries()
        .iter()
        .filter(|(code, name)| {
            !gaz.lookup(name, Some("en")).iter().any(|c| {
                c.place.country == *code
                    && c.place.kind() == gazetteer::PlaceKind::Country
                    && c.place.display_name() == *name
            })
        })
        .map(|(code, name)| format!("{code} {name}"))
        .collect();
    assert!(
        differ.len() <= 5,
        "named otherwise by the gazetteer: {differ:?}"
    );
}

#[tokio::test]
async fn a_place_has_its_other_names_in_every_script() {
    let s = TestServer::start(ApiSettings::default()).await;
    let found: Value = s.get_json("/api/places/search?q=Stepanakert").await;
    let id = found[0]["place"]["id"].as_u64().expect("Stepanakert");
    let names: Value = s.get_json(&format!("/api/places/{id}/names")).await;
    let names = names.as_array().expect("a list");
    let langs_of = |name: &str| {
        names
            .iter()
            .find(|n| n["name"] == name)
            .map(|n| n["langs"].clone())
            .unwrap_or_else(|| panic!("no {name} in {names:?}"))
    };
    assert!(
        langs_of("Степанакерт")
            .as_array()
            .is_some_and(|l| l.contains(&json!("ru")))
    );
    assert!(
        langs_of("Ստեփանակերտ")
            .as_array()
            .is_some_and(|l| l.contains(&json!("hy")))
    );
    langs_of("Xankandi");
    langs_of("Stepanakert");
    assert!(names.len() <= 200, "{}", names.len());
    let r = s.get("/api/places/4294967295/names").await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let r = s.get("/api/places/x/names").await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn places_and_stateless_geoparse() {
    let s = TestServer::start(ApiSettings::default()).await;
    let c = client();
    let get = |path: &str| {
        let url = s.url(path);
        let c = c.clone();
        async move { c.get(url).send().await.expect("answer") }
    };
    let mut ids = Vec::new();
    for name in ["Bakou", "Баку", "Baku"] {
        let found: Value = get(&format!("/api/places/search?q={name}"))
            .await
            .json()
            .await
            .expect("j");
        ids.push(found[0]["place"]["id"].clone());
    }
    assert!(ids.iter().all(|id| *id == ids[0] && id.is_u64()), "{ids:?}");
    let id = ids[0].as_u64().expect("an id");
    let place: Value = get(&format!("/api/places/{id}"))
        .await
        .json()
        .await
        .expect("j");
    assert_eq!(place["country"], "AZ");
    let rev: Value = get("/api/places/reverse?lat=40.41&lon=49.87")
        .await
        .json()
        .await
        .expect("j");
    assert_eq!(rev["nearest"]["country"], "AZ");
    let r = get("/api/places/search").await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let parsed: Value = c
        .post(s.url("/api/geoparse"))
        .json(&json!({"text": SHELLING, "lang": "fr"}))
        .send()
        .await
        .expect("answer")
        .json()
        .await
        .expect("json");
    assert!(
        parsed["mentions"]
            .as_array()
            .expect("mentions")
            .iter()
            .any(|m| m["text"] == "Stepanakert")
    );
    let (docs, _) = s.blocking(|p| p.store().counts()).await.expect("counts");
    assert_eq!(docs, 0, "geoparse stores nothing");
}

#[tokio::test]
async fn openapi_names_every_route() {
    let s = TestServer::start(ApiSettings::default()).await;
    let doc: Value = s.get_json("/api/openapi.json").await;
    assert_eq!(doc["openapi"], "3.1.0");
    for path in [
        "/healthz",
        "/api/documents",
        "/api/documents/batch",
        "/api/documents/{id}",
        "/api/events",
        "/api/events.geojson",
        "/api/events.csv",
        "/api/events/{id}",
        "/api/events/{id}/corrections",
        "/api/divisions",
        "/api/references",
        "/api/references/{id}",
        "/api/places/search",
        "/api/places/reverse",
        "/api/places/{id}",
        "/api/geoparse",
        "/session",
        "/session/end",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} is not described");
    }
}

#[tokio::test]
async fn import_keeps_good_rows_and_names_bad_lines() {
    let s = TestServer::start(ApiSettings::default()).await;
    let csv = "event_id_cnty,event_date,event_type,sub_event_type,actor1,country,location,latitude,longitude,notes\n\
        ARM1,2020-09-27,Battles,Armed clash,Military Forces of Azerbaijan,Azerbaijan,Tartar,40.34,46.93,Clashes near Tartar.\n\
        ARM2,2020-10-04,Explosions/Remote violence,Shelling/artillery/missile attack,,Azerbaijan,Ganja,95.0,46.36,Bad latitude.\n\
        ARM3,27 September 2020,Protests,Peaceful protest,Protesters (Armenia),Armenia,Yerevan,40.18,44.51,Rally.\n\
        ARM4,2020-10-10,Parade,,,Armenia,Yerevan,40.18,44.51,Unknown type.\n";
    let batch = karta::import::read(csv.as_bytes(), s.pipeline.gazetteer()).expect("a CSV");
    assert_eq!(batch.events.len(), 2);
    let lines: Vec<usize> = batch.errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, vec![3, 5]);
    assert!(batch.errors[0].message.contains("latitude 95"));
    let imported = s
        .blocking({
            let events = batch.events.clone();
            move |p| p.import("test.csv", &events)
        })
        .await
        .expect("imported");
    assert_eq!(imported.inserted, 2);
    let again = s
        .blocking({
            let events = batch.events.clone();
            move |p| p.import("test.csv", &events)
        })
        .await
        .expect("imported");
    assert_eq!(
        (again.inserted, again.skipped),
        (0, 2),
        "importing twice adds nothing"
    );

    let geojson = r#"{"type": "FeatureCollection", "features": [
{"type": "Feature", "geometry": {"type": "Point", "coordinates": [46.75, 39.82]}, "properties": {"event_type": "explosions_remote_violence", "date": "2020-10-04"}},
{"type": "Feature", "geometry": {"type": "Polygon", "coordinates": []}, "properties": {"event_type": "battles"}},
{"type": "Feature", "geometry": {"type": "Point", "coordinates": [46.75, 39.82]}, "properties": {"event_type": "battles", "date": "2020-10-32"}}
]}"#;
    let batch = karta::import::read(geojson.as_bytes(), s.pipeline.gazetteer()).expect("GeoJSON");
    assert_eq!(batch.events.len(), 1);
    let lines: Vec<usize> = batch.errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, vec![3, 4]);
    let imported = s
        .blocking({
            let events = batch.events.clone();
            move |p| p.import("test.geojson", &events)
        })
        .await
        .expect("imported");
    assert_eq!(imported.inserted, 1);
    let near: Value = s.get_json("/api/events?near=46.75,39.82&radius_km=1").await;
    assert_eq!(near["events"][0]["status"], "imported");
    assert!(
        karta::import::read(
            "{\"type\": \"Topology\"}".as_bytes(),
            s.pipeline.gazetteer()
        )
        .is_err()
    );
}

#[tokio::test]
async fn the_precision_filter_hides_events_placed_on_areas_or_documents() {
    let s = TestServer::start(ApiSettings::default()).await;
    let total = load_demo(&s).await;
    let rows = |fc: &Value| -> Vec<Value> {
        fc["features"]
            .as_array()
            .expect("features")
            .iter()
            .map(|f| f["properties"].clone())
            .collect()
    };
    let every = rows(&s.get_json("/api/events.geojson").await);
    assert_eq!(every.len(), total);
    let coarse = |p: &Value| p["location_precision"] == "document" || p["geo_precision"] == 3;
    assert!(every.iter().any(coarse), "the demo has coarse events");
    let towns = rows(&s.get_json("/api/events.geojson?precision=1").await);
    assert!(!towns.is_empty() && towns.iter().all(|p| p["geo_precision"] == 1 && !coarse(p)));
    let districts = rows(&s.get_json("/api/events.geojson?precision=2").await);
    assert!(districts.len() >= towns.len() && districts.iter().all(|p| !coarse(p)));
    assert_eq!(
        every.iter().filter(|p| !coarse(p)).count(),
        districts.len(),
        "precision=2 keeps every event placed in a town or a district"
    );
    let r = s.get("/api/events?precision=4").await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn answers_are_compressed_for_clients_that_accept_it() {
    let s = TestServer::start(ApiSettings::default()).await;
    load_demo(&s).await;
    let plain = s.get("/api/events.geojson").await;
    assert!(plain.headers().get("content-encoding").is_none());
    let plain = plain.bytes().await.expect("body");
    for encoding in ["gzip", "br"] {
        let r = client()
            .get(s.url("/api/events.geojson"))
            .header("accept-encoding", encoding)
            .send()
            .await
            .expect("answer");
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()["content-encoding"], encoding);
        let packed = r.bytes().await.expect("body");
        assert!(
            packed.len() * 3 < plain.len(),
            "{encoding}: {} of {} bytes",
            packed.len(),
            plain.len()
        );
    }
}

#[tokio::test]
async fn a_search_finds_the_events_at_the_place_it_names_in_any_spelling() {
    let s = TestServer::start(ApiSettings::default()).await;
    load_demo(&s).await;
    let ids = |fc: Value| -> Vec<i64> {
        let mut ids: Vec<i64> = fc["features"]
            .as_array()
            .expect("features")
            .iter()
            .filter_map(|f| f["id"].as_i64())
            .collect();
        ids.sort_unstable();
        ids
    };
    let every = s.get_json("/api/events.geojson").await;
    let in_ganja: Vec<i64> = every["features"]
        .as_array()
        .expect("features")
        .iter()
        .filter(|f| f["properties"]["place_name"] == "Ganja")
        .filter_map(|f| f["id"].as_i64())
        .collect();
    assert!(in_ganja.len() >= 3, "{every}");
    let english = ids(s.get_json("/api/events.geojson?q=Ganja").await);
    let french = ids(s.get_json("/api/events.geojson?q=Gandja").await);
    let russian = ids(s
        .get_json("/api/events.geojson?q=%D0%93%D1%8F%D0%BD%D0%B4%D0%B6%D0%B0")
        .await);
    // «Gandja», «Гянджа» and «Ganja» find every event placed in Ganja, whatever its text calls
    // it; the English name also finds an event placed elsewhere whose sentence names Ganja.
    for id in &in_ganja {
        assert!(
            french.contains(id) && english.contains(id) && russian.contains(id),
            "{id}: {french:?} {english:?} {russian:?}"
        );
    }
    assert!(
        french.iter().all(|id| english.contains(id)),
        "{french:?} {english:?}"
    );
    // Words that name no place still search the text only.
    let missile = ids(s.get_json("/api/events.geojson?q=missile").await);
    assert!(!missile.is_empty() && missile.len() < english.len() + 2);
}

#[tokio::test]
async fn an_editor_adds_a_reference_layer_that_anyone_reads_back() {
    let s = TestServer::start(ApiSettings::default()).await;
    let c = client();
    let line = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},
        "geometry":{"type":"LineString","coordinates":[[46.5,39.9],[46.9,39.6]]}}]}"#;
    let post = |name: &str, body: String| {
        c.post(s.url(&format!("/api/references?name={name}")))
            .header(CONTENT_TYPE, "application/geo+json")
            .body(body)
    };
    // Without a token, or with a reader's, nothing is kept.
    let r = post("Front", line.into()).send().await.expect("answer");
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let reader = s
        .blocking(|p| {
            karta::auth::create_token_until(p.store(), "eye", None, karta::store::Role::Reader)
        })
        .await
        .expect("a reader's token")
        .0;
    let r = post("Front", line.into())
        .bearer_auth(&reader)
        .send()
        .await
        .expect("answer");
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // Bad files and names say why.
    for (name, body, status, needle) in [
        ("Front", "{\"type\":".to_owned(), 400, "not GeoJSON"),
        (
            "Front",
            r#"{"type":"Point","coordinates":[500,10]}"#.into(),
            400,
            "longitude",
        ),
        ("%20", line.into(), 400, "name"),
        (
            "Front",
            " ".repeat(vocab::MAX_REFERENCE_BYTES + 1),
            413,
            "simplify",
        ),
    ] {
        let r = post(name, body)
            .bearer_auth(&s.token)
            .send()
            .await
            .expect("answer");
        assert_eq!(r.status().as_u16(), status, "{needle}");
        let code = if status == 413 {
            "too_large"
        } else {
            "invalid_reference"
        };
        assert_error(&r.json().await.expect("json"), code, needle);
    }
    // An editor's file is kept, listed and read back as it came.
    let r = post("Line%20of%20contact", line.into())
        .bearer_auth(&s.token)
        .send()
        .await
        .expect("answer");
    assert_eq!(r.status(), StatusCode::CREATED);
    let added: Value = r.json().await.expect("json");
    assert_eq!(
        (&added["name"], &added["features"]),
        (&json!("Line of contact"), &json!(1))
    );
    let listed: Value = s.get_json("/api/references").await;
    assert_eq!(listed, json!([added.clone()]));
    let id = added["id"].as_i64().expect("an id");
    let r = s.get(&format!("/api/references/{id}")).await;
    assert_eq!(r.headers()[CONTENT_TYPE], "application/geo+json");
    assert_eq!(r.text().await.expect("text"), line);
    let delete = || c.delete(s.url(&format!("/api/references/{id}")));
    let r = delete().send().await.expect("answer");
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let r = delete().bearer_auth(&s.token).send().await.expect("answer");
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(
        s.get(&format!("/api/references/{id}")).await.status(),
        StatusCode::NOT_FOUND
    );
}
