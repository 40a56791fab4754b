//! @mentions: linked in the HTML of what mentions them, and told, through the write pipeline.

use std::collections::HashSet;

use sqlx::AnyConnection;

use crate::domain::notification::NotificationKind;
use crate::domain::profile::Handle;
use crate::error::AppResult;
use crate::server::effects::activity::{self, Activity};
use crate::server::effects::notify::{self as notifications, Notice};
use crate::server::infra::db::Db;
use crate::server::infra::markdown;
use crate::server::infra::sql::placeholders;

/// The people among `handles` who exist, as (handle, id).
pub async fn existing(db: &Db, handles: &[String]) -> AppResult<Vec<(String, i64)>> {
    if handles.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT handle, id FROM users WHERE handle IN ({})",
        placeholders(1, handles.len())
    );
    let mut q = sqlx::query_as::<_, (String, i64)>(&sql);
    for h in handles {
        q = q.bind(h);
    }
    Ok(q.fetch_all(&db.pool).await?)
}

/// Markdown with @mentions of real people linked; returns the HTML and who was mentioned.
pub async fn render_mentions(db: &Db, markdown: &str) -> AppResult<(String, Vec<i64>)> {
    let mut handles = Handle::mentioned_in(markdown);
    handles.truncate(50);
    let people = existing(db, &handles).await?;
    let known: HashSet<String> = people.iter().map(|(h, _)| h.clone()).collect();
    let html = markdown::render_with_mentions(markdown, &known);
    Ok((html, people.into_iter().map(|(_, id)| id).collect()))
}

/// Where a mention was made: the address of the post and the text around it.
pub struct Mentioned<'a> {
    pub url: &'a str,
    pub context: &'a str,
}

/// Records that `actor` mentioned each of `people` in a post or comment, and tells them.
pub async fn record_mentions(
    conn: &mut AnyConnection,
    actor: i64,
    people: &[i64],
    space: Option<i64>,
    about: Mentioned<'_>,
) -> AppResult<()> {
    for person in people.iter().filter(|p| **p != actor) {
        let notice = Notice {
            user: *person,
            kind: NotificationKind::Mention,
            actor,
            object: about.url.to_owned(),
            url: about.url.to_owned(),
            context: about.context.to_owned(),
        };
        notifications::notify(conn, notice).await?;
        let mention = Activity {
            actor,
            verb: "mentioned",
            object_type: "user",
            object_id: *person,
            space,
            wall: None,
        };
        activity::record(conn, mention).await?;
    }
    Ok(())
}
