use leptos::prelude::*;

use crate::domain::ids::ItemId;
use crate::error::AppError;

/// Removes an item from its playlist.
#[server(name = RemoveItem, endpoint = "playlists/remove")]
pub async fn remove_item(item: ItemId) -> Result<(), AppError> {
    use crate::server::{accounts, infra::state::state, playlists};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    let playlist = playlists::remove_item(&st.db, viewer, item).await?;
    leptos_axum::redirect(&format!("/playlists/{playlist}/edit"));
    Ok(())
}
