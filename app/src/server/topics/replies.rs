//! Replies to threads, answers to questions and comments on articles: posting (reply-to and
//! quote hang one level deep), editing, deleting, and telling the people who follow.

use crate::domain::discussion::TopicKind;
use crate::domain::ids::{ReplyId, TopicId, UserId};
use crate::domain::notification::NotificationKind;
use crate::domain::post::PostBody;
use crate::error::{AppError, AppResult, FormErrors, FORM};
use crate::server::effects::{self, Doc, Happened, Notice, Object, Search};
use crate::server::infra::db::{now, Db};
use crate::server::policy::topics::TopicStanding;
use crate::server::policy::topics::{reply_standing, topic_standing};
use crate::server::policy::Viewer;
use crate::server::topics::announced;

/// One reply as read from the database, with the viewer's vote.
#[derive(sqlx::FromRow)]
pub(super) struct ReplyRow {
    pub id: i64,
    pub author_id: i64,
    pub name: String,
    pub handle: Option<String>,
    pub body_html: String,
    pub body_md: String,
    pub parent_id: Option<i64>,
    pub score: i64,
    pub created_at: i64,
    pub edited_at: Option<i64>,
    pub vote: Option<i64>,
}

/// The replies of a topic in the order written (at most 1,000).
pub(super) async fn rows(db: &Db, viewer: Viewer, topic: TopicId) -> AppResult<Vec<ReplyRow>> {
    Ok(sqlx::query_as(
        "SELECT r.id, r.author_id, u.display_name AS name, u.handle, r.body_html, r.body_md,
                r.parent_id, r.score, r.created_at, r.edited_at, v.value AS vote
         FROM replies r JOIN users u ON u.id = r.author_id
         LEFT JOIN votes v ON v.reply_id = r.id AND v.user_id = $2
         WHERE r.topic_id = $1 ORDER BY r.id LIMIT 1000",
    )
    .bind(topic)
    .bind(viewer.id)
    .fetch_all(&db.pool)
    .await?)
}

fn body_error(e: String, typed: &str) -> AppError {
    AppError::Validation(FormErrors::single("body", e).keep("body", typed))
}

/// Replies to a thread, answers a question or comments on an article; `parent` is the reply
/// answered (shown under it).
pub async fn reply(
    db: &Db,
    viewer: Viewer,
    topic: TopicId,
    body: &str,
    parent: Option<ReplyId>,
) -> AppResult<ReplyId> {
    let at = topic_standing(db, viewer, topic).await?;
    if !at.may_reply {
        if at.locked {
            let msg = "This topic is locked: no more replies.".to_owned();
            return Err(AppError::Conflict(FormErrors::single(FORM, msg)));
        }
        return Err(AppError::Forbidden);
    }
    let typed = body;
    let body = PostBody::check(body).map_err(|m| body_error(m, typed))?;
    // One level of threading: a reply to a reply hangs under the first.
    let parent = match parent {
        None => None,
        Some(p) => {
            let row: Option<(Option<ReplyId>, UserId)> = sqlx::query_as(
                "SELECT parent_id, author_id FROM replies WHERE id = $1 AND topic_id = $2",
            )
            .bind(p)
            .bind(topic)
            .fetch_optional(&db.pool)
            .await?;
            let gone = || {
                let msg =
                    "The reply you answered was deleted meanwhile; post to the topic instead.";
                AppError::Validation(FormErrors::single(FORM, msg).keep("body", typed))
            };
            let (grand, author) = row.ok_or_else(gone)?;
            Some((grand.unwrap_or(p), author))
        }
    };
    let (html, mentioned) = effects::mentions::render_mentions(db, &body).await?;
    let now = now();
    let mut tx = db.begin().await?;
    let (id,): (ReplyId,) = sqlx::query_as(
        "INSERT INTO replies (topic_id, author_id, parent_id, body_md, body_html, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(topic)
    .bind(viewer.id)
    .bind(parent.map(|p| p.0))
    .bind(&body)
    .bind(&html)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE topics SET reply_count = reply_count + 1, last_reply_id = $1,
                last_activity_at = $2 WHERE id = $3",
    )
    .bind(id)
    .bind(now)
    .bind(topic)
    .execute(&mut *tx)
    .await?;
    // The replier has read up to here, and follows the topic from now on.
    sqlx::query(
        "INSERT INTO topic_readers (topic_id, user_id, level, last_read_id)
         VALUES ($1, $2, 'watching', $3)
         ON CONFLICT (topic_id, user_id) DO UPDATE SET last_read_id = excluded.last_read_id,
             level = CASE WHEN topic_readers.level = 'muted' THEN 'muted' ELSE 'watching' END",
    )
    .bind(topic)
    .bind(viewer.id)
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let tags = crate::server::tags::of_in(&mut tx, topic).await?;
    let url = format!("/t/{topic}#reply-{id}");
    let doc = Doc {
        kind: at.kind.reply_doc_kind(),
        ref_id: id.0,
        space: at.space,
        author: Some(viewer.id),
        url: url.clone(),
        title: at.title.clone(),
        body: body.clone(),
        tags,
        created_at: now,
        visible_from: 0,
    };
    let told = followers(&mut tx, &at, topic, id, viewer, parent.map(|p| p.1), &url).await?;
    let replied = Happened::new(viewer.id, at.kind.reply_verb(), Object::reply(id))
        .in_space(at.space)
        .index(Search::Doc(doc))
        .notify_all(told)
        .mentioning(mentioned, &url, &body);
    effects::apply(&mut tx, announced(replied, topic, viewer.id)).await?;
    tx.commit().await?;
    Ok(id)
}

/// Who hears of a new reply: the topic's author and everyone watching it, once each, and the
/// author of the reply answered; nobody who muted the topic, and nobody who may no longer
/// read it (left its private space).
async fn followers(
    tx: &mut sqlx::AnyConnection,
    at: &TopicStanding,
    topic: TopicId,
    reply: ReplyId,
    viewer: Viewer,
    parent_author: Option<UserId>,
    url: &str,
) -> AppResult<Vec<Notice>> {
    let watchers: Vec<(UserId,)> = sqlx::query_as(
        "SELECT w.user_id FROM (
             SELECT user_id FROM topic_readers WHERE topic_id = $1 AND level = 'watching'
             UNION SELECT author_id FROM topics WHERE id = $1
             UNION SELECT $2 WHERE $2 <> 0) w
         JOIN topics t ON t.id = $1
         LEFT JOIN spaces s ON s.id = t.space_id
         WHERE NOT EXISTS (SELECT 1 FROM topic_readers m WHERE m.topic_id = $1
                           AND m.user_id = w.user_id AND m.level = 'muted')
           AND (t.space_id IS NULL OR s.visibility = 'public' OR EXISTS (SELECT 1 FROM
                space_members sm WHERE sm.space_id = t.space_id AND sm.user_id = w.user_id))",
    )
    .bind(topic)
    .bind(parent_author.unwrap_or(UserId(0)))
    .fetch_all(&mut *tx)
    .await?;
    let mut told: Vec<UserId> = vec![viewer.id];
    let mut notices = Vec::new();
    for (user,) in watchers {
        if told.contains(&user) {
            continue;
        }
        told.push(user);
        let kind = match at.kind {
            TopicKind::Question if user == at.author => NotificationKind::Answer,
            TopicKind::Article if user == at.author => NotificationKind::Comment,
            _ => NotificationKind::ForumReply,
        };
        let object = format!("reply:{reply}");
        notices.push(Notice::new(user, kind, object, url, at.title.as_str()));
    }
    Ok(notices)
}

/// Edits one's own reply; returns its topic.
pub async fn edit_reply(db: &Db, viewer: Viewer, reply: ReplyId, body: &str) -> AppResult<TopicId> {
    let (topic, author, at) = reply_standing(db, viewer, reply).await?;
    if !viewer.is(author) {
        return Err(AppError::Forbidden);
    }
    let typed = body;
    let body = PostBody::check(body).map_err(|m| body_error(m, typed))?;
    let (html, _) = effects::mentions::render_mentions(db, &body).await?;
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE replies SET body_md = $1, body_html = $2, edited_at = $3 WHERE id = $4")
        .bind(&body)
        .bind(&html)
        .bind(now())
        .bind(reply)
        .execute(&mut *tx)
        .await?;
    let kind = at.kind.reply_doc_kind();
    let edited = Happened::unlogged(viewer.id).index(Search::Body {
        kind,
        ref_id: reply.0,
        body,
    });
    effects::apply(&mut tx, announced(edited, topic, viewer.id)).await?;
    tx.commit().await?;
    Ok(topic)
}

/// Deletes a reply: its author, or the topic's moderators. Replies under it move up a level;
/// an accepted answer that goes leaves the question unsolved. Returns its topic.
pub async fn delete_reply(db: &Db, viewer: Viewer, reply: ReplyId) -> AppResult<TopicId> {
    let (topic, author, at) = reply_standing(db, viewer, reply).await?;
    if !viewer.is(author) && !at.moderates {
        return Err(AppError::Forbidden);
    }
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE replies SET parent_id = NULL WHERE parent_id = $1")
        .bind(reply)
        .execute(&mut *tx)
        .await?;
    let deleted = sqlx::query("DELETE FROM replies WHERE id = $1")
        .bind(reply)
        .execute(&mut *tx)
        .await?;
    if deleted.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    sqlx::query(
        "UPDATE topics SET reply_count = reply_count - 1,
             accepted_reply_id = CASE WHEN accepted_reply_id = $1 THEN NULL ELSE accepted_reply_id END
         WHERE id = $2",
    )
    .bind(reply)
    .bind(topic)
    .execute(&mut *tx)
    .await?;
    let removed = Search::Remove(at.kind.reply_doc_kind(), reply.0);
    let deleted = Happened::unlogged(viewer.id).index(removed);
    effects::apply(&mut tx, announced(deleted, topic, viewer.id)).await?;
    tx.commit().await?;
    Ok(topic)
}
