use leptos::prelude::*;

use crate::domain::ids::{ItemId, PlaylistId, SectionId};
use crate::error::AppError;

/// Moves an item to a position (from 1) in a section; returns the position.
#[server(name = MoveItem, endpoint = "playlists/move")]
pub async fn move_item(
    playlist: PlaylistId,
    item: ItemId,
    section: SectionId,
    position: i64,
) -> Result<i64, AppError> {
    use crate::server::{accounts, infra::state::state, playlists};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    let at = playlists::move_item(&st.db, viewer, item, section, position).await?;
    leptos_axum::redirect(&format!("/playlists/{playlist}/edit#item-{item}"));
    Ok(at)
}
