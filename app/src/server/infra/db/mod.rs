//! The database: one `AnyPool`, SQLite or PostgreSQL by URL, migrated at start-up.
//!
//! SQL is written once with `$N` placeholders, which both backends accept; times are stored as
//! UTC unix seconds because `Any` carries only basic types.

mod writer;

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, Executor};
use tokio::sync::Mutex;

use writer::Writer;
pub use writer::{Tx, MOST_IN_A_BATCH};

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
    /// SQLite has one writer at a time, so its transactions run in turn on one connection of
    /// their own, kept out of the pool. Waiting here, in turn, is fairer than SQLite's busy
    /// handler, which sleeps and retries (1, 2, 5, 10 ... 100 ms) and so makes writers wait
    /// long after the lock is free. And this connection keeps its page cache from one of its
    /// writes to the next, unless a single statement on the pool (a session, a rate limit,
    /// presence) wrote in between; a pooled connection drops its cache whenever another has
    /// committed. `None` on PostgreSQL.
    writer: Option<Arc<Mutex<Writer>>>,
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
        let writer = match backend {
            // Opened by the pool, so it gets the same settings, then taken out of it.
            Backend::Sqlite => Some(Arc::new(Mutex::new(Writer::new(
                pool.acquire().await?.detach(),
                pool.clone(),
            )))),
            Backend::Postgres => None,
        };
        let db = Db {
            pool,
            backend,
            writer,
        };
        if backend == Backend::Sqlite {
            db.check_sqlite_settings().await?;
        }
        Ok(db)
    }

    /// Begins a transaction. On SQLite it first waits its turn on the writer connection, then
    /// joins the open batch or opens one (see [`writer`]).
    pub async fn begin(&self) -> Result<Tx, sqlx::Error> {
        match &self.writer {
            None => Ok(Tx::on_pool(self.pool.begin().await?)),
            Some(writer) => Tx::on_writer(writer.clone()).await,
        }
    }

    /// Sets the most SQLite transactions committed together (at least 1).
    pub async fn set_sqlite_batch(&self, most: usize) {
        if let Some(writer) = &self.writer {
            writer.lock().await.set_most(most);
        }
    }

    /// How many SQLite batches of transactions have been committed (tests).
    #[cfg(test)]
    async fn batches_committed(&self) -> u64 {
        match &self.writer {
            Some(writer) => writer.lock().await.commits(),
            None => 0,
        }
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
                let before = applied_migrations(&mut conn).await?;
                conn.execute("PRAGMA foreign_keys = OFF").await?;
                let ran = SQLITE_MIGRATIONS.run(&mut *conn).await;
                conn.execute("PRAGMA foreign_keys = ON").await?;
                ran?;
                // The check reads every reference in the database (seconds on a large one),
                // so it runs only when a migration was applied just now.
                if applied_migrations(&mut conn).await? == before {
                    return Ok(());
                }
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

/// How many migrations a SQLite database records as applied (none before the first run).
async fn applied_migrations(conn: &mut sqlx::AnyConnection) -> Result<i64, sqlx::Error> {
    let (tables,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
    )
    .fetch_one(&mut *conn)
    .await?;
    if tables == 0 {
        return Ok(0);
    }
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM _sqlx_migrations WHERE success")
        .fetch_one(&mut *conn)
        .await?;
    Ok(n)
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

/// A fresh SQLite database in a folder of its own, for a unit test; `remove` closes and deletes it.
#[cfg(test)]
pub(crate) struct TestDb {
    pub db: Db,
    dir: std::path::PathBuf,
}

#[cfg(test)]
impl TestDb {
    pub async fn open(name: &str, connections: u32) -> Result<TestDb, DbError> {
        let dir = std::env::temp_dir().join(format!("cohort-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let db = Db::connect(&format!("sqlite:{}/{name}.db", dir.display()), connections).await?;
        Ok(TestDb { db, dir })
    }

    pub async fn remove(self) {
        self.db.pool.close().await;
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[cfg(test)]
mod tests;
