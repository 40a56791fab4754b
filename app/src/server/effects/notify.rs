//! Notifications: written in the transaction of what caused them (so they exist exactly when it
//! does) and announced on their person's topic.

use sqlx::AnyConnection;

use crate::domain::feed::excerpt;
use crate::domain::notification::NotificationKind;
use crate::domain::realtime::{topic, EventBody};
use crate::error::AppResult;
use crate::server::infra::db::now;
use crate::server::infra::events;

/// One notification to send.
pub struct Notice {
    /// Who gets it.
    pub user: i64,
    pub kind: NotificationKind,
    /// Who caused it.
    pub actor: i64,
    /// What it is about (`post:12`); unread reactions to the same thing fold into one.
    pub object: String,
    /// Where it leads.
    pub url: String,
    /// A few words of what it is about.
    pub context: String,
}

/// Sends `n` unless it would go to its own actor or its person switched the kind off.
pub async fn notify(conn: &mut AnyConnection, n: Notice) -> AppResult<()> {
    if n.user == n.actor {
        return Ok(());
    }
    let pref: Option<(i64,)> =
        sqlx::query_as("SELECT in_app FROM notification_prefs WHERE user_id = $1 AND kind = $2")
            .bind(n.user)
            .bind(n.kind.as_str())
            .fetch_optional(&mut *conn)
            .await?;
    if pref.is_some_and(|(on,)| on == 0) {
        return Ok(());
    }
    let mut others = 0;
    if n.kind == NotificationKind::Reaction {
        let unread: Option<(i64, Option<i64>, i64)> = sqlx::query_as(
            "SELECT id, actor_id, others FROM notifications
             WHERE user_id = $1 AND object_key = $2 AND kind = $3 AND read_at IS NULL",
        )
        .bind(n.user)
        .bind(&n.object)
        .bind(n.kind.as_str())
        .fetch_optional(&mut *conn)
        .await?;
        if let Some((id, actor, before)) = unread {
            if actor == Some(n.actor) {
                // The same person again (a second reaction, or one taken back and given again).
                return Ok(());
            }
            // Replaced by a newer row, so the list stays ordered by id.
            others = before + 1;
            sqlx::query("DELETE FROM notifications WHERE id = $1")
                .bind(id)
                .execute(&mut *conn)
                .await?;
        }
    }
    sqlx::query(
        "INSERT INTO notifications (user_id, kind, actor_id, others, object_key, url, context,
                                    created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(n.user)
    .bind(n.kind.as_str())
    .bind(n.actor)
    .bind(others)
    .bind(&n.object)
    .bind(&n.url)
    .bind(excerpt(&n.context, 120))
    .bind(now())
    .execute(&mut *conn)
    .await?;
    announce(conn, n.user).await
}

/// Tells the person's open tabs their new unread count.
pub async fn announce(conn: &mut AnyConnection, user: i64) -> AppResult<()> {
    let unread = count_unread(conn, user).await?;
    events::emit(
        conn,
        &topic::user(user),
        &EventBody::Notifications { unread },
    )
    .await
}

pub async fn count_unread(conn: &mut AnyConnection, user: i64) -> AppResult<i64> {
    let (n,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL")
            .bind(user)
            .fetch_one(&mut *conn)
            .await?;
    Ok(n)
}
