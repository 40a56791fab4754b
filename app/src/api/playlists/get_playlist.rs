use leptos::prelude::*;

use crate::domain::ids::PlaylistId;
use leptos::server_fn::codec::GetUrl;

use crate::domain::playlist::PlaylistView;
use crate::error::AppError;

/// A playlist with the reader's progress.
#[server(name = GetPlaylist, endpoint = "playlists/get", input = GetUrl)]
pub async fn get_playlist(id: PlaylistId) -> Result<PlaylistView, AppError> {
    use crate::server::{accounts, infra::state::state, playlists};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    playlists::view(&st.db, viewer, id).await
}
