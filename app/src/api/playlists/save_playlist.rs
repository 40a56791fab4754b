use leptos::prelude::*;

use crate::domain::ids::PlaylistId;
use crate::error::AppError;

/// Saves a playlist's title, description, tags and visibility.
#[server(name = SavePlaylist, endpoint = "playlists/details")]
pub async fn save_playlist(
    playlist: PlaylistId,
    title: String,
    #[server(default)] description: String,
    visibility: String,
    #[server(default)] space: String,
    #[server(default)] tags: String,
) -> Result<(), AppError> {
    use crate::server::{accounts, infra::state::state, playlists};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    let d = playlists::Details {
        title,
        description,
        visibility,
        space,
        tags,
    };
    playlists::save_details(&st.db, viewer, playlist, d).await?;
    leptos_axum::redirect(&format!("/playlists/{playlist}/edit?saved=details"));
    Ok(())
}
