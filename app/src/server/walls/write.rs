//! Posting, commenting, reacting, editing, pinning and deleting on walls. Each write does its
//! own change, then hands what happened to the write pipeline ([`effects::apply`]).

use crate::domain::activity::{DocKind, Verb};
use crate::domain::discussion::hashtags;
use crate::domain::ids::{CommentId, PostId, UserId};
use crate::domain::notification::NotificationKind;
use crate::domain::post::ReactionKind;
use crate::domain::realtime::EventBody;
use crate::error::{AppError, AppResult};
use crate::server::effects::{self, Doc, Happened, Object, Place, Search};
use crate::server::infra::db::{now, Db};
use crate::server::infra::images::{self, Purpose};
use crate::server::policy::walls::{post_standing, wall_standing, WallOf, WallStanding};
use crate::server::policy::Viewer;
use crate::server::walls::{body_or_error, notice, post_url, wall_url};
use crate::server::{profiles, reactions, tags};

/// Where something on the wall the viewer stands on happens.
fn place(at: &WallStanding) -> Place {
    Place {
        space: at.space,
        wall: at.profile,
    }
}

/// Posts on a space's or a person's wall, with a picture prepared by
/// [`crate::server::infra::images`] if given (the text may then be empty); returns the new post.
pub async fn post(
    db: &Db,
    viewer: Viewer,
    wall: WallOf<'_>,
    body: &str,
    picture: Option<Vec<(u32, Vec<u8>)>>,
) -> AppResult<PostId> {
    let at = wall_standing(db, viewer, wall).await?;
    at.require_poster("post")?;
    let body = if picture.is_some() && body.trim().is_empty() {
        String::new()
    } else {
        body_or_error(body, "body", &[])?
    };
    let (html, mentioned) = effects::mentions::render_mentions(db, &body).await?;
    let now = now();
    let mut tx = db.begin().await?;
    let (id,): (PostId,) = sqlx::query_as(
        "INSERT INTO posts (author_id, space_id, profile_id, body_md, body_html, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(viewer.id)
    .bind(at.space)
    .bind(at.profile)
    .bind(&body)
    .bind(&html)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    // The space's last activity is set by the database with the activity (migration 0010).
    if let Some(files) = picture {
        images::store_in(&mut tx, Purpose::Post, id.0, files).await?;
    }
    // Known already, so not read back: each statement is a turn on SQLite's one writer. Nor
    // are old tags cleared: a new post has none.
    let url = match wall {
        WallOf::Space(slug) => wall_url(Some(slug), None, id),
        WallOf::Person(handle) => wall_url(None, Some(&profiles::normal_handle(handle)), id),
    };
    let tags = hashtags(&body);
    tags::add(&mut tx, id, &tags).await?;
    let doc = Doc::post(id, at.space, viewer.id, &url, &body, tags, now);
    let mut posted = Happened::new(viewer.id, Verb::Posted, Object::post(id))
        .at(place(&at))
        .index(Search::Doc(doc))
        .mentioning(mentioned, &url, &body);
    if at.profile.is_some() {
        // A person's wall hears of new posts on it, as a space's does from the feed's event.
        posted = posted.announce_activity_on(at.topic());
    }
    effects::apply(&mut tx, posted).await?;
    tx.commit().await?;
    Ok(id)
}

/// Comments on a post, or replies to a top-level comment (one level deep).
pub async fn comment(
    db: &Db,
    viewer: Viewer,
    post: PostId,
    parent: Option<CommentId>,
    body: &str,
) -> AppResult<CommentId> {
    let at = post_standing(db, viewer, post).await?;
    at.require_poster("comment")?;
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
    let (html, mentioned) = effects::mentions::render_mentions(db, &body).await?;
    let mut tx = db.begin().await?;
    let (id,): (CommentId,) = sqlx::query_as(
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
    let url = post_url(&mut tx, post).await?;
    // The post's author hears of comments; a comment's author, of replies to it.
    let (post_author,): (UserId,) = sqlx::query_as("SELECT author_id FROM posts WHERE id = $1")
        .bind(post)
        .fetch_one(&mut *tx)
        .await?;
    let parent_author: Option<(UserId,)> = match parent {
        Some(parent) => {
            sqlx::query_as("SELECT author_id FROM comments WHERE id = $1")
                .bind(parent)
                .fetch_optional(&mut *tx)
                .await?
        }
        None => None,
    };
    let mut commented = Happened::new(viewer.id, Verb::Commented, Object::comment(id))
        .at(place(&at))
        .announce(at.topic(), EventBody::PostChanged { post })
        .mentioning(mentioned, &url, &body);
    let mut told = vec![viewer.id];
    if let Some((author,)) = parent_author {
        told.push(author);
        commented = commented.notify(notice(author, NotificationKind::Reply, post, &url, &body));
    }
    if !told.contains(&post_author) {
        let n = notice(post_author, NotificationKind::Comment, post, &url, &body);
        commented = commented.notify(n);
    }
    effects::apply(&mut tx, commented).await?;
    tx.commit().await?;
    Ok(id)
}

/// Adds the viewer's reaction, or takes it back if it was there; returns whether it is there now.
pub async fn toggle_reaction(db: &Db, viewer: Viewer, post: PostId, kind: &str) -> AppResult<bool> {
    let kind = ReactionKind::parse(kind)
        .ok_or_else(|| AppError::BadRequest(format!("There is no reaction called {kind:?}.")))?;
    let at = post_standing(db, viewer, post).await?;
    at.require_poster("react")?;
    let mut tx = db.begin().await?;
    let added = reactions::toggle(&mut tx, reactions::On::Post, post.0, viewer.id, kind).await?;
    sqlx::query("UPDATE posts SET reaction_count = reaction_count + $1 WHERE id = $2")
        .bind(if added { 1_i64 } else { -1 })
        .bind(post)
        .execute(&mut *tx)
        .await?;
    let changed = EventBody::PostChanged { post };
    let happened = if added {
        let (author, text): (UserId, String) =
            sqlx::query_as("SELECT author_id, body_md FROM posts WHERE id = $1")
                .bind(post)
                .fetch_one(&mut *tx)
                .await?;
        let url = post_url(&mut tx, post).await?;
        Happened::new(viewer.id, Verb::Reacted, Object::post(post)).notify(notice(
            author,
            NotificationKind::Reaction,
            post,
            &url,
            &text,
        ))
    } else {
        Happened::unlogged(viewer.id)
    };
    effects::apply(
        &mut tx,
        happened.at(place(&at)).announce(at.topic(), changed),
    )
    .await?;
    tx.commit().await?;
    Ok(added)
}

/// Deletes a post: its author, the space's moderators, or a site admin.
pub async fn delete_post(db: &Db, viewer: Viewer, post: PostId) -> AppResult<()> {
    let at = post_standing(db, viewer, post).await?;
    let (author,): (UserId,) = sqlx::query_as("SELECT author_id FROM posts WHERE id = $1")
        .bind(post)
        .fetch_one(&db.pool)
        .await?;
    let allowed = viewer.is(author) || at.moderates;
    if !allowed {
        return Err(AppError::Forbidden);
    }
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM posts WHERE id = $1")
        .bind(post)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM images WHERE owner_kind = 'post' AND owner_id = $1")
        .bind(post)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM tags WHERE target_kind = 'post' AND target_id = $1")
        .bind(post)
        .execute(&mut *tx)
        .await?;
    let deleted = Happened::new(viewer.id, Verb::Deleted, Object::post(post))
        .at(place(&at))
        .index(Search::Remove(DocKind::Post, post.0));
    effects::apply(&mut tx, deleted).await?;
    tx.commit().await?;
    Ok(())
}

/// Edits a post's text (its author only); the post then shows as edited.
pub async fn edit_post(db: &Db, viewer: Viewer, post: PostId, body: &str) -> AppResult<()> {
    let at = post_standing(db, viewer, post).await?;
    at.require_poster("edit posts")?;
    let body = body_or_error(body, "body", &[("post_id", &post.to_string())])?;
    let (html, _) = effects::mentions::render_mentions(db, &body).await?;
    let mut tx = db.begin().await?;
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
    let url = post_url(&mut tx, post).await?;
    let tags = tags::tag_post(&mut tx, post, &body).await?;
    let edited = Happened::new(viewer.id, Verb::Edited, Object::post(post))
        .at(place(&at))
        .index(Search::Post { post, url, tags });
    effects::apply(&mut tx, edited).await?;
    tx.commit().await?;
    Ok(())
}

/// Pins a post to the top of its space's wall, or unpins it (space moderators).
pub async fn pin_post(db: &Db, viewer: Viewer, post: PostId, pinned: bool) -> AppResult<()> {
    let at = post_standing(db, viewer, post).await?;
    if at.space.is_none() {
        return Err(AppError::BadRequest(
            "Only posts on space walls can be pinned.".into(),
        ));
    }
    if !at.moderates {
        return Err(AppError::Forbidden);
    }
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE posts SET pinned_at = $1 WHERE id = $2")
        .bind(pinned.then(now))
        .bind(post)
        .execute(&mut *tx)
        .await?;
    let verb = if pinned { Verb::Pinned } else { Verb::Unpinned };
    let pin = Happened::new(viewer.id, verb, Object::post(post)).at(place(&at));
    effects::apply(&mut tx, pin).await?;
    tx.commit().await?;
    Ok(())
}
