//! Free tags (folksonomy) as stored: on posts (their `#hashtags`), threads, questions,
//! articles, playlists and courses, spaces and people's skills and expertise. The tag page and
//! suggestions while typing are in [`page`].

mod page;

pub use page::{page, suggest};

use sqlx::AnyConnection;

use crate::domain::discussion::hashtags;
use crate::error::AppResult;
use crate::server::infra::db::Db;
use crate::server::infra::sql::rows_of;

/// Replaces the tags of one thing (`target_kind` `post` or `topic`) with `tags`.
pub async fn replace(
    conn: &mut AnyConnection,
    target_kind: &str,
    target: i64,
    tags: &[String],
) -> AppResult<()> {
    sqlx::query("DELETE FROM tags WHERE target_kind = $1 AND target_id = $2")
        .bind(target_kind)
        .bind(target)
        .execute(&mut *conn)
        .await?;
    add(conn, target_kind, target, tags).await
}

/// Adds `tags` to one thing that has none yet, in one statement.
pub async fn add(
    conn: &mut AnyConnection,
    target_kind: &str,
    target: i64,
    tags: &[String],
) -> AppResult<()> {
    if tags.is_empty() {
        return Ok(());
    }
    let rows = rows_of(3, tags.len(), |tag| format!("($1, $2, {tag})"));
    let sql = format!("INSERT INTO tags (target_kind, target_id, tag) VALUES {rows}");
    let mut query = sqlx::query(&sql).bind(target_kind).bind(target);
    for tag in tags {
        query = query.bind(tag);
    }
    query.execute(&mut *conn).await?;
    Ok(())
}

/// The tags of each of `targets` of kind `target_kind`: (target, tag), by tag.
pub async fn of(db: &Db, target_kind: &str, targets: &[i64]) -> AppResult<Vec<(i64, String)>> {
    if targets.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT target_id, tag FROM tags WHERE target_kind = $1 AND target_id IN ({}) ORDER BY tag",
        crate::server::infra::sql::placeholders(2, targets.len())
    );
    let mut query = sqlx::query_as::<_, (i64, String)>(&sql).bind(target_kind);
    for id in targets {
        query = query.bind(id);
    }
    Ok(query.fetch_all(&db.pool).await?)
}

/// The tags of one thing, by tag, inside the caller's connection or transaction.
pub async fn of_in(
    conn: &mut AnyConnection,
    target_kind: &str,
    target: i64,
) -> AppResult<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT tag FROM tags WHERE target_kind = $1 AND target_id = $2 ORDER BY tag",
    )
    .bind(target_kind)
    .bind(target)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|(t,)| t).collect())
}

/// Replaces the tags of a post with the `#hashtags` in its text; returns them.
pub async fn tag_post(conn: &mut AnyConnection, post: i64, body: &str) -> AppResult<Vec<String>> {
    let tags = hashtags(body);
    replace(conn, "post", post, &tags).await?;
    Ok(tags)
}

/// A topic's tags, in order.
pub async fn topic_tags(conn: &mut AnyConnection, topic: i64) -> AppResult<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT tag FROM tags WHERE target_kind = 'topic' AND target_id = $1 ORDER BY tag",
    )
    .bind(topic)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(|(t,)| t).collect())
}
