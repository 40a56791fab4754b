use leptos::prelude::*;

use crate::domain::ids::PlaylistId;
use crate::domain::ids::PostId;
use crate::error::AppError;

/// Shares a published playlist on a space's wall; returns the post.
#[server(name = SharePlaylist, endpoint = "playlists/share")]
pub async fn share_playlist(playlist: PlaylistId, space: String) -> Result<PostId, AppError> {
    use crate::server::{accounts, infra::state::state, playlists};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    let post = playlists::share(&st.db, viewer, playlist, &space).await?;
    leptos_axum::redirect(&format!(
        "/playlists/{playlist}?shared={}",
        crate::domain::nav::encode_query(&space)
    ));
    Ok(post)
}
