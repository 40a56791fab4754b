//! Authoring lessons: adding, editing and deleting them (pages, videos, files, packages).

use crate::domain::course::{check_video_url, LessonKind};
use crate::domain::discussion::check_title;
use crate::domain::ids::{LessonId, ModuleId};
use crate::domain::post::PostBody;
use crate::error::{AppError, AppResult, FormErrors};
use crate::server::courses::authoring::recount;
use crate::server::infra::db::{now, Db};
use crate::server::infra::markdown;
use crate::server::policy::courses::course_standing;
use crate::server::policy::Viewer;

/// What the lesson form sends.
#[derive(Debug, Default, Clone)]
pub struct LessonInput {
    pub title: String,
    pub kind: String,
    pub body: String,
    pub video_url: String,
}

struct CheckedLesson {
    title: String,
    kind: LessonKind,
    body: String,
    html: String,
    video_url: String,
}

impl LessonInput {
    fn check(&self) -> AppResult<CheckedLesson> {
        let mut errors = FormErrors::new();
        let title = check_title(&self.title)
            .map_err(|m| errors.add("title", m))
            .unwrap_or_default();
        let kind = LessonKind::parse(&self.kind);
        let mut body = String::new();
        let mut video_url = String::new();
        match kind {
            None => errors.add("kind", "Choose what kind of lesson this is."),
            Some(LessonKind::Page) => {
                body = PostBody::check(&self.body)
                    .map_err(|m| errors.add("body", m))
                    .unwrap_or_default();
            }
            Some(LessonKind::Video) => {
                video_url = check_video_url(&self.video_url)
                    .map_err(|m| errors.add("video_url", m))
                    .unwrap_or_default();
                // An optional text under the video.
                body = self.body.trim().to_owned();
            }
            Some(LessonKind::Package | LessonKind::File) => body = self.body.trim().to_owned(),
        }
        if body.chars().count() > PostBody::MAX {
            errors.add("body", "The text is too long.");
        }
        match kind {
            Some(kind) if errors.is_empty() => Ok(CheckedLesson {
                title,
                kind,
                html: markdown::render(&body),
                body,
                video_url,
            }),
            _ => Err(AppError::Validation(
                errors
                    .keep("title", &self.title)
                    .keep("kind", &self.kind)
                    .keep("body", &self.body)
                    .keep("video_url", &self.video_url),
            )),
        }
    }
}

/// Adds a lesson at the end of module `module`; returns its id.
pub async fn add_lesson(
    db: &Db,
    viewer: Viewer,
    slug: &str,
    module: ModuleId,
    input: LessonInput,
) -> AppResult<LessonId> {
    let at = course_standing(db, viewer, slug).await?;
    at.require_author()?;
    let l = input.check()?;
    let mut tx = db.begin().await?;
    let found: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM course_modules WHERE id = $1 AND course_id = $2")
            .bind(module)
            .bind(at.id)
            .fetch_optional(&mut *tx)
            .await?;
    if found.is_none() {
        return Err(AppError::NotFound);
    }
    let (id,): (LessonId,) = sqlx::query_as(
        "INSERT INTO lessons (course_id, module_id, position, kind, title, body_md, body_html,
                              video_url, created_at)
         VALUES ($1, $2, (SELECT COALESCE(MAX(position), 0) + 1 FROM lessons WHERE module_id = $2),
                 $3, $4, $5, $6, $7, $8)
         RETURNING id",
    )
    .bind(at.id)
    .bind(module)
    .bind(l.kind.as_str())
    .bind(&l.title)
    .bind(&l.body)
    .bind(&l.html)
    .bind(&l.video_url)
    .bind(now())
    .fetch_one(&mut *tx)
    .await?;
    recount(&mut tx, at.id).await?;
    // Learners who had finished have a lesson left again.
    crate::server::courses::progress::recount(&mut tx, at.id, None).await?;
    tx.commit().await?;
    Ok(id)
}

/// Changes a lesson's title and content (its kind stays).
pub async fn edit_lesson(
    db: &Db,
    viewer: Viewer,
    lesson: LessonId,
    mut input: LessonInput,
) -> AppResult<String> {
    let at = crate::server::policy::courses::lesson_standing(db, viewer, lesson).await?;
    at.require_author()?;
    let (kind,): (String,) = sqlx::query_as("SELECT kind FROM lessons WHERE id = $1")
        .bind(lesson)
        .fetch_one(&db.pool)
        .await?;
    input.kind = kind;
    let l = input.check()?;
    sqlx::query(
        "UPDATE lessons SET title = $1, body_md = $2, body_html = $3, video_url = $4 WHERE id = $5",
    )
    .bind(&l.title)
    .bind(&l.body)
    .bind(&l.html)
    .bind(&l.video_url)
    .bind(lesson)
    .execute(&db.pool)
    .await?;
    Ok(at.slug)
}

/// Removes a lesson with its package, its files (and their objects in the blob store) and its
/// learners' progress on it.
pub async fn delete_lesson(
    db: &Db,
    blobs: &crate::server::infra::blob_store::BlobStore,
    viewer: Viewer,
    lesson: LessonId,
) -> AppResult<String> {
    let at = crate::server::policy::courses::lesson_standing(db, viewer, lesson).await?;
    at.require_author()?;
    let mut tx = db.begin().await?;
    let stored: Vec<(String,)> = sqlx::query_as(
        "SELECT f.blob_key FROM package_files f JOIN packages p ON p.id = f.package_id
         WHERE p.lesson_id = $1 AND f.blob_key IS NOT NULL
         UNION ALL SELECT blob_key FROM lesson_files WHERE lesson_id = $1 AND blob_key IS NOT NULL",
    )
    .bind(lesson)
    .fetch_all(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM packages WHERE lesson_id = $1")
        .bind(lesson)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM lesson_progress WHERE lesson_id = $1")
        .bind(lesson)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM lessons WHERE id = $1")
        .bind(lesson)
        .execute(&mut *tx)
        .await?;
    recount(&mut tx, at.id).await?;
    crate::server::courses::progress::recount(&mut tx, at.id, None).await?;
    tx.commit().await?;
    let stored: Vec<String> = stored.into_iter().map(|(k,)| k).collect();
    blobs.delete_quietly(&stored).await;
    Ok(at.slug)
}
