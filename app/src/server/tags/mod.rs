//! Free tags (folksonomy) as stored: on posts (their `#hashtags`), threads, questions,
//! articles, playlists and courses, spaces and people's skills and expertise. The tag page and
//! suggestions while typing are in [`page`].

mod page;

pub use page::{page, suggest};

use sqlx::AnyConnection;

use crate::domain::discussion::hashtags;
use crate::domain::ids::{CourseId, PlaylistId, PostId, SpaceId, TopicId};
use crate::error::AppResult;
use crate::server::infra::db::Db;
use crate::server::infra::sql::rows_of;

/// The kinds of thing a tag is on, as `tags.target_kind` stores them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagKind {
    Post,
    Topic,
    Course,
    Space,
    Playlist,
}

impl TagKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TagKind::Post => "post",
            TagKind::Topic => "topic",
            TagKind::Course => "course",
            TagKind::Space => "space",
            TagKind::Playlist => "playlist",
        }
    }
}

/// One tagged thing: its kind and id, made from the thing's id (`PostId`, `TopicId`, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tagged(TagKind, i64);

macro_rules! tagged {
    ($($id:ty => $kind:ident),+ $(,)?) => {$(
        impl From<$id> for Tagged {
            fn from(id: $id) -> Tagged {
                Tagged(TagKind::$kind, id.0)
            }
        }
    )+};
}

tagged! {
    PostId => Post,
    TopicId => Topic,
    CourseId => Course,
    SpaceId => Space,
    PlaylistId => Playlist,
}

/// Replaces the tags of one thing with `tags`.
pub async fn replace(
    conn: &mut AnyConnection,
    target: impl Into<Tagged>,
    tags: &[String],
) -> AppResult<()> {
    let Tagged(kind, id) = target.into();
    sqlx::query("DELETE FROM tags WHERE target_kind = $1 AND target_id = $2")
        .bind(kind.as_str())
        .bind(id)
        .execute(&mut *conn)
        .await?;
    add(conn, Tagged(kind, id), tags).await
}

/// Adds `tags` to one thing that has none yet, in one statement.
pub async fn add(
    conn: &mut AnyConnection,
    target: impl Into<Tagged>,
    tags: &[String],
) -> AppResult<()> {
    if tags.is_empty() {
        return Ok(());
    }
    let Tagged(kind, id) = target.into();
    let rows = rows_of(3, tags.len(), |tag| format!("($1, $2, {tag})"));
    let sql = format!("INSERT INTO tags (target_kind, target_id, tag) VALUES {rows}");
    let mut query = sqlx::query(&sql).bind(kind.as_str()).bind(id);
    for tag in tags {
        query = query.bind(tag);
    }
    query.execute(&mut *conn).await?;
    Ok(())
}

/// The tags of each of `targets`, things of one `kind`: (target, tag), by tag.
pub async fn of(db: &Db, kind: TagKind, targets: &[i64]) -> AppResult<Vec<(i64, String)>> {
    if targets.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT target_id, tag FROM tags WHERE target_kind = $1 AND target_id IN ({}) ORDER BY tag",
        crate::server::infra::sql::placeholders(2, targets.len())
    );
    let mut query = sqlx::query_as::<_, (i64, String)>(&sql).bind(kind.as_str());
    for id in targets {
        query = query.bind(id);
    }
    Ok(query.fetch_all(&db.pool).await?)
}

/// The tags of one thing, by tag, inside the caller's connection or transaction.
pub async fn of_in(conn: &mut AnyConnection, target: impl Into<Tagged>) -> AppResult<Vec<String>> {
    let Tagged(kind, id) = target.into();
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT tag FROM tags WHERE target_kind = $1 AND target_id = $2 ORDER BY tag",
    )
    .bind(kind.as_str())
    .bind(id)
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|(t,)| t).collect())
}

/// Replaces the tags of a post with the `#hashtags` in its text; returns them.
pub async fn tag_post(
    conn: &mut AnyConnection,
    post: PostId,
    body: &str,
) -> AppResult<Vec<String>> {
    let tags = hashtags(body);
    replace(conn, post, &tags).await?;
    Ok(tags)
}
