//! Ask-the-Expert answers: votes and the accepted answer.

use crate::domain::activity::Verb;
use crate::domain::discussion::TopicKind;
use crate::domain::ids::{ReplyId, TopicId};
use crate::domain::notification::NotificationKind;
use crate::error::{AppError, AppResult, FormErrors, FORM};
use crate::server::effects::{self, Happened, Notice, Object};
use crate::server::infra::db::{now, Db};
use crate::server::policy::topics::reply_standing;
use crate::server::policy::Viewer;
use crate::server::topics::{announced, changed};

/// Votes an answer up (1) or down (-1), or takes the vote back (0). Not on one's own answers.
pub async fn vote(db: &Db, viewer: Viewer, reply: ReplyId, value: i64) -> AppResult<TopicId> {
    let (topic, author, at) = reply_standing(db, viewer, reply).await?;
    if at.kind != TopicKind::Question {
        return Err(AppError::NotFound);
    }
    if !at.may_reply {
        return Err(AppError::Forbidden);
    }
    if viewer.is(author) {
        let msg = "You cannot vote on your own answer.".to_owned();
        return Err(AppError::Conflict(FormErrors::single(FORM, msg)));
    }
    if !(-1..=1).contains(&value) {
        let msg = "A vote is up or down.".to_owned();
        return Err(AppError::Validation(FormErrors::single("value", msg)));
    }
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM votes WHERE reply_id = $1 AND user_id = $2")
        .bind(reply)
        .bind(viewer.id)
        .execute(&mut *tx)
        .await?;
    if value != 0 {
        sqlx::query(
            "INSERT INTO votes (reply_id, user_id, value, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(reply)
        .bind(viewer.id)
        .bind(value)
        .bind(now())
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query(
        "UPDATE replies SET score = (SELECT COALESCE(SUM(value), 0) FROM votes WHERE reply_id = $1)
         WHERE id = $1",
    )
    .bind(reply)
    .execute(&mut *tx)
    .await?;
    effects::apply(&mut tx, changed(topic, viewer.id)).await?;
    tx.commit().await?;
    Ok(topic)
}

/// Accepts an answer (or, when it is the accepted one, takes the acceptance back). The asker
/// and the space's moderators may.
pub async fn accept(db: &Db, viewer: Viewer, reply: ReplyId) -> AppResult<TopicId> {
    let (topic, author, at) = reply_standing(db, viewer, reply).await?;
    if at.kind != TopicKind::Question {
        return Err(AppError::NotFound);
    }
    if !viewer.is(at.author) && !at.moderates {
        return Err(AppError::Forbidden);
    }
    let taking_back = at.accepted == Some(reply);
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE topics SET accepted_reply_id = $1 WHERE id = $2")
        .bind((!taking_back).then_some(reply))
        .bind(topic)
        .execute(&mut *tx)
        .await?;
    let accepted = if taking_back {
        Happened::unlogged(viewer.id)
    } else {
        let (object, url) = (
            format!("reply:{reply}"),
            format!("/t/{topic}#reply-{reply}"),
        );
        let kind = NotificationKind::Accepted;
        Happened::new(viewer.id, Verb::Accepted, Object::reply(reply)).notify(Notice::new(
            author,
            kind,
            object,
            url,
            at.title.as_str(),
        ))
    };
    let accepted = announced(accepted.in_space(at.space), topic, viewer.id);
    effects::apply(&mut tx, accepted).await?;
    tx.commit().await?;
    Ok(topic)
}
