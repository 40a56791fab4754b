//! Profiles, handles, status updates and follows.
//!
//! Every signed-in person may see every profile; what a profile shows of spaces and activity is
//! filtered by what the viewer may read, in the query. Pages and lists are in [`read`], changes
//! in [`write`]; here, the handles and person cards both use.

mod read;
mod write;

pub use read::{follow_list, form, profile, FollowDirection, FOLLOW_PAGE};
pub use write::{follow, set_status, update, ProfileInput};

use crate::domain::ids::UserId;
use crate::domain::profile::{avatar_url, Handle, PersonCard};
use crate::error::{AppError, AppResult};
use crate::server::infra::db::{is_unique_violation, Db};

/// Gives a new account the first free handle made from its name.
pub async fn assign_handle(db: &Db, id: UserId, name: &str) -> AppResult<String> {
    for candidate in Handle::candidates(name, id.0) {
        let taken: Option<(i64,)> = sqlx::query_as("SELECT id FROM users WHERE handle = $1")
            .bind(&candidate)
            .fetch_optional(&db.pool)
            .await?;
        if taken.is_some() {
            continue;
        }
        match sqlx::query("UPDATE users SET handle = $1 WHERE id = $2")
            .bind(&candidate)
            .bind(id)
            .execute(&db.pool)
            .await
        {
            Ok(_) => {
                let mut conn = db.pool.acquire().await?;
                crate::server::effects::index::person(&mut conn, id).await?;
                return Ok(candidate);
            }
            // Someone took it in between: try the next one.
            Err(e) if is_unique_violation(&e) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    // Five candidates, the last two built from the unique id, all taken: only possible if people
    // chose exactly those handles. Say so rather than leave the account without an address.
    Err(AppError::internal(format!(
        "no free handle for account {id}"
    )))
}

/// Columns of a [`PersonCard`], from `users` aliased `u`.
pub const CARD_COLUMNS: &str = "u.id, u.display_name, u.handle, u.job_title, u.avatar_version";

pub type CardRow = (i64, String, Option<String>, String, Option<i64>);

pub fn card((id, display_name, handle, job_title, avatar): CardRow) -> PersonCard {
    PersonCard {
        id: UserId(id),
        display_name,
        handle: handle.unwrap_or_else(|| format!("user{id}")),
        job_title,
        avatar: avatar_url(UserId(id), 64, avatar),
    }
}

/// A handle as stored: without spaces around it or a leading `@`, in lower case.
pub fn normal_handle(handle: &str) -> String {
    handle.trim().trim_start_matches('@').to_lowercase()
}

/// The id of the person with this handle, or `NotFound`.
pub async fn id_of(db: &Db, handle: &str) -> AppResult<UserId> {
    let handle = normal_handle(handle);
    let row: Option<(UserId,)> = sqlx::query_as("SELECT id FROM users WHERE handle = $1")
        .bind(&handle)
        .fetch_optional(&db.pool)
        .await?;
    row.map(|r| r.0).ok_or(AppError::NotFound)
}

/// The display name of the person with this handle (for page titles).
pub async fn name_of(db: &Db, handle: &str) -> AppResult<(String, String)> {
    let (_, name, handle) = by_handle(db, handle).await?;
    Ok((name, handle))
}

/// The person with `handle` (any case, with or without `@`): id, display name and handle.
pub async fn by_handle(db: &Db, handle: &str) -> AppResult<(UserId, String, String)> {
    let handle = handle.trim().trim_start_matches('@').to_lowercase();
    let row: Option<(UserId, String, Option<String>)> =
        sqlx::query_as("SELECT id, display_name, handle FROM users WHERE handle = $1")
            .bind(&handle)
            .fetch_optional(&db.pool)
            .await?;
    let (id, name, handle) = row.ok_or(AppError::NotFound)?;
    Ok((id, name, handle.unwrap_or_default()))
}
