//! Files uploaded to lessons: the video of a video lesson (played by the browser), the file of
//! a file lesson (downloaded), and pictures shown in a page. Kept in the database like package
//! files, so several instances need no shared disk; served only to people who may take the
//! lesson, a range at a time for videos.

use crate::domain::course::{LessonFile, LessonKind};
use crate::domain::ids::{LessonFileId, LessonId};
use crate::error::{AppError, AppResult, FormErrors};
use crate::server::infra::blob_store::BlobStore;
use crate::server::infra::db::{now, Db};
use crate::server::policy::courses::{lesson_standing, require_lesson_author};
use crate::server::policy::Viewer;

/// What a lesson file is to its lesson.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// The video of a video lesson or the file of a file lesson (one per lesson).
    Media,
    /// A picture its page shows (any number).
    Image,
}

impl Role {
    fn as_str(self) -> &'static str {
        match self {
            Role::Media => "media",
            Role::Image => "image",
        }
    }
}

fn refuse(field: &str, message: impl Into<String>) -> AppError {
    AppError::Validation(FormErrors::single(field, message))
}

/// The name an upload is kept under: its last path segment, without control characters or
/// quotes, at most 120 characters; "file" when nothing is left.
pub fn clean_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let name: String = last
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '\'' | '<' | '>' | ';'))
        .take(120)
        .collect();
    let name = name.trim().trim_start_matches('.').to_owned();
    if name.is_empty() {
        "file".into()
    } else {
        name
    }
}

/// The video formats browsers play, known by their first bytes: MP4 (and QuickTime's
/// relative M4V), WebM and Ogg.
pub fn video_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
        Some("video/mp4")
    } else if bytes.starts_with(&[0x1A, 0x45, 0xDF, 0xA3]) {
        Some("video/webm")
    } else if bytes.starts_with(b"OggS") {
        Some("video/ogg")
    } else {
        None
    }
}

/// Checks the media file of a lesson of `kind`: a video must be one browsers play; a file
/// lesson takes any file. Returns its content type.
pub fn check_media(kind: LessonKind, name: &str, bytes: &[u8], field: &str) -> AppResult<String> {
    if bytes.is_empty() {
        return Err(refuse(field, "Choose a file first."));
    }
    match kind {
        LessonKind::Video => video_type(bytes).map(str::to_owned).ok_or_else(|| {
            refuse(
                field,
                "This is not a video browsers can play: upload an MP4, WebM or Ogg file.",
            )
        }),
        LessonKind::File => Ok(crate::server::packages::content_type(name).to_owned()),
        _ => Err(refuse(
            field,
            "Only video and file lessons take an uploaded file.",
        )),
    }
}

/// A blob store name for a new lesson file.
pub fn new_blob_name() -> String {
    format!(
        "lesson-files/{}",
        crate::server::infra::sessions::new_token()
    )
}

/// A checked file of a lesson, its bytes already in the blob store.
#[derive(Debug, Clone, Copy)]
pub struct NewFile<'a> {
    pub lesson: LessonId,
    pub role: Role,
    /// As the browser sent it (cleaned here).
    pub name: &'a str,
    pub content_type: &'a str,
    /// The blob holding its bytes, and their number.
    pub blob: &'a str,
    pub size: u64,
}

/// Records `file` (a lesson's media replaces an earlier one, whose blob goes); returns its id.
/// The course's authors only. When it fails, its blob goes too.
pub async fn store(
    db: &Db,
    blobs: &BlobStore,
    viewer: Viewer,
    file: NewFile<'_>,
) -> AppResult<LessonFileId> {
    match record(db, viewer, file).await {
        Ok((id, replaced)) => {
            blobs.delete_quietly(&replaced).await;
            Ok(id)
        }
        Err(e) => {
            blobs.delete_quietly(&[file.blob.to_owned()]).await;
            Err(e)
        }
    }
}

async fn record(
    db: &Db,
    viewer: Viewer,
    file: NewFile<'_>,
) -> AppResult<(LessonFileId, Vec<String>)> {
    let NewFile {
        lesson,
        role,
        name,
        content_type,
        blob,
        size,
    } = file;
    let (kind, _) = require_lesson_author(db, viewer, lesson).await?;
    let fits = match role {
        Role::Media => matches!(kind, LessonKind::Video | LessonKind::File),
        Role::Image => true,
    };
    if !fits {
        return Err(AppError::BadRequest(
            "This lesson does not take an uploaded file.".into(),
        ));
    }
    let mut tx = db.begin().await?;
    let mut replaced = Vec::new();
    if role == Role::Media {
        let old: Vec<(Option<String>,)> = sqlx::query_as(
            "DELETE FROM lesson_files WHERE lesson_id = $1 AND role = 'media' RETURNING blob_key",
        )
        .bind(lesson)
        .fetch_all(&mut *tx)
        .await?;
        replaced.extend(old.into_iter().filter_map(|(k,)| k));
    }
    let (id,): (LessonFileId,) = sqlx::query_as(
        "INSERT INTO lesson_files
           (lesson_id, role, name, content_type, size, bytes, blob_key, uploaded_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
    )
    .bind(lesson)
    .bind(role.as_str())
    .bind(clean_name(name))
    .bind(content_type)
    .bind(size as i64)
    .bind(Vec::<u8>::new())
    .bind(blob)
    .bind(viewer.id)
    .bind(now())
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok((id, replaced))
}

/// Removes file `file` and its blob (the course's authors); returns its lesson.
pub async fn remove(
    db: &Db,
    blobs: &BlobStore,
    viewer: Viewer,
    file: LessonFileId,
) -> AppResult<LessonId> {
    let row: Option<(LessonId, Option<String>)> =
        sqlx::query_as("SELECT lesson_id, blob_key FROM lesson_files WHERE id = $1")
            .bind(file)
            .fetch_optional(&db.pool)
            .await?;
    let (lesson, blob) = row.ok_or(AppError::NotFound)?;
    require_lesson_author(db, viewer, lesson).await?;
    sqlx::query("DELETE FROM lesson_files WHERE id = $1")
        .bind(file)
        .execute(&db.pool)
        .await?;
    blobs
        .delete_quietly(&blob.into_iter().collect::<Vec<_>>())
        .await;
    Ok(lesson)
}

/// The files of the lessons of `course`, by lesson: (lesson, role, file), oldest first.
pub async fn of_course(db: &Db, course: i64) -> AppResult<Vec<(i64, Role, LessonFile)>> {
    let rows: Vec<(i64, String, i64, String, String, i64)> = sqlx::query_as(
        "SELECT f.lesson_id, f.role, f.id, f.name, f.content_type, f.size
         FROM lesson_files f JOIN lessons l ON l.id = f.lesson_id
         WHERE l.course_id = $1 ORDER BY f.id",
    )
    .bind(course)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(lesson, role, id, name, content_type, size)| {
            let role = if role == "media" {
                Role::Media
            } else {
                Role::Image
            };
            (
                lesson,
                role,
                LessonFile {
                    id: LessonFileId(id),
                    name,
                    content_type,
                    size,
                },
            )
        })
        .collect())
}

/// The media file of `lesson`, if one was uploaded.
pub async fn media_of(db: &Db, lesson: LessonId) -> AppResult<Option<LessonFile>> {
    let row: Option<(i64, String, String, i64)> = sqlx::query_as(
        "SELECT id, name, content_type, size FROM lesson_files
         WHERE lesson_id = $1 AND role = 'media' ORDER BY id DESC LIMIT 1",
    )
    .bind(lesson)
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.map(|(id, name, content_type, size)| LessonFile {
        id: LessonFileId(id),
        name,
        content_type,
        size,
    }))
}

/// A stored file as it is served.
#[derive(Debug, Clone)]
pub struct Served {
    pub file: LessonFile,
    /// Shown in the page (a video or picture), not downloaded.
    pub inline: bool,
    /// Where its bytes are (`None`: still in the database, waiting to be moved).
    pub blob_key: Option<String>,
}

/// File `file`, if the viewer may take its lesson (404 for everyone else, so its existence
/// does not leak).
pub async fn open(db: &Db, viewer: Viewer, file: LessonFileId) -> AppResult<Served> {
    type Row = (i64, String, String, String, i64, Option<String>);
    let row: Option<Row> = sqlx::query_as(
        "SELECT lesson_id, role, name, content_type, size, blob_key FROM lesson_files WHERE id = $1",
    )
    .bind(file)
    .fetch_optional(&db.pool)
    .await?;
    let (lesson, role, name, content_type, size, blob_key) = row.ok_or(AppError::NotFound)?;
    let at = lesson_standing(db, viewer, LessonId(lesson))
        .await
        .map_err(|_| AppError::NotFound)?;
    if !at.may_take() {
        return Err(AppError::NotFound);
    }
    let inline = role == "image" || content_type.starts_with("video/");
    Ok(Served {
        file: LessonFile {
            id: file,
            name,
            content_type,
            size,
        },
        inline,
        blob_key,
    })
}

/// `len` bytes of file `file` from byte `start` (both within the file), from the blob store,
/// or from the database while an older version's copy there waits to be moved.
pub async fn read_range(
    db: &Db,
    blobs: &BlobStore,
    file: LessonFileId,
    blob: Option<&str>,
    start: i64,
    len: i64,
) -> AppResult<Vec<u8>> {
    if let Some(blob) = blob {
        return blobs.read_range(blob, start as u64, len as u64).await;
    }
    // SUBSTR counts from 1 and works on BLOB (SQLite) and BYTEA (PostgreSQL, with INTEGER
    // arguments) alike.
    let (bytes,): (Vec<u8>,) = sqlx::query_as(
        "SELECT SUBSTR(bytes, CAST($1 AS INTEGER), CAST($2 AS INTEGER)) FROM lesson_files
                 WHERE id = $3",
    )
    .bind(start + 1)
    .bind(len)
    .bind(file)
    .fetch_one(&db.pool)
    .await?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_paths_and_quotes() {
        assert_eq!(
            clean_name("C:\\Users\\ana\\slides \"v2\".pdf"),
            "slides v2.pdf"
        );
        assert_eq!(clean_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_name(".."), "file");
        assert_eq!(clean_name(""), "file");
    }

    #[test]
    fn videos_are_known_by_their_first_bytes() {
        assert_eq!(video_type(b"\0\0\0\x18ftypmp42\0\0\0\0"), Some("video/mp4"));
        assert_eq!(video_type(&[0x1A, 0x45, 0xDF, 0xA3, 1]), Some("video/webm"));
        assert_eq!(video_type(b"OggS\0\x02"), Some("video/ogg"));
        assert_eq!(video_type(b"<html><script>"), None);
        assert!(check_media(LessonKind::Video, "a.mp4", b"<html>", "file").is_err());
        assert_eq!(
            check_media(LessonKind::File, "workbook.pdf", b"%PDF-1.4", "file").ok(),
            Some("application/pdf".into())
        );
    }
}
