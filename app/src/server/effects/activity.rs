//! The activity log: one row per thing done, written in the same transaction as the thing.

use sqlx::AnyConnection;

use crate::domain::feed::FeedFilter;
use crate::domain::realtime::{topic, EventBody};
use crate::error::AppResult;
use crate::server::infra::db::now;
use crate::server::infra::events;

/// One action to record.
pub struct Activity<'a> {
    pub actor: i64,
    /// What was done: `created`, `joined`, `left`, `posted`, `commented`, `reacted`, ...
    pub verb: &'a str,
    /// What it was done to: `space`, `post`, `comment`, `user`.
    pub object_type: &'a str,
    pub object_id: i64,
    /// The space it happened in, if any.
    pub space: Option<i64>,
    /// Whose wall it happened on, for posts on a person's wall and what is done to them.
    pub wall: Option<i64>,
}

impl<'a> Activity<'a> {
    /// Something done to a space itself (created, joined, archived...).
    pub fn on_space(actor: i64, verb: &'a str, space: i64) -> Self {
        Activity {
            actor,
            verb,
            object_type: "space",
            object_id: space,
            space: Some(space),
            wall: None,
        }
    }

    /// Something done to a person within a space (invited, role changed, removed).
    pub fn on_person(actor: i64, verb: &'a str, user: i64, space: i64) -> Self {
        Activity {
            actor,
            verb,
            object_type: "user",
            object_id: user,
            space: Some(space),
            wall: None,
        }
    }

    /// Something done to a post on a wall: a space's, or the person `wall`'s.
    pub fn on_post(
        actor: i64,
        verb: &'a str,
        post: i64,
        space: Option<i64>,
        wall: Option<i64>,
    ) -> Self {
        Activity {
            actor,
            verb,
            object_type: "post",
            object_id: post,
            space,
            wall,
        }
    }
}

/// Records the activity and the events that announce it, in the caller's transaction; returns
/// its id. Feed activities go to the space's topic, and, where everyone signed in may see them
/// (outside spaces, or in public ones), to the actor's topic and, for public spaces, the site's.
pub async fn record(conn: &mut AnyConnection, a: Activity<'_>) -> AppResult<i64> {
    // The space's visibility comes back with the id: one statement, not two, for each is a
    // turn on SQLite's one writer connection.
    let (id, visibility): (i64, Option<String>) = sqlx::query_as(
        "INSERT INTO activities (actor_id, verb, object_type, object_id, space_id, wall_id,
                                 created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         RETURNING id, (SELECT visibility FROM spaces WHERE id = $5)",
    )
    .bind(a.actor)
    .bind(a.verb)
    .bind(a.object_type)
    .bind(a.object_id)
    .bind(a.space)
    .bind(a.wall)
    .bind(now())
    .fetch_one(&mut *conn)
    .await?;
    if !FeedFilter::All.verbs().contains(&a.verb) {
        return Ok(id);
    }
    let public = a.space.is_some() && visibility.as_deref() == Some("public");
    let mut topics = Vec::with_capacity(3);
    if let Some(space) = a.space {
        topics.push(topic::space(space));
    }
    if a.space.is_none() || public {
        topics.push(topic::person(a.actor));
    }
    if public {
        topics.push(topic::SITE.to_owned());
    }
    let refs: Vec<&str> = topics.iter().map(String::as_str).collect();
    let body = EventBody::Activity {
        activity: id,
        actor: a.actor,
        verb: a.verb.to_owned(),
        object: a.object_id,
    };
    events::emit_many(conn, &refs, &body).await?;
    Ok(id)
}
