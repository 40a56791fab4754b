//! Notifications: written in the transaction of what caused them (so they exist exactly when it
//! does) and announced on their person's topic. Each goes only to a recipient who may read what
//! it is about, checked in the same statement that reads their preference.

use sqlx::AnyConnection;

use super::Place;
use crate::domain::feed::excerpt;
use crate::domain::ids::{SpaceId, UserId};
use crate::domain::notification::NotificationKind;
use crate::domain::realtime::{topic, EventBody};
use crate::error::AppResult;
use crate::server::infra::db::now;
use crate::server::infra::events;
use crate::server::infra::sql::Args;
use crate::server::policy::{space_listed, space_readable, Who};

/// One notification to send.
#[derive(Debug, Clone)]
pub struct Notice {
    /// Who gets it.
    pub user: UserId,
    pub kind: NotificationKind,
    /// What it is about (`post:12`); unread reactions to the same thing fold into one.
    pub object: String,
    /// Where it leads.
    pub url: String,
    /// A few words of what it is about.
    pub context: String,
    /// What its person must be able to read for it to be sent.
    pub about: About,
}

/// What a notice is about, as far as who may be told goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum About {
    /// What happened, where it happened: in a space, what its members (or, in a public
    /// space, everyone signed in) may read; elsewhere, everyone signed in.
    Content,
    /// A space itself (an invitation): whoever may know it exists.
    Space(SpaceId),
}

impl Notice {
    /// A notice to `user` of `kind`, about what happened, folded by `object`.
    pub fn new(
        user: UserId,
        kind: NotificationKind,
        object: impl Into<String>,
        url: impl Into<String>,
        context: impl Into<String>,
    ) -> Notice {
        Notice {
            user,
            kind,
            object: object.into(),
            url: url.into(),
            context: context.into(),
            about: About::Content,
        }
    }

    /// About the space itself, not what is in it.
    pub fn about_space(mut self, space: SpaceId) -> Notice {
        self.about = About::Space(space);
        self
    }
}

/// What became of a notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Sent {
    Delivered,
    /// Its person may read what it is about, but switched the kind off (or caused it).
    Held,
    /// Its person may not read what it is about (or has no account).
    Refused,
}

/// Sends `n` (caused by `actor`, about what happened at `place`) unless it would go to its own
/// actor, its person switched the kind off, or may not read what it is about.
pub(super) async fn send(
    conn: &mut AnyConnection,
    actor: UserId,
    place: Place,
    n: Notice,
) -> AppResult<Sent> {
    let mut args = Args::new();
    let user = args.add(n.user);
    let kind = args.add(n.kind.as_str());
    let who = Who::user_row("u");
    let may_read = match (n.about, place.space) {
        (About::Space(space), _) => format!(
            "EXISTS (SELECT 1 FROM spaces s WHERE s.id = {} AND {})",
            args.add(space),
            space_listed("s", &who)
        ),
        (About::Content, Some(space)) => format!(
            "EXISTS (SELECT 1 FROM spaces s WHERE s.id = {} AND {})",
            args.add(space),
            space_readable("s", &who)
        ),
        (About::Content, None) => "1 = 1".to_owned(),
    };
    let sql = format!(
        "SELECT (SELECT p.in_app FROM notification_prefs p WHERE p.user_id = u.id AND p.kind = {kind}),
                CASE WHEN {may_read} THEN 1 ELSE 0 END
         FROM users u WHERE u.id = {user}"
    );
    let row: Option<(Option<i64>, i64)> = sqlx::query_as_with(&sql, args)
        .fetch_optional(&mut *conn)
        .await?;
    let Some((pref, 1)) = row else {
        return Ok(Sent::Refused);
    };
    if n.user == actor || pref == Some(0) {
        return Ok(Sent::Held);
    }
    let mut others = 0;
    if n.kind == NotificationKind::Reaction {
        let unread: Option<(i64, Option<UserId>, i64)> = sqlx::query_as(
            "SELECT id, actor_id, others FROM notifications
             WHERE user_id = $1 AND object_key = $2 AND kind = $3 AND read_at IS NULL",
        )
        .bind(n.user)
        .bind(&n.object)
        .bind(n.kind.as_str())
        .fetch_optional(&mut *conn)
        .await?;
        if let Some((id, earlier, before)) = unread {
            if earlier == Some(actor) {
                // The same person again (a second reaction, or one taken back and given again).
                return Ok(Sent::Held);
            }
            // Replaced by a newer row, so the list stays ordered by id.
            others = before + 1;
            sqlx::query("DELETE FROM notifications WHERE id = $1")
                .bind(id)
                .execute(&mut *conn)
                .await?;
        }
    }
    let (space, about) = match (n.about, place.space) {
        (About::Space(space), _) => (Some(space.0), "space"),
        (About::Content, space) => (space.map(|s| s.0), "content"),
    };
    sqlx::query(
        "INSERT INTO notifications (user_id, kind, actor_id, others, object_key, url, context,
                                    created_at, space_id, about)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(n.user)
    .bind(n.kind.as_str())
    .bind(actor)
    .bind(others)
    .bind(&n.object)
    .bind(&n.url)
    .bind(excerpt(&n.context, 120))
    .bind(now())
    .bind(space)
    .bind(about)
    .execute(&mut *conn)
    .await?;
    announce(conn, n.user).await?;
    Ok(Sent::Delivered)
}

/// Tells the person's open tabs their new unread count.
pub async fn announce(conn: &mut AnyConnection, user: UserId) -> AppResult<()> {
    let unread = count_unread(conn, user).await?;
    events::emit(
        conn,
        &topic::user(user),
        &EventBody::Notifications { unread },
    )
    .await
}

/// How many unread notifications `user` has (of those they may still read).
pub async fn count_unread(conn: &mut AnyConnection, user: UserId) -> AppResult<i64> {
    let sql = format!(
        "SELECT COUNT(*) FROM notifications n JOIN users r ON r.id = n.user_id
         WHERE n.user_id = $1 AND n.read_at IS NULL AND {}",
        still_readable("n", &Who::user_row("r"))
    );
    let (n,): (i64,) = sqlx::query_as(&sql)
        .bind(user)
        .fetch_one(&mut *conn)
        .await?;
    Ok(n)
}

/// Notification `n` is about something `who` may still read: checked again whenever the list
/// or the count is read, since its person may have left the space (or been removed) since.
pub fn still_readable(n: &str, who: &Who) -> String {
    format!(
        "({n}.space_id IS NULL OR EXISTS (SELECT 1 FROM spaces ns WHERE ns.id = {n}.space_id \
         AND (({n}.about = 'space' AND {listed}) OR ({n}.about <> 'space' AND {readable}))))",
        listed = space_listed("ns", who),
        readable = space_readable("ns", who),
    )
}
