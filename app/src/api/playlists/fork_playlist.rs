use leptos::prelude::*;

use crate::domain::ids::PlaylistId;
use crate::error::AppError;

/// Copies a playlist to the reader's own playlists, then opens the copy's editor.
#[server(name = ForkPlaylist, endpoint = "playlists/fork")]
pub async fn fork_playlist(playlist: PlaylistId) -> Result<PlaylistId, AppError> {
    use crate::server::{accounts, infra::state::state, playlists};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    let id = playlists::fork(&st.db, viewer, playlist).await?;
    leptos_axum::redirect(&format!("/playlists/{id}/edit"));
    Ok(id)
}
