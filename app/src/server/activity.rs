//! The activity log: one row per thing done, written in the same transaction as the thing.

use sqlx::AnyConnection;

use super::db::now;
use crate::error::AppResult;

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
        }
    }

    /// Something done to a post on a wall (a space's, or a person's when `space` is `None`).
    pub fn on_post(actor: i64, verb: &'a str, post: i64, space: Option<i64>) -> Self {
        Activity {
            actor,
            verb,
            object_type: "post",
            object_id: post,
            space,
        }
    }
}

pub async fn record(conn: &mut AnyConnection, a: Activity<'_>) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO activities (actor_id, verb, object_type, object_id, space_id, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(a.actor)
    .bind(a.verb)
    .bind(a.object_type)
    .bind(a.object_id)
    .bind(a.space)
    .bind(now())
    .execute(conn)
    .await?;
    Ok(())
}
