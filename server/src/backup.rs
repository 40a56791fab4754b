//! `server backup PATH`: a consistent copy of the SQLite database, taken while Cohort runs.
//!
//! SQLite's `VACUUM INTO` writes the database as one transaction sees it, so posts written
//! meanwhile are either wholly in the copy or not at all. To restore: stop the server, put the
//! copy where `database_url` points (removing any `-wal` and `-shm` files beside the old one)
//! and start it. PostgreSQL has its own tools: `pg_dump` and `pg_restore`.

use std::path::Path;

use app::server::infra::db::{Backend, Db};

/// Copies `db` into the new file `path`; says what it did.
pub async fn backup(db: &Db, path: &Path) -> Result<String, String> {
    if db.backend != Backend::Sqlite {
        return Err(
            "backup copies a SQLite database; for PostgreSQL use pg_dump (see the README)".into(),
        );
    }
    if path.exists() {
        return Err(format!(
            "{} exists already: give the name of a new file",
            path.display()
        ));
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
    Ok(format!(
        "Copied the database into {} ({:.1} MB).",
        path.display(),
        size as f64 / 1e6
    ))
}
