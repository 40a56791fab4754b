use leptos::prelude::*;

use crate::domain::ids::{PlaylistId, SectionId};
use crate::error::AppError;

/// Adds a section at the end of a playlist.
#[server(name = AddSection, endpoint = "playlists/add_section")]
pub async fn add_section(
    playlist: PlaylistId,
    section_title: String,
) -> Result<SectionId, AppError> {
    use crate::server::{accounts, infra::state::state, playlists};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    let id = playlists::add_section(&st.db, viewer, playlist, &section_title).await?;
    leptos_axum::redirect(&format!("/playlists/{playlist}/edit#section-{id}"));
    Ok(id)
}
