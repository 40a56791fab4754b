//! Making a playlist and changing its details, sections and publication.

use crate::domain::ids::{PlaylistId, SectionId};
use crate::domain::playlist::{check_description, check_playlist_title, PlaylistVisibility};
use crate::domain::profile::Tags;
use crate::error::{AppError, AppResult, FormErrors, FORM};
use crate::server::infra::db::{now, Db};
use crate::server::playlists::undo::begin_change;
use crate::server::policy::playlists::may_curate;
use crate::server::policy::playlists::require_owned;
use crate::server::policy::Viewer;
use crate::server::tags;

/// Sets who may build playlists (site admins): everyone, or authors only.
pub async fn set_curation(db: &Db, viewer: Viewer, everyone: bool) -> AppResult<()> {
    if !viewer.admin {
        return Err(AppError::Forbidden);
    }
    let value = if everyone { "everyone" } else { "authors" };
    crate::server::infra::settings::set(db, "playlist_curation", value).await
}

/// Creates an empty draft playlist with one section; returns it.
pub async fn create(db: &Db, viewer: Viewer, title: &str) -> AppResult<PlaylistId> {
    if !may_curate(db, viewer).await? {
        return Err(AppError::Forbidden);
    }
    let title = check_playlist_title(title)
        .map_err(|m| AppError::Validation(FormErrors::single("title", m).keep("title", title)))?;
    let now = now();
    let mut tx = db.begin().await?;
    let (id,): (PlaylistId,) = sqlx::query_as(
        "INSERT INTO playlists (owner_id, title, visibility, created_at, updated_at)
         VALUES ($1, $2, 'public', $3, $3) RETURNING id",
    )
    .bind(viewer.id)
    .bind(&title)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO playlist_sections (playlist_id, title, position) VALUES ($1, 'Start here', 1)",
    )
    .bind(id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// What the details form sends.
#[derive(Debug, Default)]
pub struct Details {
    pub title: String,
    pub description: String,
    pub visibility: String,
    /// The space's address, for space-only playlists.
    pub space: String,
    /// Tags, separated with commas.
    pub tags: String,
}

/// Saves a playlist's title, description and visibility.
pub async fn save_details(
    db: &Db,
    viewer: Viewer,
    playlist: PlaylistId,
    d: Details,
) -> AppResult<()> {
    let mut errors = FormErrors::new();
    let title = check_playlist_title(&d.title)
        .map_err(|m| errors.add("title", m))
        .ok();
    let description = check_description(&d.description)
        .map_err(|m| errors.add("description", m))
        .ok();
    let tags = Tags::parse(&d.tags)
        .map_err(|m| errors.add("tags", m))
        .unwrap_or_default();
    let visibility = PlaylistVisibility::parse(&d.visibility);
    if visibility.is_none() {
        errors.add("visibility", "Choose who can see the playlist.");
    }
    let space = match (visibility, d.space.trim().trim_start_matches("/s/")) {
        (Some(PlaylistVisibility::Space), "") => {
            errors.add("space", "Give the space whose members may see it.");
            None
        }
        (Some(PlaylistVisibility::Space), slug) => {
            let row: Option<(i64,)> = sqlx::query_as(
                "SELECT s.id FROM spaces s JOIN space_members m ON m.space_id = s.id AND m.user_id = $2
                 WHERE s.slug = $1",
            )
            .bind(slug)
            .bind(viewer.id)
            .fetch_optional(&db.pool)
            .await?;
            if row.is_none() {
                errors.add(
                    "space",
                    format!("You are not a member of a space at /s/{slug}."),
                );
            }
            row.map(|(id,)| id)
        }
        _ => None,
    };
    let (Some(title), Some(description), Some(visibility)) = (title, description, visibility)
    else {
        return Err(invalid_details(errors, &d));
    };
    if !errors.is_empty() {
        return Err(invalid_details(errors, &d));
    }
    let mut tx = begin_change(db, viewer, playlist, "the details").await?;
    sqlx::query(
        "UPDATE playlists SET title = $1, description = $2, visibility = $3, space_id = $4 WHERE id = $5",
    )
    .bind(&title)
    .bind(&description)
    .bind(visibility.as_str())
    .bind(space)
    .bind(playlist)
    .execute(&mut *tx)
    .await?;
    tags::replace(&mut tx, playlist, &tags).await?;
    tx.commit().await?;
    Ok(())
}

fn invalid_details(errors: FormErrors, d: &Details) -> AppError {
    AppError::Validation(
        errors
            .keep("title", &d.title)
            .keep("description", &d.description)
            .keep("visibility", &d.visibility)
            .keep("space", &d.space)
            .keep("tags", &d.tags),
    )
}

/// Adds a section at the end.
pub async fn add_section(
    db: &Db,
    viewer: Viewer,
    playlist: PlaylistId,
    title: &str,
) -> AppResult<SectionId> {
    let checked = check_playlist_title(title).map_err(|m| {
        AppError::Validation(FormErrors::single("section_title", m).keep("section_title", title))
    })?;
    let mut tx = begin_change(
        db,
        viewer,
        playlist,
        &format!("adding the section “{checked}”"),
    )
    .await?;
    let (id,): (SectionId,) = sqlx::query_as(
        "INSERT INTO playlist_sections (playlist_id, title, position)
         VALUES ($1, $2, (SELECT COALESCE(MAX(position), 0) + 1 FROM playlist_sections WHERE playlist_id = $1))
         RETURNING id",
    )
    .bind(playlist)
    .bind(&checked)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Publishes or unpublishes a playlist. Publishing needs an item.
pub async fn set_published(
    db: &Db,
    viewer: Viewer,
    playlist: PlaylistId,
    publish: bool,
) -> AppResult<()> {
    let mut tx = db.begin().await?;
    require_owned(&mut tx, viewer, playlist).await?;
    if publish {
        let (n,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM playlist_items WHERE playlist_id = $1")
                .bind(playlist)
                .fetch_one(&mut *tx)
                .await?;
        if n == 0 {
            return Err(AppError::Conflict(FormErrors::single(
                FORM,
                "Add at least one item before publishing.",
            )));
        }
    }
    sqlx::query("UPDATE playlists SET published_at = $1 WHERE id = $2")
        .bind(publish.then(now))
        .bind(playlist)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}
