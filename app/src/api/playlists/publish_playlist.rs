use leptos::prelude::*;

use crate::domain::ids::PlaylistId;
use crate::error::AppError;

/// Publishes (`publish` = `true`) or unpublishes a playlist.
#[server(name = PublishPlaylist, endpoint = "playlists/publish")]
pub async fn publish_playlist(playlist: PlaylistId, publish: String) -> Result<(), AppError> {
    use crate::server::{accounts, infra::state::state, playlists};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    playlists::set_published(&st.db, viewer, playlist, publish == "true").await?;
    leptos_axum::redirect(&format!("/playlists/{playlist}/edit"));
    Ok(())
}
