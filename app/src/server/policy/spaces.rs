//! Who may create, see, read and run a space.

use crate::domain::ids::SpaceId;
use crate::domain::space::{JoinPolicy, SpaceRole};
use crate::error::{AppError, AppResult};
use crate::server::infra::db::Db;
use crate::server::infra::sql::Args;
use crate::server::policy::{space_listed, space_readable, Viewer, Who};

/// Whether the site lets only authors (and admins) create spaces.
pub async fn creation_restricted(db: &Db) -> AppResult<bool> {
    let value = crate::server::infra::settings::get(db, "space_creation").await?;
    Ok(value.is_some_and(|v| v == "authors"))
}

/// Whether the viewer may create spaces under the site's policy.
pub async fn may_create_space(db: &Db, viewer: Viewer) -> AppResult<bool> {
    if viewer.admin || !creation_restricted(db).await? {
        return Ok(true);
    }
    let (role,): (String,) = sqlx::query_as("SELECT role FROM users WHERE id = $1")
        .bind(viewer.id)
        .fetch_one(&db.pool)
        .await?;
    Ok(matches!(role.as_str(), "admin" | "author"))
}

/// Whether the viewer may know that the space with this id exists (for its cover picture).
pub async fn is_space_listed(db: &Db, viewer: Viewer, id: SpaceId) -> AppResult<bool> {
    let mut args = Args::new();
    let id = args.add(id);
    let who = Who::viewer(&mut args, viewer);
    let sql = format!(
        "SELECT s.id FROM spaces s WHERE s.id = {id} AND {}",
        space_listed("s", &who)
    );
    let row: Option<(i64,)> = sqlx::query_as_with(&sql, args)
        .fetch_optional(&db.pool)
        .await?;
    Ok(row.is_some())
}

/// Where the viewer stands in one space: the facts the membership rules need, if the viewer may know it exists.
pub struct SpaceStanding {
    pub id: SpaceId,
    pub policy: JoinPolicy,
    pub archived: bool,
    pub my_role: Option<SpaceRole>,
}

pub async fn space_standing(db: &Db, viewer: Viewer, slug: &str) -> AppResult<SpaceStanding> {
    let mut args = Args::new();
    let slug = args.add(slug);
    let who = Who::viewer(&mut args, viewer);
    let sql = format!(
        "SELECT s.id, s.join_policy, s.archived_at,
                (SELECT m.role FROM space_members m WHERE m.space_id = s.id AND m.user_id = {})
         FROM spaces s WHERE s.slug = {slug} AND {}",
        who.id,
        space_listed("s", &who)
    );
    let row: Option<(SpaceId, String, Option<i64>, Option<String>)> =
        sqlx::query_as_with(&sql, args)
            .fetch_optional(&db.pool)
            .await?;
    let (id, policy, archived, role) = row.ok_or(AppError::NotFound)?;
    Ok(SpaceStanding {
        id,
        policy: JoinPolicy::parse(&policy).unwrap_or(JoinPolicy::Invite),
        archived: archived.is_some(),
        my_role: role.as_deref().and_then(SpaceRole::parse),
    })
}

/// The id of a space the viewer moderates (or, as site admin, may manage); `Forbidden` or
/// `NotFound` otherwise.
pub async fn require_space_moderator(db: &Db, viewer: Viewer, slug: &str) -> AppResult<SpaceId> {
    let space = space_standing(db, viewer, slug).await?;
    match space.my_role {
        Some(r) if r.moderates() => Ok(space.id),
        _ if viewer.admin => Ok(space.id),
        _ => Err(AppError::Forbidden),
    }
}

/// The space's id and name if the viewer owns it (or is a site admin).
pub async fn require_space_owner(
    db: &Db,
    viewer: Viewer,
    slug: &str,
) -> AppResult<(SpaceId, String)> {
    let space = space_standing(db, viewer, slug).await?;
    if !(space.my_role == Some(SpaceRole::Owner) || viewer.admin) {
        return Err(AppError::Forbidden);
    }
    let (name,): (String,) = sqlx::query_as("SELECT name FROM spaces WHERE id = $1")
        .bind(space.id)
        .fetch_one(&db.pool)
        .await?;
    Ok((space.id, name))
}

/// The space's id and name if the viewer may read it: `NotFound` when they may not know it
/// exists, `Forbidden` when it is listed but its content is for members.
pub async fn require_space_readable(
    db: &Db,
    viewer: Viewer,
    slug: &str,
) -> AppResult<(SpaceId, String)> {
    let mut args = Args::new();
    let who = Who::viewer(&mut args, viewer);
    let slug = args.add(slug);
    let sql = format!(
        "SELECT s.id, s.name, CASE WHEN {} THEN 1 ELSE 0 END FROM spaces s
         WHERE s.slug = {slug} AND {}",
        space_readable("s", &who),
        space_listed("s", &who)
    );
    let row: Option<(SpaceId, String, i64)> = sqlx::query_as_with(&sql, args)
        .fetch_optional(&db.pool)
        .await?;
    match row {
        Some((id, name, 1)) => Ok((id, name)),
        Some(_) => Err(AppError::Forbidden),
        None => Err(AppError::NotFound),
    }
}
