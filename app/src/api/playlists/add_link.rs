use leptos::prelude::*;

use crate::domain::ids::{ItemId, PlaylistId, SectionId};
use crate::error::AppError;

/// Adds an external link at the end of a section.
#[server(name = AddLink, endpoint = "playlists/add_link")]
pub async fn add_link(
    playlist: PlaylistId,
    section: SectionId,
    url: String,
    link_title: String,
    #[server(default)] link_description: String,
    #[server(default)] minutes: String,
) -> Result<ItemId, AppError> {
    use crate::server::{accounts, infra::state::state, playlists};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    let l = playlists::NewLink {
        url,
        title: link_title,
        description: link_description,
        minutes,
    };
    let id = playlists::add_link(&st.db, viewer, playlist, section, l).await?;
    leptos_axum::redirect(&format!("/playlists/{playlist}/edit#item-{id}"));
    Ok(id)
}
