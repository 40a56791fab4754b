//! Site settings that admins change while the site runs (the `site_settings` table: one text
//! value per key).

use crate::error::AppResult;
use crate::server::infra::db::Db;

/// The value of `key`, if it was ever set.
pub async fn get(db: &Db, key: &str) -> AppResult<Option<String>> {
    let row: Option<(String,)> = sqlx::query_as("SELECT value FROM site_settings WHERE key = $1")
        .bind(key)
        .fetch_optional(&db.pool)
        .await?;
    Ok(row.map(|(v,)| v))
}

/// Sets `key` to `value`.
pub async fn set(db: &Db, key: &str, value: &str) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO site_settings (key, value) VALUES ($1, $2)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(key)
    .bind(value)
    .execute(&db.pool)
    .await?;
    Ok(())
}
