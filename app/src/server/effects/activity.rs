//! The activity log: one row per thing done, written in the same transaction as the thing,
//! with the events that put it on the feeds of those who may see it.

use sqlx::AnyConnection;

use super::{Object, Place};
use crate::domain::activity::Verb;
use crate::domain::feed::FeedFilter;
use crate::domain::ids::{ActivityId, UserId};
use crate::domain::realtime::{topic, EventBody};
use crate::error::AppResult;
use crate::server::infra::db::now;
use crate::server::infra::events;

/// The event that announces an activity.
pub(super) fn event(id: ActivityId, actor: UserId, verb: Verb, object: Object) -> EventBody {
    EventBody::Activity {
        activity: id,
        actor,
        verb,
        object: object.id,
    }
}

/// Records the activity and the events that announce it, in the caller's transaction; returns
/// its id. Feed activities go to the space's topic, and, where everyone signed in may see them
/// (outside spaces, or in public ones), to the actor's topic and, for public spaces, the site's.
pub(super) async fn record(
    conn: &mut AnyConnection,
    actor: UserId,
    verb: Verb,
    object: Object,
    place: Place,
) -> AppResult<ActivityId> {
    // The space's visibility comes back with the id: one statement, not two, for each is a
    // turn on SQLite's one writer connection.
    let (id, visibility): (ActivityId, Option<String>) = sqlx::query_as(
        "INSERT INTO activities (actor_id, verb, object_type, object_id, space_id, wall_id,
                                 created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         RETURNING id, (SELECT visibility FROM spaces WHERE id = $5)",
    )
    .bind(actor)
    .bind(verb.as_str())
    .bind(object.kind.as_str())
    .bind(object.id)
    .bind(place.space)
    .bind(place.wall)
    .bind(now())
    .fetch_one(&mut *conn)
    .await?;
    if !FeedFilter::All.verbs().contains(&verb) {
        return Ok(id);
    }
    let public = place.space.is_some() && visibility.as_deref() == Some("public");
    let mut topics = Vec::with_capacity(3);
    if let Some(space) = place.space {
        topics.push(topic::space(space));
    }
    if place.space.is_none() || public {
        topics.push(topic::person(actor));
    }
    if public {
        topics.push(topic::SITE.to_owned());
    }
    let refs: Vec<&str> = topics.iter().map(String::as_str).collect();
    events::emit_many(conn, &refs, &event(id, actor, verb, object)).await?;
    Ok(id)
}
