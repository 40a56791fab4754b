use super::home::{newest_sql_postgres, parse_ids, verb_is, HomeSources};
use super::*;
use crate::domain::activity::Verb;
use crate::domain::ids::UserId;
use crate::server::feed::Filter;
use crate::server::infra::db::{DbError, TestDb};

/// The arms' filter of a feed for viewer 7 on its first page, with its values bound in `args`
/// as a feed binds them (the reader, the cursor, the limit), and the places of `sources`.
fn first_page(
    args: &mut Args<'_>,
    sources: &[i64],
) -> (String, String, String, String, Vec<String>) {
    let who = Who::viewer(args, Viewer::signed_in(UserId(7), false));
    let cursor = args.add(0_i64);
    let limit = args.add(41_i64);
    let places = args.places(sources.to_vec());
    (
        format!("{cursor} = 0"),
        space_readable("s", &who),
        who.id,
        limit,
        places,
    )
}

/// On SQLite, each home-feed source finds its newest rows in its index alone, without
/// looking rows up in the table (where a reader's feed took 11 ms instead of 1 ms at the
/// large seeded scale).
#[tokio::test]
async fn each_source_reads_its_index_alone() -> Result<(), DbError> {
    let test_db = TestDb::open("feed-plan", 2).await?;
    let db = &test_db.db;
    db.migrate().await?;
    let sources = HomeSources {
        spaces: vec![3],
        people: vec![2],
    };
    let verbs = verb_is(Backend::Sqlite, &[Verb::Posted, Verb::Commented]);
    let sql = |args: &mut Args<'_>| {
        let (after_cursor, readable, me, limit, places) = first_page(args, &sources.bound());
        let f = Filter {
            verbs: &verbs,
            after_cursor: &after_cursor,
            readable: &readable,
            me: &me,
            limit: &limit,
        };
        sources.newest_sql(&f, &places)
    };
    let mut args = Args::new();
    let text = sql(&mut args);
    // One limit, for the merge: none per source.
    assert_eq!(text.matches("LIMIT").count(), 1, "{text}");
    // The plan's details, and the program's opcodes.
    let details = explain(db, "EXPLAIN QUERY PLAN", &text, args, 3).await?;
    let mut args = Args::new();
    let ops = explain(db, "EXPLAIN", &sql(&mut args), args, 1).await?;
    let reads: Vec<&String> = details
        .iter()
        .filter(|d| d.starts_with("SEARCH a ") || d.starts_with("SCAN a"))
        .collect();
    // Own activity, wall, one space, one person.
    assert_eq!(reads.len(), 4, "{reads:?}");
    assert!(
        reads.iter().all(|d| d.contains("USING COVERING INDEX")),
        "{reads:?}"
    );
    // The sources are merged as they are read, none sorted apart (which would read it whole).
    assert!(
        details.iter().any(|d| d.starts_with("MERGE")),
        "{details:?}"
    );
    assert!(
        !details.iter().any(|d| d.contains("TEMP B-TREE")),
        "{details:?}"
    );
    // Nor is a temporary table built while it runs (as for each source's `verb IN (...)`).
    assert!(!ops.is_empty());
    assert!(!ops.iter().any(|op| op == "OpenEphemeral"), "{ops:?}");
    test_db.remove().await;
    Ok(())
}

/// `how` (`EXPLAIN` or `EXPLAIN QUERY PLAN`) of a home feed's newest-ids statement, with its
/// values bound: each row's text column `column`.
async fn explain(
    db: &Db,
    how: &str,
    sql: &str,
    args: Args<'_>,
    column: usize,
) -> Result<Vec<String>, DbError> {
    let explain = format!("{how} {sql}");
    let rows = sqlx::query_with(&explain, args).fetch_all(&db.pool).await?;
    Ok(rows
        .iter()
        .map(|row| sqlx::Row::try_get(row, column))
        .collect::<Result<_, _>>()?)
}

/// The sources' ids come back from the database as lists joined by commas, and go to
/// PostgreSQL's home feed the same way, the reader among the people.
#[test]
fn source_lists_are_read_and_written_as_joined_ids() {
    assert_eq!(parse_ids(Some("12,3,40")), vec![3, 12, 40]);
    assert_eq!(parse_ids(Some("")), Vec::<i64>::new());
    assert_eq!(parse_ids(None), Vec::<i64>::new());
    let sources = HomeSources {
        spaces: vec![3, 12],
        people: vec![],
    };
    let viewer = Viewer::signed_in(UserId(7), false);
    assert_eq!(sources.lists(viewer), ["3,12".to_owned(), "7".to_owned()]);
    let mut args = Args::new();
    let (after_cursor, readable, me, limit, _) = first_page(&mut args, &[]);
    let f = Filter {
        verbs: "1 = 1",
        after_cursor: &after_cursor,
        readable: &readable,
        me: &me,
        limit: &limit,
    };
    let (spaces, people) = (args.add("3,12"), args.add("7"));
    let sql = newest_sql_postgres(&f, &spaces, &people);
    // Places for the viewer, admin flag, cursor, limit and the two lists: no more, however
    // many sources a reader has.
    assert!(
        sql.contains("$5") && sql.contains("$6") && !sql.contains("$7"),
        "{sql}"
    );
}

/// Readers with about as many spaces and people share one statement; the spare places
/// hold an id no row has.
#[test]
fn readers_with_about_as_many_sources_share_one_statement() {
    let a = HomeSources {
        spaces: vec![1, 2, 3],
        people: vec![9],
    };
    let b = HomeSources {
        spaces: vec![4, 5, 6, 7],
        people: vec![8],
    };
    let verbs = verb_is(Backend::Sqlite, &[Verb::Posted]);
    let sql = |s: &HomeSources| {
        let mut args = Args::new();
        let (after_cursor, _, me, limit, places) = first_page(&mut args, &s.bound());
        let f = Filter {
            verbs: &verbs,
            after_cursor: &after_cursor,
            readable: "1 = 1",
            me: &me,
            limit: &limit,
        };
        s.newest_sql(&f, &places)
    };
    assert_eq!(sql(&a), sql(&b));
    assert!(sql(&a).contains("a.actor_id = $9"), "{}", sql(&a));
    assert!(!sql(&a).contains("$10"), "{}", sql(&a));
    assert_eq!(a.bound(), vec![1, 2, 3, -1, 9]);
    assert_eq!(b.bound(), vec![4, 5, 6, 7, 8]);
    let none = HomeSources {
        spaces: vec![],
        people: vec![],
    };
    assert!(none.bound().is_empty());
    assert!(!sql(&none).contains("$5"));
}
