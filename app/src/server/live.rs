//! Who may listen to which topic, and who is online: the rules the WebSocket applies.

use std::collections::HashSet;

use crate::domain::feed::Link;
use crate::domain::ids::{SpaceId, TopicId};
use crate::domain::realtime::topic;
use crate::error::AppResult;
use crate::server::infra::db::{now, Db};
use crate::server::infra::hub::ONLINE_SECS;
use crate::server::infra::sql::Args;
use crate::server::policy::{space_readable, Viewer, Who};

/// The most topics one subscription may name; the rest are refused unread.
pub const MAX_TOPICS: usize = 500;

/// The most threads, questions and articles one subscription may name, each a look-up; the rest
/// are refused without one (a page follows one, a feed a few).
pub const MAX_TOPIC_LOOKUPS: usize = 20;

/// Splits `wanted` into the topics `viewer` may listen to and those refused: their own user
/// topic, every person's and profile's, the site's, the spaces whose content they may read and
/// the topics (threads, questions, articles) they may read.
pub async fn authorise(
    db: &Db,
    viewer: Viewer,
    wanted: &[String],
) -> AppResult<(Vec<String>, Vec<String>)> {
    let mut allowed = Vec::new();
    let mut denied = Vec::new();
    let mut spaces: Vec<(i64, &String)> = Vec::new();
    let unique: HashSet<&String> = wanted.iter().collect();
    let mut considered = 0;
    let mut lookups = 0;
    for t in unique {
        // Every topic counts, the refused too: a long list costs no more than this.
        considered += 1;
        if considered > MAX_TOPICS {
            denied.push(t.clone());
            continue;
        }
        let (kind, id) = t.split_once(':').unwrap_or((t.as_str(), ""));
        let id = id.parse::<i64>().ok();
        match (kind, id) {
            ("site", None) if t == topic::SITE => allowed.push(t.clone()),
            ("user", Some(id)) if viewer.is(id) => allowed.push(t.clone()),
            ("person" | "profile", Some(_)) => allowed.push(t.clone()),
            ("space", Some(id)) => spaces.push((id, t)),
            // A thread, question or article: one look-up each (a page follows one).
            ("topic", Some(_)) if lookups >= MAX_TOPIC_LOOKUPS => denied.push(t.clone()),
            ("topic", Some(id)) => {
                lookups += 1;
                match crate::server::topics::topic_readable(db, viewer, TopicId(id)).await? {
                    true => allowed.push(t.clone()),
                    false => denied.push(t.clone()),
                }
            }
            _ => denied.push(t.clone()),
        }
    }
    if !spaces.is_empty() {
        let mut args = Args::new();
        let who = Who::viewer(&mut args, viewer);
        let ids = args.list(spaces.iter().map(|(id, _)| *id));
        let sql = format!(
            "SELECT s.id FROM spaces s WHERE s.id IN ({ids}) AND {}",
            space_readable("s", &who)
        );
        let readable: HashSet<i64> = sqlx::query_as_with::<_, (i64,), _>(&sql, args)
            .fetch_all(&db.pool)
            .await?
            .into_iter()
            .map(|r| r.0)
            .collect();
        for (id, t) in spaces {
            if readable.contains(&id) {
                allowed.push(t.clone());
            } else {
                denied.push(t.clone());
            }
        }
    }
    allowed.sort();
    denied.sort();
    Ok((allowed, denied))
}

/// Members of space `space` with a live connection now, by name; empty unless the viewer may
/// read the space.
pub async fn online_in_space(db: &Db, viewer: Viewer, space: SpaceId) -> AppResult<Vec<Link>> {
    let mut args = Args::new();
    let space_at = args.add(space);
    let who = Who::viewer(&mut args, viewer);
    let since = args.add(now() - ONLINE_SECS);
    let sql = format!(
        "SELECT u.id, u.display_name, u.handle FROM presence pr
         JOIN space_members m ON m.user_id = pr.user_id AND m.space_id = {space_at}
         JOIN users u ON u.id = pr.user_id
         JOIN spaces s ON s.id = m.space_id
         WHERE pr.seen_at > {since} AND {}
         ORDER BY u.display_name, u.id LIMIT 50",
        space_readable("s", &who)
    );
    let rows: Vec<(i64, String, Option<String>)> =
        sqlx::query_as_with(&sql, args).fetch_all(&db.pool).await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, handle)| Link {
            text: name,
            href: format!("/u/{}", handle.unwrap_or_else(|| format!("user{id}"))),
        })
        .collect())
}
