use leptos::prelude::*;

use crate::domain::ids::PlaylistId;
use crate::error::AppError;

/// Follows (`follow` = `true`) or stops following a playlist.
#[server(name = FollowPlaylist, endpoint = "playlists/follow")]
pub async fn follow_playlist(playlist: PlaylistId, follow: String) -> Result<(), AppError> {
    use crate::server::{accounts, infra::state::state, playlists};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    playlists::follow(&st.db, viewer, playlist, follow == "true").await?;
    leptos_axum::redirect(&format!("/playlists/{playlist}"));
    Ok(())
}
