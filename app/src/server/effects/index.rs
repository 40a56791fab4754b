//! Search documents: written in the transaction that changes what they describe, so the index
//! never lags behind or runs ahead of what it finds.

use sqlx::AnyConnection;

use crate::domain::discussion::{hashtags, TopicKind};
use crate::error::AppResult;

/// One searchable thing.
pub struct Doc<'a> {
    pub kind: &'a str,
    pub ref_id: i64,
    /// The space whose readers may find it; `None`: everyone signed in.
    pub space: Option<i64>,
    pub author: Option<i64>,
    pub url: &'a str,
    pub title: &'a str,
    pub body: &'a str,
    pub tags: &'a [String],
    pub created_at: i64,
    /// Hidden until then (scheduled articles).
    pub visible_from: i64,
}

/// Writes or replaces the document of `(kind, ref_id)`.
pub async fn upsert(conn: &mut AnyConnection, d: Doc<'_>) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO search_docs (kind, ref_id, space_id, author_id, url, title, body, tags,
                                  created_at, visible_from)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (kind, ref_id) DO UPDATE SET space_id = excluded.space_id,
             author_id = excluded.author_id, url = excluded.url, title = excluded.title,
             body = excluded.body, tags = excluded.tags, visible_from = excluded.visible_from",
    )
    .bind(d.kind)
    .bind(d.ref_id)
    .bind(d.space)
    .bind(d.author)
    .bind(d.url)
    .bind(d.title)
    .bind(d.body)
    .bind(d.tags.join(" "))
    .bind(d.created_at)
    .bind(d.visible_from)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Removes the document of `(kind, ref_id)`.
pub async fn remove(conn: &mut AnyConnection, kind: &str, ref_id: i64) -> AppResult<()> {
    sqlx::query("DELETE FROM search_docs WHERE kind = $1 AND ref_id = $2")
        .bind(kind)
        .bind(ref_id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// (Re)indexes a wall post from its row.
pub async fn index_post(conn: &mut AnyConnection, post: i64, url: &str) -> AppResult<()> {
    let (space, author, body, created_at): (Option<i64>, i64, String, i64) =
        sqlx::query_as("SELECT space_id, author_id, body_md, created_at FROM posts WHERE id = $1")
            .bind(post)
            .fetch_one(&mut *conn)
            .await?;
    let tags = crate::server::tags::tag_post(conn, post, &body).await?;
    let row = NewPost {
        id: post,
        space,
        author,
        body: &body,
        created_at,
    };
    upsert(conn, row.doc(url, &tags)).await
}

/// A wall post just written, as its writer knows it.
pub struct NewPost<'a> {
    pub id: i64,
    pub space: Option<i64>,
    pub author: i64,
    pub body: &'a str,
    pub created_at: i64,
}

impl<'a> NewPost<'a> {
    fn doc(&self, url: &'a str, tags: &'a [String]) -> Doc<'a> {
        Doc {
            kind: "post",
            ref_id: self.id,
            space: self.space,
            author: Some(self.author),
            url,
            title: "",
            body: self.body,
            tags,
            created_at: self.created_at,
            visible_from: 0,
        }
    }
}

/// Indexes a post written in the caller's transaction, with its tags, from what the writer
/// knows: without reading the post back or clearing tags it cannot have yet.
pub async fn index_new_post(
    conn: &mut AnyConnection,
    post: NewPost<'_>,
    url: &str,
) -> AppResult<()> {
    let tags = hashtags(post.body);
    crate::server::tags::add(conn, "post", post.id, &tags).await?;
    upsert(conn, post.doc(url, &tags)).await
}

/// (Re)indexes a person: name, job, department, location, bio, skills and expertise.
pub async fn index_person(conn: &mut AnyConnection, user: i64) -> AppResult<()> {
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
    let tags: Vec<String> = tags.into_iter().map(|(t,)| t).collect();
    let handle = handle.unwrap_or_else(|| format!("user{user}"));
    let body = format!("{job} · {dept} · {location} · {bio}");
    upsert(
        conn,
        Doc {
            kind: "person",
            ref_id: user,
            space: None,
            author: Some(user),
            url: &format!("/u/{handle}"),
            title: &name,
            body: &body,
            tags: &tags,
            created_at: created,
            visible_from: 0,
        },
    )
    .await
}

/// (Re)indexes a space: name, description, tags.
pub async fn index_space(conn: &mut AnyConnection, space: i64) -> AppResult<()> {
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
    let tags: Vec<String> = tags.into_iter().map(|(t,)| t).collect();
    upsert(
        conn,
        Doc {
            kind: "space",
            ref_id: space,
            space: Some(space),
            author: None,
            url: &format!("/s/{slug}"),
            title: &name,
            body: &description,
            tags: &tags,
            created_at: created,
            visible_from: 0,
        },
    )
    .await
}

/// (Re)writes the search documents of a topic and of its replies from their rows: a draft
/// or scheduled article is not findable; a published one from its publication time.
pub async fn index_topic(conn: &mut AnyConnection, topic: i64) -> AppResult<()> {
    type Row = (String, Option<i64>, i64, String, String, String, i64, i64);
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
        .bind(kind.reply_doc_kind())
        .bind(topic)
        .execute(&mut *conn)
        .await?;
        return remove(conn, kind.as_str(), topic).await;
    }
    let tags = crate::server::tags::topic_tags(conn, topic).await?;
    let url = format!("/t/{topic}");
    upsert(
        conn,
        Doc {
            kind: kind.as_str(),
            ref_id: topic,
            space,
            author: Some(author),
            url: &url,
            title: &title,
            body: &body,
            tags: &tags,
            created_at: created,
            visible_from: published,
        },
    )
    .await?;
    // Replies carry their topic's title and tags, and are found while it is.
    sqlx::query(
        "UPDATE search_docs SET title = $1, tags = $2, space_id = $3, visible_from = $6
         WHERE kind = $4 AND ref_id IN (SELECT id FROM replies WHERE topic_id = $5)",
    )
    .bind(&title)
    .bind(tags.join(" "))
    .bind(space)
    .bind(kind.reply_doc_kind())
    .bind(topic)
    .bind(published)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
