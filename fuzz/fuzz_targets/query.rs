//! `GET /api/events?…` and its CSV export with any query string: the parameters
//! (`vocab::EventParams`, `EventQuery::check`) and the query they make, never a 500.

#![no_main]

use axum::body::Body;
use axum::http::Request;
use karta_fuzz::Api;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(query) = std::str::from_utf8(data) else {
        return;
    };
    let api = Api::get();
    for path in ["/api/events", "/api/events.csv"] {
        // A string that is no URI (a space, say) never reaches karta: hyper refuses it.
        let Ok(request) = Request::get(format!("{path}?{query}")).body(Body::empty()) else {
            return;
        };
        let (status, _) = api.answer(request);
        assert!(
            status.is_success() || status.is_client_error(),
            "{status} for {query:?}"
        );
    }
});
