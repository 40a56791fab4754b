//! Batched multi-row inserts with explicit ids, for the bulk of the organisation.

use sqlx::AnyConnection;

use app::error::AppResult;
use app::server::infra::db::Backend;

/// A quoted SQL string literal.
pub(crate) fn lit(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

pub(crate) fn opt(v: Option<i64>) -> String {
    v.map_or_else(|| "NULL".to_owned(), |v| v.to_string())
}

/// Rows of one table, written 500 at a time.
pub(crate) struct Rows {
    pub(crate) head: String,
    pub(crate) rows: Vec<String>,
    pub(crate) written: i64,
}

pub(crate) const BATCH: usize = 500;

impl Rows {
    /// `explicit_ids`: the rows carry their own ids (PostgreSQL must be told to accept them).
    pub(crate) fn new(backend: Backend, table: &str, columns: &str, explicit_ids: bool) -> Rows {
        let overriding = if explicit_ids && backend == Backend::Postgres {
            " OVERRIDING SYSTEM VALUE"
        } else {
            ""
        };
        Rows {
            head: format!("INSERT INTO {table} ({columns}){overriding} VALUES "),
            rows: Vec::with_capacity(BATCH),
            written: 0,
        }
    }

    pub(crate) fn push(&mut self, row: String) {
        self.rows.push(row);
    }

    pub(crate) fn full(&self) -> bool {
        self.rows.len() >= BATCH
    }

    pub(crate) async fn flush(&mut self, conn: &mut AnyConnection) -> AppResult<()> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let mut sql = String::with_capacity(self.head.len() + self.rows.len() * 160);
        sql.push_str(&self.head);
        for (i, r) in self.rows.iter().enumerate() {
            if i > 0 {
                sql.push(',');
            }
            sql.push('(');
            sql.push_str(r);
            sql.push(')');
        }
        sqlx::query(&sql).execute(&mut *conn).await?;
        self.written += self.rows.len() as i64;
        self.rows.clear();
        Ok(())
    }
}

/// After rows written with their own ids, PostgreSQL's identity sequences go on from the last.
/// Turns the trigger that keeps each space's last activity (migration 0010) off while
/// activities are loaded in bulk, and on again; the seeder sets those times itself. On
/// PostgreSQL, a space's row updated for each of its thousands of activities in one
/// transaction leaves a chain of row versions that every later update walks: the large scale
/// was still loading activities after 8 minutes. SQLite updates the row in place (the large
/// scale seeded in 113 s with it on), so there it stays on.
pub(crate) async fn touch_spaces(
    conn: &mut AnyConnection,
    backend: Backend,
    on: bool,
) -> AppResult<()> {
    if backend == Backend::Postgres {
        let switch = if on { "ENABLE" } else { "DISABLE" };
        let sql = format!("ALTER TABLE activities {switch} TRIGGER activities_touch_space");
        sqlx::query(&sql).execute(&mut *conn).await?;
    }
    Ok(())
}

pub(crate) async fn move_sequences_on(conn: &mut AnyConnection, tables: &[&str]) -> AppResult<()> {
    for table in tables {
        let sql = format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'),
                           (SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"
        );
        sqlx::query(&sql).execute(&mut *conn).await?;
    }
    Ok(())
}
