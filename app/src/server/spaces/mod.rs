//! Spaces: communities of practice with their members. Every query carries its visibility
//! condition (see [`crate::server::policy`]). The directory and a space's page are read in
//! [`read`]; creating, tagging, archiving and deleting in [`write`]; joining, requests,
//! invitations and roles in [`members`].

mod members;
mod read;
mod write;

pub use crate::server::policy::spaces::{
    is_space_listed, may_create_space, require_space_moderator, require_space_readable,
};
pub use members::*;
pub use read::*;
pub use write::*;

use crate::domain::ids::{SpaceId, UserId};
use crate::domain::notification::NotificationKind;
use crate::server::effects::notify::Notice;
use crate::server::infra::db::{now, Db};
use std::collections::HashMap;

use crate::domain::space::{JoinPolicy, SpaceRole, SpaceSummary, Visibility};
use crate::error::{AppError, AppResult, FormErrors, FORM};
use crate::server::infra::sql::placeholders;

/// The tags of each of `spaces`.
pub(crate) async fn tags_of(db: &Db, spaces: &[i64]) -> AppResult<HashMap<i64, Vec<String>>> {
    if spaces.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = format!(
        "SELECT space_id, tag FROM space_tags WHERE space_id IN ({}) ORDER BY tag",
        placeholders(1, spaces.len())
    );
    let mut q = sqlx::query_as::<_, (i64, String)>(&sql);
    for id in spaces {
        q = q.bind(*id);
    }
    let mut by_space: HashMap<i64, Vec<String>> = HashMap::new();
    for (space, tag) in q.fetch_all(&db.pool).await? {
        by_space.entry(space).or_default().push(tag);
    }
    Ok(by_space)
}

pub(crate) async fn save_tags(
    conn: &mut sqlx::AnyConnection,
    space: SpaceId,
    tags: &[String],
) -> AppResult<()> {
    sqlx::query("DELETE FROM space_tags WHERE space_id = $1")
        .bind(space)
        .execute(&mut *conn)
        .await?;
    for tag in tags {
        sqlx::query("INSERT INTO space_tags (space_id, tag) VALUES ($1, $2)")
            .bind(space)
            .bind(tag)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

pub(crate) const PAGE: i64 = 20;

pub(crate) async fn add_member(
    conn: &mut sqlx::AnyConnection,
    space: SpaceId,
    user: UserId,
    role: SpaceRole,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO space_members (space_id, user_id, role, joined_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(space)
    .bind(user)
    .bind(role.as_str())
    .bind(now())
    .execute(conn)
    .await?;
    Ok(())
}

pub(crate) async fn counted(
    conn: &mut sqlx::AnyConnection,
    space: SpaceId,
    delta: i64,
) -> AppResult<()> {
    sqlx::query(
        "UPDATE spaces SET member_count = member_count + $1, last_activity_at = $2 WHERE id = $3",
    )
    .bind(delta)
    .bind(now())
    .bind(space)
    .execute(conn)
    .await?;
    Ok(())
}

/// The role `user` holds in space `space`, if they are a member.
pub(crate) async fn role_of(db: &Db, space: SpaceId, user: UserId) -> AppResult<Option<SpaceRole>> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT role FROM space_members WHERE space_id = $1 AND user_id = $2")
            .bind(space)
            .bind(user)
            .fetch_optional(&db.pool)
            .await?;
    Ok(row.and_then(|(r,)| SpaceRole::parse(&r)))
}

/// Notices of `kind` to each of `people` about space `space` itself, leading to its page.
pub(crate) async fn space_notices(
    conn: &mut sqlx::AnyConnection,
    people: &[UserId],
    kind: NotificationKind,
    space: SpaceId,
) -> AppResult<Vec<Notice>> {
    let (slug, name): (String, String) =
        sqlx::query_as("SELECT slug, name FROM spaces WHERE id = $1")
            .bind(space)
            .fetch_one(&mut *conn)
            .await?;
    let url = format!("/s/{slug}");
    Ok(people
        .iter()
        .map(|&user| {
            Notice::new(
                user,
                kind,
                format!("space:{space}"),
                url.as_str(),
                name.as_str(),
            )
            .about_space(space)
        })
        .collect())
}

/// `%text%` for LIKE, with the wildcard characters in `text` escaped (`ESCAPE '\'`).
pub(crate) fn like_pattern(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// A space as a list shows it, from (slug, name, description, visibility, join policy,
/// member count); role, topics and cover are for the caller to add.
pub(crate) fn listed(
    (slug, name, description, visibility, policy, members): (
        String,
        String,
        String,
        String,
        String,
        i64,
    ),
) -> SpaceSummary {
    SpaceSummary {
        slug,
        name,
        description,
        visibility: Visibility::parse(&visibility).unwrap_or(Visibility::Secret),
        join_policy: JoinPolicy::parse(&policy).unwrap_or(JoinPolicy::Invite),
        member_count: members,
        my_role: None,
        tags: Vec::new(),
        cover: None,
    }
}

/// How many owners a space has: it must always keep one.
/// Refuses, with `message`, a change that would leave the space without an owner: the one
/// who asks is its last.
pub(crate) async fn keep_an_owner(db: &Db, space: SpaceId, message: &str) -> AppResult<()> {
    let (owners,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM space_members WHERE space_id = $1 AND role = 'owner'")
            .bind(space)
            .fetch_one(&db.pool)
            .await?;
    if owners <= 1 {
        return Err(AppError::Conflict(FormErrors::single(FORM, message)));
    }
    Ok(())
}
