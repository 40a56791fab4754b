//! Fixed-window rate limits kept in the database, so every instance counts the same hits.

use crate::error::{AppError, AppResult};
use crate::server::infra::db::{now, Db};

/// Counts one hit on `bucket`, then fails with `RateLimited` if the window now holds more than
/// `limit` hits. For limits on every attempt (per client address).
pub async fn hit(db: &Db, bucket: &str, limit: i64, window_secs: i64) -> AppResult<()> {
    let (hits, window_start) = record(db, bucket, window_secs).await?;
    if hits > limit {
        return Err(limited(window_start, window_secs));
    }
    Ok(())
}

/// Fails with `RateLimited` if `bucket` already holds `limit` hits in its window, without
/// counting. With [`record`] on failures only, a person who gets it right is never counted.
pub async fn check(db: &Db, bucket: &str, limit: i64, window_secs: i64) -> AppResult<()> {
    let row: Option<(i64, i64)> = sqlx::query_as(
        "SELECT hits, window_start FROM rate_limits WHERE bucket = $1 AND window_start > $2",
    )
    .bind(bucket)
    .bind(now() - window_secs)
    .fetch_optional(&db.pool)
    .await?;
    match row {
        Some((hits, window_start)) if hits >= limit => Err(limited(window_start, window_secs)),
        _ => Ok(()),
    }
}

/// Counts one hit on `bucket`; returns the hits in the window and when it started.
pub async fn record(db: &Db, bucket: &str, window_secs: i64) -> AppResult<(i64, i64)> {
    let now = now();
    let row: (i64, i64) = sqlx::query_as(
        "INSERT INTO rate_limits (bucket, window_start, hits) VALUES ($1, $2, 1)
         ON CONFLICT (bucket) DO UPDATE SET
           hits = CASE WHEN rate_limits.window_start <= $3 THEN 1 ELSE rate_limits.hits + 1 END,
           window_start = CASE WHEN rate_limits.window_start <= $3 THEN $2
                          ELSE rate_limits.window_start END
         RETURNING hits, window_start",
    )
    .bind(bucket)
    .bind(now)
    .bind(now - window_secs)
    .fetch_one(&db.pool)
    .await?;
    Ok(row)
}

/// Forgets the hits on `bucket` (after a successful sign-in, say).
pub async fn reset(db: &Db, bucket: &str) -> AppResult<()> {
    sqlx::query("DELETE FROM rate_limits WHERE bucket = $1")
        .bind(bucket)
        .execute(&db.pool)
        .await?;
    Ok(())
}

fn limited(window_start: i64, window_secs: i64) -> AppError {
    let retry_after_secs = (window_start + window_secs - now()).max(1) as u64;
    AppError::RateLimited { retry_after_secs }
}
