//! Where a request reached karta, `http://host:port`: the start of the absolute links that the
//! OGC API and the Atom feeds hand to other tools.

use super::session::over_https;
use axum::http::HeaderMap;
use axum::http::header::HOST;

/// The host when a request names none (HTTP/1.0) or names one that is not a host.
const NO_HOST: &str = "localhost";

/// The origin of a request: `https` when a proxy says so (see [`over_https`]), else `http`,
/// and the `Host` header when it is a host name or address with an optional port.
pub(super) fn origin(headers: &HeaderMap) -> String {
    let scheme = if over_https(headers) { "https" } else { "http" };
    let host = headers
        .get(HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| is_host(h))
        .unwrap_or(NO_HOST);
    format!("{scheme}://{host}")
}

/// Whether a `Host` value is a name, an IPv4 or a bracketed IPv6 address with an optional
/// port: nothing that could change what a link points at (`/`, `@`, `?`, spaces).
fn is_host(value: &str) -> bool {
    !value.is_empty()
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(k, v)| (k.parse().expect("a name"), v.parse().expect("a value")))
            .collect()
    }

    #[test]
    fn origin_reads_host_and_proxy() {
        assert_eq!(
            origin(&headers(&[("host", "127.0.0.1:3000")])),
            "http://127.0.0.1:3000"
        );
        assert_eq!(
            origin(&headers(&[
                ("host", "karta.example.org"),
                ("x-forwarded-proto", "https")
            ])),
            "https://karta.example.org"
        );
        assert_eq!(
            origin(&headers(&[("host", "[::1]:8080")])),
            "http://[::1]:8080"
        );
        assert_eq!(
            origin(&headers(&[("host", "evil.example/x?")])),
            "http://localhost"
        );
        assert_eq!(origin(&HeaderMap::new()), "http://localhost");
    }
}
