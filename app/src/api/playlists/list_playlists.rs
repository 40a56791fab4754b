use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::domain::playlist::PlaylistCatalog;
use crate::error::AppError;

/// The playlist catalog, searched by words and tag, and what is popular in the reader's spaces.
#[server(name = ListPlaylists, endpoint = "playlists/list", input = GetUrl)]
pub async fn list_playlists(
    #[server(default)] q: String,
    #[server(default)] tag: String,
) -> Result<PlaylistCatalog, AppError> {
    use crate::server::{accounts, infra::state::state, playlists};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    playlists::catalog(&st.db, viewer, &q, &tag).await
}
