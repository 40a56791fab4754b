//! Space walls: posts, comments and reactions. Reading checks visibility in the query; writing
//! needs membership of the space.

use std::collections::HashMap;

use super::access::{placeholders, space_listed, space_readable, Viewer};
use super::activity::{self, Activity};
use super::cursor;
use super::db::{now, Db};
use super::events;
use super::images::{self, Purpose};
use super::notifications::{self, Notice};
use super::profiles::{self, Mentioned};
use super::reactions;
use super::search;
use crate::domain::notification::NotificationKind;
use crate::domain::post::picture_url;
use crate::domain::post::{
    CommentView, PostBody, PostLive, PostView, ReactionCount, ReactionKind, WallPage,
};
use crate::domain::realtime::{topic, EventBody};
use crate::domain::space::SpaceRole;
use crate::error::{AppError, AppResult, FormErrors, FORM};
use sqlx::AnyConnection;

const PAGE: i64 = 20;

/// id, author name, author handle, html, markdown, created, edited, author id, pinned,
/// picture version.
type PostRow = (
    i64,
    String,
    Option<String>,
    String,
    String,
    i64,
    Option<i64>,
    i64,
    Option<i64>,
    Option<i64>,
);

/// The columns of a [`PostRow`], with the tables they come from.
const POST_COLUMNS: &str =
    "SELECT p.id, u.display_name, u.handle, p.body_html, p.body_md, p.created_at,
                                   p.edited_at, p.author_id, p.pinned_at, p.picture_version
                            FROM posts p JOIN users u ON u.id = p.author_id";

/// Which wall: a space's (by slug) or a person's (by handle).
#[derive(Debug, Clone, Copy)]
pub enum WallOf<'a> {
    Space(&'a str),
    Person(&'a str),
}

/// Where the viewer stands on the wall a post is on.
struct Standing {
    space: Option<i64>,
    profile: Option<i64>,
    archived: bool,
    /// The viewer may read the wall (public space, member, site admin; every profile wall).
    readable: bool,
    /// The viewer may post, comment and react (space members; everyone on profile walls).
    may_post: bool,
    /// The viewer may delete others' posts (space moderators, the profile's owner, admins).
    moderates: bool,
}

impl Standing {
    fn in_space(
        viewer: Viewer,
        space: i64,
        role: Option<SpaceRole>,
        archived: bool,
        readable: bool,
    ) -> Self {
        Standing {
            space: Some(space),
            profile: None,
            archived,
            readable,
            may_post: role.is_some(),
            moderates: role.is_some_and(SpaceRole::moderates) || viewer.admin,
        }
    }

    /// Every signed-in person may read and write on a profile wall; its owner moderates it.
    fn on_profile(viewer: Viewer, owner: i64) -> Self {
        Standing {
            space: None,
            profile: Some(owner),
            archived: false,
            readable: true,
            may_post: true,
            moderates: owner == viewer.id || viewer.admin,
        }
    }

    /// The topic of the wall the viewer stands on.
    fn topic(&self) -> String {
        match (self.space, self.profile) {
            (Some(space), _) => topic::space(space),
            (None, Some(owner)) => topic::profile(owner),
            (None, None) => String::new(),
        }
    }

    /// Space members (and anyone on a profile wall) post, comment and react; archived spaces
    /// are read-only.
    fn require_poster(&self, what: &str) -> AppResult<()> {
        if !self.may_post {
            return Err(AppError::Forbidden);
        }
        if self.archived {
            let msg = format!("This space is archived, so you cannot {what} here.");
            return Err(AppError::Conflict(FormErrors::single(FORM, msg)));
        }
        Ok(())
    }
}

async fn standing_on(db: &Db, viewer: Viewer, wall: WallOf<'_>) -> AppResult<Standing> {
    match wall {
        WallOf::Space(slug) => standing_in_space(db, viewer, slug).await,
        WallOf::Person(handle) => Ok(Standing::on_profile(
            viewer,
            profiles::id_of(db, handle).await?,
        )),
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
    let row: Option<(i64, Option<i64>, Option<String>, i64)> = sqlx::query_as(&sql)
        .bind(slug)
        .bind(viewer.id)
        .bind(viewer.admin_flag())
        .fetch_optional(&db.pool)
        .await?;
    let (space, archived, role, readable) = row.ok_or(AppError::NotFound)?;
    let role = role.as_deref().and_then(SpaceRole::parse);
    Ok(Standing::in_space(
        viewer,
        space,
        role,
        archived.is_some(),
        readable == 1,
    ))
}

/// The standing on the wall a post is on, if the viewer may read that wall; `NotFound`
/// otherwise, so guessed ids reveal nothing.
async fn standing_for_post(db: &Db, viewer: Viewer, post: i64) -> AppResult<Standing> {
    let sql = format!(
        "SELECT p.space_id, p.profile_id, s.archived_at, m.role,
                CASE WHEN p.space_id IS NULL OR {} THEN 1 ELSE 0 END
         FROM posts p LEFT JOIN spaces s ON s.id = p.space_id
         LEFT JOIN space_members m ON m.space_id = p.space_id AND m.user_id = $2
         WHERE p.id = $1",
        space_readable("s", 2, 3)
    );
    type Row = (Option<i64>, Option<i64>, Option<i64>, Option<String>, i64);
    let row: Option<Row> = sqlx::query_as(&sql)
        .bind(post)
        .bind(viewer.id)
        .bind(viewer.admin_flag())
        .fetch_optional(&db.pool)
        .await?;
    match row {
        Some((Some(space), _, archived, role, 1)) => {
            let role = role.as_deref().and_then(SpaceRole::parse);
            Ok(Standing::in_space(
                viewer,
                space,
                role,
                archived.is_some(),
                true,
            ))
        }
        Some((None, Some(owner), _, _, 1)) => Ok(Standing::on_profile(viewer, owner)),
        _ => Err(AppError::NotFound),
    }
}

/// The checked body, or a field error that keeps what was typed and where it was typed (the
/// post a comment form belongs to), so the page shows it under the right form.
fn body_or_error(raw: &str, field: &str, context: &[(&str, &str)]) -> AppResult<String> {
    PostBody::check(raw).map_err(|m| {
        let kept = FormErrors::single(field, m).keep(field, raw);
        AppError::Validation(context.iter().fold(kept, |e, (k, v)| e.keep(k, v)))
    })
}

/// Adds what was typed in the post form to a validation error, so nothing is lost.
pub fn keep_typed(e: AppError, body: &str) -> AppError {
    match e {
        AppError::Validation(f) => AppError::Validation(f.keep("body", body)),
        other => other,
    }
}

/// Whether the viewer may read the post (and so its picture); `NotFound` otherwise.
pub async fn require_readable(db: &Db, viewer: Viewer, post: i64) -> AppResult<()> {
    standing_for_post(db, viewer, post).await.map(|_| ())
}

/// Posts on a space's or a person's wall, with a picture prepared by [`super::images`] if
/// given (the text may then be empty); returns the new post's id.
pub async fn post(
    db: &Db,
    viewer: Viewer,
    wall: WallOf<'_>,
    body: &str,
    picture: Option<Vec<(u32, Vec<u8>)>>,
) -> AppResult<i64> {
    let at = standing_on(db, viewer, wall).await?;
    at.require_poster("post")?;
    let body = if picture.is_some() && body.trim().is_empty() {
        String::new()
    } else {
        body_or_error(body, "body", &[])?
    };
    let (html, mentioned) = profiles::render_mentions(db, &body).await?;
    let now = now();
    let mut tx = db.begin().await?;
    let (id,): (i64,) = sqlx::query_as(
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
        images::store_in(&mut tx, Purpose::Post, id, files).await?;
    }
    let posted = Activity::on_post(viewer.id, "posted", id, at.space, at.profile);
    let activity = activity::record(&mut tx, posted).await?;
    if at.profile.is_some() {
        let body = EventBody::Activity {
            activity,
            actor: viewer.id,
            verb: "posted".into(),
            object: id,
        };
        events::emit(&mut tx, &at.topic(), &body).await?;
    }
    // Known already, so not read back: each statement is a turn on SQLite's one writer.
    let url = match wall {
        WallOf::Space(slug) => wall_url(Some(slug), None, id),
        WallOf::Person(handle) => wall_url(None, Some(&profiles::normal_handle(handle)), id),
    };
    let new = search::NewPost {
        id,
        space: at.space,
        author: viewer.id,
        body: &body,
        created_at: now,
    };
    search::index_new_post(&mut tx, new, &url).await?;
    let about = Mentioned {
        url: &url,
        context: &body,
    };
    profiles::record_mentions(&mut tx, viewer.id, &mentioned, at.space, about).await?;
    tx.commit().await?;
    Ok(id)
}

/// One page of a wall, newest first. `Forbidden` when a space is listed but its content is
/// for members; `NotFound` when the viewer may not know it exists.
pub async fn wall(db: &Db, viewer: Viewer, of: WallOf<'_>, before: &str) -> AppResult<WallPage> {
    let at = standing_on(db, viewer, of).await?;
    if !at.readable {
        return Err(AppError::Forbidden);
    }
    let before = cursor::decode(before, 1)?
        .and_then(|k| k.first().copied())
        .unwrap_or(0);
    let columns = POST_COLUMNS;
    // The visibility check stays in the query even though the standing was checked above.
    let (wall_id, filter) = match (at.space, at.profile) {
        (Some(space), _) => (
            space,
            // Tied to `$1`, not to each row, so the database checks it once per query.
            format!(
                "p.space_id = $1 AND EXISTS (SELECT 1 FROM spaces s WHERE s.id = $1 AND {})",
                space_readable("s", 4, 5)
            ),
        ),
        // Every profile wall is readable by everyone signed in. `$4`/`$5` still appear because
        // PostgreSQL refuses parameters a statement does not use, and both queries bind them.
        (None, Some(owner)) => (owner, "p.profile_id = $1 AND $4 > 0 AND $5 >= 0".to_owned()),
        (None, None) => return Err(AppError::NotFound),
    };
    let mut rows: Vec<PostRow> = Vec::new();
    if before == 0 && at.space.is_some() {
        // Pinned posts head the first page of a space's wall.
        let pinned = format!(
            "{columns} WHERE {filter} AND p.pinned_at IS NOT NULL AND $2 = 0
             ORDER BY p.pinned_at DESC LIMIT $3"
        );
        rows = sqlx::query_as(&pinned)
            .bind(wall_id)
            .bind(before)
            .bind(10_i64)
            .bind(viewer.id)
            .bind(viewer.admin_flag())
            .fetch_all(&db.pool)
            .await?;
    }
    // The stream below is keyset-paged by id along the (wall, id) index, so page 5,000 costs
    // what page 1 does. No `OR` on the cursor: it would keep the index from bounding the scan.
    let after_cursor = if before == 0 { "$2 = 0" } else { "p.id < $2" };
    let stream = format!(
        "{columns} WHERE {filter} AND p.pinned_at IS NULL AND {after_cursor}
         ORDER BY p.id DESC LIMIT $3"
    );
    let mut page: Vec<PostRow> = sqlx::query_as(&stream)
        .bind(wall_id)
        .bind(before)
        .bind(PAGE + 1)
        .bind(viewer.id)
        .bind(viewer.admin_flag())
        .fetch_all(&db.pool)
        .await?;
    let next = (page.len() as i64 > PAGE).then(|| {
        page.truncate(PAGE as usize);
        page.last().map(|r| cursor::encode(&[r.0]))
    });
    rows.extend(page);
    let posts = views(db, viewer, &at, rows).await?;
    Ok(WallPage {
        posts,
        next: next.flatten(),
        can_post: at.may_post && !at.archived,
        topic: at.topic(),
    })
}

/// The posts of `rows` as the viewer sees them, with their reactions and comments.
async fn views(
    db: &Db,
    viewer: Viewer,
    at: &Standing,
    rows: Vec<PostRow>,
) -> AppResult<Vec<PostView>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let mut reactions = reactions_of(db, viewer, &ids).await?;
    let mut comments = comments_of(db, &ids).await?;
    let posts = rows
        .into_iter()
        .map(
            |(
                id,
                author,
                handle,
                body_html,
                body_md,
                created_at,
                edited_at,
                author_id,
                pinned_at,
                picture,
            )| {
                PostView {
                    picture: picture_url(id, picture),
                    id,
                    author_handle: handle.unwrap_or_else(|| format!("user{author_id}")),
                    author,
                    body_html,
                    body_md: (author_id == viewer.id).then_some(body_md),
                    created_at,
                    edited: edited_at.is_some(),
                    pinned: pinned_at.is_some(),
                    can_pin: at.moderates && at.space.is_some(),
                    reactions: reactions.remove(&id).unwrap_or_else(|| counts(&[])),
                    comments: comments.remove(&id).unwrap_or_default(),
                    can_delete: at.moderates || author_id == viewer.id,
                }
            },
        )
        .collect();
    Ok(posts)
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
        "SELECT c.id, c.post_id, c.parent_id, u.display_name, u.handle, c.body_html, c.created_at
         FROM comments c JOIN users u ON u.id = c.author_id
         WHERE c.post_id IN ({}) ORDER BY c.id",
        placeholders(1, posts.len())
    );
    type Row = (i64, i64, Option<i64>, String, Option<String>, String, i64);
    let mut q = sqlx::query_as::<_, Row>(&sql);
    for id in posts {
        q = q.bind(*id);
    }
    let mut by_post: HashMap<i64, Vec<CommentView>> = HashMap::new();
    for (id, post, parent_id, author, handle, body_html, created_at) in
        q.fetch_all(&db.pool).await?
    {
        by_post.entry(post).or_default().push(CommentView {
            id,
            parent_id,
            author,
            author_handle: handle.unwrap_or_default(),
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
    let (html, mentioned) = profiles::render_mentions(db, &body).await?;
    let mut tx = db.begin().await?;
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
        space: at.space,
        wall: at.profile,
    };
    activity::record(&mut tx, commented).await?;
    let url = post_url(&mut tx, post).await?;
    let about = Mentioned {
        url: &url,
        context: &body,
    };
    profiles::record_mentions(&mut tx, viewer.id, &mentioned, at.space, about).await?;
    // The post's author hears of comments; a comment's author, of replies to it.
    let (post_author,): (i64,) = sqlx::query_as("SELECT author_id FROM posts WHERE id = $1")
        .bind(post)
        .fetch_one(&mut *tx)
        .await?;
    let parent_author: Option<(i64,)> = match parent {
        Some(parent) => {
            sqlx::query_as("SELECT author_id FROM comments WHERE id = $1")
                .bind(parent)
                .fetch_optional(&mut *tx)
                .await?
        }
        None => None,
    };
    let mut told = vec![viewer.id];
    if let Some((author,)) = parent_author {
        told.push(author);
        let n = notice(
            author,
            NotificationKind::Reply,
            viewer.id,
            post,
            &url,
            &body,
        );
        notifications::notify(&mut tx, n).await?;
    }
    if !told.contains(&post_author) {
        let n = notice(
            post_author,
            NotificationKind::Comment,
            viewer.id,
            post,
            &url,
            &body,
        );
        notifications::notify(&mut tx, n).await?;
    }
    let changed = EventBody::PostChanged { post };
    events::emit(&mut tx, &at.topic(), &changed).await?;
    tx.commit().await?;
    Ok(id)
}

/// Adds the viewer's reaction, or takes it back if it was there; returns whether it is there now.
pub async fn toggle_reaction(db: &Db, viewer: Viewer, post: i64, kind: &str) -> AppResult<bool> {
    let kind = ReactionKind::parse(kind)
        .ok_or_else(|| AppError::BadRequest(format!("There is no reaction called {kind:?}.")))?;
    let at = standing_for_post(db, viewer, post).await?;
    at.require_poster("react")?;
    let mut tx = db.begin().await?;
    let added = reactions::toggle(&mut tx, reactions::On::Post, post, viewer.id, kind).await?;
    if added {
        let reacted = Activity::on_post(viewer.id, "reacted", post, at.space, at.profile);
        activity::record(&mut tx, reacted).await?;
        let (author, text): (i64, String) =
            sqlx::query_as("SELECT author_id, body_md FROM posts WHERE id = $1")
                .bind(post)
                .fetch_one(&mut *tx)
                .await?;
        let url = post_url(&mut tx, post).await?;
        let n = notice(
            author,
            NotificationKind::Reaction,
            viewer.id,
            post,
            &url,
            &text,
        );
        notifications::notify(&mut tx, n).await?;
    }
    sqlx::query("UPDATE posts SET reaction_count = reaction_count + $1 WHERE id = $2")
        .bind(if added { 1_i64 } else { -1 })
        .bind(post)
        .execute(&mut *tx)
        .await?;
    let changed = EventBody::PostChanged { post };
    events::emit(&mut tx, &at.topic(), &changed).await?;
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
    let allowed = author == viewer.id || at.moderates;
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
    super::search::remove(&mut tx, "post", post).await?;
    sqlx::query("DELETE FROM tags WHERE target_kind = 'post' AND target_id = $1")
        .bind(post)
        .execute(&mut *tx)
        .await?;
    let deleted = Activity::on_post(viewer.id, "deleted", post, at.space, at.profile);
    activity::record(&mut tx, deleted).await?;
    tx.commit().await?;
    Ok(())
}

/// Edits a post's text (its author only); the post then shows as edited.
pub async fn edit_post(db: &Db, viewer: Viewer, post: i64, body: &str) -> AppResult<()> {
    let at = standing_for_post(db, viewer, post).await?;
    at.require_poster("edit posts")?;
    let body = body_or_error(body, "body", &[("post_id", &post.to_string())])?;
    let (html, _) = profiles::render_mentions(db, &body).await?;
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
    super::search::index_post(&mut tx, post, &url).await?;
    let edited = Activity::on_post(viewer.id, "edited", post, at.space, at.profile);
    activity::record(&mut tx, edited).await?;
    tx.commit().await?;
    Ok(())
}

/// Pins a post to the top of its space's wall, or unpins it (space moderators).
pub async fn pin_post(db: &Db, viewer: Viewer, post: i64, pinned: bool) -> AppResult<()> {
    let at = standing_for_post(db, viewer, post).await?;
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
    let verb = if pinned { "pinned" } else { "unpinned" };
    let pin = Activity::on_post(viewer.id, verb, post, at.space, at.profile);
    activity::record(&mut tx, pin).await?;
    tx.commit().await?;
    Ok(())
}

/// Where a post is shown: on its space's wall or its person's, at its anchor.
pub async fn post_url(conn: &mut AnyConnection, post: i64) -> AppResult<String> {
    let (slug, handle): (Option<String>, Option<String>) = sqlx::query_as(
        "SELECT s.slug, u.handle FROM posts p
         LEFT JOIN spaces s ON s.id = p.space_id LEFT JOIN users u ON u.id = p.profile_id
         WHERE p.id = $1",
    )
    .bind(post)
    .fetch_one(&mut *conn)
    .await?;
    Ok(wall_url(slug.as_deref(), handle.as_deref(), post))
}

/// The address of a post on a space's wall (by slug) or a person's (by handle).
fn wall_url(slug: Option<&str>, handle: Option<&str>, post: i64) -> String {
    match (slug, handle) {
        (Some(slug), _) => format!("/s/{slug}#post-{post}"),
        (None, Some(handle)) => format!("/u/{handle}#post-{post}"),
        (None, None) => "/".to_owned(),
    }
}

fn notice(
    user: i64,
    kind: NotificationKind,
    actor: i64,
    post: i64,
    url: &str,
    context: &str,
) -> Notice {
    Notice {
        user,
        kind,
        actor,
        object: format!("post:{post}"),
        url: url.to_owned(),
        context: context.to_owned(),
    }
}

/// A post's reactions and comments as the viewer sees them now: what a wall refreshes when it
/// hears the post changed.
pub async fn post_live(db: &Db, viewer: Viewer, post: i64) -> AppResult<PostLive> {
    standing_for_post(db, viewer, post).await?;
    let ids = [post];
    let mut reactions = reactions_of(db, viewer, &ids).await?;
    let mut comments = comments_of(db, &ids).await?;
    Ok(PostLive {
        reactions: reactions.remove(&post).unwrap_or_else(|| counts(&[])),
        comments: comments.remove(&post).unwrap_or_default(),
    })
}

/// One post as the viewer sees it on its wall: what a wall shows when it hears of a new post.
pub async fn one_post(db: &Db, viewer: Viewer, post: i64) -> AppResult<PostView> {
    let at = standing_for_post(db, viewer, post).await?;
    let sql = format!("{POST_COLUMNS} WHERE p.id = $1");
    let rows: Vec<PostRow> = sqlx::query_as(&sql).bind(post).fetch_all(&db.pool).await?;
    views(db, viewer, &at, rows)
        .await?
        .pop()
        .ok_or(AppError::NotFound)
}
