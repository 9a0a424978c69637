//! Write tokens: random secrets handed out once, of which the store keeps only the SHA-256.

use crate::digest::sha256_hex;
use crate::store::{Store, StoreError, TokenInfo};

/// Prefix of every token, so that a leaked one is easy to recognise.
const PREFIX: &str = "karta_";

/// What can go wrong with tokens.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// The system's random source failed.
    #[error("no randomness for a new token: {0}")]
    Random(getrandom::Error),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Creates a token under a name (recorded in the corrections it makes), stores its hash and
/// returns the secret, which is never stored.
pub fn create_token(store: &dyn Store, name: &str) -> Result<(String, TokenInfo), AuthError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(AuthError::Random)?;
    let secret: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    let token = format!("{PREFIX}{secret}");
    let info = store.insert_token(name, &sha256_hex(token.as_bytes()))?;
    Ok((token, info))
}

/// The token's record when `token` is a valid secret.
pub fn verify_token(store: &dyn Store, token: &str) -> Result<Option<TokenInfo>, StoreError> {
    if !token.starts_with(PREFIX) {
        return Ok(None);
    }
    store.token_by_hash(&sha256_hex(token.as_bytes()))
}
