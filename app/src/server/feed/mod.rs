//! Activity feeds: the home feed, a space's, a person's and the site-wide "what's new".
//! Visibility is decided in the query, as everywhere; the home feed's sources are read in
//! [`home`], and rows are grouped into items ("Ana and 3 others ...") in [`group`].

mod group;
mod home;
#[cfg(test)]
mod tests;

use crate::domain::feed::{FeedFilter, FeedPage};
use crate::domain::realtime::topic;
use crate::error::AppResult;
use crate::server::infra::cursor;
use crate::server::infra::db::{Backend, Db};
use crate::server::infra::sql::Args;
use crate::server::policy::{space_readable, Viewer, Who};
use crate::server::{profiles, spaces};
use group::group;
use home::{newest_sql_postgres, verb_is, HomeSources};

/// Items per page, before grouping.
const PAGE: i64 = 40;

/// The most spaces and people whose topics a home feed listens to.
pub(crate) const MAX_SOURCES: i64 = 240;

/// Up to this many spaces and people, the home feed reads each source's newest activity from
/// its own index and merges them. Past it, activity from the reader's sources is dense enough
/// that reading the log newest first and keeping what matches finds a page sooner.
const MERGE_SOURCES: usize = 100;

/// What every arm of a feed statement tests, as SQL: the verbs shown, the cursor, who may read
/// a space's activity, the reader, and the page's limit.
pub(crate) struct Filter<'a> {
    pub verbs: &'a str,
    pub after_cursor: &'a str,
    pub readable: &'a str,
    pub me: &'a str,
    pub limit: &'a str,
}

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
pub(crate) type Row = (
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
    // The reader, the cursor and the limit come first; then the space or person, where there
    // is one, or a home feed's sources: one place each on SQLite (`HomeSources::bound`), two
    // lists on PostgreSQL (`HomeSources::lists`).
    let mut args = Args::new();
    let who = Who::viewer(&mut args, viewer);
    let me = who.id.clone();
    // Bound even on the first page, so both pages of a feed share the statement's places.
    let cursor = args.add(before.unwrap_or(0));
    let after_cursor = match before {
        Some(_) => format!("a.id < {cursor}"),
        None => format!("{cursor} = 0"),
    };
    let limit = args.add(PAGE + 1);
    let readable = space_readable("s", &who);
    let f = Filter {
        verbs: &verbs,
        after_cursor: &after_cursor,
        readable: &readable,
        me: &me,
        limit: &limit,
    };
    // What the activities are read from: the whole log, or (a home feed with few sources) the
    // ids of its newest activities, joined to the log by primary key. Written as `a.id IN
    // (...)` instead, PostgreSQL hashed the ids and scanned the whole log for them, joins
    // and all (1.2 s a page at the large scale, against 3 ms with the join).
    let mut activities = "activities a".to_owned();
    let (source, title, topics) = match of {
        FeedOf::Home => {
            let sources = HomeSources::of(db, viewer).await?;
            let source = if sources.spaces.len() + sources.people.len() <= MERGE_SOURCES {
                let newest = if db.backend == Backend::Postgres {
                    let [spaces, people] = sources.lists(viewer);
                    let (spaces, people) = (args.add(spaces), args.add(people));
                    newest_sql_postgres(&f, &spaces, &people)
                } else {
                    let places = args.places(sources.bound());
                    sources.newest_sql(&f, &places)
                };
                activities = format!("({newest}) AS newest JOIN activities a ON a.id = newest.id");
                "1 = 1".to_owned()
            } else {
                format!(
                    "(a.actor_id = {me}
                      OR a.actor_id IN (SELECT f.followee_id FROM follows f WHERE f.follower_id = {me})
                      OR a.space_id IN (SELECT sm.space_id FROM space_members sm WHERE sm.user_id = {me})
                      OR a.wall_id = {me})"
                )
            };
            (source, "Your feed".to_owned(), sources.topics(viewer))
        }
        FeedOf::Space(slug) => {
            let (id, name) = spaces::require_space_readable(db, viewer, slug).await?;
            let space = args.add(id);
            (
                format!("a.space_id = {space}"),
                name,
                vec![topic::space(id)],
            )
        }
        FeedOf::Person(handle) => {
            let (id, name, _) = profiles::by_handle(db, handle).await?;
            let person = args.add(id);
            (
                format!("a.actor_id = {person}"),
                name,
                vec![topic::person(id)],
            )
        }
        FeedOf::Site => (
            "s.visibility = 'public'".to_owned(),
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
         ORDER BY a.id DESC LIMIT {limit}",
    );
    let mut rows: Vec<Row> = sqlx::query_as_with(&sql, args).fetch_all(&db.pool).await?;
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
