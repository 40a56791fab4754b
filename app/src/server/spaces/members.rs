//! Membership: joining and leaving, requests, invitations, roles and removal.

use crate::domain::activity::Verb;
use crate::domain::ids::UserId;
use crate::domain::notification::NotificationKind;
use crate::server::effects::{self, Happened};
use crate::server::infra::db::{now, Db};
use crate::server::policy::Viewer;

use crate::domain::space::{JoinPolicy, PersonRef, SpaceRole};
use crate::error::{AppError, AppResult, FormErrors, FORM};
use crate::server::policy::spaces::{require_space_moderator, require_space_owner, space_standing};
use crate::server::spaces::{
    add_member, counted, keep_an_owner, like_pattern, role_of, space_notices,
};

/// What joining did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Joined {
    Member,
    Requested,
}

/// Joins an open space, or asks to join one that takes requests.
pub async fn join(db: &Db, viewer: Viewer, slug: &str) -> AppResult<Joined> {
    let space = space_standing(db, viewer, slug).await?;
    if space.my_role.is_some() {
        return Ok(Joined::Member);
    }
    if space.archived {
        return Err(AppError::Conflict(FormErrors::single(
            FORM,
            "This space is archived.",
        )));
    }
    // An invitation opens any space, whatever its join policy.
    let accepted = sqlx::query(
        "DELETE FROM space_requests WHERE space_id = $1 AND user_id = $2 AND kind = 'invite'",
    )
    .bind(space.id)
    .bind(viewer.id)
    .execute(&db.pool)
    .await?;
    let policy = if accepted.rows_affected() > 0 {
        JoinPolicy::Open
    } else {
        space.policy
    };
    match policy {
        JoinPolicy::Open => {
            let mut tx = db.begin().await?;
            add_member(&mut tx, space.id, viewer.id, SpaceRole::Member).await?;
            counted(&mut tx, space.id, 1).await?;
            let joined = Happened::to_space(viewer.id, Verb::Joined, space.id);
            effects::apply(&mut tx, joined).await?;
            tx.commit().await?;
            Ok(Joined::Member)
        }
        JoinPolicy::Request => {
            let mut tx = db.begin().await?;
            let asked = sqlx::query(
                "INSERT INTO space_requests (space_id, user_id, kind, created_at) VALUES ($1, $2, 'request', $3)
                 ON CONFLICT (space_id, user_id) DO NOTHING",
            )
            .bind(space.id)
            .bind(viewer.id)
            .bind(now())
            .execute(&mut *tx)
            .await?;
            if asked.rows_affected() > 0 {
                // Everyone who may approve it hears of it.
                let moderators: Vec<(UserId,)> = sqlx::query_as(
                    "SELECT user_id FROM space_members
                     WHERE space_id = $1 AND role IN ('owner', 'moderator')",
                )
                .bind(space.id)
                .fetch_all(&mut *tx)
                .await?;
                let moderators: Vec<UserId> = moderators.into_iter().map(|(m,)| m).collect();
                let kind = NotificationKind::JoinRequest;
                let notices = space_notices(&mut tx, &moderators, kind, space.id).await?;
                let asked = Happened::unlogged(viewer.id).notify_all(notices);
                effects::apply(&mut tx, asked).await?;
            }
            tx.commit().await?;
            Ok(Joined::Requested)
        }
        JoinPolicy::Invite => Err(AppError::Forbidden),
    }
}

/// Leaves a space (or withdraws a pending request). The last owner cannot leave.
pub async fn leave(db: &Db, viewer: Viewer, slug: &str) -> AppResult<()> {
    let space = space_standing(db, viewer, slug).await?;
    let Some(role) = space.my_role else {
        sqlx::query("DELETE FROM space_requests WHERE space_id = $1 AND user_id = $2")
            .bind(space.id)
            .bind(viewer.id)
            .execute(&db.pool)
            .await?;
        return Ok(());
    };
    if role == SpaceRole::Owner {
        keep_an_owner(
            db,
            space.id,
            "You are the only owner. Make someone else an owner before you leave.",
        )
        .await?;
    }
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM space_members WHERE space_id = $1 AND user_id = $2")
        .bind(space.id)
        .bind(viewer.id)
        .execute(&mut *tx)
        .await?;
    counted(&mut tx, space.id, -1).await?;
    let left = Happened::to_space(viewer.id, Verb::Left, space.id).access_changed(viewer.id);
    effects::apply(&mut tx, left).await?;
    tx.commit().await?;
    Ok(())
}

/// People waiting for approval, oldest first (moderators only).
pub async fn requests(db: &Db, viewer: Viewer, slug: &str) -> AppResult<Vec<PersonRef>> {
    let space = require_space_moderator(db, viewer, slug).await?;
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT u.id, u.display_name FROM space_requests r JOIN users u ON u.id = r.user_id
         WHERE r.space_id = $1 AND r.kind = 'request' ORDER BY r.created_at, u.id LIMIT 100",
    )
    .bind(space)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().map(PersonRef::from).collect())
}

/// Approves or declines a join request (moderators only).
pub async fn decide(
    db: &Db,
    viewer: Viewer,
    slug: &str,
    user: UserId,
    approve: bool,
) -> AppResult<()> {
    let space = require_space_moderator(db, viewer, slug).await?;
    let mut tx = db.begin().await?;
    let removed = sqlx::query(
        "DELETE FROM space_requests WHERE space_id = $1 AND user_id = $2 AND kind = 'request'",
    )
    .bind(space)
    .bind(user)
    .execute(&mut *tx)
    .await?;
    if removed.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    if approve {
        add_member(&mut tx, space, user, SpaceRole::Member).await?;
        counted(&mut tx, space, 1).await?;
        effects::apply(&mut tx, Happened::to_space(user, Verb::Joined, space)).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Gives a member another role (owners only). A space always keeps at least one owner.
pub async fn set_role(
    db: &Db,
    viewer: Viewer,
    slug: &str,
    user: UserId,
    role: &str,
) -> AppResult<()> {
    let role = SpaceRole::parse(role)
        .ok_or_else(|| AppError::BadRequest(format!("There is no role called {role:?}.")))?;
    let (space, _) = require_space_owner(db, viewer, slug).await?;
    let current = role_of(db, space, user).await?.ok_or(AppError::NotFound)?;
    if current == SpaceRole::Owner && role != SpaceRole::Owner {
        keep_an_owner(
            db,
            space,
            "A space needs an owner. Make someone else an owner first.",
        )
        .await?;
    }
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE space_members SET role = $1 WHERE space_id = $2 AND user_id = $3")
        .bind(role.as_str())
        .bind(space)
        .bind(user)
        .execute(&mut *tx)
        .await?;
    let changed = Happened::to_member(viewer.id, Verb::ChangedRole, user, space);
    effects::apply(&mut tx, changed).await?;
    tx.commit().await?;
    Ok(())
}

/// Removes someone from a space: moderators remove members; owners also remove moderators.
/// Owners are never removed this way (they leave, or are made members first).
pub async fn remove_member(db: &Db, viewer: Viewer, slug: &str, user: UserId) -> AppResult<()> {
    let space = require_space_moderator(db, viewer, slug).await?;
    let mine = role_of(db, space, viewer.id).await?;
    let theirs = role_of(db, space, user).await?.ok_or(AppError::NotFound)?;
    let allowed = match theirs {
        SpaceRole::Member => true,
        SpaceRole::Moderator => mine == Some(SpaceRole::Owner) || viewer.admin,
        SpaceRole::Owner => false,
    };
    if !allowed {
        return Err(AppError::Forbidden);
    }
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM space_members WHERE space_id = $1 AND user_id = $2")
        .bind(space)
        .bind(user)
        .execute(&mut *tx)
        .await?;
    counted(&mut tx, space, -1).await?;
    let removed =
        Happened::to_member(viewer.id, Verb::RemovedMember, user, space).access_changed(user);
    effects::apply(&mut tx, removed).await?;
    tx.commit().await?;
    Ok(())
}

/// Invites someone (space moderators). Someone who already asked to join becomes a member.
pub async fn invite(db: &Db, viewer: Viewer, slug: &str, user: UserId) -> AppResult<()> {
    let space = require_space_moderator(db, viewer, slug).await?;
    if role_of(db, space, user).await?.is_some() {
        return Err(AppError::Conflict(FormErrors::single(
            FORM,
            "They are already a member.",
        )));
    }
    let exists: Option<(i64,)> = sqlx::query_as("SELECT id FROM users WHERE id = $1")
        .bind(user)
        .fetch_optional(&db.pool)
        .await?;
    if exists.is_none() {
        return Err(AppError::NotFound);
    }
    let mut tx = db.begin().await?;
    let asked = sqlx::query(
        "DELETE FROM space_requests WHERE space_id = $1 AND user_id = $2 AND kind = 'request'",
    )
    .bind(space)
    .bind(user)
    .execute(&mut *tx)
    .await?;
    if asked.rows_affected() > 0 {
        add_member(&mut tx, space, user, SpaceRole::Member).await?;
        counted(&mut tx, space, 1).await?;
        effects::apply(&mut tx, Happened::to_space(user, Verb::Joined, space)).await?;
    } else {
        sqlx::query(
            "INSERT INTO space_requests (space_id, user_id, kind, invited_by, created_at)
             VALUES ($1, $2, 'invite', $3, $4) ON CONFLICT (space_id, user_id) DO NOTHING",
        )
        .bind(space)
        .bind(user)
        .bind(viewer.id)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        let notices = space_notices(&mut tx, &[user], NotificationKind::Invitation, space).await?;
        let invited =
            Happened::to_member(viewer.id, Verb::Invited, user, space).notify_all(notices);
        effects::apply(&mut tx, invited).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// People a moderator may invite: matching `query` by name or handle (by email only when it is
/// typed whole, so addresses cannot be rebuilt letter by letter), not yet members or invited.
pub async fn invite_candidates(
    db: &Db,
    viewer: Viewer,
    slug: &str,
    query: &str,
) -> AppResult<Vec<PersonRef>> {
    let space = require_space_moderator(db, viewer, slug).await?;
    let needle = query.trim().to_lowercase();
    if needle.chars().count() < 2 {
        return Ok(Vec::new());
    }
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT u.id, u.display_name FROM users u
         WHERE (LOWER(u.display_name) LIKE $2 ESCAPE '\\' OR LOWER(u.handle) LIKE $2 ESCAPE '\\'
                OR LOWER(u.email) = $3)
           AND NOT EXISTS (SELECT 1 FROM space_members m WHERE m.space_id = $1 AND m.user_id = u.id)
           AND NOT EXISTS (SELECT 1 FROM space_requests r
                           WHERE r.space_id = $1 AND r.user_id = u.id AND r.kind = 'invite')
         ORDER BY u.display_name, u.id LIMIT 10",
    )
    .bind(space)
    .bind(like_pattern(&needle))
    .bind(&needle)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().map(PersonRef::from).collect())
}
