//! Write tokens and browser sessions: random secrets handed out once, of which the store keeps
//! only the SHA-256. A token may expire and may be revoked; a browser signed in with a token
//! holds a session id of its own, which ends when the browser signs out, when the session
//! expires, or when its token is revoked or expires.

use crate::digest::sha256_hex;
use crate::store::{Role, Store, StoreError, TokenInfo, timestamp};
use chrono::{DateTime, TimeDelta, Utc};

/// Prefix of every token, so that a leaked one is easy to recognise.
const PREFIX: &str = "karta_";

/// Prefix of every session id (which is not a token: it opens no write).
const SESSION_PREFIX: &str = "session_";

/// How long a browser stays signed in, at most (30 days).
pub const SESSION_LIFETIME: TimeDelta = TimeDelta::days(30);

/// How stale a token's `last_used` may get before a use is written down: an hour, so that reads
/// do not each cost a write.
const LAST_USED_GRAIN: TimeDelta = TimeDelta::hours(1);

/// What can go wrong with tokens.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// The system's random source failed.
    #[error("no randomness for a new secret: {0}")]
    Random(getrandom::Error),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// 32 random bytes in hexadecimal.
fn random_hex() -> Result<String, AuthError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(AuthError::Random)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Creates a token that may do everything (an admin's) under a name (recorded in the
/// corrections it makes) that never expires, stores its hash and returns the secret, which is
/// never stored.
pub fn create_token(store: &dyn Store, name: &str) -> Result<(String, TokenInfo), AuthError> {
    create_token_until(store, name, None, Role::Admin)
}

/// Creates a token as [`create_token`] does, with what it may do, refused from `expires` on
/// if given.
pub fn create_token_until(
    store: &dyn Store,
    name: &str,
    expires: Option<DateTime<Utc>>,
    role: Role,
) -> Result<(String, TokenInfo), AuthError> {
    let token = format!("{PREFIX}{}", random_hex()?);
    let expires = expires.map(timestamp);
    let hash = sha256_hex(token.as_bytes());
    let info = store.insert_token(name, &hash, expires.as_deref(), role)?;
    Ok((token, info))
}

/// The token's record when `token` is a secret neither revoked nor expired; notes its use.
pub fn verify_token(store: &dyn Store, token: &str) -> Result<Option<TokenInfo>, StoreError> {
    if !token.starts_with(PREFIX) {
        return Ok(None);
    }
    let Some(info) = store.token_by_hash(&sha256_hex(token.as_bytes()))? else {
        return Ok(None);
    };
    let stale = timestamp(Utc::now() - LAST_USED_GRAIN);
    if info.last_used.as_deref().is_none_or(|used| *used < *stale) {
        store.touch_token(info.id)?;
    }
    Ok(Some(info))
}

/// A new browser session for a valid token: its id (for the cookie, never stored) and how many
/// seconds it lasts, [`SESSION_LIFETIME`] or less when the token expires sooner.
pub fn start_session(store: &dyn Store, token: &TokenInfo) -> Result<(String, i64), AuthError> {
    let id = format!("{SESSION_PREFIX}{}", random_hex()?);
    let started = Utc::now();
    let token_end = token
        .expires
        .as_deref()
        .and_then(|e| DateTime::parse_from_rfc3339(e).ok())
        .map(|e| e.with_timezone(&Utc));
    let end = token_end.map_or(started + SESSION_LIFETIME, |e| {
        e.min(started + SESSION_LIFETIME)
    });
    store.insert_session(token.id, &sha256_hex(id.as_bytes()), &timestamp(end))?;
    Ok((id, (end - started).num_seconds().max(0)))
}

/// The token behind a session id, when the session and the token are both still valid.
pub fn verify_session(store: &dyn Store, id: &str) -> Result<Option<TokenInfo>, StoreError> {
    if !id.starts_with(SESSION_PREFIX) {
        return Ok(None);
    }
    store.session_token(&sha256_hex(id.as_bytes()))
}

/// Ends a session (nothing happens when there is no such session).
pub fn end_session(store: &dyn Store, id: &str) -> Result<(), StoreError> {
    store.revoke_session(&sha256_hex(id.as_bytes()))
}
