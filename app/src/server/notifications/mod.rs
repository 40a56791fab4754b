//! Notifications as their person reads them: listed, opened, marked read, and switched per
//! kind. They are sent by the write pipeline ([`crate::server::effects::notify`]).

use crate::domain::ids::NotificationId;
use crate::domain::notification::{
    EmailDigest, NotificationKind, NotificationPage, NotificationPref, NotificationView,
};
use crate::error::{AppError, AppResult};
use crate::server::effects::notify::{announce, count_unread, still_readable};
use crate::server::infra::cursor;
use crate::server::infra::db::{now, Db};
use crate::server::policy::{Viewer, Who};

const PAGE: i64 = 20;

/// How many unread notifications the viewer has.
pub async fn unread(db: &Db, viewer: Viewer) -> AppResult<i64> {
    let mut conn = db.pool.acquire().await?;
    count_unread(&mut conn, viewer.id).await
}

/// One page of the viewer's notifications, newest first.
pub async fn page(db: &Db, viewer: Viewer, before: &str) -> AppResult<NotificationPage> {
    let before = cursor::decode(before, 1)?.and_then(|k| k.first().copied());
    let after_cursor = if before.is_some() {
        "n.id < $2"
    } else {
        "$2 = 0"
    };
    let sql = format!(
        "SELECT n.id, n.kind, u.display_name, u.handle, u.id, n.others, n.url, n.context,
                n.created_at, n.read_at
         FROM notifications n JOIN users u ON u.id = n.actor_id JOIN users r ON r.id = n.user_id
         WHERE n.user_id = $1 AND {after_cursor} AND {still}
         ORDER BY n.id DESC LIMIT $3",
        still = still_readable("n", &Who::user_row("r"))
    );
    type Row = (
        i64,
        String,
        String,
        Option<String>,
        i64,
        i64,
        String,
        String,
        i64,
        Option<i64>,
    );
    let mut rows: Vec<Row> = sqlx::query_as(&sql)
        .bind(viewer.id)
        .bind(before.unwrap_or(0))
        .bind(PAGE + 1)
        .fetch_all(&db.pool)
        .await?;
    let next = (rows.len() as i64 > PAGE).then(|| {
        rows.truncate(PAGE as usize);
        rows.last().map(|r| cursor::encode(&[r.0]))
    });
    let items = rows
        .into_iter()
        .filter_map(
            |(id, kind, actor, handle, actor_id, others, url, context, at, read_at)| {
                Some(NotificationView {
                    id: NotificationId(id),
                    kind: NotificationKind::parse(&kind)?,
                    actor,
                    actor_handle: handle.unwrap_or_else(|| format!("user{actor_id}")),
                    others,
                    url,
                    context,
                    at,
                    read: read_at.is_some(),
                })
            },
        )
        .collect();
    Ok(NotificationPage {
        items,
        next: next.flatten(),
        unread: unread(db, viewer).await?,
    })
}

/// Marks one of the viewer's notifications read and returns where it leads.
pub async fn open(db: &Db, viewer: Viewer, id: NotificationId) -> AppResult<String> {
    mark_read(db, viewer, id).await?;
    let (url,): (String,) =
        sqlx::query_as("SELECT url FROM notifications WHERE id = $1 AND user_id = $2")
            .bind(id)
            .bind(viewer.id)
            .fetch_one(&db.pool)
            .await?;
    // Stored by us, but checked anyway: only ever a path on this site.
    Ok(crate::domain::nav::safe_next(Some(&url)))
}

/// Marks one of the viewer's notifications read; `NotFound` if it is not theirs, or is about
/// what they may no longer read (it is not listed either).
pub async fn mark_read(db: &Db, viewer: Viewer, id: NotificationId) -> AppResult<()> {
    let mut tx = db.begin().await?;
    let sql = format!(
        "UPDATE notifications SET read_at = COALESCE(read_at, $1) WHERE id = $2 AND user_id = $3
         AND EXISTS (SELECT 1 FROM notifications n JOIN users r ON r.id = n.user_id
                     WHERE n.id = $2 AND {})",
        still_readable("n", &Who::user_row("r"))
    );
    let done = sqlx::query(&sql)
        .bind(now())
        .bind(id)
        .bind(viewer.id)
        .execute(&mut *tx)
        .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    announce(&mut tx, viewer.id).await?;
    tx.commit().await?;
    Ok(())
}

/// Marks all the viewer's notifications read.
pub async fn mark_all_read(db: &Db, viewer: Viewer) -> AppResult<()> {
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL")
        .bind(now())
        .bind(viewer.id)
        .execute(&mut *tx)
        .await?;
    announce(&mut tx, viewer.id).await?;
    tx.commit().await?;
    Ok(())
}

/// The viewer's preference for every kind (defaults where none is stored).
pub async fn prefs(db: &Db, viewer: Viewer) -> AppResult<Vec<NotificationPref>> {
    let rows: Vec<(String, i64, String)> =
        sqlx::query_as("SELECT kind, in_app, email FROM notification_prefs WHERE user_id = $1")
            .bind(viewer.id)
            .fetch_all(&db.pool)
            .await?;
    Ok(NotificationKind::ALL
        .into_iter()
        .map(|kind| {
            let row = rows.iter().find(|r| r.0 == kind.as_str());
            NotificationPref {
                kind,
                in_app: row.is_none_or(|r| r.1 != 0),
                email: row
                    .and_then(|r| EmailDigest::parse(&r.2))
                    .unwrap_or(EmailDigest::Off),
            }
        })
        .collect())
}

/// Stores the viewer's preferences, one per kind.
pub async fn set_prefs(db: &Db, viewer: Viewer, prefs: &[NotificationPref]) -> AppResult<()> {
    let mut tx = db.begin().await?;
    for p in prefs {
        sqlx::query(
            "INSERT INTO notification_prefs (user_id, kind, in_app, email) VALUES ($1, $2, $3, $4)
             ON CONFLICT (user_id, kind) DO UPDATE SET in_app = excluded.in_app,
                                                       email = excluded.email",
        )
        .bind(viewer.id)
        .bind(p.kind.as_str())
        .bind(i64::from(p.in_app))
        .bind(p.email.as_str())
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
