//! A tag's page, with everything the reader may see under it, and suggestions while typing.

use crate::domain::discussion::TagPage;
use crate::domain::feed::{excerpt, Link};
use crate::error::AppResult;
use crate::server::infra::db::Db;
use crate::server::infra::sql::Args;
use crate::server::policy::{space_listed, space_readable, Viewer, Who};

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
    let mut args = Args::new();
    let starts = args.add(format!("{prefix}%"));
    let who = Who::viewer(&mut args, viewer);
    let readable = space_readable("s", &who);
    let sql = format!(
        "SELECT tag, COUNT(*) FROM (
             SELECT tg.tag FROM tags tg JOIN topics t ON t.id = tg.target_id
             LEFT JOIN spaces s ON s.id = t.space_id
             WHERE tg.target_kind = 'topic' AND tg.tag LIKE {starts} AND t.status = 'published'
               AND (t.space_id IS NULL OR {readable})
             UNION ALL SELECT tg.tag FROM tags tg JOIN posts p ON p.id = tg.target_id
             LEFT JOIN spaces s ON s.id = p.space_id
             WHERE tg.target_kind = 'post' AND tg.tag LIKE {starts} AND (p.space_id IS NULL OR {readable})
             UNION ALL SELECT tag FROM user_tags WHERE tag LIKE {starts}
             UNION ALL SELECT st.tag FROM space_tags st JOIN spaces s ON s.id = st.space_id
             WHERE st.tag LIKE {starts} AND {}) x
         GROUP BY tag ORDER BY COUNT(*) DESC, tag LIMIT 8",
        space_listed("s", &who)
    );
    let rows: Vec<(String, i64)> = sqlx::query_as_with(&sql, args).fetch_all(&db.pool).await?;
    Ok(rows.into_iter().map(|(t, _)| t).collect())
}

/// Everything tagged `tag` that the viewer may see: threads, questions, articles, posts, spaces and
/// the people who list it as a skill or expertise.
pub async fn page(db: &Db, viewer: Viewer, tag: &str) -> AppResult<TagPage> {
    let tag = tag.trim().trim_start_matches('#').to_lowercase();
    let topics = crate::server::topics::list(
        db,
        viewer,
        &crate::server::topics::ListQuery {
            tag: tag.clone(),
            ..Default::default()
        },
    )
    .await?
    .items;
    let mut args = Args::new();
    let tag_at = args.add(&tag);
    let who = Who::viewer(&mut args, viewer);
    let sql = format!(
        "SELECT p.id, p.body_md, s.slug, w.handle FROM tags tg JOIN posts p ON p.id = tg.target_id
         LEFT JOIN spaces s ON s.id = p.space_id LEFT JOIN users w ON w.id = p.profile_id
         WHERE tg.target_kind = 'post' AND tg.tag = {tag_at} AND (p.space_id IS NULL OR {})
         ORDER BY p.id DESC LIMIT 30",
        space_readable("s", &who)
    );
    let rows: Vec<(i64, String, Option<String>, Option<String>)> =
        sqlx::query_as_with(&sql, args).fetch_all(&db.pool).await?;
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
    let mut args = Args::new();
    let tag_at = args.add(&tag);
    let who = Who::viewer(&mut args, viewer);
    let sql = format!(
        "SELECT s.slug, s.name FROM space_tags t JOIN spaces s ON s.id = t.space_id
         WHERE t.tag = {tag_at} AND {} ORDER BY s.member_count DESC, s.id LIMIT 30",
        space_listed("s", &who)
    );
    let spaces: Vec<(String, String)> = sqlx::query_as_with(&sql, args).fetch_all(&db.pool).await?;
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
