use leptos::prelude::*;

use crate::error::AppError;

/// Lets every member build playlists (`everyone` = `true`), or authors only (site admins).
#[server(name = SetPlaylistCuration, endpoint = "playlists/curation")]
pub async fn set_curation(everyone: String) -> Result<(), AppError> {
    use crate::server::{accounts, infra::state::state, playlists};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    playlists::set_curation(&st.db, viewer, everyone == "true").await?;
    leptos_axum::redirect("/admin");
    Ok(())
}
