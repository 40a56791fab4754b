use leptos::prelude::*;

use crate::domain::ids::PlaylistId;
use crate::error::AppError;

/// Starts a draft playlist, then opens its editor.
#[server(name = CreatePlaylist, endpoint = "playlists/create")]
pub async fn create_playlist(title: String) -> Result<PlaylistId, AppError> {
    use crate::server::{accounts, infra::state::state, playlists};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    let id = playlists::create(&st.db, viewer, &title).await?;
    leptos_axum::redirect(&format!("/playlists/{id}/edit"));
    Ok(id)
}
