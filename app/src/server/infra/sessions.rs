//! Sessions stored in the database, so any instance can serve any request.
//!
//! The browser holds a random token in an `HttpOnly`, `SameSite=Lax` cookie; the database holds
//! only its SHA-256, so a copy of the database cannot be used to sign in.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use password_hash::rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};

use crate::domain::user::{CurrentUser, Role, UserId};
use crate::error::AppResult;
use crate::server::infra::db::{now, Db};

/// The session cookie's name.
pub const COOKIE: &str = "cohort_session";

/// 32 random bytes, base64url: a session token, a launch token, a page's nonce.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

pub(crate) fn token_hash(token: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(token.as_bytes()))
}

/// Starts a session for `user` and returns the token to put in the cookie.
pub async fn create(db: &Db, user: UserId, ttl_secs: i64) -> AppResult<String> {
    let token = new_token();
    let now = now();
    // Expired sessions are useless; clear them while we are writing anyway.
    sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(now)
        .execute(&db.pool)
        .await?;
    sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(token_hash(&token))
        .bind(user.0)
        .bind(now)
        .bind(now + ttl_secs)
        .execute(&db.pool)
        .await?;
    Ok(token)
}

/// The person a live session token belongs to.
pub async fn user_for_token(db: &Db, token: &str) -> AppResult<Option<CurrentUser>> {
    let row: Option<(i64, String, String, String, Option<String>)> = sqlx::query_as(
        "SELECT u.id, u.display_name, u.email, u.role, u.handle
         FROM sessions s JOIN users u ON u.id = s.user_id
         WHERE s.token_hash = $1 AND s.expires_at > $2",
    )
    .bind(token_hash(token))
    .bind(now())
    .fetch_optional(&db.pool)
    .await?;
    Ok(
        row.map(|(id, display_name, email, role, handle)| CurrentUser {
            id: UserId(id),
            display_name,
            email,
            role: Role::parse(&role).unwrap_or(Role::Member),
            handle: handle.unwrap_or_else(|| format!("user{id}")),
        }),
    )
}

/// Ends one session.
pub async fn delete(db: &Db, token: &str) -> AppResult<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(token_hash(token))
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Ends every session of `user` but the one whose token is `keep`.
pub async fn delete_others(db: &Db, user: UserId, keep: &str) -> AppResult<()> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
        .bind(user.0)
        .bind(token_hash(keep))
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// The `Set-Cookie` value that stores `token` for `max_age_secs`.
pub fn cookie_header(token: &str, max_age_secs: i64, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}")
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn clear_cookie_header(secure: bool) -> String {
    cookie_header("", 0, secure)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_hashed() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_ne!(token_hash(&a), a);
        assert_eq!(token_hash(&a), token_hash(&a));
    }

    #[test]
    fn cookies_are_http_only_and_lax() {
        let c = cookie_header("t", 60, true);
        assert_eq!(
            c,
            "cohort_session=t; Path=/; HttpOnly; SameSite=Lax; Max-Age=60; Secure"
        );
        assert!(!cookie_header("t", 60, false).contains("Secure"));
        assert!(clear_cookie_header(false).contains("Max-Age=0"));
    }
}
