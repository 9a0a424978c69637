//! HTTP fetches of feeds and article pages, bounded and polite: a User-Agent naming karta,
//! conditional GETs with the stored validators, a time limit on the whole exchange and a size
//! limit on the body, which is read in chunks and dropped past the limit.

use crate::store::Validators;
use reqwest::header::{ETAG, HeaderMap, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED};
use reqwest::{Client, StatusCode};
use std::time::Duration;

/// The User-Agent of every fetch: karta, its version, and what it does.
pub const USER_AGENT: &str = concat!("karta/", env!("CARGO_PKG_VERSION"), " (news feed reader)");

/// Limits of every fetch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FetchSettings {
    /// Longest time from connecting to the last byte of the body.
    pub timeout: Duration,
    /// Largest body read, in bytes; a larger one is an error.
    pub max_bytes: usize,
}

impl Default for FetchSettings {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(20),
            // Feeds of a few hundred items weigh a few hundred kilobytes; article pages rarely
            // more than a megabyte or two.
            max_bytes: 8 * 1024 * 1024,
        }
    }
}

/// What can go wrong with a fetch.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    /// The exchange took longer than the time limit.
    #[error("no complete answer within {0:?}")]
    Timeout(Duration),
    /// The body is larger than the size limit.
    #[error("the answer is larger than {0} bytes")]
    TooLarge(usize),
    /// The server answered with an error status.
    #[error("HTTP {status}")]
    Status {
        /// The status.
        status: u16,
        /// How long the server asks to wait (`Retry-After`), if it says.
        retry_after: Option<Duration>,
    },
    /// No answer (connection refused, DNS, TLS, a broken body).
    #[error("{0}")]
    Http(reqwest::Error),
    /// The HTTP client could not be built.
    #[error("the HTTP client: {0}")]
    Client(reqwest::Error),
}

impl FetchError {
    /// The HTTP status of the answer, when there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Status { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// How long the server asked to wait before the next try.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::Status { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

/// The answer to a fetch.
#[derive(Debug, Clone, PartialEq)]
pub enum Fetched {
    /// `304 Not Modified`: nothing new since the validators sent.
    NotModified,
    /// A body.
    Body {
        /// The status (2xx).
        status: u16,
        /// The body, at most the size limit.
        bytes: Vec<u8>,
        /// The validators to send next time.
        validators: Validators,
    },
}

/// An HTTP client with the limits of [`FetchSettings`].
#[derive(Debug, Clone)]
pub struct Fetcher {
    client: Client,
    settings: FetchSettings,
}

impl Fetcher {
    /// A client with these limits; https through rustls and the system's certificates.
    pub fn new(settings: FetchSettings) -> Result<Self, FetchError> {
        let client = Client::builder()
            .user_agent(USER_AGENT)
            .timeout(settings.timeout)
            .connect_timeout(settings.timeout)
            .redirect(reqwest::redirect::Policy::limited(5))
            .build()
            .map_err(FetchError::Client)?;
        Ok(Self { client, settings })
    }

    /// Fetches a feed, conditionally when `validators` has any.
    pub async fn feed(&self, url: &str, validators: &Validators) -> Result<Fetched, FetchError> {
        let mut request = self.client.get(url);
        if let Some(etag) = &validators.etag {
            request = request.header(IF_NONE_MATCH, etag);
        }
        if let Some(modified) = &validators.last_modified {
            request = request.header(IF_MODIFIED_SINCE, modified);
        }
        let response = request.send().await.map_err(|e| self.error(e))?;
        if response.status() == StatusCode::NOT_MODIFIED {
            return Ok(Fetched::NotModified);
        }
        let status = checked(&response)?;
        let validators = Validators {
            etag: header(response.headers(), ETAG),
            last_modified: header(response.headers(), LAST_MODIFIED),
        };
        let bytes = self.body(response).await?;
        Ok(Fetched::Body {
            status,
            bytes,
            validators,
        })
    }

    /// Fetches a page (an article) whole, within the limits.
    pub async fn page(&self, url: &str) -> Result<Vec<u8>, FetchError> {
        let response = self
            .client
            .get(url)
            .send()
            .await
            .map_err(|e| self.error(e))?;
        checked(&response)?;
        self.body(response).await
    }

    /// Reads a body chunk by chunk, stopping past the size limit (also when the
    /// `Content-Length` announces more).
    async fn body(&self, mut response: reqwest::Response) -> Result<Vec<u8>, FetchError> {
        let limit = self.settings.max_bytes;
        if response.content_length().is_some_and(|n| n > limit as u64) {
            return Err(FetchError::TooLarge(limit));
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| self.error(e))? {
            if bytes.len() + chunk.len() > limit {
                return Err(FetchError::TooLarge(limit));
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(bytes)
    }

    fn error(&self, e: reqwest::Error) -> FetchError {
        if e.is_timeout() {
            FetchError::Timeout(self.settings.timeout)
        } else {
            FetchError::Http(e)
        }
    }
}

/// The status of a successful answer, or the error of another.
fn checked(response: &reqwest::Response) -> Result<u16, FetchError> {
    let status = response.status();
    if status.is_success() {
        return Ok(status.as_u16());
    }
    Err(FetchError::Status {
        status: status.as_u16(),
        retry_after: header(response.headers(), reqwest::header::RETRY_AFTER)
            .and_then(|v| retry_after(&v, chrono::Utc::now())),
    })
}

fn header(headers: &HeaderMap, name: reqwest::header::HeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// Reads a `Retry-After` value: seconds (`120`) or an HTTP date (`Wed, 21 Oct 2026 07:28:00
/// GMT`), as a wait from `now`.
pub fn retry_after(value: &str, now: chrono::DateTime<chrono::Utc>) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    (at.with_timezone(&chrono::Utc) - now).to_std().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let now = chrono::DateTime::parse_from_rfc3339("2026-10-21T07:27:00Z")
            .expect("a time")
            .to_utc();
        assert_eq!(retry_after("120", now), Some(Duration::from_secs(120)));
        assert_eq!(
            retry_after("Wed, 21 Oct 2026 07:28:00 GMT", now),
            Some(Duration::from_secs(60))
        );
        assert_eq!(retry_after("Wed, 21 Oct 2026 07:00:00 GMT", now), None);
        assert_eq!(retry_after("soon", now), None);
    }

    #[test]
    fn the_user_agent_names_karta_and_its_version() {
        assert!(USER_AGENT.starts_with(&format!("karta/{}", env!("CARGO_PKG_VERSION"))));
    }
}
