//! Signing a browser in when reads are private (`karta serve --private-reads`): a browser cannot
//! put a bearer token on the page it opens or on a download link, so it gives a token once and
//! gets a cookie holding a session id of its own (the store keeps its hash), never the token.
//! Reads accept the cookie; writes still need the `Authorization` header, so the cookie cannot
//! be used to write from another site.
//!
//! - `GET /session?next=/path`: the sign-in form.
//! - `POST /session` (form fields `token`, `next`): a valid token starts a session, sets the
//!   cookie and goes on to `next`; a wrong one comes back to the form, saying so.
//! - `POST /session/end`: ends the session and forgets the cookie.
//!
//! A session lasts 30 days, or until its token expires if sooner, and ends with its token's
//! revocation (`karta token revoke`). karta speaks plain HTTP; behind a proxy that ends TLS and
//! says so (`X-Forwarded-Proto: https` or `Forwarded: proto=https`), the cookie is also
//! `Secure`, so that the browser never sends it in clear.

use super::{ApiError, AppState, blocking};
use crate::auth::{end_session, start_session, verify_token};
use app::site::SESSION_COOKIE;
use axum::extract::{Query, State};
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, LOCATION, SET_COOKIE, X_FRAME_OPTIONS,
};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use serde::Deserialize;

/// The routes of this module.
pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/session", get(form).post(sign_in))
        .route("/session/end", post(sign_out))
}

/// Where to go after signing in: a path of this site only, `/` when there is none or when
/// `next` could lead elsewhere. Judged after percent-decoding, so that neither `//host`,
/// `/\host`, a full URL, nor a tab or line break that a browser drops (`/%09/host` read as
/// `//host`) gets through.
fn local_path(next: Option<&str>) -> &str {
    next.filter(|n| {
        let Some(decoded) = percent_decode(n) else {
            return false;
        };
        let mut chars = decoded.chars();
        chars.next() == Some('/')
            && !matches!(chars.next(), Some('/' | '\\'))
            && !decoded.contains('\\')
            && !decoded.chars().any(char::is_control)
            && !n.chars().any(char::is_control)
    })
    .unwrap_or("/")
}

/// `text` with its `%XX` escapes decoded ([`app::url::decode`]) again while any is left, so
/// that `%252F` is judged as `/`; `None` when escapes are nested deeper than a few levels,
/// which no link of this site needs (and which would cost a pass each).
fn percent_decode(text: &str) -> Option<String> {
    let mut text = text.to_owned();
    for _ in 0..4 {
        let decoded = app::url::decode(&text);
        if decoded == text {
            return Some(decoded);
        }
        text = decoded;
    }
    None
}

/// The session cookie with `value` and its attributes; `Secure` when the browser reached the
/// site over HTTPS.
fn session_cookie(value: &str, max_age: i64, https: bool) -> String {
    let secure = if https { "; Secure" } else { "" };
    format!(
        "{SESSION_COOKIE}={value}; Path=/; Max-Age={max_age}; HttpOnly; SameSite=Strict{secure}"
    )
}

/// Whether a proxy in front of karta says that the request came over HTTPS.
pub(super) fn over_https(headers: &HeaderMap) -> bool {
    let says_https = |name: &str, read: fn(&str) -> bool| {
        headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .any(read)
    };
    says_https("x-forwarded-proto", |v| {
        v.split(',')
            .next()
            .is_some_and(|p| p.trim().eq_ignore_ascii_case("https"))
    }) || says_https("forwarded", |v| {
        v.split(',').next().is_some_and(|hop| {
            hop.split(';')
                .any(|pair| pair.trim().eq_ignore_ascii_case("proto=https"))
        })
    })
}

/// A `303 See Other` to `location`, with `cookie` set if given.
fn see_other(location: &str, cookie: Option<String>) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    let headers = response.headers_mut();
    if let Ok(location) = HeaderValue::from_str(location) {
        headers.insert(LOCATION, location);
    }
    if let Some(cookie) = cookie.and_then(|c| HeaderValue::from_str(&c).ok()) {
        headers.insert(SET_COOKIE, cookie);
    }
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The query of the sign-in form.
#[derive(Debug, Deserialize)]
struct FormQuery {
    next: Option<String>,
    #[serde(default)]
    failed: bool,
}

/// `GET /session`: the sign-in form.
async fn form(Query(query): Query<FormQuery>) -> Response {
    let next = html_escape(local_path(query.next.as_deref()));
    let failed = if query.failed {
        r#"<p class="session-error" role="alert">This token is not valid. Ask whoever runs this karta for one (<code>karta token create</code>).</p>"#
    } else {
        ""
    };
    let page = format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in: karta</title>
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/karta.css">
</head>
<body>
<main class="session">
<h1>karta</h1>
<p>The events on this map are private. Give your token to see them; this browser stays signed in for 30 days (the token itself is not kept).</p>
{failed}
<form method="post" action="/session">
<label for="token">Token</label>
<input id="token" name="token" type="password" autocomplete="current-password" required autofocus>
<input type="hidden" name="next" value="{next}">
<button type="submit">Sign in</button>
</form>
</main>
</body>
</html>
"#
    );
    (
        [
            (CONTENT_TYPE, "text/html; charset=utf-8"),
            (CACHE_CONTROL, "no-store"),
            // No other site may frame the form and catch a token typed into it.
            (CONTENT_SECURITY_POLICY, "frame-ancestors 'none'"),
            (X_FRAME_OPTIONS, "DENY"),
        ],
        page,
    )
        .into_response()
}

/// Escapes text for an HTML attribute or element.
fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// The fields of the sign-in form.
#[derive(Debug, Deserialize)]
struct SignIn {
    token: String,
    next: Option<String>,
}

/// `POST /session`: checks the token, starts a session and keeps its id in a cookie.
async fn sign_in(
    State(state): State<AppState>,
    headers: HeaderMap,
    Form(form): Form<SignIn>,
) -> Response {
    let next = local_path(form.next.as_deref()).to_owned();
    let token = form.token.trim().to_owned();
    // Tokens are made of URL-safe characters; anything else cannot be one.
    let well_formed = !token.is_empty()
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    let session = if well_formed {
        let pipeline = state.pipeline.clone();
        blocking(move || {
            let store = pipeline.store();
            match verify_token(store, &token)? {
                Some(info) => Ok(Some(
                    start_session(store, &info).map_err(ApiError::internal)?,
                )),
                None => Ok(None),
            }
        })
        .await
    } else {
        Ok(None)
    };
    match session {
        Ok(Some((id, max_age))) => see_other(
            &next,
            Some(session_cookie(&id, max_age, over_https(&headers))),
        ),
        Ok(None) => {
            let query = serde_urlencoded::to_string([("next", next.as_str()), ("failed", "true")])
                .unwrap_or_default();
            see_other(&format!("/session?{query}"), None)
        }
        Err(e) => e.into_response(),
    }
}

/// `POST /session/end`: ends the session, forgets the cookie and shows the sign-in form.
async fn sign_out(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(id) = app::site::session_token(&headers).map(str::to_owned) {
        let pipeline = state.pipeline.clone();
        if let Err(e) = blocking(move || Ok(end_session(pipeline.store(), &id)?)).await {
            return e.into_response();
        }
    }
    see_other(
        "/session",
        Some(session_cookie("", 0, over_https(&headers))),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cookie_is_secure_when_a_proxy_says_https() {
        let headers = |pairs: &[(&'static str, &'static str)]| {
            let mut h = HeaderMap::new();
            for &(name, value) in pairs {
                h.append(name, HeaderValue::from_static(value));
            }
            h
        };
        assert!(!over_https(&headers(&[])));
        assert!(over_https(&headers(&[("x-forwarded-proto", "https")])));
        assert!(over_https(&headers(&[(
            "x-forwarded-proto",
            "HTTPS, http"
        )])));
        assert!(!over_https(&headers(&[("x-forwarded-proto", "http")])));
        assert!(over_https(&headers(&[(
            "forwarded",
            "for=192.0.2.60;proto=https;by=203.0.113.43"
        )])));
        assert!(!over_https(&headers(&[(
            "forwarded",
            "for=192.0.2.60;proto=http"
        )])));
        assert!(session_cookie("t", 5, true).ends_with("; SameSite=Strict; Secure"));
        assert!(!session_cookie("t", 5, false).contains("Secure"));
    }

    #[test]
    fn only_paths_of_this_site_are_followed_after_signing_in() {
        assert_eq!(local_path(Some("/?zoom=4")), "/?zoom=4");
        assert_eq!(local_path(Some("/documents/3")), "/documents/3");
        for outside in [
            "//evil.example/",
            "https://evil.example/",
            "/\\evil",
            "evil",
            "/\t/evil.example",
            "/%09/evil.example",
            "/%2F/evil.example",
            "/%252F%252Fevil.example",
            "/%5Cevil.example",
            "/%2525252525252F",
        ] {
            assert_eq!(local_path(Some(outside)), "/", "{outside}");
        }
        assert_eq!(local_path(None), "/");
    }
}
