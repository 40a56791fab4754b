//! Free tags (folksonomy): on posts (their `#hashtags`), threads, questions and articles,
//! spaces and people's skills and expertise; tag pages and suggestions while typing.

use sqlx::AnyConnection;

use super::access::{rows_of, space_listed, space_readable, Viewer};
use super::db::Db;
use crate::domain::discussion::{hashtags, TagPage};
use crate::domain::feed::{excerpt, Link};
use crate::error::AppResult;

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
        super::access::placeholders(2, targets.len())
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

/// Tags in use that start with `prefix`, most used first: on what the viewer may read, on
/// people, and on spaces the viewer may know of (so no secret space's tags).
pub async fn suggest(db: &Db, viewer: Viewer, prefix: &str) -> AppResult<Vec<String>> {
    let prefix: String = prefix
        .trim()
        .trim_start_matches('#')
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || " -+.#".contains(*c))
        .take(40)
        .collect();
    if prefix.is_empty() {
        return Ok(Vec::new());
    }
    let readable = space_readable("s", 2, 3);
    let sql = format!(
        "SELECT tag, COUNT(*) FROM (
             SELECT tg.tag FROM tags tg JOIN topics t ON t.id = tg.target_id
             LEFT JOIN spaces s ON s.id = t.space_id
             WHERE tg.target_kind = 'topic' AND tg.tag LIKE $1 AND t.status = 'published'
               AND (t.space_id IS NULL OR {readable})
             UNION ALL SELECT tg.tag FROM tags tg JOIN posts p ON p.id = tg.target_id
             LEFT JOIN spaces s ON s.id = p.space_id
             WHERE tg.target_kind = 'post' AND tg.tag LIKE $1 AND (p.space_id IS NULL OR {readable})
             UNION ALL SELECT tag FROM user_tags WHERE tag LIKE $1
             UNION ALL SELECT st.tag FROM space_tags st JOIN spaces s ON s.id = st.space_id
             WHERE st.tag LIKE $1 AND {}) x
         GROUP BY tag ORDER BY COUNT(*) DESC, tag LIMIT 8",
        space_listed("s", 2, 3)
    );
    let rows: Vec<(String, i64)> = sqlx::query_as(&sql)
        .bind(format!("{prefix}%"))
        .bind(viewer.id)
        .bind(viewer.admin_flag())
        .fetch_all(&db.pool)
        .await?;
    Ok(rows.into_iter().map(|(t, _)| t).collect())
}

/// Everything tagged `tag` that the viewer may see: threads, questions, articles, posts, spaces and
/// the people who list it as a skill or expertise.
pub async fn page(db: &Db, viewer: Viewer, tag: &str) -> AppResult<TagPage> {
    let tag = tag.trim().trim_start_matches('#').to_lowercase();
    let topics = super::topics::list(
        db,
        viewer,
        &super::topics::ListQuery {
            tag: tag.clone(),
            ..Default::default()
        },
    )
    .await?
    .items;
    let sql = format!(
        "SELECT p.id, p.body_md, s.slug, w.handle FROM tags tg JOIN posts p ON p.id = tg.target_id
         LEFT JOIN spaces s ON s.id = p.space_id LEFT JOIN users w ON w.id = p.profile_id
         WHERE tg.target_kind = 'post' AND tg.tag = $1 AND (p.space_id IS NULL OR {})
         ORDER BY p.id DESC LIMIT 30",
        space_readable("s", 2, 3)
    );
    let rows: Vec<(i64, String, Option<String>, Option<String>)> = sqlx::query_as(&sql)
        .bind(&tag)
        .bind(viewer.id)
        .bind(viewer.admin_flag())
        .fetch_all(&db.pool)
        .await?;
    let posts = rows
        .into_iter()
        .map(|(id, body, slug, handle)| Link {
            text: excerpt(&body, 160),
            href: match (slug, handle) {
                (Some(slug), _) => format!("/s/{slug}#post-{id}"),
                (None, Some(handle)) => format!("/u/{handle}#post-{id}"),
                (None, None) => "/".to_owned(),
            },
        })
        .collect();
    let sql = format!(
        "SELECT s.slug, s.name FROM space_tags t JOIN spaces s ON s.id = t.space_id
         WHERE t.tag = $1 AND {} ORDER BY s.member_count DESC, s.id LIMIT 30",
        space_listed("s", 2, 3)
    );
    let spaces: Vec<(String, String)> = sqlx::query_as(&sql)
        .bind(&tag)
        .bind(viewer.id)
        .bind(viewer.admin_flag())
        .fetch_all(&db.pool)
        .await?;
    let people: Vec<(i64, String, Option<String>)> = sqlx::query_as(
        "SELECT DISTINCT u.id, u.display_name, u.handle FROM user_tags t
         JOIN users u ON u.id = t.user_id WHERE t.tag = $1 ORDER BY u.display_name LIMIT 30",
    )
    .bind(&tag)
    .fetch_all(&db.pool)
    .await?;
    Ok(TagPage {
        tag,
        topics,
        posts,
        spaces: spaces
            .into_iter()
            .map(|(slug, name)| Link {
                text: name,
                href: format!("/s/{slug}"),
            })
            .collect(),
        people: people
            .into_iter()
            .map(|(id, name, handle)| Link {
                text: name,
                href: format!("/u/{}", handle.unwrap_or_else(|| format!("user{id}"))),
            })
            .collect(),
    })
}
