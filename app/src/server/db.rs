//! The database: one `AnyPool`, SQLite or PostgreSQL by URL, migrated at start-up.
//!
//! SQL is written once with `$N` placeholders, which both backends accept; times are stored as
//! UTC unix seconds because `Any` carries only basic types.

use std::ops::{Deref, DerefMut};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use sqlx::any::AnyTransactionManager;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::Migrator;
use sqlx::{Any, AnyConnection, AnyPool, Connection, Executor, Transaction, TransactionManager};
use tokio::sync::{Mutex, OwnedMutexGuard};

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

/// The most transactions one SQLite commit takes in, unless the `sqlite_batch` setting says
/// otherwise (1 commits each transaction alone).
pub const MOST_IN_A_BATCH: usize = 64;

/// SQLite's writer connection and the batch of transactions it has open.
///
/// Transactions that wait their turn while another runs are committed together (group
/// commit): the first of a batch opens a database transaction, and each runs inside it as a
/// savepoint, released when it commits or rolled back when it is dropped. A transaction's
/// `commit` returns once the batch is committed, so what it wrote is then seen by every
/// connection, as before. The batch is committed by the first of its transactions to come
/// back for the connection after committing, so it holds the transactions that queued up
/// meanwhile. Each commit writes the pages they share once, and the search index adds one
/// segment, instead of one per transaction.
#[derive(Debug)]
struct Writer {
    conn: AnyConnection,
    /// Where a replacement connection comes from.
    pool: AnyPool,
    batch: Option<Arc<Batch>>,
    members: usize,
    most: usize,
    /// A dropped transaction's rollback was sent and may not have run yet, so the
    /// connection's transaction depth cannot be trusted until it has.
    rollback_queued: bool,
    /// Batches committed, for tests.
    commits: u64,
}

/// How a batch ended, set once when it is committed or lost.
#[derive(Debug, Default)]
struct Batch {
    outcome: OnceLock<Result<(), String>>,
}

impl Writer {
    /// Waits until a queued rollback has run (the connection runs what it is sent in order).
    async fn settle(&mut self) {
        if self.rollback_queued {
            let _ = self.conn.ping().await;
            self.rollback_queued = false;
        }
    }

    /// Commits the open batch, if any, first rolling back what was left unfinished in it,
    /// and tells its transactions how it went.
    async fn close_batch(&mut self) {
        self.settle().await;
        let Some(batch) = self.batch.take() else {
            return;
        };
        self.members = 0;
        let mut outcome = Ok(());
        while outcome.is_ok() && AnyTransactionManager::get_transaction_depth(&self.conn) > 1 {
            outcome = AnyTransactionManager::rollback(&mut self.conn).await;
        }
        let outcome = match outcome {
            Ok(()) if AnyTransactionManager::get_transaction_depth(&self.conn) == 1 => {
                AnyTransactionManager::commit(&mut self.conn).await
            }
            Ok(()) => Err(sqlx::Error::Protocol("the transaction was lost".into())),
            Err(e) => Err(e),
        };
        match &outcome {
            Ok(()) => self.commits += 1,
            Err(e) => {
                tracing::warn!("a SQLite batch of transactions failed: {e}");
                // Out of the transaction at once, so it does not hold the write lock until
                // the next `begin`.
                if let Err(e) = self.leave_transactions().await {
                    tracing::warn!("no SQLite writer connection to replace it with: {e}");
                }
            }
        }
        let _ = batch.outcome.set(outcome.map_err(|e| e.to_string()));
    }

    /// Makes sure no transaction is open, replacing the connection if it cannot roll back.
    async fn leave_transactions(&mut self) -> Result<(), sqlx::Error> {
        if AnyTransactionManager::get_transaction_depth(&self.conn) > 0 {
            // A failed commit or rollback: the connection must not stay inside it, or every
            // later transaction would be a savepoint that is never committed.
            let rolled_back = AnyTransactionManager::rollback(&mut self.conn)
                .await
                .is_ok();
            if !rolled_back || AnyTransactionManager::get_transaction_depth(&self.conn) > 0 {
                tracing::warn!("the SQLite writer connection could not roll back: replaced");
                self.conn = self.pool.acquire().await?.detach();
            }
        }
        Ok(())
    }

    /// Opens a batch: a database transaction, on a new connection if this one has stopped.
    ///
    /// `BEGIN IMMEDIATE` takes the write lock at once, so what the batch's transactions read is
    /// not overtaken by a pool statement's write before they write themselves (which SQLite
    /// would refuse with `SQLITE_BUSY_SNAPSHOT`, without waiting).
    async fn open_batch(&mut self) -> Result<(), sqlx::Error> {
        self.leave_transactions().await?;
        let immediate = || Some("BEGIN IMMEDIATE".into());
        if let Err(e) = AnyTransactionManager::begin(&mut self.conn, immediate()).await {
            if !matches!(e, sqlx::Error::WorkerCrashed) {
                return Err(e);
            }
            tracing::warn!("the SQLite writer connection had stopped: replaced");
            self.conn = self.pool.acquire().await?.detach();
            AnyTransactionManager::begin(&mut self.conn, immediate()).await?;
        }
        self.batch = Some(Arc::default());
        Ok(())
    }
}

/// A transaction, used like sqlx's (`&mut *tx` is the connection): dropping it uncommitted
/// rolls it back. On SQLite it holds the writer connection until it commits or is dropped.
pub struct Tx(TxOn);

enum TxOn {
    Pool(Transaction<'static, Any>),
    Writer(WriterTx),
}

/// A transaction on SQLite's writer connection: a savepoint in its batch.
struct WriterTx {
    held: Held,
    batch: BatchTurn,
}

/// The writer connection, held until the transaction commits or is dropped; dropped
/// uncommitted, it rolls the savepoint back.
struct Held {
    writer: OwnedMutexGuard<Writer>,
    committed: bool,
}

impl Drop for Held {
    fn drop(&mut self) {
        if !self.committed {
            // Queued on the connection before anything the next holder sends, as sqlx does.
            AnyTransactionManager::start_rollback(&mut self.writer.conn);
            self.writer.rollback_queued = true;
        }
    }
}

/// A transaction's part in its batch: dropped before the batch has ended (the transaction
/// was dropped uncommitted, or while committing), it sees the batch committed, for the
/// batch's other transactions may be waiting for that.
struct BatchTurn {
    writer: Arc<Mutex<Writer>>,
    batch: Arc<Batch>,
}

impl BatchTurn {
    /// Waits for the batch to be committed, committing it if no one has yet. That runs as a
    /// task of its own, so it is done even if the caller stops waiting.
    async fn wait(&self) -> Result<(), sqlx::Error> {
        let outcome = tokio::spawn(see_batch_out(self.writer.clone(), self.batch.clone()))
            .await
            .map_err(|e| sqlx::Error::Protocol(e.to_string()))?;
        outcome.map_err(|e| sqlx::Error::Protocol(format!("the commit failed: {e}")))
    }
}

impl Drop for BatchTurn {
    fn drop(&mut self) {
        if self.batch.outcome.get().is_none() {
            if let Ok(runtime) = tokio::runtime::Handle::try_current() {
                runtime.spawn(see_batch_out(self.writer.clone(), self.batch.clone()));
            }
        }
    }
}

impl WriterTx {
    /// Releases the savepoint, then waits for the batch to be committed.
    async fn commit(self) -> Result<(), sqlx::Error> {
        let WriterTx { mut held, batch } = self;
        // Failed, the savepoint stays, and the batch's commit rolls it back.
        let released = AnyTransactionManager::commit(&mut held.writer.conn).await;
        held.committed = true;
        drop(held);
        released?;
        batch.wait().await
    }
}

/// Commits the batch unless that was done already; how it ended.
async fn see_batch_out(writer: Arc<Mutex<Writer>>, batch: Arc<Batch>) -> Result<(), String> {
    if let Some(outcome) = batch.outcome.get() {
        return outcome.clone();
    }
    let mut held = writer.lock_owned().await;
    if batch.outcome.get().is_none() {
        // Not ended, so it is still the open batch: it ends only here.
        held.close_batch().await;
    }
    batch
        .outcome
        .get()
        .cloned()
        .unwrap_or_else(|| Err("the transaction was lost".into()))
}

impl Tx {
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        match self.0 {
            TxOn::Pool(tx) => tx.commit().await,
            TxOn::Writer(tx) => tx.commit().await,
        }
    }
}

impl Deref for Tx {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        match &self.0 {
            TxOn::Pool(tx) => tx,
            TxOn::Writer(tx) => &tx.held.writer.conn,
        }
    }
}

impl DerefMut for Tx {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        match &mut self.0 {
            TxOn::Pool(tx) => tx,
            TxOn::Writer(tx) => &mut tx.held.writer.conn,
        }
    }
}

/// Waits its turn on the writer connection (at most the busy timeout, as SQLite itself would
/// wait), then joins the open batch or opens one, and makes the transaction's savepoint.
async fn begin_on_writer(writer: Arc<Mutex<Writer>>) -> Result<WriterTx, sqlx::Error> {
    let wait = Duration::from_millis(SQLITE_BUSY_TIMEOUT_MS as u64);
    let mut held = tokio::time::timeout(wait, writer.clone().lock_owned())
        .await
        .map_err(|_| sqlx::Error::PoolTimedOut)?;
    held.settle().await;
    let joinable = held.batch.is_some()
        && held.members < held.most
        && AnyTransactionManager::get_transaction_depth(&held.conn) == 1;
    if !joinable {
        held.close_batch().await;
        held.open_batch().await?;
    }
    let Some(batch) = held.batch.clone() else {
        return Err(sqlx::Error::Protocol("no batch was opened".into()));
    };
    if let Err(e) = AnyTransactionManager::begin(&mut held.conn, None).await {
        // The savepoint was not made: end the batch with what it holds.
        held.close_batch().await;
        return Err(e);
    }
    held.members += 1;
    Ok(WriterTx {
        held: Held {
            writer: held,
            committed: false,
        },
        batch: BatchTurn { writer, batch },
    })
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
            Backend::Sqlite => Some(Arc::new(Mutex::new(Writer {
                conn: pool.acquire().await?.detach(),
                pool: pool.clone(),
                batch: None,
                members: 0,
                most: MOST_IN_A_BATCH,
                rollback_queued: false,
                commits: 0,
            }))),
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
    /// joins the open batch or opens one ([`begin_on_writer`]).
    pub async fn begin(&self) -> Result<Tx, sqlx::Error> {
        match &self.writer {
            None => Ok(Tx(TxOn::Pool(self.pool.begin().await?))),
            Some(writer) => {
                // In a task of its own, so a caller that stops waiting cannot leave a batch
                // half committed or a savepoint half made: the transaction is then made and
                // dropped, which rolls it back.
                let task = tokio::spawn(begin_on_writer(writer.clone()));
                let tx = task
                    .await
                    .map_err(|e| sqlx::Error::Protocol(e.to_string()))??;
                Ok(Tx(TxOn::Writer(tx)))
            }
        }
    }

    /// Sets the most SQLite transactions committed together (at least 1).
    pub async fn set_sqlite_batch(&self, most: usize) {
        if let Some(writer) = &self.writer {
            writer.lock().await.most = most.max(1);
        }
    }

    /// How many SQLite batches of transactions have been committed (tests).
    #[cfg(test)]
    async fn batches_committed(&self) -> u64 {
        match &self.writer {
            Some(writer) => writer.lock().await.commits,
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

    /// The bundled SQLite is compiled as `.cargo/config.toml` says: without STAT4 (with it, a
    /// prepared statement went stale on every bind once `ANALYZE` had run, and the home feed's
    /// query was parsed again on each request) and without memory statistics (a global lock
    /// on every allocation).
    #[tokio::test]
    async fn sqlite_is_compiled_to_keep_prepared_statements() -> Result<(), DbError> {
        let test_db = TestDb::open("options", 1).await?;
        let db = &test_db.db;
        let options: Vec<(String,)> =
            sqlx::query_as("SELECT compile_options FROM pragma_compile_options")
                .fetch_all(&db.pool)
                .await?;
        let options: Vec<&str> = options.iter().map(|(o,)| o.as_str()).collect();
        assert!(!options.contains(&"ENABLE_STAT4"), "{options:?}");
        assert!(options.contains(&"DEFAULT_MEMSTATUS=0"), "{options:?}");
        test_db.remove().await;
        Ok(())
    }

    /// A SQLite database made before lessons could be files keeps its lessons, and what
    /// refers to them, when `lessons` is rebuilt (migration 8).
    #[tokio::test]
    async fn rebuilding_lessons_keeps_what_refers_to_them() -> Result<(), DbError> {
        let test_db = TestDb::open("migrate", 2).await?;
        let db = &test_db.db;
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
        test_db.remove().await;
        Ok(())
    }

    /// Migration 9 records whose wall past activity was on; a start with nothing to migrate
    /// skips the foreign key check (it reads the whole database).
    #[tokio::test]
    async fn walls_are_recorded_and_a_second_start_checks_nothing() -> Result<(), DbError> {
        let test_db = TestDb::open("walls", 2).await?;
        let db = &test_db.db;
        let before_9 = Migrator {
            migrations: SQLITE_MIGRATIONS
                .iter()
                .filter(|m| m.version < 9)
                .cloned()
                .collect(),
            ..Migrator::DEFAULT
        };
        before_9.run(&db.pool).await?;
        db.pool
            .execute(
                "INSERT INTO users (id, email, display_name, password_hash, created_at, updated_at)
                     VALUES (1, 'a@example.com', 'Ada', 'x', 0, 0), (2, 'b@example.com', 'Bo', 'x', 0, 0);
                 INSERT INTO posts (id, author_id, profile_id, body_md, body_html, created_at)
                     VALUES (5, 2, 1, 'hi', 'hi', 0);
                 INSERT INTO comments (id, post_id, author_id, body_md, body_html, created_at)
                     VALUES (6, 5, 1, 'yo', 'yo', 0);
                 INSERT INTO activities (actor_id, verb, object_type, object_id, created_at)
                     VALUES (2, 'posted', 'post', 5, 0), (1, 'commented', 'comment', 6, 0),
                            (1, 'status', 'user', 1, 0);",
            )
            .await?;
        db.migrate().await?;
        let walls: Vec<(String, Option<i64>)> =
            sqlx::query_as("SELECT verb, wall_id FROM activities ORDER BY id")
                .fetch_all(&db.pool)
                .await?;
        let want = [
            ("posted", Some(1)),
            ("commented", Some(1)),
            ("status", None),
        ];
        let want: Vec<(String, Option<i64>)> =
            want.iter().map(|(v, w)| (v.to_string(), *w)).collect();
        assert_eq!(walls, want);
        // A reference to nothing, made behind the database's back: a start that applies no
        // migration does not look for it.
        let mut conn = db.pool.acquire().await?;
        conn.execute("PRAGMA foreign_keys = OFF").await?;
        conn.execute(
            "INSERT INTO follows (follower_id, followee_id, created_at) VALUES (1, 99, 0)",
        )
        .await?;
        conn.execute("PRAGMA foreign_keys = ON").await?;
        drop(conn);
        db.migrate().await?;
        test_db.remove().await;
        Ok(())
    }

    /// On SQLite a second transaction waits until the first is done, then goes ahead.
    #[tokio::test]
    async fn sqlite_writers_take_turns() -> Result<(), DbError> {
        let test_db = TestDb::open("turns", 4).await?;
        let db = &test_db.db;
        db.pool.execute("CREATE TABLE t (n BIGINT)").await?;
        let mut first = db.begin().await?;
        sqlx::query("INSERT INTO t (n) VALUES (1)")
            .execute(&mut *first)
            .await?;
        let db2 = db.clone();
        let second = tokio::spawn(async move {
            let mut tx = db2.begin().await?;
            sqlx::query("INSERT INTO t (n) VALUES (2)")
                .execute(&mut *tx)
                .await?;
            tx.commit().await
        });
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert!(!second.is_finished(), "the second writer waits its turn");
        first.commit().await?;
        second.await.map_err(|e| DbError::Config(e.to_string()))??;
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM t")
            .fetch_one(&db.pool)
            .await?;
        assert_eq!(n, 2);
        test_db.remove().await;
        Ok(())
    }

    /// A transaction dropped without committing is rolled back, even after a failed
    /// statement, and the writer connection serves the next one.
    #[tokio::test]
    async fn sqlite_writer_rolls_back_what_is_dropped_and_goes_on() -> Result<(), DbError> {
        let test_db = TestDb::open("rollback", 2).await?;
        let db = &test_db.db;
        db.pool
            .execute("CREATE TABLE t (n BIGINT PRIMARY KEY)")
            .await?;
        {
            let mut tx = db.begin().await?;
            sqlx::query("INSERT INTO t (n) VALUES (1)")
                .execute(&mut *tx)
                .await?;
            let twice = sqlx::query("INSERT INTO t (n) VALUES (1)")
                .execute(&mut *tx)
                .await;
            assert!(twice.is_err(), "the second insert breaks the key");
        }
        let mut tx = db.begin().await?;
        sqlx::query("INSERT INTO t (n) VALUES (2)")
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        let rows: Vec<(i64,)> = sqlx::query_as("SELECT n FROM t")
            .fetch_all(&db.pool)
            .await?;
        assert_eq!(
            rows,
            vec![(2,)],
            "the dropped insert is gone, the committed one kept"
        );
        test_db.remove().await;
        Ok(())
    }

    /// A writer connection left inside a transaction (here: one level deeper than the dropped
    /// transaction rolls back) is brought out of it by the next `begin`, so what that commits
    /// is committed and seen by other connections.
    #[tokio::test]
    async fn sqlite_writer_left_in_a_transaction_is_brought_out() -> Result<(), DbError> {
        let test_db = TestDb::open("left-open", 2).await?;
        let db = &test_db.db;
        db.pool.execute("CREATE TABLE t (n BIGINT)").await?;
        {
            let mut tx = db.begin().await?;
            AnyTransactionManager::begin(&mut tx, None).await?;
        }
        let mut tx = db.begin().await?;
        sqlx::query("INSERT INTO t (n) VALUES (3)")
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        let rows: Vec<(i64,)> = sqlx::query_as("SELECT n FROM t")
            .fetch_all(&db.pool)
            .await?;
        assert_eq!(rows, vec![(3,)]);
        test_db.remove().await;
        Ok(())
    }

    /// Transactions that queue up while one runs are committed together, a dropped one
    /// among them is rolled back alone, and each `commit` returns once its rows are seen by
    /// the pool's connections.
    #[tokio::test]
    async fn sqlite_transactions_that_queue_up_are_committed_together() -> Result<(), DbError> {
        let test_db = TestDb::open("batch", 4).await?;
        let db = &test_db.db;
        db.pool.execute("CREATE TABLE t (n BIGINT)").await?;
        let before = db.batches_committed().await;
        let mut first = db.begin().await?;
        sqlx::query("INSERT INTO t (n) VALUES (0)")
            .execute(&mut *first)
            .await?;
        let mut others = Vec::new();
        for n in 1..=8_i64 {
            let db = db.clone();
            others.push(tokio::spawn(async move {
                let mut tx = db.begin().await?;
                sqlx::query("INSERT INTO t (n) VALUES ($1)")
                    .bind(n)
                    .execute(&mut *tx)
                    .await?;
                if n == 4 {
                    return Ok(None); // dropped: rolled back
                }
                tx.commit().await?;
                let (seen,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM t WHERE n = $1")
                    .bind(n)
                    .fetch_one(&db.pool)
                    .await?;
                Ok::<_, sqlx::Error>(Some(seen))
            }));
        }
        // Let all eight queue up behind the first.
        tokio::time::sleep(Duration::from_millis(200)).await;
        first.commit().await?;
        for (i, other) in others.into_iter().enumerate() {
            let seen = other.await.map_err(|e| DbError::Config(e.to_string()))??;
            let expected = if i + 1 == 4 { None } else { Some(1) };
            assert_eq!(seen, expected, "transaction {}", i + 1);
        }
        let rows: Vec<(i64,)> = sqlx::query_as("SELECT n FROM t ORDER BY n")
            .fetch_all(&db.pool)
            .await?;
        let expected: Vec<(i64,)> = [0, 1, 2, 3, 5, 6, 7, 8].map(|n| (n,)).to_vec();
        assert_eq!(rows, expected);
        let batches = db.batches_committed().await - before;
        assert!(
            (1..=2).contains(&batches),
            "nine transactions in {batches} commits"
        );
        test_db.remove().await;
        Ok(())
    }
}
