//! The home feed's sources: the reader's spaces and people, read as two lists of ids.

use crate::domain::activity::Verb;
use crate::domain::ids::{SpaceId, UserId};
use crate::domain::realtime::topic;
use crate::error::AppResult;
use crate::server::feed::{Filter, MAX_SOURCES};
use crate::server::infra::db::{Backend, Db};
use crate::server::policy::Viewer;

/// Where a reader's home feed comes from, besides their own activity and their wall: the
/// spaces they belong to and the people they follow (each up to `MAX_SOURCES`).
pub(super) struct HomeSources {
    pub spaces: Vec<i64>,
    pub people: Vec<i64>,
}

impl HomeSources {
    pub async fn of(db: &Db, viewer: Viewer) -> AppResult<HomeSources> {
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
    pub fn topics(&self, viewer: Viewer) -> Vec<String> {
        let mut topics = vec![topic::person(viewer.id), topic::profile(viewer.id)];
        topics.extend(self.spaces.iter().map(|&id| topic::space(SpaceId(id))));
        topics.extend(self.people.iter().map(|&id| topic::person(UserId(id))));
        topics
    }

    /// SQLite: the ids of the newest (`f.limit`) activities of the feed: each source read newest
    /// first from its own index (`activities_by_actor`, `_by_wall`, `_by_space`), merged.
    /// Activity in a space is kept only where the reader may read it; in their own spaces they
    /// may.
    ///
    /// SQLite runs a compound `SELECT` with an `ORDER BY` as a merge of its arms, each read in
    /// index order, and stops at the `LIMIT`: so about a limit's rows are read in all, not a
    /// limit per source (0.5 ms instead of 1.8 ms for a reader with 48 sources at the large
    /// seeded scale). PostgreSQL is given [`newest_sql_postgres`] instead.
    ///
    /// `sources` are the places of [`HomeSources::bound`]'s values.
    pub fn newest_sql(&self, f: &Filter<'_>, sources: &[String]) -> String {
        let Filter {
            verbs,
            after_cursor,
            readable,
            me,
            limit,
        } = f;
        let visible = format!(
            "LEFT JOIN spaces s ON s.id = a.space_id WHERE (a.space_id IS NULL OR {readable}) AND"
        );
        let spaces = slots(self.spaces.len());
        let mut from = vec![
            format!("{visible} a.actor_id = {me}"),
            format!("WHERE a.wall_id = {me}"),
        ];
        let (space_places, people_places) = sources.split_at(spaces.min(sources.len()));
        from.extend(
            space_places
                .iter()
                .map(|at| format!("WHERE a.space_id = {at}")),
        );
        from.extend(
            people_places
                .iter()
                .map(|at| format!("{visible} a.actor_id = {at}")),
        );
        let parts: Vec<String> = from
            .iter()
            .map(|from| {
                format!("SELECT a.id FROM activities a {from} AND {verbs} AND {after_cursor}")
            })
            .collect();
        format!("{} ORDER BY id DESC LIMIT {limit}", parts.join(" UNION "))
    }

    /// The values for [`newest_sql_postgres`]'s two lists: the spaces, and the people with
    /// the reader among them, each as ids joined by commas.
    pub fn lists(&self, viewer: Viewer) -> [String; 2] {
        let joined = |ids: &[i64]| ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        let people = [&[viewer.id.0], &self.people[..]].concat();
        [joined(&self.spaces), joined(&people)]
    }

    /// The values for [`HomeSources::newest_sql`]'s places: the spaces, then the people, each
    /// list filled up to its number of places with -1, which is no one's id.
    pub fn bound(&self) -> Vec<i64> {
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

/// PostgreSQL: the ids of the newest activities of a home feed, as
/// [`HomeSources::newest_sql`] on SQLite, but with the spaces and the people (the reader
/// first) each bound as one list of ids (at `spaces` and `people`), read source by source
/// (`LATERAL`), each source up to the limit of its newest rows from its own index: PostgreSQL
/// would read each source whole before a `LIMIT` over all of them. One short statement for
/// every reader: with a place for each source (66 for a reader with 48), PostgreSQL planned
/// the statement anew on every run, 9 ms of a page's 14.
pub(super) fn newest_sql_postgres(f: &Filter<'_>, spaces: &str, people: &str) -> String {
    let Filter {
        verbs,
        after_cursor,
        readable,
        me,
        limit,
    } = f;
    let newest = |ids: &str, from: &str| {
        format!(
            "SELECT x.id FROM unnest(CAST(string_to_array({ids}, ',') AS BIGINT[])) AS src(id) \
             CROSS JOIN LATERAL (SELECT a.id FROM activities a {from} AND {verbs} \
             AND {after_cursor} ORDER BY a.id DESC LIMIT {limit}) AS x"
        )
    };
    let people = newest(
        people,
        &format!(
            "LEFT JOIN spaces s ON s.id = a.space_id \
             WHERE (a.space_id IS NULL OR {readable}) AND a.actor_id = src.id"
        ),
    );
    let spaces = newest(spaces, "WHERE a.space_id = src.id");
    let wall = format!(
        "SELECT id FROM (SELECT a.id FROM activities a WHERE a.wall_id = {me} AND {verbs} \
         AND {after_cursor} ORDER BY a.id DESC LIMIT {limit}) AS wall"
    );
    format!("{people} UNION {spaces} UNION {wall} ORDER BY id DESC LIMIT {limit}")
}

/// The ids in a list joined by commas, in order; none for `None`.
pub(super) fn parse_ids(list: Option<&str>) -> Vec<i64> {
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
pub(super) fn verb_is(backend: Backend, verbs: &[Verb]) -> String {
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
pub(super) fn slots(n: usize) -> usize {
    if n == 0 {
        0
    } else {
        n.next_power_of_two()
    }
}
