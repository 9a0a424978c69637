//! Tokens and browser sessions in PostgreSQL: created, found while valid, listed, revoked, as
//! in SQLite (`sqlite/tokens.rs`). Times are RFC 3339 UTC strings of one width compared as text.

use super::super::columns::now;
use super::super::{Result, Role, TokenInfo};
use postgres::{Client, Row};

/// The columns [`token_row`] reads, in its order.
const TOKEN_COLUMNS: &str = "id, name, created, expires, revoked, last_used, role";

/// Reads a row of [`TOKEN_COLUMNS`].
fn token_row(r: &Row) -> Result<TokenInfo> {
    Ok(TokenInfo {
        id: r.try_get(0)?,
        name: r.try_get(1)?,
        created: r.try_get(2)?,
        expires: r.try_get(3)?,
        revoked: r.try_get(4)?,
        last_used: r.try_get(5)?,
        role: Role::stored(r.try_get(6)?),
    })
}

/// Stores a new token.
pub(super) fn insert(
    client: &mut Client,
    name: &str,
    hash: &str,
    expires: Option<&str>,
    role: Role,
) -> Result<TokenInfo> {
    let row = client.query_one(
        &format!(
            "INSERT INTO tokens (name, hash, created, expires, role) VALUES ($1, $2, $3, $4, $5) \
             RETURNING {TOKEN_COLUMNS}"
        ),
        &[&name, &hash, &now(), &expires, &role.as_str()],
    )?;
    token_row(&row)
}

/// The valid token with this hash.
pub(super) fn by_hash(client: &mut Client, hash: &str) -> Result<Option<TokenInfo>> {
    client
        .query_opt(
            &format!(
                "SELECT {TOKEN_COLUMNS} FROM tokens WHERE hash = $1 AND revoked IS NULL \
                 AND (expires IS NULL OR expires > $2)"
            ),
            &[&hash, &now()],
        )?
        .as_ref()
        .map(token_row)
        .transpose()
}

/// Every token, oldest first.
pub(super) fn all(client: &mut Client) -> Result<Vec<TokenInfo>> {
    client
        .query(
            &format!("SELECT {TOKEN_COLUMNS} FROM tokens ORDER BY id"),
            &[],
        )?
        .iter()
        .map(token_row)
        .collect()
}

/// Revokes the tokens named or numbered `which`, with their sessions, in one transaction.
pub(super) fn revoke(client: &mut Client, which: &str) -> Result<Vec<TokenInfo>> {
    let at = now();
    let mut tx = client.transaction()?;
    let revoked = tx
        .query(
            &format!(
                "UPDATE tokens SET revoked = $2 WHERE revoked IS NULL \
                 AND (name = $1 OR id::text = $1) RETURNING {TOKEN_COLUMNS}"
            ),
            &[&which, &at],
        )?
        .iter()
        .map(token_row)
        .collect::<Result<Vec<_>>>()?;
    let ids: Vec<i64> = revoked.iter().map(|t| t.id).collect();
    tx.execute(
        "UPDATE sessions SET revoked = $2 WHERE token_id = ANY($1) AND revoked IS NULL",
        &[&ids, &at],
    )?;
    tx.commit()?;
    let mut revoked = revoked;
    revoked.sort_by_key(|t| t.id);
    Ok(revoked)
}

/// Records a token's use.
pub(super) fn touch(client: &mut Client, id: i64) -> Result<()> {
    client.execute(
        "UPDATE tokens SET last_used = $2 WHERE id = $1",
        &[&id, &now()],
    )?;
    Ok(())
}

/// Stores a new session.
pub(super) fn insert_session(
    client: &mut Client,
    token_id: i64,
    hash: &str,
    expires: &str,
) -> Result<()> {
    client.execute(
        "INSERT INTO sessions (hash, token_id, created, expires) VALUES ($1, $2, $3, $4)",
        &[&hash, &token_id, &now(), &expires],
    )?;
    Ok(())
}

/// The token of a valid session.
pub(super) fn session_token(client: &mut Client, hash: &str) -> Result<Option<TokenInfo>> {
    client
        .query_opt(
            "SELECT t.id, t.name, t.created, t.expires, t.revoked, t.last_used, t.role \
             FROM sessions s JOIN tokens t ON t.id = s.token_id \
             WHERE s.hash = $1 AND s.revoked IS NULL AND s.expires > $2 \
             AND t.revoked IS NULL AND (t.expires IS NULL OR t.expires > $2)",
            &[&hash, &now()],
        )?
        .as_ref()
        .map(token_row)
        .transpose()
}

/// Ends a session.
pub(super) fn revoke_session(client: &mut Client, hash: &str) -> Result<()> {
    client.execute(
        "UPDATE sessions SET revoked = $2 WHERE hash = $1 AND revoked IS NULL",
        &[&hash, &now()],
    )?;
    Ok(())
}
