//! Grants: what launching a SCO lets the content origin do for one person. The content origin
//! never sees the site's session; a launch by someone who may take the lesson issues a random
//! token, which goes in the content addresses and opens that SCO's package files and its
//! run-time commits until it expires.

use crate::domain::ids::{LessonId, PackageId, UserId};
use crate::domain::user::Role;
use crate::error::{AppError, AppResult};
use crate::server::infra::db::{now, Db};
use crate::server::infra::sessions::{new_token, token_hash};
use crate::server::policy::courses::lesson_standing;
use crate::server::policy::Viewer;

/// How long a launch's addresses work: a long lesson sitting, not longer.
pub const GRANT_SECS: i64 = 8 * 3600;

/// What a token opens.
#[derive(Debug, Clone)]
pub struct Grant {
    pub viewer: Viewer,
    pub lesson: LessonId,
    pub package: PackageId,
    pub sco: i64,
    /// The site's origin the launch came from: the only one the player talks to.
    pub site_origin: String,
    /// The SCO's file in the package, with its query, as the manifest gives it.
    pub href: String,
    /// The SCO's title.
    pub title: String,
}

/// A token for SCO `sco` of lesson `lesson`, for a viewer who may take the lesson.
pub async fn issue(
    db: &Db,
    viewer: Viewer,
    lesson: LessonId,
    sco: i64,
    site_origin: &str,
) -> AppResult<String> {
    let at = lesson_standing(db, viewer, lesson).await?;
    if !at.may_take() {
        return Err(AppError::Forbidden);
    }
    let package: Option<(i64,)> = sqlx::query_as(
        "SELECT s.package_id FROM package_scos s JOIN lessons l ON l.package_id = s.package_id
         WHERE s.id = $1 AND l.id = $2",
    )
    .bind(sco)
    .bind(lesson)
    .fetch_optional(&db.pool)
    .await?;
    let (package,) = package.ok_or(AppError::NotFound)?;
    let token = new_token();
    let now = now();
    sqlx::query("DELETE FROM content_grants WHERE expires_at <= $1")
        .bind(now)
        .execute(&db.pool)
        .await?;
    sqlx::query(
        "INSERT INTO content_grants (token_hash, user_id, lesson_id, package_id, sco_id, site_origin, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(token_hash(&token))
    .bind(viewer.id)
    .bind(lesson)
    .bind(package)
    .bind(sco)
    .bind(site_origin)
    .bind(now + GRANT_SECS)
    .execute(&db.pool)
    .await?;
    Ok(token)
}

/// What live token `token` opens; `NotFound` for an unknown or expired one.
pub async fn redeem(db: &Db, token: &str) -> AppResult<Grant> {
    type Row = (i64, String, i64, i64, i64, String, String, String);
    let row: Option<Row> = sqlx::query_as(
        "SELECT g.user_id, u.role, g.lesson_id, g.package_id, g.sco_id, g.site_origin, s.href, s.title
         FROM content_grants g JOIN users u ON u.id = g.user_id
         JOIN package_scos s ON s.id = g.sco_id
         WHERE g.token_hash = $1 AND g.expires_at > $2",
    )
    .bind(token_hash(token))
    .bind(now())
    .fetch_optional(&db.pool)
    .await?;
    let (user, role, lesson, package, sco, site_origin, href, title) =
        row.ok_or(AppError::NotFound)?;
    Ok(Grant {
        viewer: Viewer::signed_in(UserId(user), Role::parse(&role) == Some(Role::Admin)),
        lesson: LessonId(lesson),
        package: PackageId(package),
        sco,
        site_origin,
        href,
        title,
    })
}
