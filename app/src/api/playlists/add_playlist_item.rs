use leptos::prelude::*;

use crate::domain::ids::{ItemId, PlaylistId, SectionId};
use crate::error::AppError;

/// Adds a course, lesson or discussion at the end of a section.
#[server(name = AddPlaylistItem, endpoint = "playlists/add_item")]
pub async fn add_playlist_item(
    playlist: PlaylistId,
    section: SectionId,
    kind: String,
    ref_id: i64,
) -> Result<ItemId, AppError> {
    use crate::domain::playlist::ItemKind;
    use crate::server::{accounts, infra::state::state, playlists};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    let kind = ItemKind::parse(&kind)
        .ok_or_else(|| AppError::BadRequest("Unknown kind of item.".into()))?;
    let id = playlists::add_item(&st.db, viewer, playlist, section, kind, ref_id).await?;
    leptos_axum::redirect(&format!("/playlists/{playlist}/edit#item-{id}"));
    Ok(id)
}
