//! Walls: every space and every person has one, with posts, comments and reactions. Reading
//! checks visibility in the query; writing needs membership of the space. Pages are read in
//! [`read`], changes made in [`write`]; who may do what is [`crate::server::policy::walls`].

mod read;
mod write;

pub use crate::server::policy::walls::{require_post_readable, WallOf};
pub use read::{one_post, post_live, wall};
pub use write::{comment, delete_post, edit_post, pin_post, post, toggle_reaction};

use crate::domain::ids::{PostId, UserId};
use crate::domain::notification::NotificationKind;
use crate::domain::post::PostBody;
use crate::error::{AppError, AppResult, FormErrors};
use crate::server::effects::notify::Notice;
use sqlx::AnyConnection;

pub(crate) const PAGE: i64 = 20;

/// id, author name, author handle, html, markdown, created, edited, author id, pinned,
/// picture version.
pub(crate) type PostRow = (
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

/// The checked body, or a field error that keeps what was typed and where it was typed (the
/// post a comment form belongs to), so the page shows it under the right form.
pub(crate) fn body_or_error(raw: &str, field: &str, context: &[(&str, &str)]) -> AppResult<String> {
    PostBody::check(raw).map_err(|m| {
        let kept = FormErrors::single(field, m).keep(field, raw);
        AppError::Validation(context.iter().fold(kept, |e, (k, v)| e.keep(k, v)))
    })
}

/// Adds what was typed in the post form to an error that carries a form, so nothing is lost.
pub fn keep_typed(e: AppError, body: &str) -> AppError {
    e.keeping("body", body)
}

/// Where a post is shown: on its space's wall or its person's, at its anchor.
pub async fn post_url(conn: &mut AnyConnection, post: PostId) -> AppResult<String> {
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
pub(crate) fn wall_url(slug: Option<&str>, handle: Option<&str>, post: PostId) -> String {
    match (slug, handle) {
        (Some(slug), _) => format!("/s/{slug}#post-{post}"),
        (None, Some(handle)) => format!("/u/{handle}#post-{post}"),
        (None, None) => "/".to_owned(),
    }
}

/// A notice about post `post`, folded with others about it.
pub(crate) fn notice(
    user: UserId,
    kind: NotificationKind,
    post: PostId,
    url: &str,
    context: &str,
) -> Notice {
    Notice::new(user, kind, format!("post:{post}"), url, context)
}
