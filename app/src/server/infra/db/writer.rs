//! SQLite's one writer connection, and the batches of transactions it commits together.

use std::ops::{Deref, DerefMut};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use sqlx::any::AnyTransactionManager;
use sqlx::{Any, AnyConnection, AnyPool, Connection, Transaction, TransactionManager};
use tokio::sync::{Mutex, OwnedMutexGuard};

use super::SQLITE_BUSY_TIMEOUT_MS;

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
pub(super) struct Writer {
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
    /// The writer on `conn`, replaced from `pool` if it stops.
    pub(super) fn new(conn: AnyConnection, pool: AnyPool) -> Writer {
        Writer {
            conn,
            pool,
            batch: None,
            members: 0,
            most: MOST_IN_A_BATCH,
            rollback_queued: false,
            commits: 0,
        }
    }

    /// Sets the most transactions committed together (at least 1).
    pub(super) fn set_most(&mut self, most: usize) {
        self.most = most.max(1);
    }

    /// Batches committed so far.
    #[cfg(test)]
    pub(super) fn commits(&self) -> u64 {
        self.commits
    }

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
    pub(super) fn on_pool(tx: Transaction<'static, Any>) -> Tx {
        Tx(TxOn::Pool(tx))
    }

    /// Waits its turn on the writer connection, in a task of its own, so a caller that stops
    /// waiting cannot leave a batch half committed or a savepoint half made: the transaction is
    /// then made and dropped, which rolls it back.
    pub(super) async fn on_writer(writer: Arc<Mutex<Writer>>) -> Result<Tx, sqlx::Error> {
        let task = tokio::spawn(begin_on_writer(writer));
        let tx = task
            .await
            .map_err(|e| sqlx::Error::Protocol(e.to_string()))??;
        Ok(Tx(TxOn::Writer(tx)))
    }

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
