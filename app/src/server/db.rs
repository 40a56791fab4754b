//! The database: one `AnyPool`, SQLite or PostgreSQL by URL, migrated at start-up.
//!
//! SQL is written once with `$N` placeholders, which both backends accept; times are stored as
//! UTC unix seconds because `Any` carries only basic types.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, Executor};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("../migrations/postgres");

/// How long a SQLite writer waits for the lock before giving up.
pub const SQLITE_BUSY_TIMEOUT_MS: i64 = 5_000;

/// Which database engine the pool talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn from_url(url: &str) -> Result<Backend, DbError> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Ok(Backend::Postgres)
        } else {
            Err(DbError::Config(
                "the database URL must start with sqlite: or postgres://".into(),
            ))
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// Why the database could not be opened or prepared.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("database configuration: {0}")]
    Config(String),
    #[error("database: {0}")]
    Sqlx(#[from] sqlx::Error),
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("SQLite is not set up as required: {0}")]
    Settings(String),
}

/// The pool and the backend it talks to. Cheap to clone.
#[derive(Clone, Debug)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
}

impl Db {
    /// Opens a pool. A SQLite file (and its folder) is created when missing.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Db, DbError> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url)?;
        let url = match backend {
            Backend::Sqlite => prepare_sqlite_url(url)?,
            Backend::Postgres => url.to_owned(),
        };
        let options: AnyConnectOptions = url
            .parse()
            .map_err(|e: sqlx::Error| DbError::Config(e.to_string()))?;
        let pool = AnyPoolOptions::new()
            .max_connections(max_connections)
            .acquire_timeout(Duration::from_secs(5))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        conn.execute(
                            format!(
                                "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                                 PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}; \
                                 PRAGMA foreign_keys = ON;"
                            )
                            .as_str(),
                        )
                        .await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        let db = Db { pool, backend };
        if backend == Backend::Sqlite {
            db.check_sqlite_settings().await?;
        }
        Ok(db)
    }

    /// Applies pending migrations. Several instances may start at once: sqlx takes a lock.
    ///
    /// On SQLite they run on one connection with foreign keys off, as SQLite documents for
    /// rebuilding a table that others reference (a `DROP TABLE` would otherwise cascade);
    /// the keys are checked once the migrations are done.
    pub async fn migrate(&self) -> Result<(), DbError> {
        match self.backend {
            Backend::Sqlite => {
                let mut conn = self.pool.acquire().await?;
                conn.execute("PRAGMA foreign_keys = OFF").await?;
                let ran = SQLITE_MIGRATIONS.run(&mut *conn).await;
                conn.execute("PRAGMA foreign_keys = ON").await?;
                ran?;
                let broken: Vec<(String,)> =
                    sqlx::query_as("SELECT \"table\" FROM pragma_foreign_key_check")
                        .fetch_all(&mut *conn)
                        .await?;
                if let Some((table,)) = broken.first() {
                    return Err(DbError::Settings(format!(
                        "after migrating, rows of {table} point at rows that do not exist"
                    )));
                }
            }
            Backend::Postgres => POSTGRES_MIGRATIONS.run(&self.pool).await?,
        }
        Ok(())
    }

    /// The newest migration applied, if any.
    pub async fn migration_version(&self) -> Result<Option<i64>, sqlx::Error> {
        let (version,): (Option<i64>,) =
            sqlx::query_as("SELECT MAX(version) FROM _sqlx_migrations WHERE success")
                .fetch_one(&self.pool)
                .await?;
        Ok(version)
    }

    /// The newest migration this build knows.
    pub fn latest_known_migration(&self) -> Option<i64> {
        let m = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        m.iter().map(|m| m.version).max()
    }

    /// Cheap liveness probe.
    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        sqlx::query("SELECT 1")
            .execute(&self.pool)
            .await
            .map(|_| ())
    }

    /// Refuses to run unless SQLite uses WAL, `synchronous=NORMAL` and a busy timeout.
    async fn check_sqlite_settings(&self) -> Result<(), DbError> {
        let (mode,): (String,) = sqlx::query_as("PRAGMA journal_mode")
            .fetch_one(&self.pool)
            .await?;
        let (sync,): (i64,) = sqlx::query_as("PRAGMA synchronous")
            .fetch_one(&self.pool)
            .await?;
        let (busy,): (i64,) = sqlx::query_as("PRAGMA busy_timeout")
            .fetch_one(&self.pool)
            .await?;
        // synchronous: 0 OFF, 1 NORMAL, 2 FULL.
        if !mode.eq_ignore_ascii_case("wal") || sync != 1 || busy < SQLITE_BUSY_TIMEOUT_MS {
            return Err(DbError::Settings(format!(
                "journal_mode={mode}, synchronous={sync}, busy_timeout={busy}"
            )));
        }
        Ok(())
    }
}

/// Adds `mode=rwc` so the file is created, and creates its folder.
fn prepare_sqlite_url(url: &str) -> Result<String, DbError> {
    let rest = url.trim_start_matches("sqlite:").trim_start_matches("//");
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path.is_empty() || path == ":memory:" {
        return Err(DbError::Config(
            "use a SQLite file (sqlite:path/to/cohort.db); in-memory databases cannot use WAL"
                .into(),
        ));
    }
    if let Some(dir) = std::path::Path::new(path).parent() {
        if !dir.as_os_str().is_empty() {
            std::fs::create_dir_all(dir)
                .map_err(|e| DbError::Config(format!("cannot create {}: {e}", dir.display())))?;
        }
    }
    let query = if query.contains("mode=") {
        query.to_owned()
    } else if query.is_empty() {
        "mode=rwc".to_owned()
    } else {
        format!("{query}&mode=rwc")
    };
    Ok(format!("sqlite://{path}?{query}"))
}

/// Now, as stored: UTC unix seconds.
pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

/// True when the error is a unique-constraint violation (both backends).
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(d) => d.is_unique_violation(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_get_create_mode() -> Result<(), DbError> {
        let dir = std::env::temp_dir().join("cohort-url-test");
        let url = format!("sqlite:{}/x.db", dir.display());
        assert_eq!(
            prepare_sqlite_url(&url)?,
            format!("sqlite://{}/x.db?mode=rwc", dir.display())
        );
        assert!(prepare_sqlite_url("sqlite::memory:").is_err());
        assert_eq!(Backend::from_url("postgres://h/db")?, Backend::Postgres);
        assert!(Backend::from_url("mysql://h/db").is_err());
        Ok(())
    }

    /// A SQLite database made before lessons could be files keeps its lessons, and what
    /// refers to them, when `lessons` is rebuilt (migration 8).
    #[tokio::test]
    async fn rebuilding_lessons_keeps_what_refers_to_them() -> Result<(), DbError> {
        let dir = std::env::temp_dir().join(format!("cohort-migrate-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let db = Db::connect(&format!("sqlite:{}/old.db", dir.display()), 2).await?;
        let before_8 = Migrator {
            migrations: SQLITE_MIGRATIONS
                .iter()
                .filter(|m| m.version < 8)
                .cloned()
                .collect(),
            ..Migrator::DEFAULT
        };
        before_8.run(&db.pool).await?;
        db.pool
            .execute(
                "INSERT INTO users (id, email, display_name, password_hash, created_at, updated_at)
                     VALUES (1, 'a@example.com', 'Ada', 'x', 0, 0);
                 INSERT INTO spaces (id, slug, name, visibility, join_policy, created_by, created_at, last_activity_at)
                     VALUES (1, 'c', 'C', 'private', 'invite', 1, 0, 0);
                 INSERT INTO courses (id, slug, title, space_id, enrol_policy, created_by, created_at)
                     VALUES (1, 'c', 'C', 1, 'open', 1, 0);
                 INSERT INTO course_modules (id, course_id, title, position) VALUES (1, 1, 'M', 1);
                 INSERT INTO lessons (id, course_id, module_id, position, kind, title, created_at)
                     VALUES (7, 1, 1, 1, 'package', 'L', 0);
                 INSERT INTO packages (id, lesson_id, version, title, file_count, total_bytes, uploaded_by, created_at)
                     VALUES (3, 7, '1.2', 'P', 0, 0, 1, 0);",
            )
            .await?;
        db.migrate().await?;
        let (lessons, packages): (i64, i64) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM lessons WHERE id = 7), (SELECT COUNT(*) FROM packages WHERE lesson_id = 7)",
        )
        .fetch_one(&db.pool)
        .await?;
        assert_eq!((lessons, packages), (1, 1), "nothing cascaded away");
        // The new kind is accepted, and deleting a lesson still cascades to its package.
        db.pool
            .execute(
                "INSERT INTO lessons (course_id, module_id, position, kind, title, created_at)
                 VALUES (1, 1, 2, 'file', 'F', 0)",
            )
            .await?;
        db.pool.execute("DELETE FROM lessons WHERE id = 7").await?;
        let (left,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM packages")
            .fetch_one(&db.pool)
            .await?;
        assert_eq!(left, 0);
        db.pool.close().await;
        let _ = std::fs::remove_dir_all(&dir);
        Ok(())
    }
}
