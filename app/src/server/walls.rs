//! Space walls: posts, comments and reactions. Reading checks visibility in the query; writing
//! needs membership of the space.

use std::collections::HashMap;

use super::access::{placeholders, space_listed, space_readable, Viewer};
use super::activity::{self, Activity};
use super::cursor;
use super::db::{now, Db};
use super::markdown;
use crate::domain::post::{CommentView, PostBody, PostView, ReactionCount, ReactionKind, WallPage};
use crate::domain::space::SpaceRole;
use crate::error::{AppError, AppResult, FormErrors, FORM};

const PAGE: i64 = 20;

/// id, author name, html, markdown, created, edited, author id, pinned.
type PostRow = (
    i64,
    String,
    String,
    String,
    i64,
    Option<i64>,
    i64,
    Option<i64>,
);

/// Where the viewer stands in the space a post or wall belongs to.
struct Standing {
    space: i64,
    role: Option<SpaceRole>,
    archived: bool,
    /// The viewer may read the wall (public space, member, or site admin).
    readable: bool,
}

impl Standing {
    /// Members post, comment and react; archived spaces are read-only.
    fn require_member(&self, what: &str) -> AppResult<()> {
        if self.role.is_none() {
            return Err(AppError::Forbidden);
        }
        if self.archived {
            let msg = format!("This space is archived, so you cannot {what} here.");
            return Err(AppError::Conflict(FormErrors::single(FORM, msg)));
        }
        Ok(())
    }
}

async fn standing_in_space(db: &Db, viewer: Viewer, slug: &str) -> AppResult<Standing> {
    let sql = format!(
        "SELECT s.id, s.archived_at, m.role, CASE WHEN {} THEN 1 ELSE 0 END FROM spaces s
         LEFT JOIN space_members m ON m.space_id = s.id AND m.user_id = $2
         WHERE s.slug = $1 AND {}",
        space_readable("s", 2, 3),
        space_listed("s", 2, 3)
    );
    standing(db, viewer, &sql, slug).await
}

/// The standing on the wall a post is on, if the viewer may read that wall.
async fn standing_for_post(db: &Db, viewer: Viewer, post: i64) -> AppResult<Standing> {
    let sql = format!(
        "SELECT s.id, s.archived_at, m.role, 1 FROM posts p JOIN spaces s ON s.id = p.space_id
         LEFT JOIN space_members m ON m.space_id = s.id AND m.user_id = $2
         WHERE p.id = $1 AND {}",
        space_readable("s", 2, 3)
    );
    standing(db, viewer, &sql, post).await
}

async fn standing<'q, K>(db: &Db, viewer: Viewer, sql: &'q str, key: K) -> AppResult<Standing>
where
    K: 'q + Send + sqlx::Encode<'q, sqlx::Any> + sqlx::Type<sqlx::Any>,
{
    let row: Option<(i64, Option<i64>, Option<String>, i64)> = sqlx::query_as(sql)
        .bind(key)
        .bind(viewer.id)
        .bind(viewer.admin_flag())
        .fetch_optional(&db.pool)
        .await?;
    let (space, archived, role, readable) = row.ok_or(AppError::NotFound)?;
    Ok(Standing {
        space,
        role: role.as_deref().and_then(SpaceRole::parse),
        archived: archived.is_some(),
        readable: readable == 1,
    })
}

/// The checked body, or a field error that keeps what was typed and where it was typed (the
/// post a comment form belongs to), so the page shows it under the right form.
fn body_or_error(raw: &str, field: &str, context: &[(&str, &str)]) -> AppResult<String> {
    PostBody::check(raw).map_err(|m| {
        let kept = FormErrors::single(field, m).keep(field, raw);
        AppError::Validation(context.iter().fold(kept, |e, (k, v)| e.keep(k, v)))
    })
}

/// Posts on a space's wall; returns the new post's id.
pub async fn post(db: &Db, viewer: Viewer, slug: &str, body: &str) -> AppResult<i64> {
    let at = standing_in_space(db, viewer, slug).await?;
    at.require_member("post")?;
    let body = body_or_error(body, "body", &[])?;
    let html = markdown::render(&body);
    let now = now();
    let mut tx = db.pool.begin().await?;
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO posts (author_id, space_id, body_md, body_html, created_at)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(viewer.id)
    .bind(at.space)
    .bind(&body)
    .bind(&html)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query("UPDATE spaces SET last_activity_at = $1 WHERE id = $2")
        .bind(now)
        .bind(at.space)
        .execute(&mut *tx)
        .await?;
    let posted = Activity::on_post(viewer.id, "posted", id, at.space);
    activity::record(&mut tx, posted).await?;
    tx.commit().await?;
    Ok(id)
}

/// One page of a space's wall, newest first. `Forbidden` when the space is listed but its
/// content is for members; `NotFound` when the viewer may not know it exists.
pub async fn wall(db: &Db, viewer: Viewer, slug: &str, before: &str) -> AppResult<WallPage> {
    let at = standing_in_space(db, viewer, slug).await?;
    if !at.readable {
        return Err(AppError::Forbidden);
    }
    let before = cursor::decode(before, 1)?
        .and_then(|k| k.first().copied())
        .unwrap_or(0);
    // Pinned posts head the first page; the stream below them is keyset-paged by id.
    let columns = "SELECT p.id, u.display_name, p.body_html, p.body_md, p.created_at, p.edited_at,
                          p.author_id, p.pinned_at
                   FROM posts p JOIN spaces s ON s.id = p.space_id JOIN users u ON u.id = p.author_id";
    let readable = space_readable("s", 2, 3);
    let mut rows: Vec<PostRow> = Vec::new();
    if before == 0 {
        let pinned = format!(
            "{columns} WHERE p.space_id = $1 AND {readable} AND p.pinned_at IS NOT NULL
             ORDER BY p.pinned_at DESC LIMIT 10"
        );
        rows = sqlx::query_as(&pinned)
            .bind(at.space)
            .bind(viewer.id)
            .bind(viewer.admin_flag())
            .fetch_all(&db.pool)
            .await?;
    }
    let stream = format!(
        "{columns} WHERE p.space_id = $1 AND {readable} AND p.pinned_at IS NULL
           AND ($4 = 0 OR p.id < $4)
         ORDER BY p.id DESC LIMIT $5"
    );
    let mut page: Vec<PostRow> = sqlx::query_as(&stream)
        .bind(at.space)
        .bind(viewer.id)
        .bind(viewer.admin_flag())
        .bind(before)
        .bind(PAGE + 1)
        .fetch_all(&db.pool)
        .await?;
    let next = (page.len() as i64 > PAGE).then(|| {
        page.truncate(PAGE as usize);
        page.last().map(|r| cursor::encode(&[r.0]))
    });
    rows.extend(page);
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let mut reactions = reactions_of(db, viewer, &ids).await?;
    let mut comments = comments_of(db, &ids).await?;
    let moderates = at.role.is_some_and(SpaceRole::moderates) || viewer.admin;
    let posts = rows
        .into_iter()
        .map(
            |(id, author, body_html, body_md, created_at, edited_at, author_id, pinned_at)| {
                PostView {
                    id,
                    author,
                    body_html,
                    body_md: (author_id == viewer.id).then_some(body_md),
                    created_at,
                    edited: edited_at.is_some(),
                    pinned: pinned_at.is_some(),
                    can_pin: moderates,
                    reactions: reactions.remove(&id).unwrap_or_else(|| counts(&[])),
                    comments: comments.remove(&id).unwrap_or_default(),
                    can_delete: moderates || author_id == viewer.id,
                }
            },
        )
        .collect();
    Ok(WallPage {
        posts,
        next: next.flatten(),
        can_post: at.role.is_some() && !at.archived,
    })
}

/// Every reaction kind with its count, in the fixed order.
fn counts(given: &[(ReactionKind, i64, bool)]) -> Vec<ReactionCount> {
    ReactionKind::ALL
        .into_iter()
        .map(|kind| {
            let found = given.iter().find(|g| g.0 == kind);
            ReactionCount {
                kind,
                count: found.map_or(0, |g| g.1),
                mine: found.is_some_and(|g| g.2),
            }
        })
        .collect()
}

async fn reactions_of(
    db: &Db,
    viewer: Viewer,
    posts: &[i64],
) -> AppResult<HashMap<i64, Vec<ReactionCount>>> {
    if posts.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = format!(
        "SELECT post_id, kind, COUNT(*), SUM(CASE WHEN user_id = $1 THEN 1 ELSE 0 END)
         FROM reactions WHERE post_id IN ({}) GROUP BY post_id, kind",
        placeholders(2, posts.len())
    );
    let mut q = sqlx::query_as::<_, (i64, String, i64, i64)>(&sql).bind(viewer.id);
    for id in posts {
        q = q.bind(*id);
    }
    let mut by_post: HashMap<i64, Vec<(ReactionKind, i64, bool)>> = HashMap::new();
    for (post, kind, count, mine) in q.fetch_all(&db.pool).await? {
        if let Some(kind) = ReactionKind::parse(&kind) {
            by_post
                .entry(post)
                .or_default()
                .push((kind, count, mine > 0));
        }
    }
    Ok(by_post
        .into_iter()
        .map(|(post, given)| (post, counts(&given)))
        .collect())
}

async fn comments_of(db: &Db, posts: &[i64]) -> AppResult<HashMap<i64, Vec<CommentView>>> {
    if posts.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = format!(
        "SELECT c.id, c.post_id, c.parent_id, u.display_name, c.body_html, c.created_at
         FROM comments c JOIN users u ON u.id = c.author_id
         WHERE c.post_id IN ({}) ORDER BY c.id",
        placeholders(1, posts.len())
    );
    let mut q = sqlx::query_as::<_, (i64, i64, Option<i64>, String, String, i64)>(&sql);
    for id in posts {
        q = q.bind(*id);
    }
    let mut by_post: HashMap<i64, Vec<CommentView>> = HashMap::new();
    for (id, post, parent_id, author, body_html, created_at) in q.fetch_all(&db.pool).await? {
        by_post.entry(post).or_default().push(CommentView {
            id,
            parent_id,
            author,
            body_html,
            created_at,
        });
    }
    Ok(by_post)
}

/// Comments on a post, or replies to a top-level comment (one level deep).
pub async fn comment(
    db: &Db,
    viewer: Viewer,
    post: i64,
    parent: Option<i64>,
    body: &str,
) -> AppResult<i64> {
    let at = standing_for_post(db, viewer, post).await?;
    at.require_member("comment")?;
    let parent_text = parent.map(|p| p.to_string()).unwrap_or_default();
    let body = body_or_error(
        body,
        "body",
        &[("post_id", &post.to_string()), ("parent_id", &parent_text)],
    )?;
    if let Some(parent) = parent {
        let top: Option<(Option<i64>,)> =
            sqlx::query_as("SELECT parent_id FROM comments WHERE id = $1 AND post_id = $2")
                .bind(parent)
                .bind(post)
                .fetch_optional(&db.pool)
                .await?;
        if !matches!(top, Some((None,))) {
            return Err(AppError::BadRequest(
                "Replies go under a comment of the same post.".into(),
            ));
        }
    }
    let html = markdown::render(&body);
    let mut tx = db.pool.begin().await?;
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO comments (post_id, parent_id, author_id, body_md, body_html, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(post)
    .bind(parent)
    .bind(viewer.id)
    .bind(&body)
    .bind(&html)
    .bind(now())
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query("UPDATE posts SET comment_count = comment_count + 1 WHERE id = $1")
        .bind(post)
        .execute(&mut *tx)
        .await?;
    let commented = Activity {
        actor: viewer.id,
        verb: "commented",
        object_type: "comment",
        object_id: id,
        space: Some(at.space),
    };
    activity::record(&mut tx, commented).await?;
    tx.commit().await?;
    Ok(id)
}

/// Adds the viewer's reaction, or takes it back if it was there; returns whether it is there now.
pub async fn toggle_reaction(db: &Db, viewer: Viewer, post: i64, kind: &str) -> AppResult<bool> {
    let kind = ReactionKind::parse(kind)
        .ok_or_else(|| AppError::BadRequest(format!("There is no reaction called {kind:?}.")))?;
    let at = standing_for_post(db, viewer, post).await?;
    at.require_member("react")?;
    let mut tx = db.pool.begin().await?;
    let removed =
        sqlx::query("DELETE FROM reactions WHERE post_id = $1 AND user_id = $2 AND kind = $3")
            .bind(post)
            .bind(viewer.id)
            .bind(kind.as_str())
            .execute(&mut *tx)
            .await?;
    let added = removed.rows_affected() == 0;
    if added {
        sqlx::query(
            "INSERT INTO reactions (post_id, user_id, kind, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(post)
        .bind(viewer.id)
        .bind(kind.as_str())
        .bind(now())
        .execute(&mut *tx)
        .await?;
        let reacted = Activity::on_post(viewer.id, "reacted", post, at.space);
        activity::record(&mut tx, reacted).await?;
    }
    sqlx::query("UPDATE posts SET reaction_count = reaction_count + $1 WHERE id = $2")
        .bind(if added { 1_i64 } else { -1 })
        .bind(post)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(added)
}

/// Deletes a post: its author, the space's moderators, or a site admin.
pub async fn delete_post(db: &Db, viewer: Viewer, post: i64) -> AppResult<()> {
    let at = standing_for_post(db, viewer, post).await?;
    let (author,): (i64,) = sqlx::query_as("SELECT author_id FROM posts WHERE id = $1")
        .bind(post)
        .fetch_one(&db.pool)
        .await?;
    let allowed = author == viewer.id || at.role.is_some_and(SpaceRole::moderates) || viewer.admin;
    if !allowed {
        return Err(AppError::Forbidden);
    }
    let mut tx = db.pool.begin().await?;
    sqlx::query("DELETE FROM posts WHERE id = $1")
        .bind(post)
        .execute(&mut *tx)
        .await?;
    let deleted = Activity::on_post(viewer.id, "deleted", post, at.space);
    activity::record(&mut tx, deleted).await?;
    tx.commit().await?;
    Ok(())
}

/// Edits a post's text (its author only); the post then shows as edited.
pub async fn edit_post(db: &Db, viewer: Viewer, post: i64, body: &str) -> AppResult<()> {
    let at = standing_for_post(db, viewer, post).await?;
    at.require_member("edit posts")?;
    let body = body_or_error(body, "body", &[("post_id", &post.to_string())])?;
    let html = markdown::render(&body);
    let mut tx = db.pool.begin().await?;
    let done = sqlx::query(
        "UPDATE posts SET body_md = $1, body_html = $2, edited_at = $3 WHERE id = $4 AND author_id = $5",
    )
    .bind(&body)
    .bind(&html)
    .bind(now())
    .bind(post)
    .bind(viewer.id)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::Forbidden);
    }
    let edited = Activity::on_post(viewer.id, "edited", post, at.space);
    activity::record(&mut tx, edited).await?;
    tx.commit().await?;
    Ok(())
}

/// Pins a post to the top of its space's wall, or unpins it (space moderators).
pub async fn pin_post(db: &Db, viewer: Viewer, post: i64, pinned: bool) -> AppResult<()> {
    let at = standing_for_post(db, viewer, post).await?;
    if !(at.role.is_some_and(SpaceRole::moderates) || viewer.admin) {
        return Err(AppError::Forbidden);
    }
    let mut tx = db.pool.begin().await?;
    sqlx::query("UPDATE posts SET pinned_at = $1 WHERE id = $2")
        .bind(pinned.then(now))
        .bind(post)
        .execute(&mut *tx)
        .await?;
    let verb = if pinned { "pinned" } else { "unpinned" };
    let pin = Activity::on_post(viewer.id, verb, post, at.space);
    activity::record(&mut tx, pin).await?;
    tx.commit().await?;
    Ok(())
}
