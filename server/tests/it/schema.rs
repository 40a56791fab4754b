//! The two sets of migrations (`migrations/sqlite`, `migrations/postgres`) must build the same
//! schema: the same tables, columns, nullability, primary keys, unique constraints and indexes.
//! Both are migrated fresh and read back from each database's own catalogue; what may differ
//! (full-text search, one engine's way of storing it) is listed below with its reason, and
//! nothing else.

use std::collections::{BTreeMap, BTreeSet};

use crate::common::{Backend, TestDb, TestResult};
use app::server::infra::db::Db;

/// What a schema is made of, as both engines can say it.
#[derive(Debug, Default, PartialEq, Eq)]
struct Schema {
    /// table -> column -> (kind of value, nullable)
    columns: BTreeMap<String, BTreeMap<String, (&'static str, bool)>>,
    /// table -> primary key columns, in order.
    keys: BTreeMap<String, Vec<String>>,
    /// Unique column sets (constraints or unique indexes), as `table(a, b)`.
    unique: BTreeSet<String>,
    /// Named, non-unique indexes, as `name: table(a, b)`; expression and partial indexes
    /// compare by name only.
    indexes: BTreeSet<String>,
}

/// Backend-specific parts of the schema, each a feature that demands it.
const ONLY_SQLITE_TABLES: &[&str] = &[
    // Full-text search: an FTS5 table over `search_docs` and the shadow tables SQLite keeps
    // for it.
    "search_fts",
    "search_fts_config",
    "search_fts_data",
    "search_fts_docsize",
    "search_fts_idx",
];
/// PostgreSQL keeps a search document's words in a `tsvector` column beside it, with its GIN
/// index (SQLite keeps them in `search_fts`).
const ONLY_POSTGRES_COLUMNS: &[(&str, &str)] = &[("search_docs", "tsv")];
const ONLY_POSTGRES_INDEXES: &[&str] = &["search_docs_tsv"];

/// The kind of value a declared type holds, the same word for both engines.
fn kind_of(declared: &str) -> &'static str {
    let t = declared.to_ascii_lowercase();
    if t.contains("int") || t == "serial" || t == "bigserial" {
        "integer"
    } else if t.contains("char") || t.contains("text") || t.contains("clob") {
        "text"
    } else if t.contains("blob") || t.contains("bytea") {
        "bytes"
    } else if t.contains("real")
        || t.contains("double")
        || t.contains("float")
        || t.contains("numeric")
    {
        "real"
    } else if t.contains("bool") {
        "boolean"
    } else if t.contains("tsvector") {
        "tsvector"
    } else {
        "other"
    }
}

fn columns_list(columns: &[String]) -> String {
    columns.join(", ")
}

async fn sqlite_schema(db: &Db) -> Result<Schema, sqlx::Error> {
    let mut schema = Schema::default();
    let tables: Vec<(String,)> = sqlx::query_as(
        "SELECT name FROM sqlite_master WHERE type = 'table'
           AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations' ORDER BY name",
    )
    .fetch_all(&db.pool)
    .await?;
    for (table,) in tables {
        if ONLY_SQLITE_TABLES.contains(&table.as_str()) {
            continue;
        }
        // cid, name, type, notnull, default, pk
        let cols: Vec<(i64, String, String, i64, Option<String>, i64)> = sqlx::query_as(
            "SELECT cid, name, type, \"notnull\", dflt_value, pk FROM pragma_table_info($1)",
        )
        .bind(&table)
        .fetch_all(&db.pool)
        .await?;
        let mut key: Vec<(i64, String)> = Vec::new();
        let entry = schema.columns.entry(table.clone()).or_default();
        for (_, name, declared, notnull, _, pk) in cols {
            // A primary key column is never null, whatever SQLite declares.
            entry.insert(name.clone(), (kind_of(&declared), notnull == 0 && pk == 0));
            if pk > 0 {
                key.push((pk, name));
            }
        }
        key.sort();
        schema
            .keys
            .insert(table.clone(), key.into_iter().map(|(_, n)| n).collect());
        // seq, name, unique, origin (c: CREATE INDEX, u: UNIQUE, pk), partial
        let indexes: Vec<(i64, String, i64, String, i64)> = sqlx::query_as(
            "SELECT seq, name, \"unique\", origin, partial FROM pragma_index_list($1)",
        )
        .bind(&table)
        .fetch_all(&db.pool)
        .await?;
        for (_, name, unique, origin, _) in indexes {
            if origin == "pk" {
                continue;
            }
            let cols: Vec<(i64, Option<String>)> =
                sqlx::query_as("SELECT seqno, name FROM pragma_index_info($1) ORDER BY seqno")
                    .bind(&name)
                    .fetch_all(&db.pool)
                    .await?;
            let cols: Vec<String> = cols
                .into_iter()
                .map(|(_, c)| c.unwrap_or_else(|| "(expression)".into()))
                .collect();
            if unique == 1 {
                schema
                    .unique
                    .insert(format!("{table}({})", columns_list(&cols)));
            }
            if origin == "c" && unique == 0 {
                schema
                    .indexes
                    .insert(format!("{name}: {table}({})", columns_list(&cols)));
            }
        }
    }
    Ok(schema)
}

async fn postgres_schema(db: &Db) -> Result<Schema, sqlx::Error> {
    let mut schema = Schema::default();
    let cols: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT c.table_name::text, c.column_name::text, c.data_type::text, c.is_nullable::text
         FROM information_schema.columns c
         JOIN information_schema.tables t
           ON t.table_schema = c.table_schema AND t.table_name = c.table_name
         WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
           AND c.table_name <> '_sqlx_migrations'
         ORDER BY c.table_name, c.ordinal_position",
    )
    .fetch_all(&db.pool)
    .await?;
    for (table, column, declared, nullable) in cols {
        if ONLY_POSTGRES_COLUMNS.contains(&(table.as_str(), column.as_str())) {
            continue;
        }
        schema
            .columns
            .entry(table)
            .or_default()
            .insert(column, (kind_of(&declared), nullable == "YES"));
    }
    // Every index with its table, columns (in order), uniqueness and whether it backs the
    // primary key; an expression's column reads as "(expression)".
    let indexes: Vec<(String, String, bool, bool, String)> = sqlx::query_as(
        "SELECT t.relname::text, i.relname::text, x.indisunique, x.indisprimary,
                COALESCE(string_agg(COALESCE(a.attname::text, '(expression)'), ', '
                                    ORDER BY k.n), '')
         FROM pg_index x
         JOIN pg_class i ON i.oid = x.indexrelid
         JOIN pg_class t ON t.oid = x.indrelid
         JOIN pg_namespace ns ON ns.oid = t.relnamespace
         CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, n)
         LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum AND k.attnum > 0
         WHERE ns.nspname = 'public' AND t.relname <> '_sqlx_migrations'
         GROUP BY t.relname, i.relname, x.indisunique, x.indisprimary",
    )
    .fetch_all(&db.pool)
    .await?;
    let constraints: Vec<(String,)> = sqlx::query_as(
        "SELECT conindid::regclass::text FROM pg_constraint WHERE contype IN ('u', 'p')",
    )
    .fetch_all(&db.pool)
    .await?;
    let backing: BTreeSet<String> = constraints.into_iter().map(|(n,)| n).collect();
    for (table, name, unique, primary, cols) in indexes {
        if ONLY_POSTGRES_INDEXES.contains(&name.as_str()) {
            continue;
        }
        if primary {
            schema
                .keys
                .insert(table, cols.split(", ").map(str::to_owned).collect());
            continue;
        }
        if unique {
            schema.unique.insert(format!("{table}({cols})"));
        }
        if !unique && !backing.contains(&name) {
            schema.indexes.insert(format!("{name}: {table}({cols})"));
        }
    }
    // Tables without a primary key have none listed, as SQLite lists them.
    for table in schema.columns.keys() {
        schema.keys.entry(table.clone()).or_default();
    }
    Ok(schema)
}

/// The differences between the two schemas, one line each, empty when they agree.
fn differences(sqlite: &Schema, postgres: &Schema) -> Vec<String> {
    let mut out = Vec::new();
    let tables: BTreeSet<&String> = sqlite
        .columns
        .keys()
        .chain(postgres.columns.keys())
        .collect();
    for table in tables {
        match (sqlite.columns.get(table), postgres.columns.get(table)) {
            (Some(_), None) => out.push(format!("table {table}: only on SQLite")),
            (None, Some(_)) => out.push(format!("table {table}: only on PostgreSQL")),
            (Some(s), Some(p)) => {
                let names: BTreeSet<&String> = s.keys().chain(p.keys()).collect();
                for column in names {
                    match (s.get(column), p.get(column)) {
                        (Some(a), Some(b)) if a == b => {}
                        (a, b) => out.push(format!(
                            "column {table}.{column}: SQLite {a:?}, PostgreSQL {b:?}"
                        )),
                    }
                }
            }
            (None, None) => {}
        }
        if sqlite.keys.get(table) != postgres.keys.get(table) {
            out.push(format!(
                "primary key of {table}: SQLite {:?}, PostgreSQL {:?}",
                sqlite.keys.get(table),
                postgres.keys.get(table)
            ));
        }
    }
    for u in sqlite.unique.symmetric_difference(&postgres.unique) {
        let on = if sqlite.unique.contains(u) {
            "SQLite"
        } else {
            "PostgreSQL"
        };
        out.push(format!("unique {u}: only on {on}"));
    }
    for i in sqlite.indexes.symmetric_difference(&postgres.indexes) {
        let on = if sqlite.indexes.contains(i) {
            "SQLite"
        } else {
            "PostgreSQL"
        };
        out.push(format!("index {i}: only on {on}"));
    }
    out
}

async fn migrated(
    backend: Backend,
) -> Result<Option<(TestDb, Db)>, Box<dyn std::error::Error + Send + Sync>> {
    let Some(test_db) = TestDb::create(backend).await? else {
        return Ok(None);
    };
    let db = Db::connect(test_db.url(), 2).await?;
    db.migrate().await?;
    Ok(Some((test_db, db)))
}

#[tokio::test]
async fn sqlite_and_postgres_migrations_build_the_same_schema() -> TestResult {
    let Some((sqlite_db, sqlite)) = migrated(Backend::Sqlite).await? else {
        return Ok(());
    };
    let Some((postgres_db, postgres)) = migrated(Backend::Postgres).await? else {
        sqlite_db.drop_db().await;
        return Ok(());
    };
    let (a, b) = (
        sqlite_schema(&sqlite).await?,
        postgres_schema(&postgres).await?,
    );
    sqlite.pool.close().await;
    postgres.pool.close().await;
    sqlite_db.drop_db().await;
    postgres_db.drop_db().await;
    // Both catalogues were read whole, not just found empty alike.
    for (engine, schema) in [("SQLite", &a), ("PostgreSQL", &b)] {
        eprintln!(
            "{engine}: {} tables, {} unique column sets, {} indexes",
            schema.columns.len(),
            schema.unique.len(),
            schema.indexes.len()
        );
        assert!(
            schema.columns.len() > 30,
            "{engine}: {:?}",
            schema.columns.keys()
        );
        assert!(
            schema.unique.len() > 3 && schema.indexes.len() > 20,
            "{engine}: {schema:?}"
        );
    }
    let diff = differences(&a, &b);
    assert!(
        diff.is_empty(),
        "the migrations have drifted apart:\n{}",
        diff.join("\n")
    );
    Ok(())
}

/// The comparison notices what drift looks like: a column missing, nullable on one side, an
/// index of another name.
#[test]
fn a_drift_is_noticed() {
    let mut a = Schema::default();
    a.columns
        .entry("t".into())
        .or_default()
        .insert("x".into(), ("integer", false));
    a.indexes.insert("t_x: t(x)".into());
    let mut b = Schema::default();
    b.columns
        .entry("t".into())
        .or_default()
        .insert("x".into(), ("integer", true));
    b.indexes.insert("t_by_x: t(x)".into());
    let diff = differences(&a, &b);
    assert_eq!(diff.len(), 3, "{diff:?}");
    assert_eq!(differences(&a, &a), Vec::<String>::new());
}
