//! Search documents: written in the transaction that changes what they describe, so the index
//! never lags behind or runs ahead of what it finds.

use sqlx::AnyConnection;

use crate::domain::activity::DocKind;
use crate::domain::discussion::TopicKind;
use crate::domain::ids::{PostId, SpaceId, TopicId, UserId};
use crate::error::AppResult;
use crate::server::tags;

/// How a search document changes.
#[derive(Debug, Clone)]
pub enum Search {
    /// Written, or replaced, as given.
    Doc(Doc),
    /// Removed.
    Remove(DocKind, i64),
    /// Only its text changes (an edited reply keeps its topic's title and tags).
    Body {
        kind: DocKind,
        ref_id: i64,
        body: String,
    },
    /// A wall post's, from its row, with the tags it now has.
    Post {
        post: PostId,
        url: String,
        tags: Vec<String>,
    },
    /// A person's, from their row: name, job, department, location, bio, skills, expertise.
    Person(UserId),
    /// A space's, from its row: name, description, tags.
    Space(SpaceId),
    /// A topic's and its replies', from their rows: a draft or scheduled article is not
    /// findable; a published one from its publication time.
    Topic(TopicId),
    /// A topic's and its replies', removed.
    TopicRemoved(TopicKind, TopicId),
}

/// One searchable thing.
#[derive(Debug, Clone)]
pub struct Doc {
    pub kind: DocKind,
    pub ref_id: i64,
    /// The space whose readers may find it; `None`: everyone signed in.
    pub space: Option<SpaceId>,
    pub author: Option<UserId>,
    pub url: String,
    pub title: String,
    pub body: String,
    pub tags: Vec<String>,
    pub created_at: i64,
    /// Hidden until then (scheduled articles).
    pub visible_from: i64,
}

impl Doc {
    /// A wall post's document.
    pub fn post(
        post: PostId,
        space: Option<SpaceId>,
        author: UserId,
        url: &str,
        body: &str,
        tags: Vec<String>,
        created_at: i64,
    ) -> Doc {
        Doc {
            kind: DocKind::Post,
            ref_id: post.0,
            space,
            author: Some(author),
            url: url.to_owned(),
            title: String::new(),
            body: body.to_owned(),
            tags,
            created_at,
            visible_from: 0,
        }
    }
}

/// Applies one change, in the caller's transaction.
pub async fn apply(conn: &mut AnyConnection, change: Search) -> AppResult<()> {
    match change {
        Search::Doc(d) => upsert(conn, &d).await,
        Search::Remove(kind, id) => remove(conn, kind, id).await,
        Search::Body { kind, ref_id, body } => {
            sqlx::query("UPDATE search_docs SET body = $1 WHERE kind = $2 AND ref_id = $3")
                .bind(body)
                .bind(kind.as_str())
                .bind(ref_id)
                .execute(&mut *conn)
                .await?;
            Ok(())
        }
        Search::Post { post, url, tags } => {
            type Row = (Option<SpaceId>, UserId, String, i64);
            let (space, author, body, created_at): Row = sqlx::query_as(
                "SELECT space_id, author_id, body_md, created_at FROM posts WHERE id = $1",
            )
            .bind(post)
            .fetch_one(&mut *conn)
            .await?;
            let doc = Doc::post(post, space, author, &url, &body, tags, created_at);
            upsert(conn, &doc).await
        }
        Search::Person(user) => person(conn, user).await,
        Search::Space(space) => space_doc(conn, space).await,
        Search::Topic(topic) => topic_docs(conn, topic).await,
        Search::TopicRemoved(kind, topic) => {
            sqlx::query(
                "DELETE FROM search_docs WHERE (kind = $1 AND ref_id = $2)
                    OR (kind = $3 AND ref_id IN (SELECT id FROM replies WHERE topic_id = $2))",
            )
            .bind(kind.doc_kind().as_str())
            .bind(topic)
            .bind(kind.reply_doc_kind().as_str())
            .execute(&mut *conn)
            .await?;
            Ok(())
        }
    }
}

/// Writes or replaces the document of `(kind, ref_id)`.
async fn upsert(conn: &mut AnyConnection, d: &Doc) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO search_docs (kind, ref_id, space_id, author_id, url, title, body, tags,
                                  created_at, visible_from)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (kind, ref_id) DO UPDATE SET space_id = excluded.space_id,
             author_id = excluded.author_id, url = excluded.url, title = excluded.title,
             body = excluded.body, tags = excluded.tags, visible_from = excluded.visible_from",
    )
    .bind(d.kind.as_str())
    .bind(d.ref_id)
    .bind(d.space)
    .bind(d.author)
    .bind(&d.url)
    .bind(&d.title)
    .bind(&d.body)
    .bind(d.tags.join(" "))
    .bind(d.created_at)
    .bind(d.visible_from)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Removes the document of `(kind, ref_id)`.
async fn remove(conn: &mut AnyConnection, kind: DocKind, ref_id: i64) -> AppResult<()> {
    sqlx::query("DELETE FROM search_docs WHERE kind = $1 AND ref_id = $2")
        .bind(kind.as_str())
        .bind(ref_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// (Re)indexes a person (also the seeder's way, outside any write of its own).
pub async fn person(conn: &mut AnyConnection, user: UserId) -> AppResult<()> {
    type Row = (String, Option<String>, String, String, String, String, i64);
    let (name, handle, job, dept, location, bio, created): Row = sqlx::query_as(
        "SELECT display_name, handle, job_title, department, location, bio_md, created_at
         FROM users WHERE id = $1",
    )
    .bind(user)
    .fetch_one(&mut *conn)
    .await?;
    let tags: Vec<(String,)> =
        sqlx::query_as("SELECT tag FROM user_tags WHERE user_id = $1 ORDER BY kind, tag")
            .bind(user)
            .fetch_all(&mut *conn)
            .await?;
    let handle = handle.unwrap_or_else(|| format!("user{user}"));
    let doc = Doc {
        kind: DocKind::Person,
        ref_id: user.0,
        space: None,
        author: Some(user),
        url: format!("/u/{handle}"),
        title: name,
        body: format!("{job} · {dept} · {location} · {bio}"),
        tags: tags.into_iter().map(|(t,)| t).collect(),
        created_at: created,
        visible_from: 0,
    };
    upsert(conn, &doc).await
}

/// (Re)indexes a space (also the seeder's way, outside any write of its own).
pub async fn space_doc(conn: &mut AnyConnection, space: SpaceId) -> AppResult<()> {
    let (slug, name, description, created): (String, String, String, i64) =
        sqlx::query_as("SELECT slug, name, description, created_at FROM spaces WHERE id = $1")
            .bind(space)
            .fetch_one(&mut *conn)
            .await?;
    let tags: Vec<(String,)> =
        sqlx::query_as("SELECT tag FROM space_tags WHERE space_id = $1 ORDER BY tag")
            .bind(space)
            .fetch_all(&mut *conn)
            .await?;
    let doc = Doc {
        kind: DocKind::Space,
        ref_id: space.0,
        space: Some(space),
        author: None,
        url: format!("/s/{slug}"),
        title: name,
        body: description,
        tags: tags.into_iter().map(|(t,)| t).collect(),
        created_at: created,
        visible_from: 0,
    };
    upsert(conn, &doc).await
}

/// (Re)writes the documents of a topic and of its replies from their rows.
async fn topic_docs(conn: &mut AnyConnection, topic: TopicId) -> AppResult<()> {
    type Row = (
        String,
        Option<SpaceId>,
        UserId,
        String,
        String,
        String,
        i64,
        i64,
    );
    let (kind, space, author, title, body, status, published, created): Row = sqlx::query_as(
        "SELECT kind, space_id, author_id, title, body_md, status, published_at, created_at
         FROM topics WHERE id = $1",
    )
    .bind(topic)
    .fetch_one(&mut *conn)
    .await?;
    let kind = TopicKind::parse(&kind).unwrap_or(TopicKind::Thread);
    if status != "published" {
        // An article taken back to draft hides its comments too, until it is out again.
        sqlx::query(
            "UPDATE search_docs SET visible_from = $1
             WHERE kind = $2 AND ref_id IN (SELECT id FROM replies WHERE topic_id = $3)",
        )
        .bind(i64::MAX)
        .bind(kind.reply_doc_kind().as_str())
        .bind(topic)
        .execute(&mut *conn)
        .await?;
        return remove(conn, kind.doc_kind(), topic.0).await;
    }
    let tags = tags::of_in(conn, topic).await?;
    let doc = Doc {
        kind: kind.doc_kind(),
        ref_id: topic.0,
        space,
        author: Some(author),
        url: format!("/t/{topic}"),
        title: title.clone(),
        body,
        tags: tags.clone(),
        created_at: created,
        visible_from: published,
    };
    upsert(conn, &doc).await?;
    // Replies carry their topic's title and tags, and are found while it is.
    sqlx::query(
        "UPDATE search_docs SET title = $1, tags = $2, space_id = $3, visible_from = $6
         WHERE kind = $4 AND ref_id IN (SELECT id FROM replies WHERE topic_id = $5)",
    )
    .bind(&title)
    .bind(tags.join(" "))
    .bind(space)
    .bind(kind.reply_doc_kind().as_str())
    .bind(topic)
    .bind(published)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
