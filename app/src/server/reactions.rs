//! Reactions (like, celebrate, ...) on wall posts and on articles: one per person and kind,
//! given or taken back with the same action.

use sqlx::AnyConnection;

use crate::domain::ids::UserId;
use crate::domain::post::ReactionKind;
use crate::error::AppResult;
use crate::server::infra::db::now;

/// What is reacted to.
#[derive(Debug, Clone, Copy)]
pub enum On {
    Post,
    Topic,
}

impl On {
    /// The table and the column naming the thing (fixed names, never from input).
    fn table(self) -> (&'static str, &'static str) {
        match self {
            On::Post => ("reactions", "post_id"),
            On::Topic => ("topic_reactions", "topic_id"),
        }
    }
}

/// Gives `user`'s reaction `kind` to `id`, or takes it back if it was there; returns whether
/// it is there now. In the caller's transaction.
pub async fn toggle(
    conn: &mut AnyConnection,
    on: On,
    id: i64,
    user: UserId,
    kind: ReactionKind,
) -> AppResult<bool> {
    let (table, column) = on.table();
    let removed = sqlx::query(&format!(
        "DELETE FROM {table} WHERE {column} = $1 AND user_id = $2 AND kind = $3"
    ))
    .bind(id)
    .bind(user)
    .bind(kind.as_str())
    .execute(&mut *conn)
    .await?;
    if removed.rows_affected() > 0 {
        return Ok(false);
    }
    sqlx::query(&format!(
        "INSERT INTO {table} ({column}, user_id, kind, created_at) VALUES ($1, $2, $3, $4)"
    ))
    .bind(id)
    .bind(user)
    .bind(kind.as_str())
    .bind(now())
    .execute(&mut *conn)
    .await?;
    Ok(true)
}
