//! Forum threads, Ask-the-Expert questions and blog articles ("topics"): starting, reading
//! (with unread markers), editing, deleting, watching and moderating them. Replies, Q&A and
//! lists are in the submodules; blogs' own rules in [`super::blogs`]. Who may see a topic is
//! decided in every query, as for walls.

mod list;
mod qa;
mod replies;

pub use list::{list, ListQuery};
pub use qa::{accept, appoint, expert_forum, queue, reputation, reputation_of, similar, vote};
pub use replies::{delete_reply, edit_reply, reply};

use std::collections::HashMap;

use sqlx::AnyConnection;

use super::access::{space_listed, space_readable, Viewer};
use super::activity::{self, Activity};
use super::db::{now, Db};
use super::events;
use super::notifications::{self, Notice};
use super::profiles::{self, Mentioned};
use super::reactions;
use super::search::{self, Doc};
use crate::domain::discussion::{
    check_title, ArticleStatus, Category, ReplyView, TopicKind, TopicView,
};
use crate::domain::feed::Link;
use crate::domain::notification::NotificationKind;
use crate::domain::post::{PostBody, ReactionCount, ReactionKind};
use crate::domain::profile::Tags;
use crate::domain::realtime::{topic as rt, EventBody};
use crate::domain::space::SpaceRole;
use crate::error::{AppError, AppResult, FormErrors, FORM};

/// Where the viewer stands on one topic.
pub(crate) struct Standing {
    pub kind: TopicKind,
    pub space: Option<i64>,
    /// The person whose blog an article is on.
    pub blog_of: Option<i64>,
    pub author: i64,
    pub title: String,
    pub status: ArticleStatus,
    pub locked: bool,
    pub accepted: Option<i64>,
    /// The viewer may reply, answer or comment.
    pub may_reply: bool,
    /// Space moderators and site admins; for an article on a person's blog, its owner.
    pub moderates: bool,
}

impl Standing {
    /// The author and the moderators edit and delete a topic.
    pub fn may_change(&self, viewer: Viewer) -> bool {
        self.author == viewer.id || self.moderates
    }
}

/// The topic if the viewer may read it; `NotFound` otherwise, so guessed ids reveal nothing.
/// Drafts and scheduled articles are their author's only; a viewer with id 0 (signed out)
/// reads public articles only.
pub(crate) async fn standing(db: &Db, viewer: Viewer, topic: i64) -> AppResult<Standing> {
    let sql = format!(
        "SELECT t.kind, t.space_id, t.author_id, t.title, t.locked_at, t.accepted_reply_id,
                m.role, s.archived_at, t.status, t.blog_of
         FROM topics t LEFT JOIN spaces s ON s.id = t.space_id
         LEFT JOIN space_members m ON m.space_id = t.space_id AND m.user_id = $2
         WHERE t.id = $1 AND (t.status = 'published' OR t.author_id = $2)
           AND ($2 <> 0 OR (t.public = 1 AND t.status = 'published'))
           AND (t.space_id IS NULL OR {})",
        space_readable("s", 2, 3)
    );
    type Row = (
        String,
        Option<i64>,
        i64,
        String,
        Option<i64>,
        Option<i64>,
        Option<String>,
        Option<i64>,
        String,
        Option<i64>,
    );
    let row: Option<Row> = sqlx::query_as(&sql)
        .bind(topic)
        .bind(viewer.id)
        .bind(viewer.admin_flag())
        .fetch_optional(&db.pool)
        .await?;
    let (kind, space, author, title, locked, accepted, role, archived, status, blog_of) =
        row.ok_or(AppError::NotFound)?;
    let role = role.as_deref().and_then(SpaceRole::parse);
    let moderates = viewer.admin
        || role.is_some_and(SpaceRole::moderates)
        || (blog_of.is_some() && blog_of == Some(viewer.id));
    let member = viewer.id != 0 && (space.is_none() || role.is_some());
    let status = ArticleStatus::parse(&status).unwrap_or(ArticleStatus::Published);
    Ok(Standing {
        kind: TopicKind::parse(&kind).unwrap_or(TopicKind::Thread),
        space,
        blog_of,
        author,
        title,
        status,
        locked: locked.is_some(),
        accepted,
        may_reply: member
            && archived.is_none()
            && status == ArticleStatus::Published
            && (locked.is_none() || moderates),
        moderates,
    })
}

/// Whether the viewer may read the topic.
pub async fn readable(db: &Db, viewer: Viewer, topic: i64) -> AppResult<bool> {
    match standing(db, viewer, topic).await {
        Ok(_) => Ok(true),
        Err(AppError::NotFound) => Ok(false),
        Err(e) => Err(e),
    }
}

/// The realtime topic of one thread, question or article: its replies and votes.
pub fn live_topic(topic: i64) -> String {
    rt::thread(topic)
}

/// Announces that a topic's replies, votes or state changed, in the caller's transaction.
pub(crate) async fn announce(conn: &mut AnyConnection, topic: i64, actor: i64) -> AppResult<()> {
    let body = EventBody::TopicChanged { topic, actor };
    events::emit(conn, &live_topic(topic), &body).await
}

/// What a new thread or question carries, as typed.
pub struct NewTopic {
    pub kind: TopicKind,
    /// The space's address; empty for the site-wide forum and Q&A.
    pub space: String,
    /// A forum category's id (threads), or empty.
    pub category: String,
    pub title: String,
    pub body: String,
    pub tags: String,
}

impl NewTopic {
    fn invalid(&self, errors: Vec<(&'static str, String)>) -> AppError {
        let mut f = FormErrors::new();
        for (field, message) in errors {
            f.add(field, message);
        }
        AppError::Validation(
            f.keep("title", &self.title)
                .keep("body", &self.body)
                .keep("tags", &self.tags)
                .keep("space", &self.space)
                .keep("category", &self.category),
        )
    }
}

/// The space (by its address) the viewer may post in: `Ok(None)` for site-wide, an error
/// message for the `space` field otherwise.
pub(crate) async fn space_to_post_in(
    db: &Db,
    viewer: Viewer,
    space: &str,
) -> AppResult<Result<Option<i64>, String>> {
    let slug = space.trim().trim_start_matches("/s/").to_owned();
    if slug.is_empty() {
        return Ok(Ok(None));
    }
    let sql = format!(
        "SELECT s.id, m.role, s.archived_at FROM spaces s
         LEFT JOIN space_members m ON m.space_id = s.id AND m.user_id = $2
         WHERE s.slug = $1 AND {}",
        space_listed("s", 2, 3)
    );
    let row: Option<(i64, Option<String>, Option<i64>)> = sqlx::query_as(&sql)
        .bind(&slug)
        .bind(viewer.id)
        .bind(viewer.admin_flag())
        .fetch_optional(&db.pool)
        .await?;
    Ok(match row {
        None => Err(format!("There is no space at /s/{slug}.")),
        Some((_, None, _)) => Err("Join the space first to post in it.".into()),
        Some((_, _, Some(_))) => Err("That space is archived.".into()),
        Some((id, Some(_), None)) => Ok(Some(id)),
    })
}

/// Starts a thread or asks a question; returns its id. Questions are routed to the experts
/// of their tags who may read them.
pub async fn create(db: &Db, viewer: Viewer, input: NewTopic) -> AppResult<i64> {
    let mut errors = Vec::new();
    let title = check_title(&input.title)
        .map_err(|m| errors.push(("title", m)))
        .unwrap_or_default();
    let body = PostBody::check(&input.body)
        .map_err(|m| errors.push(("body", m)))
        .unwrap_or_default();
    let tags = Tags::parse(&input.tags)
        .map_err(|m| errors.push(("tags", m)))
        .unwrap_or_default();
    if input.kind == TopicKind::Question && tags.is_empty() && errors.is_empty() {
        errors.push((
            "tags",
            "Give at least one topic, so the right experts see the question.".into(),
        ));
    }
    let space = match space_to_post_in(db, viewer, &input.space).await? {
        Ok(space) => space,
        Err(m) => {
            errors.push(("space", m));
            None
        }
    };
    let category = match input.category.trim() {
        "" => None,
        c => match c.parse::<i64>() {
            Ok(id) if super::forums::in_forum(db, id, space).await? => Some(id),
            _ => {
                errors.push(("category", "Choose one of this forum's categories.".into()));
                None
            }
        },
    };
    if !errors.is_empty() {
        return Err(input.invalid(errors));
    }
    if input.kind == TopicKind::Article {
        return Err(AppError::BadRequest(
            "Articles are written on a blog.".into(),
        ));
    }
    let (html, mentioned) = profiles::render_mentions(db, &body).await?;
    let now = now();
    let mut tx = db.begin().await?;
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO topics (kind, space_id, category_id, author_id, title, body_md, body_html,
                             published_at, created_at, last_activity_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $8) RETURNING id",
    )
    .bind(input.kind.as_str())
    .bind(space)
    .bind(category)
    .bind(viewer.id)
    .bind(&title)
    .bind(&body)
    .bind(&html)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    set_tags(&mut tx, id, &tags).await?;
    index(&mut tx, id).await?;
    // The author follows what they start.
    sqlx::query(
        "INSERT INTO topic_readers (topic_id, user_id, level, last_read_id) VALUES ($1, $2, 'watching', 0)",
    )
    .bind(id)
    .bind(viewer.id)
    .execute(&mut *tx)
    .await?;
    let act = Activity {
        actor: viewer.id,
        verb: input.kind.created_verb(),
        object_type: "topic",
        object_id: id,
        space,
        wall: None,
    };
    activity::record(&mut tx, act).await?;
    let url = format!("/t/{id}");
    if input.kind == TopicKind::Question {
        for expert in qa::experts_for(&mut tx, &tags, space).await? {
            if expert == viewer.id {
                continue;
            }
            let notice = Notice {
                user: expert,
                kind: NotificationKind::Question,
                actor: viewer.id,
                object: format!("topic:{id}"),
                url: url.clone(),
                context: title.clone(),
            };
            notifications::notify(&mut tx, notice).await?;
        }
    }
    let about = Mentioned {
        url: &url,
        context: &title,
    };
    profiles::record_mentions(&mut tx, viewer.id, &mentioned, space, about).await?;
    tx.commit().await?;
    Ok(id)
}

/// Replaces a topic's tags.
pub(crate) async fn set_tags(
    conn: &mut AnyConnection,
    topic: i64,
    tags: &[String],
) -> AppResult<()> {
    super::tags::replace(conn, "topic", topic, tags).await
}

/// A topic's tags, in order.
pub(crate) async fn tags_of(conn: &mut AnyConnection, topic: i64) -> AppResult<Vec<String>> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT tag FROM tags WHERE target_kind = 'topic' AND target_id = $1 ORDER BY tag",
    )
    .bind(topic)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.into_iter().map(|(t,)| t).collect())
}

/// (Re)writes the search documents of a topic and of its replies from their rows: a draft
/// or scheduled article is not findable; a published one from its publication time.
pub(crate) async fn index(conn: &mut AnyConnection, topic: i64) -> AppResult<()> {
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
        return search::remove(conn, kind.as_str(), topic).await;
    }
    let tags = tags_of(conn, topic).await?;
    let url = format!("/t/{topic}");
    search::upsert(
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

pub(crate) fn person_link(name: String, handle: Option<String>, id: i64) -> Link {
    Link {
        text: name,
        href: format!("/u/{}", handle.unwrap_or_else(|| format!("user{id}"))),
    }
}

/// The topic with its replies as the viewer may see them; marks it read.
pub async fn view(db: &Db, viewer: Viewer, id: i64) -> AppResult<TopicView> {
    let at = standing(db, viewer, id).await?;
    type Row = (
        String,
        String,
        String,
        i64,
        String,
        Option<String>,
        i64,
        Option<i64>,
        Option<i64>,
        Option<String>,
        Option<String>,
        i64,
        Option<i64>,
        Option<i64>,
        i64,
    );
    let row: Row = sqlx::query_as(
        "SELECT t.title, t.body_md, t.body_html, t.author_id, u.display_name, u.handle,
                t.published_at, t.edited_at, t.pinned_at, s.slug, s.name, t.last_reply_id,
                t.category_id, t.cover_version, t.public
         FROM topics t JOIN users u ON u.id = t.author_id
         LEFT JOIN spaces s ON s.id = t.space_id WHERE t.id = $1",
    )
    .bind(id)
    .fetch_one(&db.pool)
    .await?;
    let (title, body_md, body_html, author_id, author, handle, published_at, edited, pinned) = (
        row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7, row.8,
    );
    let (slug, space_name, last_reply, category_id, cover, public) =
        (row.9, row.10, row.11, row.12, row.13, row.14);
    let mut conn = db.pool.acquire().await?;
    let tags = tags_of(&mut conn, id).await?;
    drop(conn);
    let reader: Option<(String, i64)> = sqlx::query_as(
        "SELECT level, last_read_id FROM topic_readers WHERE topic_id = $1 AND user_id = $2",
    )
    .bind(id)
    .bind(viewer.id)
    .fetch_optional(&db.pool)
    .await?;
    let opened_before = reader.is_some();
    let (level, last_read) = reader.unwrap_or_else(|| ("normal".into(), 0));
    let rows = replies::rows(db, viewer, id).await?;
    let mut people: Vec<i64> = rows.iter().map(|r| r.author_id).collect();
    people.push(author_id);
    people.sort_unstable();
    people.dedup();
    let reputation = reputation_of(db, &people).await?;
    let experts = qa::experts_among(db, &people, &tags, at.space).await?;
    let names: HashMap<i64, String> = rows.iter().map(|r| (r.id, r.name.clone())).collect();
    let mut replies: Vec<ReplyView> = rows
        .into_iter()
        .map(|r| ReplyView {
            id: r.id,
            author_reputation: reputation.get(&r.author_id).copied().unwrap_or(0),
            expert: experts.contains(&r.author_id),
            parent_author: r.parent_id.and_then(|p| names.get(&p).cloned()),
            accepted: at.accepted == Some(r.id),
            unread: viewer.id != 0 && r.id > last_read && r.author_id != viewer.id,
            mine: r.author_id == viewer.id,
            may_delete: r.author_id == viewer.id || at.moderates,
            edited: r.edited_at.is_some(),
            author: person_link(r.name, r.handle, r.author_id),
            body_html: r.body_html,
            body_md: r.body_md,
            parent_id: r.parent_id,
            score: r.score,
            my_vote: r.vote.unwrap_or(0),
            at: r.created_at,
        })
        .collect();
    if at.kind == TopicKind::Question {
        // The accepted answer first, then the best voted, then the oldest.
        replies.sort_by_key(|r| (!r.accepted, -r.score, r.id));
    }
    if viewer.id != 0 && (last_reply > last_read || !opened_before) {
        sqlx::query(
            "INSERT INTO topic_readers (topic_id, user_id, level, last_read_id)
             VALUES ($1, $2, 'normal', $3)
             ON CONFLICT (topic_id, user_id) DO UPDATE SET last_read_id = excluded.last_read_id",
        )
        .bind(id)
        .bind(viewer.id)
        .bind(last_reply)
        .execute(&db.pool)
        .await?;
    }
    let forum = if at.kind == TopicKind::Thread {
        super::forums::categories_of(db, at.space).await?
    } else {
        Vec::new()
    };
    let category: Option<Category> =
        category_id.and_then(|c| forum.iter().find(|x| x.id == c).cloned());
    let blog = match (at.kind, at.blog_of, &slug, &space_name) {
        (TopicKind::Article, Some(_), _, _) => Some(Link {
            text: format!("{author}'s blog"),
            href: format!("/u/{}/blog", handle.clone().unwrap_or_default()),
        }),
        (TopicKind::Article, None, Some(slug), Some(name)) => Some(Link {
            text: format!("Blog of {name}"),
            href: format!("/s/{slug}/blog"),
        }),
        _ => None,
    };
    let reactions = reactions_of(db, viewer, id).await?;
    let may_change = at.may_change(viewer);
    Ok(TopicView {
        id,
        kind: at.kind,
        title,
        body_html,
        body_md,
        author_reputation: reputation.get(&author_id).copied().unwrap_or(0),
        author: person_link(author, handle, author_id),
        space: slug.zip(space_name).map(|(slug, name)| Link {
            text: name,
            href: format!("/s/{slug}"),
        }),
        blog,
        category,
        categories: if at.moderates { forum } else { Vec::new() },
        tags,
        status: at.status,
        published_at,
        edited: edited.is_some(),
        pinned: pinned.is_some(),
        locked: at.locked,
        solved: at.accepted.is_some(),
        public: public == 1,
        cover_url: cover.map(|v| crate::domain::discussion::article_cover_url(id, 1200, v)),
        reactions,
        replies,
        may_reply: at.may_reply,
        moderates: at.moderates,
        is_author: author_id == viewer.id,
        may_edit: may_change && viewer.id != 0,
        signed_in: viewer.id != 0,
        level,
    })
}

/// The reactions on a topic (articles), with whether the viewer gave each.
async fn reactions_of(db: &Db, viewer: Viewer, topic: i64) -> AppResult<Vec<ReactionCount>> {
    let rows: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT kind, COUNT(*), SUM(CASE WHEN user_id = $2 THEN 1 ELSE 0 END)
         FROM topic_reactions WHERE topic_id = $1 GROUP BY kind",
    )
    .bind(topic)
    .bind(viewer.id)
    .fetch_all(&db.pool)
    .await?;
    Ok(ReactionKind::ALL
        .into_iter()
        .map(|kind| {
            let found = rows.iter().find(|r| r.0 == kind.as_str());
            ReactionCount {
                kind,
                count: found.map_or(0, |r| r.1),
                mine: found.is_some_and(|r| r.2 > 0),
            }
        })
        .collect())
}

/// Adds the viewer's reaction to an article, or takes it back; returns whether it is there.
pub async fn react(db: &Db, viewer: Viewer, topic: i64, kind: &str) -> AppResult<bool> {
    let kind = ReactionKind::parse(kind)
        .ok_or_else(|| AppError::BadRequest(format!("There is no reaction called {kind:?}.")))?;
    let at = standing(db, viewer, topic).await?;
    if !at.may_reply {
        return Err(AppError::Forbidden);
    }
    let mut tx = db.begin().await?;
    let added = reactions::toggle(&mut tx, reactions::On::Topic, topic, viewer.id, kind).await?;
    if added && at.author != viewer.id {
        let notice = Notice {
            user: at.author,
            kind: NotificationKind::Reaction,
            actor: viewer.id,
            object: format!("topic:{topic}"),
            url: format!("/t/{topic}"),
            context: at.title.clone(),
        };
        notifications::notify(&mut tx, notice).await?;
    }
    announce(&mut tx, topic, viewer.id).await?;
    tx.commit().await?;
    Ok(added)
}

/// What an edit of a thread or question changes.
pub struct TopicEdit {
    pub title: String,
    pub body: String,
    pub tags: String,
}

/// Edits a thread's or question's title, text and tags: its author or a moderator.
pub async fn edit(db: &Db, viewer: Viewer, id: i64, input: TopicEdit) -> AppResult<()> {
    let at = standing(db, viewer, id).await?;
    if !at.may_change(viewer) {
        return Err(AppError::Forbidden);
    }
    if at.kind == TopicKind::Article {
        return Err(AppError::BadRequest(
            "Articles are edited on their blog.".into(),
        ));
    }
    let mut f = FormErrors::new();
    let title = check_title(&input.title)
        .map_err(|m| f.add("title", m))
        .unwrap_or_default();
    let body = PostBody::check(&input.body)
        .map_err(|m| f.add("body", m))
        .unwrap_or_default();
    let tags = Tags::parse(&input.tags)
        .map_err(|m| f.add("tags", m))
        .unwrap_or_default();
    if at.kind == TopicKind::Question && tags.is_empty() && f.is_empty() {
        f.add(
            "tags",
            "Give at least one topic, so the right experts see the question.",
        );
    }
    if !f.is_empty() {
        return Err(AppError::Validation(
            f.keep("title", &input.title)
                .keep("body", &input.body)
                .keep("tags", &input.tags),
        ));
    }
    let (html, _) = profiles::render_mentions(db, &body).await?;
    let mut tx = db.begin().await?;
    sqlx::query(
        "UPDATE topics SET title = $1, body_md = $2, body_html = $3, edited_at = $4 WHERE id = $5",
    )
    .bind(&title)
    .bind(&body)
    .bind(&html)
    .bind(now())
    .bind(id)
    .execute(&mut *tx)
    .await?;
    set_tags(&mut tx, id, &tags).await?;
    index(&mut tx, id).await?;
    announce(&mut tx, id, viewer.id).await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes a topic with its replies: its author or a moderator. Returns where its list is.
pub async fn delete(db: &Db, viewer: Viewer, id: i64) -> AppResult<String> {
    let at = standing(db, viewer, id).await?;
    if !at.may_change(viewer) {
        return Err(AppError::Forbidden);
    }
    let back = back_to(db, &at).await?;
    let mut tx = db.begin().await?;
    sqlx::query(
        "DELETE FROM search_docs WHERE (kind = $1 AND ref_id = $2)
            OR (kind = $3 AND ref_id IN (SELECT id FROM replies WHERE topic_id = $2))",
    )
    .bind(at.kind.as_str())
    .bind(id)
    .bind(at.kind.reply_doc_kind())
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM tags WHERE target_kind = 'topic' AND target_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM images WHERE owner_kind = 'article' AND owner_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM topics WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    announce(&mut tx, id, viewer.id).await?;
    tx.commit().await?;
    Ok(back)
}

/// The list a topic belongs to: its forum, the questions, or its blog.
async fn back_to(db: &Db, at: &Standing) -> AppResult<String> {
    let slug = match at.space {
        Some(space) => {
            let (slug,): (String,) = sqlx::query_as("SELECT slug FROM spaces WHERE id = $1")
                .bind(space)
                .fetch_one(&db.pool)
                .await?;
            Some(slug)
        }
        None => None,
    };
    Ok(match (at.kind, slug, at.blog_of) {
        (TopicKind::Question, _, _) => "/questions".to_owned(),
        (TopicKind::Thread, Some(slug), _) => format!("/s/{slug}/forum"),
        (TopicKind::Thread, None, _) => "/forum".to_owned(),
        (TopicKind::Article, Some(slug), _) => format!("/s/{slug}/blog"),
        (TopicKind::Article, None, Some(owner)) => {
            let (handle,): (Option<String>,) =
                sqlx::query_as("SELECT handle FROM users WHERE id = $1")
                    .bind(owner)
                    .fetch_one(&db.pool)
                    .await?;
            format!("/u/{}/blog", handle.unwrap_or_default())
        }
        (TopicKind::Article, None, None) => "/".to_owned(),
    })
}

/// Watches (every reply notifies), mutes (nothing does) or resets a topic for the viewer.
pub async fn set_level(db: &Db, viewer: Viewer, topic: i64, level: &str) -> AppResult<()> {
    standing(db, viewer, topic).await?;
    if !matches!(level, "normal" | "watching" | "muted") {
        let msg = "Choose watching, normal or muted.".to_owned();
        return Err(AppError::Validation(FormErrors::single("level", msg)));
    }
    sqlx::query(
        "INSERT INTO topic_readers (topic_id, user_id, level, last_read_id) VALUES ($1, $2, $3, 0)
         ON CONFLICT (topic_id, user_id) DO UPDATE SET level = excluded.level",
    )
    .bind(topic)
    .bind(viewer.id)
    .bind(level)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Pins, unpins, locks or unlocks a topic (the space's moderators; site admins).
pub async fn moderate(db: &Db, viewer: Viewer, topic: i64, action: &str) -> AppResult<()> {
    let at = standing(db, viewer, topic).await?;
    if !at.moderates {
        return Err(AppError::Forbidden);
    }
    let sql = match action {
        "pin" => "UPDATE topics SET pinned_at = $1 WHERE id = $2",
        "unpin" => "UPDATE topics SET pinned_at = NULL WHERE id = $2 AND $1 > 0",
        "lock" => "UPDATE topics SET locked_at = $1 WHERE id = $2",
        "unlock" => "UPDATE topics SET locked_at = NULL WHERE id = $2 AND $1 > 0",
        _ => {
            let msg = "Unknown action.".to_owned();
            return Err(AppError::Validation(FormErrors::single("action", msg)));
        }
    };
    let mut tx = db.begin().await?;
    sqlx::query(sql)
        .bind(now())
        .bind(topic)
        .execute(&mut *tx)
        .await?;
    announce(&mut tx, topic, viewer.id).await?;
    tx.commit().await?;
    Ok(())
}

/// Moves a thread to another category of its forum, or out of any (`None`): moderators.
pub async fn move_to(db: &Db, viewer: Viewer, topic: i64, category: Option<i64>) -> AppResult<()> {
    let at = standing(db, viewer, topic).await?;
    if !at.moderates {
        return Err(AppError::Forbidden);
    }
    if at.kind != TopicKind::Thread {
        let msg = "Only forum threads have categories.".to_owned();
        return Err(AppError::Conflict(FormErrors::single(FORM, msg)));
    }
    if let Some(c) = category {
        if !super::forums::in_forum(db, c, at.space).await? {
            let msg = "Choose one of this forum's categories.".to_owned();
            return Err(AppError::Validation(FormErrors::single("category", msg)));
        }
    }
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE topics SET category_id = $1 WHERE id = $2")
        .bind(category)
        .bind(topic)
        .execute(&mut *tx)
        .await?;
    announce(&mut tx, topic, viewer.id).await?;
    tx.commit().await?;
    Ok(())
}
