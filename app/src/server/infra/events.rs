//! The event log behind real-time delivery: events are written in the transaction of the change
//! they announce, read back in id order by the hub (live) and by reconnecting clients (catch-up).
//!
//! On PostgreSQL, event-writing transactions take one advisory lock before their first event, so
//! they commit in id order: a reader that has seen id N has seen every event below N, which is
//! what makes "send me what came after N" exact. (SQLite has one writer at a time already.) The
//! same transaction sends a `NOTIFY`, which PostgreSQL delivers on commit to every instance.

use sqlx::AnyConnection;

use crate::domain::realtime::EventBody;
use crate::error::{AppError, AppResult};
use crate::server::infra::db::{now, Db};
use crate::server::infra::sql::{placeholders, rows_of};

/// The PostgreSQL channel instances listen on.
pub const CHANNEL: &str = "cohort_events";
/// Any number that no other advisory lock of ours uses.
const ORDER_LOCK: i64 = 0x436f_686f_7274;
/// Events are kept this long for catch-up; clients further behind refetch.
pub const RETENTION_SECS: i64 = 3 * 24 * 3600;

/// One stored event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub id: i64,
    pub topic: String,
    /// The [`EventBody`] as JSON.
    pub body: String,
}

/// Records an event on `topic` in the caller's transaction.
pub async fn emit(conn: &mut AnyConnection, topic: &str, body: &EventBody) -> AppResult<()> {
    emit_many(conn, &[topic], body).await
}

/// Records one event on each of `topics` in the caller's transaction.
pub async fn emit_many(
    conn: &mut AnyConnection,
    topics: &[&str],
    body: &EventBody,
) -> AppResult<()> {
    if topics.is_empty() {
        return Ok(());
    }
    let json = serde_json::to_string(body).map_err(AppError::internal)?;
    let postgres = conn.backend_name() == "PostgreSQL";
    if postgres {
        // Held until commit; taking it again in the same transaction is free.
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(ORDER_LOCK)
            .execute(&mut *conn)
            .await?;
    }
    // One statement for all of them: each is a turn on SQLite's one writer connection. The
    // rows get ids in the order of `topics`, on both backends.
    let rows = rows_of(3, topics.len(), |topic| format!("({topic}, $1, $2)"));
    let sql = format!("INSERT INTO events (topic, body, created_at) VALUES {rows}");
    let mut query = sqlx::query(&sql).bind(&json).bind(now());
    for topic in topics {
        query = query.bind(*topic);
    }
    query.execute(&mut *conn).await?;
    if postgres {
        // Identical notifications in one transaction are folded into one.
        sqlx::query("SELECT pg_notify($1, '')")
            .bind(CHANNEL)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// The newest event id (0 when there is none).
pub async fn last_id(db: &Db) -> AppResult<i64> {
    let (id,): (Option<i64>,) = sqlx::query_as("SELECT MAX(id) FROM events")
        .fetch_one(&db.pool)
        .await?;
    Ok(id.unwrap_or(0))
}

/// Every event after `after`, on any topic, oldest first, at most `limit`: the hub's read.
pub async fn after(db: &Db, after: i64, limit: i64) -> AppResult<Vec<Stored>> {
    let rows: Vec<(i64, String, String)> =
        sqlx::query_as("SELECT id, topic, body FROM events WHERE id > $1 ORDER BY id LIMIT $2")
            .bind(after)
            .bind(limit)
            .fetch_all(&db.pool)
            .await?;
    Ok(rows.into_iter().map(stored).collect())
}

/// What a reconnecting client missed.
#[derive(Debug, PartialEq, Eq)]
pub enum CatchUp {
    /// Exactly the events on its topics after its id and up to `upto`, oldest first.
    Events(Vec<Stored>),
    /// More than the limit, or older than what is kept: it should reload.
    TooFar,
}

/// The events on `topics` with ids in `(since, upto]`, if there are at most `limit`.
pub async fn missed(
    db: &Db,
    topics: &[String],
    since: i64,
    upto: i64,
    limit: i64,
) -> AppResult<CatchUp> {
    if since >= upto || topics.is_empty() {
        return Ok(CatchUp::Events(Vec::new()));
    }
    let (oldest,): (Option<i64>,) = sqlx::query_as("SELECT MIN(id) FROM events")
        .fetch_one(&db.pool)
        .await?;
    // Pruned events may have been on these topics.
    if oldest.is_some_and(|o| o > since + 1) {
        return Ok(CatchUp::TooFar);
    }
    let sql = format!(
        "SELECT id, topic, body FROM events WHERE id > $1 AND id <= $2 AND topic IN ({})
         ORDER BY id LIMIT $3",
        placeholders(4, topics.len())
    );
    let mut q = sqlx::query_as(&sql).bind(since).bind(upto).bind(limit + 1);
    for t in topics {
        q = q.bind(t);
    }
    let rows: Vec<(i64, String, String)> = q.fetch_all(&db.pool).await?;
    if rows.len() as i64 > limit {
        return Ok(CatchUp::TooFar);
    }
    Ok(CatchUp::Events(rows.into_iter().map(stored).collect()))
}

/// Deletes events older than the retention period.
pub async fn prune(db: &Db) -> AppResult<u64> {
    let done = sqlx::query("DELETE FROM events WHERE created_at < $1")
        .bind(now() - RETENTION_SECS)
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected())
}

fn stored((id, topic, body): (i64, String, String)) -> Stored {
    Stored { id, topic, body }
}
