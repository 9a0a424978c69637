//! Tokens and browser sessions in SQLite: created, found while valid, listed, revoked.
//!
//! Times are RFC 3339 UTC strings of one width ([`now`]), so that SQL compares them as text.

use super::{Result, Role, TokenInfo, now};
use rusqlite::{Connection, OptionalExtension, Row, params};

/// The columns [`token_row`] reads, in its order.
const TOKEN_COLUMNS: &str = "id, name, created, expires, revoked, last_used, role";

/// Reads a row of [`TOKEN_COLUMNS`].
fn token_row(r: &Row<'_>) -> rusqlite::Result<TokenInfo> {
    Ok(TokenInfo {
        id: r.get(0)?,
        name: r.get(1)?,
        created: r.get(2)?,
        expires: r.get(3)?,
        revoked: r.get(4)?,
        last_used: r.get(5)?,
        role: Role::stored(&r.get::<_, String>(6)?),
    })
}

/// Stores a new token.
pub(super) fn insert(
    conn: &Connection,
    name: &str,
    hash: &str,
    expires: Option<&str>,
    role: Role,
) -> Result<TokenInfo> {
    let created = now();
    conn.execute(
        "INSERT INTO tokens (name, hash, created, expires, role) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![name, hash, created, expires, role.as_str()],
    )?;
    Ok(TokenInfo {
        id: conn.last_insert_rowid(),
        name: name.to_owned(),
        created,
        expires: expires.map(str::to_owned),
        revoked: None,
        last_used: None,
        role,
    })
}

/// The valid token with this hash.
pub(super) fn by_hash(conn: &Connection, hash: &str) -> Result<Option<TokenInfo>> {
    Ok(conn
        .query_row(
            &format!(
                "SELECT {TOKEN_COLUMNS} FROM tokens WHERE hash = ?1 AND revoked IS NULL \
                 AND (expires IS NULL OR expires > ?2)"
            ),
            params![hash, now()],
            token_row,
        )
        .optional()?)
}

/// Every token, oldest first.
pub(super) fn all(conn: &Connection) -> Result<Vec<TokenInfo>> {
    let mut statement = conn.prepare(&format!("SELECT {TOKEN_COLUMNS} FROM tokens ORDER BY id"))?;
    let rows = statement.query_map([], token_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Revokes the tokens named or numbered `which`, with their sessions, in one transaction.
pub(super) fn revoke(conn: &mut Connection, which: &str) -> Result<Vec<TokenInfo>> {
    let at = now();
    let tx = conn.transaction()?;
    let revoked = {
        let mut statement = tx.prepare(&format!(
            "UPDATE tokens SET revoked = ?2 WHERE revoked IS NULL \
             AND (name = ?1 OR CAST(id AS TEXT) = ?1) RETURNING {TOKEN_COLUMNS}"
        ))?;
        let rows = statement.query_map(params![which, at], token_row)?;
        rows.collect::<rusqlite::Result<Vec<_>>>()?
    };
    for token in &revoked {
        tx.execute(
            "UPDATE sessions SET revoked = ?2 WHERE token_id = ?1 AND revoked IS NULL",
            params![token.id, at],
        )?;
    }
    tx.commit()?;
    Ok(revoked)
}

/// Records a token's use.
pub(super) fn touch(conn: &Connection, id: i64) -> Result<()> {
    conn.execute(
        "UPDATE tokens SET last_used = ?2 WHERE id = ?1",
        params![id, now()],
    )?;
    Ok(())
}

/// Stores a new session.
pub(super) fn insert_session(
    conn: &Connection,
    token_id: i64,
    hash: &str,
    expires: &str,
) -> Result<()> {
    conn.execute(
        "INSERT INTO sessions (hash, token_id, created, expires) VALUES (?1, ?2, ?3, ?4)",
        params![hash, token_id, now(), expires],
    )?;
    Ok(())
}

/// The token of a valid session.
pub(super) fn session_token(conn: &Connection, hash: &str) -> Result<Option<TokenInfo>> {
    let columns = TOKEN_COLUMNS
        .split(", ")
        .map(|c| format!("t.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    Ok(conn
        .query_row(
            &format!(
                "SELECT {columns} FROM sessions s JOIN tokens t ON t.id = s.token_id \
                 WHERE s.hash = ?1 AND s.revoked IS NULL AND s.expires > ?2 \
                 AND t.revoked IS NULL AND (t.expires IS NULL OR t.expires > ?2)"
            ),
            params![hash, now()],
            token_row,
        )
        .optional()?)
}

/// Ends a session.
pub(super) fn revoke_session(conn: &Connection, hash: &str) -> Result<()> {
    conn.execute(
        "UPDATE sessions SET revoked = ?2 WHERE hash = ?1 AND revoked IS NULL",
        params![hash, now()],
    )?;
    Ok(())
}
