//! `POST /api/documents/batch` on any bytes: never a 500, and no line answered `internal`.

#![no_main]

use axum::body::Body;
use axum::http::{Request, StatusCode};
use karta_fuzz::Api;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let api = Api::get();
    let request = Request::post("/api/documents/batch")
        .header("content-type", "application/x-ndjson")
        .header("authorization", format!("Bearer {}", api.token))
        .body(Body::from(data.to_vec()))
        .expect("a request");
    let (status, body) = api.answer(request);
    assert!(status.is_success() || status.is_client_error(), "{status}");
    if status == StatusCode::OK {
        let text = String::from_utf8_lossy(&body);
        assert!(!text.contains("\"code\":\"internal\""), "{text}");
    }
});
