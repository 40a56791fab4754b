//! Moving the bytes of lesson files and package files that older versions kept in the
//! database into the blob store: one file at a time, each moved by one update, so a restart
//! (or a second instance doing the same) resumes without losing or doubling anything.

use crate::domain::ids::{LessonFileId, PackageId};
use crate::error::AppResult;
use crate::server::infra::blob_store::BlobStore;
use crate::server::infra::db::Db;

/// How much of a file is read from the database at a time.
const PIECE: i64 = 8 * 1024 * 1024;

/// Moves every file still in the database; returns how many.
pub async fn move_out(db: &Db, blobs: &BlobStore) -> AppResult<usize> {
    let mut moved = 0;
    loop {
        let next: Option<(LessonFileId, i64)> = sqlx::query_as(
            "SELECT id, size FROM lesson_files WHERE blob_key IS NULL ORDER BY id LIMIT 1",
        )
        .fetch_optional(&db.pool)
        .await?;
        let Some((id, size)) = next else { break };
        let name = super::files::new_blob_name();
        let read = |start, len| super::files::read_range(db, blobs, id, None, start, len);
        let still_there = || async {
            let row: Option<(i64,)> =
                sqlx::query_as("SELECT 1 FROM lesson_files WHERE id = $1 AND blob_key IS NULL")
                    .bind(id)
                    .fetch_optional(&db.pool)
                    .await?;
            Ok(row.is_some())
        };
        if !copy_unless_gone(blobs, &name, size, read, still_there).await? {
            continue;
        }
        let done = sqlx::query(
            "UPDATE lesson_files SET blob_key = $1, bytes = $2 WHERE id = $3 AND blob_key IS NULL",
        )
        .bind(&name)
        .bind(Vec::<u8>::new())
        .bind(id)
        .execute(&db.pool)
        .await?;
        settle(blobs, &name, done.rows_affected()).await?;
        moved += 1;
    }
    loop {
        let next: Option<(PackageId, String, i64)> = sqlx::query_as(
            "SELECT package_id, path, CAST(LENGTH(bytes) AS BIGINT) FROM package_files
             WHERE blob_key IS NULL ORDER BY package_id, path LIMIT 1",
        )
        .fetch_optional(&db.pool)
        .await?;
        let Some((package, path, size)) = next else {
            break;
        };
        let name = format!(
            "packages/moved-{package}/{}",
            crate::server::infra::sessions::new_token()
        );
        let read = |start, len| {
            crate::server::packages::read_file_range(db, blobs, package, &path, None, start, len)
        };
        let still_there = || async {
            let row: Option<(i64,)> = sqlx::query_as(
                "SELECT 1 FROM package_files WHERE package_id = $1 AND path = $2
                 AND blob_key IS NULL",
            )
            .bind(package)
            .bind(&path)
            .fetch_optional(&db.pool)
            .await?;
            Ok(row.is_some())
        };
        if !copy_unless_gone(blobs, &name, size, read, still_there).await? {
            continue;
        }
        let done = sqlx::query(
            "UPDATE package_files SET blob_key = $1, size = $2, bytes = $3
             WHERE package_id = $4 AND path = $5 AND blob_key IS NULL",
        )
        .bind(&name)
        .bind(size)
        .bind(Vec::<u8>::new())
        .bind(package)
        .bind(&path)
        .execute(&db.pool)
        .await?;
        settle(blobs, &name, done.rows_affected()).await?;
        moved += 1;
    }
    Ok(moved)
}

/// [`copy`]; false, with nothing copied, when it failed because the file's row went (or was
/// moved by another instance) meanwhile; an error when it failed for another reason.
async fn copy_unless_gone<F, Fut, G, GFut>(
    blobs: &BlobStore,
    name: &str,
    size: i64,
    read: F,
    still_there: G,
) -> AppResult<bool>
where
    F: Fn(i64, i64) -> Fut,
    Fut: std::future::Future<Output = AppResult<Vec<u8>>>,
    G: FnOnce() -> GFut,
    GFut: std::future::Future<Output = AppResult<bool>>,
{
    match copy(blobs, name, size, read).await {
        Ok(()) => Ok(true),
        Err(e) if still_there().await? => Err(e),
        Err(_) => Ok(false),
    }
}

/// Copies `size` bytes, read piece by piece by `read(start, len)`, into the object `name`.
async fn copy<F, Fut>(blobs: &BlobStore, name: &str, size: i64, read: F) -> AppResult<()>
where
    F: Fn(i64, i64) -> Fut,
    Fut: std::future::Future<Output = AppResult<Vec<u8>>>,
{
    let mut writer = blobs.writer(name).await?;
    let mut start = 0;
    while start < size {
        let piece = read(start, PIECE.min(size - start)).await;
        let written = match piece {
            Ok(p) if p.is_empty() => break,
            Ok(p) => {
                start += p.len() as i64;
                writer.write(&p).await
            }
            Err(e) => Err(e),
        };
        if let Err(e) = written {
            writer.abort().await;
            return Err(e);
        }
    }
    writer.finish().await.map(|_| ())
}

/// After the update: when another instance moved the file first, this copy goes.
async fn settle(blobs: &BlobStore, name: &str, updated: u64) -> AppResult<()> {
    if updated == 0 {
        blobs.delete(name).await?;
    }
    Ok(())
}

/// Deletes the objects no row names any more and that were written more than `age` ago (the
/// files of uploads still on their way in are younger), and staging files as old: what a
/// lesson, course or space deleted with its rows, or a crash, left behind. Returns how many
/// objects went.
pub async fn sweep(db: &Db, blobs: &BlobStore, age: std::time::Duration) -> AppResult<usize> {
    blobs.sweep_staging(age).await?;
    let candidates = blobs.older_than(age).await?;
    let mut deleted = 0;
    for name in candidates {
        let named: Option<(i64,)> = sqlx::query_as(
            "SELECT 1 FROM lesson_files WHERE blob_key = $1
             UNION ALL SELECT 1 FROM package_files WHERE blob_key = $1 LIMIT 1",
        )
        .bind(&name)
        .fetch_optional(&db.pool)
        .await?;
        if named.is_none() {
            blobs.delete(&name).await?;
            deleted += 1;
        }
    }
    Ok(deleted)
}
