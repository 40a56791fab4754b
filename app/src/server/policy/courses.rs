//! Who may write, see, take and run courses: where the viewer stands on one course or lesson.

use crate::domain::course::{EnrolPolicy, LessonKind};
use crate::domain::ids::{CourseId, LessonId, SpaceId};
use crate::error::{AppError, AppResult};
use crate::server::infra::db::Db;
use crate::server::infra::sql::Args;
use crate::server::policy::{Viewer, Who};

/// Who may write courses: site admins, L&D managers and authors.
pub async fn may_author(db: &Db, viewer: Viewer) -> AppResult<bool> {
    if viewer.admin {
        return Ok(true);
    }
    if !viewer.is_signed_in() {
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
pub fn lesson_ready(l: &str) -> String {
    format!(
        "({l}.kind = 'page' OR ({l}.kind = 'package' AND {l}.package_id IS NOT NULL) \
         OR ({l}.kind = 'video' AND {l}.video_url <> '') \
         OR ({l}.kind IN ('video', 'file') AND EXISTS (SELECT 1 FROM lesson_files lf \
             WHERE lf.lesson_id = {l}.id AND lf.role = 'media')))"
    )
}

/// The course aliased `c` may be seen by `who`: published courses by everyone signed in,
/// drafts by their authors and admins.
pub fn course_visible(c: &str, who: &Who) -> String {
    let Who { id, admin } = who;
    format!(
        "({c}.published_at IS NOT NULL OR {admin} OR EXISTS (SELECT 1 FROM course_authors ca \
         WHERE ca.course_id = {c}.id AND ca.user_id = {id}))"
    )
}

/// A course as the rules need it, if the viewer may know it exists: published courses to
/// everyone signed in, drafts to their authors (and admins).
#[derive(Debug, Clone)]
pub struct CourseStanding {
    pub id: CourseId,
    pub slug: String,
    pub title: String,
    pub space: SpaceId,
    pub space_slug: String,
    pub published: bool,
    pub policy: EnrolPolicy,
    /// An author of this course, or a site admin.
    pub author: bool,
    /// `Some("active" | "requested")` when enrolled or asking.
    pub enrolment: Option<String>,
}

impl CourseStanding {
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

type CourseStandingRow = (
    CourseId,
    String,
    String,
    SpaceId,
    String,
    Option<i64>,
    String,
    i64,
    Option<String>,
);

/// The course where `which` (a condition on `c`) holds, as the viewer stands in it.
fn standing_sql(which: &str, who: &Who) -> String {
    let Who { id, admin } = who;
    format!(
        "SELECT c.id, c.slug, c.title, c.space_id, s.slug, c.published_at, c.enrol_policy,
            CASE WHEN {admin} OR EXISTS (SELECT 1 FROM course_authors a
                 WHERE a.course_id = c.id AND a.user_id = {id}) THEN 1 ELSE 0 END,
            (SELECT e.status FROM enrolments e WHERE e.course_id = c.id AND e.user_id = {id})
         FROM courses c JOIN spaces s ON s.id = c.space_id WHERE {which}"
    )
}

fn standing_of(row: CourseStandingRow) -> Option<CourseStanding> {
    let (id, slug, title, space, space_slug, published, policy, author, enrolment) = row;
    let s = CourseStanding {
        id,
        slug,
        title,
        space,
        space_slug,
        published: published.is_some(),
        policy: EnrolPolicy::parse(&policy)?,
        author: author == 1,
        enrolment,
    };
    // Drafts are their authors' alone.
    (s.published || s.author).then_some(s)
}

/// Where the viewer stands in course `slug`; `NotFound` if they may not know it exists.
pub async fn course_standing(db: &Db, viewer: Viewer, slug: &str) -> AppResult<CourseStanding> {
    let mut args = Args::new();
    let slug = args.add(slug);
    let who = Who::viewer(&mut args, viewer);
    let sql = standing_sql(&format!("c.slug = {slug}"), &who);
    let row: Option<CourseStandingRow> = sqlx::query_as_with(&sql, args)
        .fetch_optional(&db.pool)
        .await?;
    row.and_then(standing_of).ok_or(AppError::NotFound)
}

/// Where the viewer stands in course `course`; `NotFound` if they may not know it exists.
pub async fn course_standing_by_id(
    db: &Db,
    viewer: Viewer,
    course: i64,
) -> AppResult<CourseStanding> {
    let mut args = Args::new();
    let course = args.add(course);
    let who = Who::viewer(&mut args, viewer);
    let sql = standing_sql(&format!("c.id = {course}"), &who);
    let row: Option<CourseStandingRow> = sqlx::query_as_with(&sql, args)
        .fetch_optional(&db.pool)
        .await?;
    row.and_then(standing_of).ok_or(AppError::NotFound)
}

/// The course of a lesson, as the viewer stands in it.
pub async fn lesson_standing(
    db: &Db,
    viewer: Viewer,
    lesson: LessonId,
) -> AppResult<CourseStanding> {
    let course: Option<(i64,)> = sqlx::query_as("SELECT course_id FROM lessons WHERE id = $1")
        .bind(lesson)
        .fetch_optional(&db.pool)
        .await?;
    let (course,) = course.ok_or(AppError::NotFound)?;
    course_standing_by_id(db, viewer, course).await
}

/// The id of course `slug`, if the viewer is one of its authors (or an admin).
pub async fn require_course_author(db: &Db, viewer: Viewer, slug: &str) -> AppResult<CourseId> {
    let at = course_standing(db, viewer, slug).await?;
    at.require_author()?;
    Ok(at.id)
}

/// Whether the viewer may know course `course` exists (published, or their own draft).
pub async fn may_see_course(db: &Db, viewer: Viewer, course: i64) -> AppResult<bool> {
    match course_standing_by_id(db, viewer, course).await {
        Ok(_) => Ok(true),
        Err(AppError::NotFound) => Ok(false),
        Err(e) => Err(e),
    }
}

/// The address of a lesson's course, if the viewer may know it.
pub async fn lesson_course_slug(db: &Db, viewer: Viewer, lesson: LessonId) -> AppResult<String> {
    Ok(lesson_standing(db, viewer, lesson).await?.slug)
}

/// The lesson's kind, if the viewer is one of its course's authors; the course's address too.
pub async fn require_lesson_author(
    db: &Db,
    viewer: Viewer,
    lesson: LessonId,
) -> AppResult<(LessonKind, String)> {
    let at = lesson_standing(db, viewer, lesson).await?;
    at.require_author()?;
    let (kind,): (String,) = sqlx::query_as("SELECT kind FROM lessons WHERE id = $1")
        .bind(lesson)
        .fetch_one(&db.pool)
        .await?;
    let kind = LessonKind::parse(&kind).ok_or(AppError::NotFound)?;
    Ok((kind, at.slug))
}
