//! `server backup PATH`: a consistent copy of the SQLite database, taken while Cohort runs,
//! and of the blob store's files beside it (`PATH.blobs`).
//!
//! SQLite's `VACUUM INTO` writes the database as one transaction sees it, so posts written
//! meanwhile are either wholly in the copy or not at all. The blob store's objects are never
//! changed once written (each upload gets a new name), so copying them after the database
//! gives every file the copy refers to, unless it was deleted in between. To restore: stop the
//! server, put the copy where `database_url` points (removing any `-wal` and `-shm` files
//! beside the old one) and `PATH.blobs` where `blob_dir` points, and start it. PostgreSQL has
//! its own tools: `pg_dump` and `pg_restore`.

use std::path::{Path, PathBuf};

use app::server::infra::db::{Backend, Db};

/// Where the copy of the blob store goes for a database copied to `path`.
pub fn blobs_beside(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".blobs");
    PathBuf::from(name)
}

/// Copies `db` into the new file `path`, and the blob store in `blob_dir` into
/// [`blobs_beside`] it; says what it did.
pub async fn backup(db: &Db, blob_dir: &Path, path: &Path) -> Result<String, String> {
    if db.backend != Backend::Sqlite {
        return Err(
            "backup copies a SQLite database; for PostgreSQL use pg_dump (see the README)".into(),
        );
    }
    let blobs = blobs_beside(path);
    for taken in [path, blobs.as_path()] {
        if taken.exists() {
            return Err(format!(
                "{} exists already: give the name of a new file",
                taken.display()
            ));
        }
    }
    let target = path
        .to_str()
        .ok_or_else(|| format!("{} is not a path SQLite can take", path.display()))?;
    sqlx::query("VACUUM INTO $1")
        .bind(target)
        .execute(&db.pool)
        .await
        .map_err(|e| format!("the copy failed: {e}"))?;
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let objects = blob_dir.join("objects");
    let (files, bytes) = if objects.exists() {
        let to = blobs.join("objects");
        tokio::task::spawn_blocking(move || copy_tree(&objects, &to))
            .await
            .map_err(|e| e.to_string())?
            .map_err(|e| format!("copying the blob store failed: {e}"))?
    } else {
        (0, 0)
    };
    Ok(format!(
        "Copied the database into {} ({:.1} MB) and the blob store's {files} files ({:.1} MB) into {}.",
        path.display(),
        size as f64 / 1e6,
        bytes as f64 / 1e6,
        blobs.display()
    ))
}

/// Copies the folder `from` into the new folder `to`: a hard link per file where both are on
/// one file system (objects never change, so a link is a copy), a real copy elsewhere. Files
/// still being written (object_store's `#` staging files) are left out. Returns the files and
/// bytes copied.
fn copy_tree(from: &Path, to: &Path) -> std::io::Result<(u64, u64)> {
    std::fs::create_dir_all(to)?;
    let (mut files, mut bytes) = (0, 0);
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        let kind = entry.file_type()?;
        if kind.is_dir() {
            let (f, b) = copy_tree(&entry.path(), &target)?;
            files += f;
            bytes += b;
        } else if kind.is_file() && !entry.file_name().to_string_lossy().contains('#') {
            if std::fs::hard_link(entry.path(), &target).is_err() {
                std::fs::copy(entry.path(), &target)?;
            }
            files += 1;
            bytes += entry.metadata()?.len();
        }
    }
    Ok((files, bytes))
}
