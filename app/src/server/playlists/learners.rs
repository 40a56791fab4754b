//! A learner's side: following, marking items done, copying and sharing a playlist.

use crate::domain::ids::{ItemId, PlaylistId, PostId, SectionId};
use crate::domain::playlist::ItemKind;
use crate::error::{AppError, AppResult, FormErrors, FORM};
use crate::server::infra::db::{now, Db};
use crate::server::playlists::items::{insert_item, item_facts};
use crate::server::playlists::undo::snapshot;
use crate::server::policy::playlists::{may_curate, require_playlist_readable};
use crate::server::policy::Viewer;
use crate::server::tags;
use crate::server::walls::{self, WallOf};

/// Follows (or stops following) a playlist.
pub async fn follow(db: &Db, viewer: Viewer, playlist: PlaylistId, on: bool) -> AppResult<()> {
    require_playlist_readable(db, viewer, playlist).await?;
    let mut tx = db.begin().await?;
    let changed = if on {
        sqlx::query(
            "INSERT INTO playlist_follows (playlist_id, user_id, followed_at) VALUES ($1, $2, $3)
             ON CONFLICT (playlist_id, user_id) DO NOTHING",
        )
        .bind(playlist)
        .bind(viewer.id)
        .bind(now())
        .execute(&mut *tx)
        .await?
    } else {
        sqlx::query("DELETE FROM playlist_follows WHERE playlist_id = $1 AND user_id = $2")
            .bind(playlist)
            .bind(viewer.id)
            .execute(&mut *tx)
            .await?
    };
    if changed.rows_affected() > 0 {
        sqlx::query(
            "UPDATE playlists SET follower_count = (SELECT COUNT(*) FROM playlist_follows WHERE playlist_id = $1)
             WHERE id = $1",
        )
        .bind(playlist)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Marks a link or discussion item done (or not) for the viewer; returns its playlist.
pub async fn mark_done(db: &Db, viewer: Viewer, item: ItemId, done: bool) -> AppResult<PlaylistId> {
    let (playlist, _) = {
        let mut conn = db.pool.acquire().await?;
        item_facts(&mut conn, item).await?
    };
    require_playlist_readable(db, viewer, playlist).await?;
    if done {
        sqlx::query(
            "INSERT INTO playlist_done (item_id, user_id, done_at) VALUES ($1, $2, $3)
             ON CONFLICT (item_id, user_id) DO NOTHING",
        )
        .bind(item)
        .bind(viewer.id)
        .bind(now())
        .execute(&db.pool)
        .await?;
    } else {
        sqlx::query("DELETE FROM playlist_done WHERE item_id = $1 AND user_id = $2")
            .bind(item)
            .bind(viewer.id)
            .execute(&db.pool)
            .await?;
    }
    Ok(playlist)
}

/// Copies a playlist the viewer may read into a new draft of theirs; returns it.
pub async fn fork(db: &Db, viewer: Viewer, playlist: PlaylistId) -> AppResult<PlaylistId> {
    require_playlist_readable(db, viewer, playlist).await?;
    if !may_curate(db, viewer).await? {
        return Err(AppError::Forbidden);
    }
    let mut tx = db.begin().await?;
    let s = snapshot(&mut tx, playlist).await?;
    let now = now();
    let (id,): (PlaylistId,) = sqlx::query_as(
        "INSERT INTO playlists (owner_id, title, description, visibility, forked_from, created_at, updated_at)
         VALUES ($1, $2, $3, 'private', $4, $5, $5) RETURNING id",
    )
    .bind(viewer.id)
    .bind(format!("{} (copy)", s.title).chars().take(200).collect::<String>())
    .bind(&s.description)
    .bind(playlist)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    tags::replace(&mut tx, id, &s.tags).await?;
    for (old, title, position) in &s.sections {
        let (section,): (SectionId,) = sqlx::query_as(
            "INSERT INTO playlist_sections (playlist_id, title, position) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(id)
        .bind(title)
        .bind(position)
        .fetch_one(&mut *tx)
        .await?;
        for i in s.items.iter().filter(|i| i.section == SectionId(*old)) {
            let kind = ItemKind::parse(&i.kind).unwrap_or(ItemKind::Link);
            insert_item(
                &mut tx,
                id,
                section,
                kind,
                i.ref_id,
                &i.url,
                &i.title,
                &i.description,
                i.minutes,
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(id)
}

/// Shares a playlist on a space's wall (a post linking to it); returns the post.
pub async fn share(
    db: &Db,
    viewer: Viewer,
    playlist: PlaylistId,
    space: &str,
) -> AppResult<PostId> {
    require_playlist_readable(db, viewer, playlist).await?;
    let (title, published): (String, Option<i64>) =
        sqlx::query_as("SELECT title, published_at FROM playlists WHERE id = $1")
            .bind(playlist)
            .fetch_one(&db.pool)
            .await?;
    if published.is_none() {
        return Err(AppError::Conflict(FormErrors::single(
            FORM,
            "Publish the playlist before sharing it.",
        )));
    }
    let body = format!(
        "Learning playlist: [{}](/playlists/{playlist})",
        title.replace(['[', ']'], "")
    );
    walls::post(
        db,
        viewer,
        WallOf::Space(space.trim().trim_start_matches("/s/")),
        &body,
        None,
    )
    .await
    .map_err(|e| match e {
        AppError::Validation(f) | AppError::Conflict(f) => {
            AppError::Validation(FormErrors::single("space", f.summary()))
        }
        AppError::NotFound | AppError::Forbidden => AppError::Validation(FormErrors::single(
            "space",
            "Choose a space you are a member of.",
        )),
        other => other,
    })
}
