//! Starting, editing, deleting, reacting to, watching and moderating topics.

use crate::domain::discussion::{check_title, TopicKind};
use crate::domain::ids::{CategoryId, TopicId};
use crate::domain::notification::NotificationKind;
use crate::domain::post::{PostBody, ReactionKind};
use crate::domain::profile::Tags;
use crate::error::{AppError, AppResult, FormErrors, FORM};
use crate::server::effects::{self, Happened, Notice, Object, Search};
use crate::server::forums::categories::in_forum;
use crate::server::infra::db::{now, Db};
use crate::server::policy::topics::{space_to_post_in, topic_standing, TopicStanding};
use crate::server::policy::Viewer;
use crate::server::reactions;
use crate::server::topics::experts::experts_for;
use crate::server::topics::{announced, changed, set_tags};

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

/// Starts a thread or asks a question; returns its id. Questions are routed to the experts
/// of their tags who may read them.
pub async fn create(db: &Db, viewer: Viewer, input: NewTopic) -> AppResult<TopicId> {
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
        c => match c.parse::<CategoryId>() {
            Ok(id) if in_forum(db, id, space).await? => Some(id),
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
    let (html, mentioned) = effects::mentions::render_mentions(db, &body).await?;
    let now = now();
    let mut tx = db.begin().await?;
    let (id,): (TopicId,) = sqlx::query_as(
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
    // The author follows what they start.
    sqlx::query(
        "INSERT INTO topic_readers (topic_id, user_id, level, last_read_id) VALUES ($1, $2, 'watching', 0)",
    )
    .bind(id)
    .bind(viewer.id)
    .execute(&mut *tx)
    .await?;
    let url = format!("/t/{id}");
    let mut started = Happened::new(viewer.id, input.kind.created_verb(), Object::topic(id))
        .in_space(space)
        .index(Search::Topic(id))
        .mentioning(mentioned, &url, &title);
    if input.kind == TopicKind::Question {
        // Routed to the experts of its tags (each told only if they may read it).
        let experts = experts_for(&mut tx, &tags, space).await?;
        started = started.notify_all(experts.into_iter().map(|expert| {
            let kind = NotificationKind::Question;
            Notice::new(
                expert,
                kind,
                format!("topic:{id}"),
                url.as_str(),
                title.as_str(),
            )
        }));
    }
    effects::apply(&mut tx, started).await?;
    tx.commit().await?;
    Ok(id)
}

/// Adds the viewer's reaction to an article, or takes it back; returns whether it is there.
pub async fn react(db: &Db, viewer: Viewer, topic: TopicId, kind: &str) -> AppResult<bool> {
    let kind = ReactionKind::parse(kind)
        .ok_or_else(|| AppError::BadRequest(format!("There is no reaction called {kind:?}.")))?;
    let at = topic_standing(db, viewer, topic).await?;
    if !at.may_reply {
        return Err(AppError::Forbidden);
    }
    let mut tx = db.begin().await?;
    let added = reactions::toggle(&mut tx, reactions::On::Topic, topic.0, viewer.id, kind).await?;
    let mut reacted = Happened::unlogged(viewer.id).in_space(at.space);
    if added {
        let (object, url) = (format!("topic:{topic}"), format!("/t/{topic}"));
        let kind = NotificationKind::Reaction;
        reacted = reacted.notify(Notice::new(at.author, kind, object, url, at.title.as_str()));
    }
    effects::apply(&mut tx, announced(reacted, topic, viewer.id)).await?;
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
pub async fn edit(db: &Db, viewer: Viewer, id: TopicId, input: TopicEdit) -> AppResult<()> {
    let at = topic_standing(db, viewer, id).await?;
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
    let (html, _) = effects::mentions::render_mentions(db, &body).await?;
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
    let edited = Happened::unlogged(viewer.id).index(Search::Topic(id));
    effects::apply(&mut tx, announced(edited, id, viewer.id)).await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes a topic with its replies: its author or a moderator. Returns where its list is.
pub async fn delete(db: &Db, viewer: Viewer, id: TopicId) -> AppResult<String> {
    let at = topic_standing(db, viewer, id).await?;
    if !at.may_change(viewer) {
        return Err(AppError::Forbidden);
    }
    let back = back_to(db, &at).await?;
    let mut tx = db.begin().await?;
    // Applied first: the replies' documents are found through the replies, which go with it.
    let deleted = Happened::unlogged(viewer.id).index(Search::TopicRemoved(at.kind, id));
    effects::apply(&mut tx, announced(deleted, id, viewer.id)).await?;
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
    tx.commit().await?;
    Ok(back)
}

/// The list a topic belongs to: its forum, the questions, or its blog.
async fn back_to(db: &Db, at: &TopicStanding) -> AppResult<String> {
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
pub async fn set_level(db: &Db, viewer: Viewer, topic: TopicId, level: &str) -> AppResult<()> {
    topic_standing(db, viewer, topic).await?;
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
pub async fn moderate(db: &Db, viewer: Viewer, topic: TopicId, action: &str) -> AppResult<()> {
    let at = topic_standing(db, viewer, topic).await?;
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
    effects::apply(&mut tx, changed(topic, viewer.id)).await?;
    tx.commit().await?;
    Ok(())
}

/// Moves a thread to another category of its forum, or out of any (`None`): moderators.
pub async fn move_to(
    db: &Db,
    viewer: Viewer,
    topic: TopicId,
    category: Option<CategoryId>,
) -> AppResult<()> {
    let at = topic_standing(db, viewer, topic).await?;
    if !at.moderates {
        return Err(AppError::Forbidden);
    }
    if at.kind != TopicKind::Thread {
        let msg = "Only forum threads have categories.".to_owned();
        return Err(AppError::Conflict(FormErrors::single(FORM, msg)));
    }
    if let Some(c) = category {
        if !in_forum(db, c, at.space).await? {
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
    effects::apply(&mut tx, changed(topic, viewer.id)).await?;
    tx.commit().await?;
    Ok(())
}
