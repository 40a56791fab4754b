//! Activity feeds, read from the activity log with visibility decided in the query itself: a
//! feed never shows activity in a space the reader may not read, including after they left it.

use std::collections::{HashMap, HashSet};

use super::access::{space_readable, Viewer};
use super::cursor;
use super::db::{Backend, Db};
use super::{profiles, spaces};
use crate::domain::feed::{excerpt, FeedFilter, FeedItem, FeedPage, Link};
use crate::domain::realtime::topic;
use crate::error::AppResult;

/// Items per page, before grouping.
const PAGE: i64 = 40;
/// The most spaces and people whose topics a home feed listens to.
const MAX_SOURCES: i64 = 240;
/// Up to this many spaces and people, the home feed reads each source's newest activity from
/// its own index and merges them. Past it, activity from the reader's sources is dense enough
/// that reading the log newest first and keeping what matches finds a page sooner.
const MERGE_SOURCES: usize = 100;

/// Which feed.
#[derive(Debug, Clone, Copy)]
pub enum FeedOf<'a> {
    /// People the reader follows, spaces they belong to, their own activity and their wall.
    Home,
    /// One space's activity, by slug.
    Space(&'a str),
    /// One person's activity, by handle.
    Person(&'a str),
    /// Activity in public spaces.
    Site,
}

/// id, verb, created_at, actor id, actor name, actor handle, space slug, space name, post id,
/// text of the post/comment/status, name and handle of the person involved (wall owner or the
/// person followed).
type Row = (
    i64,
    String,
    i64,
    i64,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<String>,
);

/// One page of a feed, newest first, grouped.
pub async fn feed(
    db: &Db,
    viewer: Viewer,
    of: FeedOf<'_>,
    filter: FeedFilter,
    before: &str,
) -> AppResult<FeedPage> {
    let before = cursor::decode(before, 1)?.and_then(|k| k.first().copied());
    let verbs = verb_is(db.backend, filter.verbs());
    let after_cursor = if before.is_some() {
        "a.id < $3"
    } else {
        "$3 = 0"
    };
    let readable = space_readable("s", 1, 2);
    // $1 viewer, $2 admin flag, $3 cursor, $4 limit; then $5 the space or person, where there
    // is one, or a home feed's sources: one place each on SQLite (`HomeSources::bound`), two
    // lists on PostgreSQL (`HomeSources::lists`).
    let mut sources_bound = Vec::new();
    let mut lists_bound = Vec::new();
    // What the activities are read from: the whole log, or (a home feed with few sources) the
    // ids of its newest activities, joined to the log by primary key. Written as `a.id IN
    // (...)` instead, PostgreSQL hashed the ids and scanned the whole log for them, joins
    // and all (1.2 s a page at the large scale, against 3 ms with the join).
    let mut activities = "activities a".to_owned();
    let (source, subject, title, topics) = match of {
        FeedOf::Home => {
            let sources = HomeSources::of(db, viewer).await?;
            let source = if sources.spaces.len() + sources.people.len() <= MERGE_SOURCES {
                let newest = if db.backend == Backend::Postgres {
                    lists_bound = sources.lists(viewer);
                    newest_sql_postgres(&verbs, after_cursor, &readable)
                } else {
                    sources_bound = sources.bound();
                    sources.newest_sql(&verbs, after_cursor, &readable)
                };
                activities = format!("({newest}) AS newest JOIN activities a ON a.id = newest.id");
                "1 = 1".to_owned()
            } else {
                "(a.actor_id = $1
                  OR a.actor_id IN (SELECT f.followee_id FROM follows f WHERE f.follower_id = $1)
                  OR a.space_id IN (SELECT sm.space_id FROM space_members sm WHERE sm.user_id = $1)
                  OR a.wall_id = $1)"
                    .to_owned()
            };
            (source, None, "Your feed".to_owned(), sources.topics(viewer))
        }
        FeedOf::Space(slug) => {
            let (id, name) = spaces::readable(db, viewer, slug).await?;
            (
                "a.space_id = $5".to_owned(),
                Some(id),
                name,
                vec![topic::space(id)],
            )
        }
        FeedOf::Person(handle) => {
            let (id, name, _) = profiles::by_handle(db, handle).await?;
            (
                "a.actor_id = $5".to_owned(),
                Some(id),
                name,
                vec![topic::person(id)],
            )
        }
        FeedOf::Site => (
            "s.visibility = 'public'".to_owned(),
            None,
            "What's new".to_owned(),
            vec![topic::SITE.to_owned()],
        ),
    };
    let sql = format!(
        "SELECT a.id, a.verb, a.created_at, a.actor_id, u.display_name, u.handle, s.slug, s.name,
                p.id,
                CASE WHEN a.verb = 'status' THEN u.status_text ELSE COALESCE(c.body_md, p.body_md) END,
                COALESCE(o.display_name, w.display_name), COALESCE(o.handle, w.handle),
                tp.id, tp.title
         FROM {activities}
         JOIN users u ON u.id = a.actor_id
         LEFT JOIN spaces s ON s.id = a.space_id
         LEFT JOIN comments c ON a.object_type = 'comment' AND c.id = a.object_id
         LEFT JOIN posts p ON p.id = CASE WHEN a.object_type = 'post' THEN a.object_id
                                          WHEN a.object_type = 'comment' THEN c.post_id END
         LEFT JOIN users w ON w.id = p.profile_id
         LEFT JOIN users o ON a.object_type = 'user' AND o.id = a.object_id
         LEFT JOIN replies rp ON a.object_type = 'reply' AND rp.id = a.object_id
         LEFT JOIN topics tp ON tp.id = CASE WHEN a.object_type = 'topic' THEN a.object_id
                                             WHEN a.object_type = 'reply' THEN rp.topic_id END
                              AND tp.status = 'published'
         WHERE {source} AND {verbs} AND {after_cursor}
           AND (a.space_id IS NULL OR {readable})
         ORDER BY a.id DESC LIMIT $4",
    );
    let mut q = sqlx::query_as::<_, Row>(&sql)
        .bind(viewer.id)
        .bind(viewer.admin_flag())
        .bind(before.unwrap_or(0))
        .bind(PAGE + 1);
    if let Some(id) = subject {
        q = q.bind(id);
    }
    for id in sources_bound {
        q = q.bind(id);
    }
    for list in lists_bound {
        q = q.bind(list);
    }
    let mut rows = q.fetch_all(&db.pool).await?;
    let next = (rows.len() as i64 > PAGE).then(|| {
        rows.truncate(PAGE as usize);
        rows.last().map(|r| cursor::encode(&[r.0]))
    });
    Ok(FeedPage {
        items: group(rows),
        next: next.flatten(),
        topics,
        title,
    })
}

/// Where a reader's home feed comes from, besides their own activity and their wall: the
/// spaces they belong to and the people they follow (each up to `MAX_SOURCES`).
struct HomeSources {
    spaces: Vec<i64>,
    people: Vec<i64>,
}

impl HomeSources {
    async fn of(db: &Db, viewer: Viewer) -> AppResult<HomeSources> {
        // One query and one row, each list of ids joined by commas: each query costs a trip to
        // the database's thread and back, and on SQLite each row another hand-off between
        // threads (48 of them for a reader with 48 sources).
        let joined = |id: &str| match db.backend {
            Backend::Sqlite => format!("group_concat({id}, ',')"),
            Backend::Postgres => format!("string_agg(CAST({id} AS TEXT), ',')"),
        };
        let sql = format!(
            "SELECT (SELECT {} FROM (
                         SELECT space_id FROM space_members WHERE user_id = $1
                         ORDER BY space_id LIMIT $2) AS spaces),
                    (SELECT {} FROM (
                         SELECT followee_id FROM follows WHERE follower_id = $1
                         ORDER BY followee_id LIMIT $2) AS people)",
            joined("space_id"),
            joined("followee_id"),
        );
        let (spaces, people): (Option<String>, Option<String>) = sqlx::query_as(&sql)
            .bind(viewer.id)
            .bind(MAX_SOURCES)
            .fetch_one(&db.pool)
            .await?;
        Ok(HomeSources {
            spaces: parse_ids(spaces.as_deref()),
            people: parse_ids(people.as_deref()),
        })
    }

    /// The topics announcing new home-feed items.
    fn topics(&self, viewer: Viewer) -> Vec<String> {
        let mut topics = vec![topic::person(viewer.id), topic::profile(viewer.id)];
        topics.extend(self.spaces.iter().map(|&id| topic::space(id)));
        topics.extend(self.people.iter().map(|&id| topic::person(id)));
        topics
    }

    /// SQLite: the ids of the newest `$4` activities of the feed: each source read newest
    /// first from its own index (`activities_by_actor`, `_by_wall`, `_by_space`), merged.
    /// Activity in a space is kept only where the reader may read it; in their own spaces they
    /// may.
    ///
    /// SQLite runs a compound `SELECT` with an `ORDER BY` as a merge of its arms, each read in
    /// index order, and stops at the `LIMIT`: so about `$4` rows are read in all, not `$4` per
    /// source (0.5 ms instead of 1.8 ms for a reader with 48 sources at the large seeded
    /// scale). PostgreSQL is given [`newest_sql_postgres`] instead.
    ///
    /// The sources are bound from `$5` on, in the order of [`HomeSources::bound`].
    fn newest_sql(&self, verbs: &str, after_cursor: &str, readable: &str) -> String {
        let visible = format!(
            "LEFT JOIN spaces s ON s.id = a.space_id WHERE (a.space_id IS NULL OR {readable}) AND"
        );
        let spaces = slots(self.spaces.len());
        let people = slots(self.people.len());
        let mut from = vec![
            format!("{visible} a.actor_id = $1"),
            "WHERE a.wall_id = $1".to_owned(),
        ];
        from.extend((0..spaces).map(|i| format!("WHERE a.space_id = ${}", 5 + i)));
        from.extend((0..people).map(|i| format!("{visible} a.actor_id = ${}", 5 + spaces + i)));
        let parts: Vec<String> = from
            .iter()
            .map(|from| {
                format!("SELECT a.id FROM activities a {from} AND {verbs} AND {after_cursor}")
            })
            .collect();
        format!("{} ORDER BY id DESC LIMIT $4", parts.join(" UNION "))
    }

    /// The values for [`newest_sql_postgres`]'s `$5` and `$6`: the spaces, and the people with
    /// the reader among them, each as ids joined by commas.
    fn lists(&self, viewer: Viewer) -> Vec<String> {
        let joined = |ids: &[i64]| ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        let people = [&[viewer.id], &self.people[..]].concat();
        vec![joined(&self.spaces), joined(&people)]
    }

    /// The values for [`HomeSources::newest_sql`]'s places: the spaces, then the people, each
    /// list filled up to its number of places with -1, which is no one's id.
    fn bound(&self) -> Vec<i64> {
        let filled = |ids: &[i64]| {
            let mut ids = ids.to_vec();
            ids.resize(slots(ids.len()), -1);
            ids
        };
        let mut ids = filled(&self.spaces);
        ids.extend(filled(&self.people));
        ids
    }
}

/// PostgreSQL: the ids of the newest `$4` activities of a home feed, as
/// [`HomeSources::newest_sql`] on SQLite, but with the spaces (`$5`) and the people (`$6`, the
/// reader first) each bound as one list of ids, read source by source (`LATERAL`), each source
/// up to `$4` of its newest rows from its own index: PostgreSQL would read each source whole
/// before a `LIMIT` over all of them. One short statement for every reader: with a place
/// for each source (66 for a reader with 48), PostgreSQL planned the statement anew on every
/// run, 9 ms of a page's 14.
fn newest_sql_postgres(verbs: &str, after_cursor: &str, readable: &str) -> String {
    let newest = |ids: &str, from: &str| {
        format!(
            "SELECT x.id FROM unnest(CAST(string_to_array({ids}, ',') AS BIGINT[])) AS src(id) \
             CROSS JOIN LATERAL (SELECT a.id FROM activities a {from} AND {verbs} \
             AND {after_cursor} ORDER BY a.id DESC LIMIT $4) AS x"
        )
    };
    let people = newest(
        "$6",
        &format!(
            "LEFT JOIN spaces s ON s.id = a.space_id \
             WHERE (a.space_id IS NULL OR {readable}) AND a.actor_id = src.id"
        ),
    );
    let spaces = newest("$5", "WHERE a.space_id = src.id");
    let wall = format!(
        "SELECT id FROM (SELECT a.id FROM activities a WHERE a.wall_id = $1 AND {verbs} \
         AND {after_cursor} ORDER BY a.id DESC LIMIT $4) AS wall"
    );
    format!("{people} UNION {spaces} UNION {wall} ORDER BY id DESC LIMIT $4")
}

/// The ids in a list joined by commas, in order; none for `None`.
fn parse_ids(list: Option<&str>) -> Vec<i64> {
    let mut ids: Vec<i64> = list
        .unwrap_or_default()
        .split(',')
        .filter_map(|id| id.trim().parse().ok())
        .collect();
    ids.sort_unstable();
    ids
}

/// Whether `a.verb` is one of `verbs` (written by the code, never by a user). On SQLite, as a
/// `CASE`: written as `a.verb IN (...)`, SQLite builds a temporary index of the list each time
/// the statement runs, once for each source of a home feed (66 of them for a reader with 48
/// sources): most of the query's time, 0.3 ms of about 0.5. PostgreSQL keeps the `IN` list,
/// whose selectivity it reads from the column's statistics; it would guess a `CASE`'s.
fn verb_is(backend: Backend, verbs: &[&str]) -> String {
    if backend == Backend::Postgres {
        let list: Vec<String> = verbs.iter().map(|v| format!("'{v}'")).collect();
        return format!("a.verb IN ({})", list.join(", "));
    }
    let arms: String = verbs
        .iter()
        .map(|v| format!("WHEN '{v}' THEN 1 "))
        .collect();
    format!("(CASE a.verb {arms}ELSE 0 END) = 1")
}

/// How many places a list of `n` sources gets in SQLite's home feed query: `n` rounded up to a
/// power of two. Readers with about as many spaces (or people) then share one statement, which
/// each connection prepares once and keeps; with the ids in the text, every reader's feed was
/// parsed and planned anew on every request.
fn slots(n: usize) -> usize {
    if n == 0 {
        0
    } else {
        n.next_power_of_two()
    }
}

/// Turns activity rows into feed items, folding the same action on the same thing by several
/// people into one item ("Ana and 2 others commented on ...").
fn group(rows: Vec<Row>) -> Vec<FeedItem> {
    let mut items: Vec<FeedItem> = Vec::new();
    let mut actors: Vec<HashSet<i64>> = Vec::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    for row in rows {
        let (
            id,
            verb,
            at,
            actor_id,
            actor,
            handle,
            slug,
            space,
            post,
            text,
            person,
            person_handle,
            topic,
            topic_title,
        ) = row;
        let person_link = person.zip(person_handle);
        let space_link = slug.zip(space);
        let post_href = |p: i64| match (&space_link, &person_link) {
            (Some((slug, _)), _) => Some(format!("/s/{slug}#post-{p}")),
            (None, Some((_, h))) => Some(format!("/u/{h}#post-{p}")),
            _ => None,
        };
        let (action, target, key) = match (verb.as_str(), post) {
            // Threads, questions and articles, and their replies, answers and comments.
            (
                "asked" | "answered" | "accepted" | "started" | "replied" | "published"
                | "commented",
                _,
            ) if topic.is_some() => {
                let (Some(topic), Some(title)) = (topic, topic_title.clone()) else {
                    continue;
                };
                let action = match verb.as_str() {
                    "asked" => "asked",
                    "answered" => "answered",
                    "accepted" => "accepted an answer to",
                    "started" => "started the thread",
                    "published" => "published the article",
                    "commented" => "commented on the article",
                    _ => "replied to",
                };
                let link = Link {
                    text: title,
                    href: format!("/t/{topic}"),
                };
                (action, Some(link), format!("{verb}:{topic}"))
            }
            ("posted" | "commented", None) => continue, // the post is gone
            ("posted" | "commented", Some(p)) => {
                let href = post_href(p).unwrap_or_default();
                let (action, text) = match (&space_link, &person_link, verb.as_str()) {
                    (Some((_, name)), _, "posted") => ("posted in", name.clone()),
                    (Some((_, name)), _, _) => ("commented on a post in", name.clone()),
                    (None, Some((name, _)), "posted") => ("posted on the wall of", name.clone()),
                    (None, Some((name, _)), _) => {
                        ("commented on a post on the wall of", name.clone())
                    }
                    _ => continue,
                };
                let key = if verb == "commented" {
                    format!("commented:{p}")
                } else {
                    format!("posted:{id}")
                };
                (action, Some(Link { text, href }), key)
            }
            ("status", _) => ("updated their status", None, format!("status:{id}")),
            ("asked" | "answered" | "accepted" | "started" | "replied" | "published", _) => {
                continue; // the topic is gone, or is not the reader's to see
            }
            ("created" | "joined", _) => {
                let Some((slug, name)) = &space_link else {
                    continue;
                };
                let action = if verb == "created" {
                    "created the space"
                } else {
                    "joined"
                };
                let link = Link {
                    text: name.clone(),
                    href: format!("/s/{slug}"),
                };
                (action, Some(link), format!("{verb}:{slug}"))
            }
            ("followed", _) => {
                let Some((name, h)) = &person_link else {
                    continue;
                };
                let link = Link {
                    text: name.clone(),
                    href: format!("/u/{h}"),
                };
                ("started following", Some(link), format!("followed:{h}"))
            }
            (other, _) => (other_action(other), None, format!("{other}:{id}")),
        };
        if let Some(&i) = by_key.get(&key) {
            if actors[i].insert(actor_id) {
                items[i].others += 1;
            }
            continue;
        }
        let show_text = matches!(verb.as_str(), "posted" | "commented" | "status");
        by_key.insert(key, items.len());
        actors.push(HashSet::from([actor_id]));
        items.push(FeedItem {
            id,
            actor: Link {
                text: actor,
                href: format!("/u/{}", handle.unwrap_or_else(|| format!("user{actor_id}"))),
            },
            others: 0,
            action: action.to_owned(),
            target,
            excerpt: text
                .filter(|t| show_text && !t.trim().is_empty())
                .map(|t| excerpt(&t, 280)),
            at,
        });
    }
    items
}

/// Words for verbs that later features record.
fn other_action(verb: &str) -> &'static str {
    match verb {
        "enrolled" => "enrolled in a course",
        "completed" => "completed a course",
        _ => "was active",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::db::{DbError, TestDb};

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
        let sql = sources.newest_sql(
            &verb_is(Backend::Sqlite, &["posted", "commented"]),
            "$3 = 0",
            &space_readable("s", 1, 2),
        );
        // One limit, for the merge: none per source.
        assert_eq!(sql.matches("LIMIT").count(), 1, "{sql}");
        // The plan's details, and the program's opcodes.
        let details = explain(db, "EXPLAIN QUERY PLAN", &sql, &sources, 3).await?;
        let ops = explain(db, "EXPLAIN", &sql, &sources, 1).await?;
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

    /// `how` (`EXPLAIN` or `EXPLAIN QUERY PLAN`) of a home feed's newest-ids statement for
    /// viewer 1, with the sources' values bound: each row's text column `column`.
    async fn explain(
        db: &Db,
        how: &str,
        sql: &str,
        sources: &HomeSources,
        column: usize,
    ) -> Result<Vec<String>, DbError> {
        let explain = format!("{how} {sql}");
        let mut query = sqlx::query(&explain)
            .bind(1_i64)
            .bind(0_i64)
            .bind(0_i64)
            .bind(41_i64);
        for id in sources.bound() {
            query = query.bind(id);
        }
        let rows = query.fetch_all(&db.pool).await?;
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
        let viewer = Viewer {
            id: 7,
            admin: false,
        };
        assert_eq!(
            sources.lists(viewer),
            vec!["3,12".to_owned(), "7".to_owned()]
        );
        let sql = newest_sql_postgres("1 = 1", "$3 = 0", "1 = 1");
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
        let sql = |s: &HomeSources| {
            s.newest_sql(&verb_is(Backend::Sqlite, &["posted"]), "$3 = 0", "1 = 1")
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
}
