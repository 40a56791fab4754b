use super::*;
use sqlx::any::AnyTransactionManager;
use sqlx::{Executor, TransactionManager};

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
    let want: Vec<(String, Option<i64>)> = want.iter().map(|(v, w)| (v.to_string(), *w)).collect();
    assert_eq!(walls, want);
    // A reference to nothing, made behind the database's back: a start that applies no
    // migration does not look for it.
    let mut conn = db.pool.acquire().await?;
    conn.execute("PRAGMA foreign_keys = OFF").await?;
    conn.execute("INSERT INTO follows (follower_id, followee_id, created_at) VALUES (1, 99, 0)")
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
