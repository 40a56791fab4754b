use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::error::AppError;

/// Whether every member may build playlists.
#[server(name = PlaylistCurationOpen, endpoint = "playlists/curation_open", input = GetUrl)]
pub async fn curation_open() -> Result<bool, AppError> {
    use crate::server::{accounts, infra::state::state, playlists};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    let _ = viewer;
    playlists::curation_open(&st.db).await
}
