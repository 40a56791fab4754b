//! SCORM packages: kept unpacked in the blob store (metadata in the database) once [`check`]
//! has accepted them, listed with their SCOs, and their files served to the player.

mod check;
pub mod grants;

pub use check::{check, Checked, Limits, Unpacked};

use crate::domain::course::{LessonKind, PackageView, ScoView};
use crate::domain::ids::{LessonId, PackageId};
use crate::domain::scorm::ScormVersion;
use crate::error::{AppError, AppResult, FormErrors};
use crate::server::infra::blob_store::BlobStore;
use crate::server::infra::db::{now, Db};
use crate::server::packages::check::safe_path;
use crate::server::policy::courses::require_lesson_author;
use crate::server::policy::Viewer;

pub(crate) fn refuse(message: impl Into<String>) -> AppError {
    AppError::Validation(FormErrors::single("package", message))
}

/// The content type a package file is served with, from its extension.
pub fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit('.')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "xml" | "xsd" | "dtd" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "svg" => "image/svg+xml",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "mp4" | "m4v" => "video/mp4",
        "webm" => "video/webm",
        "ogg" | "ogv" => "video/ogg",
        "mp3" => "audio/mpeg",
        "wav" => "audio/wav",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

/// Refuses, before anything is unpacked, someone who may not upload to `lesson`.
pub async fn require_uploader(db: &Db, viewer: Viewer, lesson: LessonId) -> AppResult<()> {
    let (kind, _) = require_lesson_author(db, viewer, lesson).await?;
    if kind != LessonKind::Package {
        return Err(refuse("This lesson is not a SCORM lesson."));
    }
    Ok(())
}

/// A package path as it goes in an address: each segment percent-encoded.
pub(crate) fn percent_encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A SCO's `href` from the manifest as an address relative to its package's root: the path
/// percent-encoded, the query kept.
pub fn sco_address(href: &str) -> String {
    match href.split_once('?') {
        Some((path, query)) => format!("{}?{query}", percent_encode_path(path)),
        None => percent_encode_path(href),
    }
}

/// Stores a checked package as the package of `lesson` (replacing an earlier one; learners'
/// SCORM data for the old one goes with it): its files into the blob store, one by one, then
/// its rows. The course's authors only. Nothing is left behind when it fails.
pub async fn store(
    db: &Db,
    blobs: &BlobStore,
    viewer: Viewer,
    lesson: LessonId,
    package: Checked,
) -> AppResult<String> {
    let (kind, slug) = require_lesson_author(db, viewer, lesson).await?;
    if kind != LessonKind::Package {
        return Err(refuse("This lesson is not a SCORM lesson."));
    }
    let folder = format!("packages/{}", crate::server::infra::sessions::new_token());
    let stored = async {
        for (n, file) in package.files.iter().enumerate() {
            blobs
                .put_file(&format!("{folder}/{n}"), &file.local)
                .await?;
        }
        let old = insert(db, viewer, lesson, &package, &folder).await?;
        Ok::<_, AppError>(old)
    }
    .await;
    match stored {
        Ok(old) => {
            blobs.delete_quietly(&old).await;
            Ok(slug)
        }
        Err(e) => {
            if let Err(gone) = blobs.delete_folder(&folder).await {
                tracing::warn!(error = %gone, "a refused package's files stay until the sweep");
            }
            Err(e)
        }
    }
}

/// The rows of a package whose files are in the blob store under `folder`; returns the blob
/// keys of the package it replaces.
async fn insert(
    db: &Db,
    viewer: Viewer,
    lesson: LessonId,
    package: &Checked,
    folder: &str,
) -> AppResult<Vec<String>> {
    let total: u64 = package.files.iter().map(|f| f.size).sum();
    let mut tx = db.begin().await?;
    let old: Vec<(String,)> = sqlx::query_as(
        "SELECT f.blob_key FROM package_files f JOIN packages p ON p.id = f.package_id
         WHERE p.lesson_id = $1 AND f.blob_key IS NOT NULL",
    )
    .bind(lesson)
    .fetch_all(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM packages WHERE lesson_id = $1")
        .bind(lesson)
        .execute(&mut *tx)
        .await?;
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO packages (lesson_id, version, title, file_count, total_bytes, uploaded_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(lesson)
    .bind(package.version.as_str())
    .bind(&package.title)
    .bind(package.files.len() as i64)
    .bind(total as i64)
    .bind(viewer.id)
    .bind(now())
    .fetch_one(&mut *tx)
    .await?;
    for (i, (identifier, title, href)) in package.scos.iter().enumerate() {
        sqlx::query(
            "INSERT INTO package_scos (package_id, position, identifier, title, href)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(i as i64)
        .bind(identifier)
        .bind(title)
        .bind(href)
        .execute(&mut *tx)
        .await?;
    }
    for (n, file) in package.files.iter().enumerate() {
        sqlx::query(
            "INSERT INTO package_files (package_id, path, content_type, bytes, blob_key, size)
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id)
        .bind(&file.path)
        .bind(content_type(&file.path))
        .bind(Vec::<u8>::new())
        .bind(format!("{folder}/{n}"))
        .bind(file.size as i64)
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query("UPDATE lessons SET package_id = $1 WHERE id = $2")
        .bind(id)
        .bind(lesson)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(old.into_iter().map(|(k,)| k).collect())
}

/// Package `id` with its SCOs.
pub async fn view(db: &Db, id: i64) -> AppResult<Option<PackageView>> {
    let row: Option<(String, String, i64, i64)> = sqlx::query_as(
        "SELECT version, title, file_count, total_bytes FROM packages WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await?;
    let Some((version, title, file_count, total_bytes)) = row else {
        return Ok(None);
    };
    let scos: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT id, title, href FROM package_scos WHERE package_id = $1 ORDER BY position",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    Ok(Some(PackageView {
        id: PackageId(id),
        version: ScormVersion::parse(&version).unwrap_or(ScormVersion::V12),
        title,
        file_count,
        total_bytes,
        scos: scos
            .into_iter()
            .map(|(sco, title, href)| ScoView {
                id: sco,
                title,
                href: sco_address(&href),
            })
            .collect(),
    }))
}

/// The packages of a course's lessons, by lesson.
pub async fn of_course(db: &Db, course: i64) -> AppResult<Vec<(i64, PackageView)>> {
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT l.id, l.package_id FROM lessons l WHERE l.course_id = $1 AND l.package_id IS NOT NULL",
    )
    .bind(course)
    .fetch_all(&db.pool)
    .await?;
    let mut out = Vec::new();
    for (lesson, package) in rows {
        if let Some(p) = view(db, package).await? {
            out.push((lesson, p));
        }
    }
    Ok(out)
}

/// A package file as the player is served it.
#[derive(Debug, Clone)]
pub struct PackageFile {
    pub content_type: String,
    pub size: i64,
    /// Where its bytes are; `None` while an older version's copy in the database waits to be
    /// moved.
    pub blob_key: Option<String>,
}

/// A file of package `package` for the player (people who may take its lesson; 404 for
/// everyone else).
pub async fn file(
    db: &Db,
    viewer: Viewer,
    package: PackageId,
    path: &str,
) -> AppResult<PackageFile> {
    let lesson: Option<(i64,)> = sqlx::query_as("SELECT lesson_id FROM packages WHERE id = $1")
        .bind(package)
        .fetch_optional(&db.pool)
        .await?;
    let (lesson,) = lesson.ok_or(AppError::NotFound)?;
    let at = crate::server::policy::courses::lesson_standing(db, viewer, LessonId(lesson))
        .await
        .map_err(|_| AppError::NotFound)?;
    if !at.may_take() {
        return Err(AppError::NotFound);
    }
    let path = safe_path(path).map_err(|_| AppError::NotFound)?;
    let row: Option<(String, i64, Option<String>)> = sqlx::query_as(
        "SELECT content_type, COALESCE(size, CAST(LENGTH(bytes) AS BIGINT)), blob_key
         FROM package_files WHERE package_id = $1 AND path = $2",
    )
    .bind(package)
    .bind(&path)
    .fetch_optional(&db.pool)
    .await?;
    let (content_type, size, blob_key) = row.ok_or(AppError::NotFound)?;
    Ok(PackageFile {
        content_type,
        size,
        blob_key,
    })
}

/// `len` bytes of a package file from byte `start` (both within the file; `path` as
/// [`file`] accepted it, `blob_key` as it gave).
pub async fn read_file_range(
    db: &Db,
    blobs: &BlobStore,
    package: PackageId,
    path: &str,
    blob_key: Option<&str>,
    start: i64,
    len: i64,
) -> AppResult<Vec<u8>> {
    if let Some(key) = blob_key {
        return blobs.read_range(key, start as u64, len as u64).await;
    }
    let path = safe_path(path).map_err(|_| AppError::NotFound)?;
    let (bytes,): (Vec<u8>,) = sqlx::query_as(
        "SELECT SUBSTR(bytes, CAST($1 AS INTEGER), CAST($2 AS INTEGER)) FROM package_files
         WHERE package_id = $3 AND path = $4",
    )
    .bind(start + 1)
    .bind(len)
    .bind(package)
    .bind(&path)
    .fetch_one(&db.pool)
    .await?;
    Ok(bytes)
}
