//! Who may build, change and read playlists.

use sqlx::AnyConnection;

use crate::domain::ids::{PlaylistId, UserId};
use crate::error::{AppError, AppResult};
use crate::server::infra::db::Db;
use crate::server::infra::sql::Args;
use crate::server::policy::{Viewer, Who};

/// Whether the viewer may build playlists: authors, L&D and admins, and everyone when the
/// site lets members curate.
pub async fn may_curate(db: &Db, viewer: Viewer) -> AppResult<bool> {
    if crate::server::policy::courses::may_author(db, viewer).await? {
        return Ok(true);
    }
    Ok(viewer.is_signed_in() && curation_open(db).await?)
}

/// Who may read the playlist aliased `p`: its owner always; others once it is published, by
/// its visibility.
pub fn playlist_readable(p: &str, who: &Who) -> String {
    let Who { id, admin } = who;
    format!(
        "({p}.owner_id = {id} OR {admin} OR ({p}.published_at IS NOT NULL AND (
            {p}.visibility = 'public' OR ({p}.visibility = 'space' AND EXISTS (
              SELECT 1 FROM space_members pm WHERE pm.space_id = {p}.space_id AND pm.user_id = {id})))))"
    )
}

/// The owner's playlist (or an admin's view of it), for a change.
pub async fn require_owned(
    conn: &mut AnyConnection,
    viewer: Viewer,
    playlist: PlaylistId,
) -> AppResult<()> {
    let row: Option<(UserId,)> = sqlx::query_as("SELECT owner_id FROM playlists WHERE id = $1")
        .bind(playlist)
        .fetch_optional(&mut *conn)
        .await?;
    match row {
        None => Err(AppError::NotFound),
        Some((owner,)) if viewer.is(owner) || viewer.admin => Ok(()),
        Some(_) => Err(AppError::Forbidden),
    }
}

/// Refuses anyone but the playlist's owner (and admins), for its cover picture.
pub async fn require_playlist_owner(
    db: &Db,
    viewer: Viewer,
    playlist: PlaylistId,
) -> AppResult<()> {
    let mut conn = db.pool.acquire().await?;
    require_owned(&mut conn, viewer, playlist).await
}

/// Refuses (`NotFound`) anyone who may not read the playlist.
pub async fn require_playlist_readable(
    db: &Db,
    viewer: Viewer,
    playlist: PlaylistId,
) -> AppResult<()> {
    let mut args = Args::new();
    let playlist = args.add(playlist);
    let who = Who::viewer(&mut args, viewer);
    let sql = format!(
        "SELECT p.id FROM playlists p WHERE p.id = {playlist} AND {}",
        playlist_readable("p", &who)
    );
    let row: Option<(i64,)> = sqlx::query_as_with(&sql, args)
        .fetch_optional(&db.pool)
        .await?;
    row.map(|_| ()).ok_or(AppError::NotFound)
}

/// Whether every member may build playlists (the site setting).
pub async fn curation_open(db: &Db) -> AppResult<bool> {
    let value = crate::server::infra::settings::get(db, "playlist_curation").await?;
    Ok(value.is_some_and(|v| v == "everyone"))
}
