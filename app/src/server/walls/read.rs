//! A wall's pages and one post's live state, as the viewer may see them.

use std::collections::HashMap;

use crate::domain::ids::{CommentId, PostId};
use crate::domain::post::picture_url;
use crate::domain::post::{CommentView, PostLive, PostView, ReactionCount, ReactionKind, WallPage};
use crate::error::{AppError, AppResult};
use crate::server::infra::cursor;
use crate::server::infra::db::Db;
use crate::server::infra::sql::Args;
use crate::server::policy::walls::{post_standing, wall_standing, WallOf, WallStanding};
use crate::server::policy::Who;
use crate::server::policy::{space_readable, Viewer};
use crate::server::walls::{PostRow, PAGE, POST_COLUMNS};

/// One page of a wall, newest first. `Forbidden` when a space is listed but its content is
/// for members; `NotFound` when the viewer may not know it exists.
pub async fn wall(db: &Db, viewer: Viewer, of: WallOf<'_>, before: &str) -> AppResult<WallPage> {
    let at = wall_standing(db, viewer, of).await?;
    if !at.readable {
        return Err(AppError::Forbidden);
    }
    let before = cursor::decode(before, 1)?
        .and_then(|k| k.first().copied())
        .unwrap_or(0);
    // The visibility check stays in the query even though the standing was checked above.
    let on_wall = |args: &mut Args<'_>| -> AppResult<String> {
        Ok(match (at.space, at.profile) {
            (Some(space), _) => {
                let space = args.add(space);
                let who = Who::viewer(args, viewer);
                // Tied to the space, not to each row, so the database checks it once a query.
                format!(
                    "p.space_id = {space} AND EXISTS (SELECT 1 FROM spaces s WHERE s.id = {space} AND {})",
                    space_readable("s", &who)
                )
            }
            // Every profile wall is readable by everyone signed in.
            (None, Some(owner)) => format!("p.profile_id = {}", args.add(owner)),
            (None, None) => return Err(AppError::NotFound),
        })
    };
    let mut rows: Vec<PostRow> = Vec::new();
    if before == 0 && at.space.is_some() {
        // Pinned posts head the first page of a space's wall.
        let mut args = Args::new();
        let filter = on_wall(&mut args)?;
        let limit = args.add(10_i64);
        let pinned = format!(
            "{POST_COLUMNS} WHERE {filter} AND p.pinned_at IS NOT NULL
             ORDER BY p.pinned_at DESC LIMIT {limit}"
        );
        rows = sqlx::query_as_with(&pinned, args)
            .fetch_all(&db.pool)
            .await?;
    }
    // The stream below is keyset-paged by id along the (wall, id) index, so page 5,000 costs
    // what page 1 does. No `OR` on the cursor: it would keep the index from bounding the scan.
    let mut args = Args::new();
    let filter = on_wall(&mut args)?;
    let after_cursor = match before {
        0 => String::new(),
        id => format!(" AND p.id < {}", args.add(id)),
    };
    let limit = args.add(PAGE + 1);
    let stream = format!(
        "{POST_COLUMNS} WHERE {filter} AND p.pinned_at IS NULL{after_cursor}
         ORDER BY p.id DESC LIMIT {limit}"
    );
    let mut page: Vec<PostRow> = sqlx::query_as_with(&stream, args)
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
    at: &WallStanding,
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
                let shown = comments.remove(&id).unwrap_or_default();
                PostView {
                    picture: picture_url(PostId(id), picture),
                    id: PostId(id),
                    author_handle: handle.unwrap_or_else(|| format!("user{author_id}")),
                    author,
                    body_html,
                    body_md: (viewer.is(author_id)).then_some(body_md),
                    created_at,
                    edited: edited_at.is_some(),
                    pinned: pinned_at.is_some(),
                    can_pin: at.moderates && at.space.is_some(),
                    reactions: reactions.remove(&id).unwrap_or_else(|| counts(&[])),
                    comments: shown.comments,
                    earlier_comments: shown.earlier,
                    can_delete: at.moderates || viewer.is(author_id),
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
    let mut args = Args::new();
    let me = args.add(viewer.id);
    let sql = format!(
        "SELECT post_id, kind, COUNT(*), SUM(CASE WHEN user_id = {me} THEN 1 ELSE 0 END)
         FROM reactions WHERE post_id IN ({}) GROUP BY post_id, kind",
        args.list(posts.iter().copied())
    );
    let rows: Vec<(i64, String, i64, i64)> =
        sqlx::query_as_with(&sql, args).fetch_all(&db.pool).await?;
    let mut by_post: HashMap<i64, Vec<(ReactionKind, i64, bool)>> = HashMap::new();
    for (post, kind, count, mine) in rows {
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

/// The most comments shown with a post: its latest, with the comments they answer.
pub const MOST_COMMENTS_SHOWN: i64 = 100;

/// The comments shown with each post, oldest first, and how many earlier ones are not.
#[derive(Debug, Default)]
struct Shown {
    comments: Vec<CommentView>,
    earlier: i64,
}

/// The latest [`MOST_COMMENTS_SHOWN`] comments of each of `posts`, with the comments the
/// replies among them answer, so no reply loses its thread.
async fn comments_of(db: &Db, posts: &[i64]) -> AppResult<HashMap<i64, Shown>> {
    if posts.is_empty() {
        return Ok(HashMap::new());
    }
    const COLUMNS: &str =
        "c.id, c.post_id, c.parent_id, u.display_name, u.handle, c.body_html, c.created_at";
    let mut args = Args::new();
    let sql = format!(
        "SELECT id, post_id, parent_id, display_name, handle, body_html, created_at, total FROM (
             SELECT {COLUMNS},
                    ROW_NUMBER() OVER (PARTITION BY c.post_id ORDER BY c.id DESC) AS place,
                    COUNT(*) OVER (PARTITION BY c.post_id) AS total
             FROM comments c JOIN users u ON u.id = c.author_id
             WHERE c.post_id IN ({})) latest
         WHERE place <= {MOST_COMMENTS_SHOWN} ORDER BY id",
        args.list(posts.iter().copied())
    );
    type Row = (i64, i64, Option<i64>, String, Option<String>, String, i64);
    type WithTotal = (
        i64,
        i64,
        Option<i64>,
        String,
        Option<String>,
        String,
        i64,
        i64,
    );
    let rows: Vec<WithTotal> = sqlx::query_as_with(&sql, args).fetch_all(&db.pool).await?;
    let totals: HashMap<i64, i64> = rows.iter().map(|r| (r.1, r.7)).collect();
    let loaded: std::collections::HashSet<i64> = rows.iter().map(|r| r.0).collect();
    let mut missing: Vec<i64> = rows
        .iter()
        .filter_map(|r| r.2)
        .filter(|p| !loaded.contains(p))
        .collect();
    missing.sort_unstable();
    missing.dedup();
    let mut all: Vec<Row> = rows
        .into_iter()
        .map(|(id, post, parent, name, handle, html, at, _)| {
            (id, post, parent, name, handle, html, at)
        })
        .collect();
    if !missing.is_empty() {
        let mut args = Args::new();
        let sql = format!(
            "SELECT {COLUMNS} FROM comments c JOIN users u ON u.id = c.author_id
             WHERE c.id IN ({})",
            args.list(missing.into_iter())
        );
        let parents: Vec<Row> = sqlx::query_as_with(&sql, args).fetch_all(&db.pool).await?;
        all.extend(parents);
        all.sort_unstable_by_key(|r| r.0);
    }
    let mut by_post: HashMap<i64, Shown> = HashMap::new();
    for (id, post, parent_id, author, handle, body_html, created_at) in all {
        by_post.entry(post).or_default().comments.push(CommentView {
            id: CommentId(id),
            parent_id: parent_id.map(CommentId),
            author,
            author_handle: handle.unwrap_or_default(),
            body_html,
            created_at,
        });
    }
    for (post, shown) in by_post.iter_mut() {
        shown.earlier = totals.get(post).copied().unwrap_or(0) - shown.comments.len() as i64;
    }
    Ok(by_post)
}

/// A post's reactions and comments as the viewer sees them now: what a wall refreshes when it
/// hears the post changed.
pub async fn post_live(db: &Db, viewer: Viewer, post: PostId) -> AppResult<PostLive> {
    post_standing(db, viewer, post).await?;
    let post = post.0;
    let ids = [post];
    let mut reactions = reactions_of(db, viewer, &ids).await?;
    let mut comments = comments_of(db, &ids).await?;
    let shown = comments.remove(&post).unwrap_or_default();
    Ok(PostLive {
        reactions: reactions.remove(&post).unwrap_or_else(|| counts(&[])),
        comments: shown.comments,
        earlier_comments: shown.earlier,
    })
}

/// One post as the viewer sees it on its wall: what a wall shows when it hears of a new post.
pub async fn one_post(db: &Db, viewer: Viewer, post: PostId) -> AppResult<PostView> {
    let at = post_standing(db, viewer, post).await?;
    let sql = format!("{POST_COLUMNS} WHERE p.id = $1");
    let rows: Vec<PostRow> = sqlx::query_as(&sql).bind(post).fetch_all(&db.pool).await?;
    views(db, viewer, &at, rows)
        .await?
        .pop()
        .ok_or(AppError::NotFound)
}
