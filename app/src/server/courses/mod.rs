//! Courses: authoring (modules, lessons, publishing), the course wrapper's space, enrolment,
//! progress and the SCORM run-time's storage. Every course has its own space, made with it:
//! the authors own it, enrolled learners are its members, and its forum, blog and Q&A are the
//! lesson discussions, the instructor blog and the course's questions.

mod authoring;
mod enrol;
pub mod files;
mod progress;
mod read;

pub(crate) use super::topics::person_link;

pub use authoring::*;
pub use enrol::*;
pub use progress::*;
pub use read::*;

use super::access::Viewer;
use super::db::Db;
use crate::error::{AppError, AppResult};

/// Who may write courses: site admins, L&D managers and authors.
pub async fn may_author(db: &Db, viewer: Viewer) -> AppResult<bool> {
    if viewer.admin {
        return Ok(true);
    }
    if viewer.id == 0 {
        return Ok(false);
    }
    let role: Option<(String,)> = sqlx::query_as("SELECT role FROM users WHERE id = $1")
        .bind(viewer.id)
        .fetch_optional(&db.pool)
        .await?;
    Ok(matches!(
        role.as_ref().map(|(r,)| r.as_str()),
        Some("admin" | "ld_manager" | "author")
    ))
}

/// Whether the viewer is an L&D manager (who assigns any course).
pub async fn is_ld_manager(db: &Db, viewer: Viewer) -> AppResult<bool> {
    let role: Option<(String,)> = sqlx::query_as("SELECT role FROM users WHERE id = $1")
        .bind(viewer.id)
        .fetch_optional(&db.pool)
        .await?;
    Ok(role.is_some_and(|(r,)| r == "ld_manager"))
}

/// The lesson aliased `l` can be taken: a page; a video with an address or an uploaded file;
/// a package or a file lesson once its upload is there.
pub(crate) fn lesson_ready(l: &str) -> String {
    format!(
        "({l}.kind = 'page' OR ({l}.kind = 'package' AND {l}.package_id IS NOT NULL) \
         OR ({l}.kind = 'video' AND {l}.video_url <> '') \
         OR ({l}.kind IN ('video', 'file') AND EXISTS (SELECT 1 FROM lesson_files lf \
             WHERE lf.lesson_id = {l}.id AND lf.role = 'media')))"
    )
}

/// The course aliased `c` may be seen by the viewer bound at `$user` / `$admin`: published
/// courses by everyone signed in, drafts by their authors and admins.
pub(crate) fn course_visible(c: &str, user: usize, admin: usize) -> String {
    format!(
        "({c}.published_at IS NOT NULL OR ${admin} = 1 OR EXISTS (SELECT 1 FROM course_authors ca \
         WHERE ca.course_id = {c}.id AND ca.user_id = ${user}))"
    )
}

/// A course as the rules need it, if the viewer may know it exists: published courses to
/// everyone signed in, drafts to their authors (and admins).
#[derive(Debug, Clone)]
pub(crate) struct Standing {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub space: i64,
    pub space_slug: String,
    pub published: bool,
    pub policy: crate::domain::course::EnrolPolicy,
    /// An author of this course, or a site admin.
    pub author: bool,
    /// `Some("active" | "requested")` when enrolled or asking.
    pub enrolment: Option<String>,
}

impl Standing {
    pub fn enrolled(&self) -> bool {
        self.enrolment.as_deref() == Some("active")
    }

    /// May open the lessons: enrolled, or an author.
    pub fn may_take(&self) -> bool {
        self.author || self.enrolled()
    }

    pub fn require_author(&self) -> AppResult<()> {
        if self.author {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }
}

type StandingRow = (
    i64,
    String,
    String,
    i64,
    String,
    Option<i64>,
    String,
    i64,
    Option<String>,
);

const STANDING_SQL: &str =
    "SELECT c.id, c.slug, c.title, c.space_id, s.slug, c.published_at, c.enrol_policy,
        CASE WHEN $3 = 1 OR EXISTS (SELECT 1 FROM course_authors a
             WHERE a.course_id = c.id AND a.user_id = $2) THEN 1 ELSE 0 END,
        (SELECT e.status FROM enrolments e WHERE e.course_id = c.id AND e.user_id = $2)
 FROM courses c JOIN spaces s ON s.id = c.space_id";

fn standing_of(row: StandingRow) -> Option<Standing> {
    let (id, slug, title, space, space_slug, published, policy, author, enrolment) = row;
    let s = Standing {
        id,
        slug,
        title,
        space,
        space_slug,
        published: published.is_some(),
        policy: crate::domain::course::EnrolPolicy::parse(&policy)?,
        author: author == 1,
        enrolment,
    };
    // Drafts are their authors' alone.
    (s.published || s.author).then_some(s)
}

pub(crate) async fn standing(db: &Db, viewer: Viewer, slug: &str) -> AppResult<Standing> {
    let sql = format!("{STANDING_SQL} WHERE c.slug = $1");
    let row: Option<StandingRow> = sqlx::query_as(&sql)
        .bind(slug)
        .bind(viewer.id)
        .bind(viewer.admin_flag())
        .fetch_optional(&db.pool)
        .await?;
    row.and_then(standing_of).ok_or(AppError::NotFound)
}

pub(crate) async fn standing_by_id(db: &Db, viewer: Viewer, course: i64) -> AppResult<Standing> {
    let sql = format!("{STANDING_SQL} WHERE c.id = $1");
    let row: Option<StandingRow> = sqlx::query_as(&sql)
        .bind(course)
        .bind(viewer.id)
        .bind(viewer.admin_flag())
        .fetch_optional(&db.pool)
        .await?;
    row.and_then(standing_of).ok_or(AppError::NotFound)
}

/// The course of a lesson, as the viewer stands in it.
pub(crate) async fn standing_for_lesson(
    db: &Db,
    viewer: Viewer,
    lesson: i64,
) -> AppResult<Standing> {
    let course: Option<(i64,)> = sqlx::query_as("SELECT course_id FROM lessons WHERE id = $1")
        .bind(lesson)
        .fetch_optional(&db.pool)
        .await?;
    let (course,) = course.ok_or(AppError::NotFound)?;
    standing_by_id(db, viewer, course).await
}

/// The id of course `slug`, if the viewer is one of its authors (or an admin).
pub async fn require_course_author(db: &Db, viewer: Viewer, slug: &str) -> AppResult<i64> {
    let at = standing(db, viewer, slug).await?;
    at.require_author()?;
    Ok(at.id)
}

/// Whether the viewer may know course `course` exists (published, or their own draft).
pub async fn may_see_course(db: &Db, viewer: Viewer, course: i64) -> AppResult<bool> {
    match standing_by_id(db, viewer, course).await {
        Ok(_) => Ok(true),
        Err(AppError::NotFound) => Ok(false),
        Err(e) => Err(e),
    }
}

/// The address of a lesson's course, if the viewer may know it.
pub async fn lesson_course_slug(db: &Db, viewer: Viewer, lesson: i64) -> AppResult<String> {
    Ok(standing_for_lesson(db, viewer, lesson).await?.slug)
}
