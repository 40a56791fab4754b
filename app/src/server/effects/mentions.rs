//! @mentions: linked in the HTML of what mentions people ([`render_mentions`], before the
//! write), then each person mentioned who may read it is told, and the mention recorded.

use std::collections::HashSet;

use sqlx::AnyConnection;

use super::notify::{self, Notice, Sent};
use super::{activity, Object, Place};
use crate::domain::activity::Verb;
use crate::domain::ids::UserId;
use crate::domain::notification::NotificationKind;
use crate::domain::profile::Handle;
use crate::error::AppResult;
use crate::server::infra::db::Db;
use crate::server::infra::markdown;
use crate::server::infra::sql::Args;

/// The people mentioned in something written, where it is shown and its text.
#[derive(Debug, Clone)]
pub struct Mentions {
    pub people: Vec<UserId>,
    pub url: String,
    pub context: String,
}

/// The people among `handles` who exist, as (handle, id).
async fn existing(db: &Db, handles: &[String]) -> AppResult<Vec<(String, UserId)>> {
    if handles.is_empty() {
        return Ok(Vec::new());
    }
    let mut args = Args::new();
    let sql = format!(
        "SELECT handle, id FROM users WHERE handle IN ({})",
        args.list(handles.iter().map(String::as_str))
    );
    Ok(sqlx::query_as_with(&sql, args).fetch_all(&db.pool).await?)
}

/// Markdown with @mentions of real people linked; returns the HTML and who was mentioned.
pub async fn render_mentions(db: &Db, markdown: &str) -> AppResult<(String, Vec<UserId>)> {
    let mut handles = Handle::mentioned_in(markdown);
    handles.truncate(50);
    let people = existing(db, &handles).await?;
    let known: HashSet<String> = people.iter().map(|(h, _)| h.clone()).collect();
    let html = markdown::render_with_mentions(markdown, &known);
    Ok((html, people.into_iter().map(|(_, id)| id).collect()))
}

/// Tells each person `actor` mentioned (at `place`) who may read it, and records the mention.
pub(super) async fn tell(
    conn: &mut AnyConnection,
    actor: UserId,
    place: Place,
    m: Mentions,
) -> AppResult<()> {
    for person in m.people.into_iter().filter(|p| *p != actor) {
        let notice = Notice::new(
            person,
            NotificationKind::Mention,
            m.url.as_str(),
            m.url.as_str(),
            m.context.as_str(),
        );
        if notify::send(conn, actor, place, notice).await? == Sent::Refused {
            continue;
        }
        let only_space = Place {
            space: place.space,
            wall: None,
        };
        activity::record(
            conn,
            actor,
            Verb::Mentioned,
            Object::user(person),
            only_space,
        )
        .await?;
    }
    Ok(())
}
