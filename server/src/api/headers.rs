//! The security headers every answer carries: `X-Content-Type-Options: nosniff`, a
//! `Referrer-Policy`, a Content-Security-Policy (the map's pages set their own, with the nonce
//! of their inline scripts), frame rules (only `/embed` may be framed) and, when reads are
//! private, `Cache-Control: private, no-store` on what a reader gets.

use axum::Router;
use axum::extract::{Request, State};
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS,
    X_FRAME_OPTIONS,
};
use axum::http::{HeaderValue, Method};
use axum::middleware::{self, Next};
use axum::response::Response;
use tower_http::set_header::SetResponseHeaderLayer;

/// The policy of an answer that sets none of its own: no scripts, styles from this site and in
/// attributes (the document pages colour their dots so), no framing.
const DEFAULT_POLICY: &str = "default-src 'self'; script-src 'none'; \
    style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; \
    base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The same for `/embed`, which other sites may frame.
const EMBED_POLICY: &str = "default-src 'self'; script-src 'none'; \
    style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; \
    base-uri 'none'; form-action 'self'";

/// Files of the built site, the same for every reader: caches may keep them.
const STATIC_PREFIXES: [&str; 4] = ["/pkg/", "/basemap/", "/karta.css", "/favicon.svg"];

/// `router` with the security headers on every answer; `private_reads` as `karta serve
/// --private-reads`.
pub fn secure(router: Router, private_reads: bool) -> Router {
    router
        .layer(middleware::from_fn_with_state(
            private_reads,
            frames_and_caches,
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ))
}

/// Sets the frame rules and the default policy where the answer has none, and keeps private
/// reads out of caches.
async fn frames_and_caches(
    State(private_reads): State<bool>,
    request: Request,
    next: Next,
) -> Response {
    let path = request.uri().path().to_owned();
    let read = matches!(*request.method(), Method::GET | Method::HEAD);
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let embed = path == "/embed" || path.starts_with("/embed/");
    if embed {
        headers.remove(X_FRAME_OPTIONS);
    } else {
        headers
            .entry(X_FRAME_OPTIONS)
            .or_insert(HeaderValue::from_static("DENY"));
    }
    let policy = if embed { EMBED_POLICY } else { DEFAULT_POLICY };
    headers
        .entry(CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(policy));
    if private_reads && read && !STATIC_PREFIXES.iter().any(|p| path.starts_with(p)) {
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    }
    response
}
