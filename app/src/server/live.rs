//! Who may listen to which topic, and who is online: the rules the WebSocket applies.

use std::collections::HashSet;

use super::access::{placeholders, space_readable, Viewer};
use super::db::{now, Db};
use super::hub::ONLINE_SECS;
use crate::domain::feed::Link;
use crate::domain::realtime::topic;
use crate::error::AppResult;

/// The most topics one connection may hold.
pub const MAX_TOPICS: usize = 500;

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
    for t in unique {
        if allowed.len() + spaces.len() >= MAX_TOPICS {
            denied.push(t.clone());
            continue;
        }
        let (kind, id) = t.split_once(':').unwrap_or((t.as_str(), ""));
        let id = id.parse::<i64>().ok();
        match (kind, id) {
            ("site", None) if t == topic::SITE => allowed.push(t.clone()),
            ("user", Some(id)) if id == viewer.id => allowed.push(t.clone()),
            ("person" | "profile", Some(_)) => allowed.push(t.clone()),
            ("space", Some(id)) => spaces.push((id, t)),
            // A thread, question or article: one look-up each (a page follows one).
            ("topic", Some(id)) => match super::topics::readable(db, viewer, id).await? {
                true => allowed.push(t.clone()),
                false => denied.push(t.clone()),
            },
            _ => denied.push(t.clone()),
        }
    }
    if !spaces.is_empty() {
        let sql = format!(
            "SELECT s.id FROM spaces s WHERE s.id IN ({}) AND {}",
            placeholders(3, spaces.len()),
            space_readable("s", 1, 2)
        );
        let mut q = sqlx::query_as::<_, (i64,)>(&sql)
            .bind(viewer.id)
            .bind(viewer.admin_flag());
        for (id, _) in &spaces {
            q = q.bind(*id);
        }
        let readable: HashSet<i64> = q
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
pub async fn online_in_space(db: &Db, viewer: Viewer, space: i64) -> AppResult<Vec<Link>> {
    let sql = format!(
        "SELECT u.id, u.display_name, u.handle FROM presence pr
         JOIN space_members m ON m.user_id = pr.user_id AND m.space_id = $1
         JOIN users u ON u.id = pr.user_id
         JOIN spaces s ON s.id = m.space_id
         WHERE pr.seen_at > $4 AND {}
         ORDER BY u.display_name, u.id LIMIT 50",
        space_readable("s", 2, 3)
    );
    let rows: Vec<(i64, String, Option<String>)> = sqlx::query_as(&sql)
        .bind(space)
        .bind(viewer.id)
        .bind(viewer.admin_flag())
        .bind(now() - ONLINE_SECS)
        .fetch_all(&db.pool)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, handle)| Link {
            text: name,
            href: format!("/u/{}", handle.unwrap_or_else(|| format!("user{id}"))),
        })
        .collect())
}
