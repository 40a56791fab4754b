use leptos::prelude::*;

use crate::domain::ids::PlaylistId;
use crate::error::AppError;

/// Takes back the last change to a playlist.
#[server(name = UndoPlaylist, endpoint = "playlists/undo")]
pub async fn undo_playlist(playlist: PlaylistId) -> Result<(), AppError> {
    use crate::server::{accounts, infra::state::state, playlists};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    playlists::undo(&st.db, viewer, playlist).await?;
    leptos_axum::redirect(&format!("/playlists/{playlist}/edit"));
    Ok(())
}
