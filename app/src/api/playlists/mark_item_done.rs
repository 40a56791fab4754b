use leptos::prelude::*;

use crate::domain::ids::ItemId;
use crate::error::AppError;

/// Marks a link or discussion done (`done` = `true`) or not.
#[server(name = MarkItemDone, endpoint = "playlists/done")]
pub async fn mark_item_done(item: ItemId, done: String) -> Result<(), AppError> {
    use crate::server::{accounts, infra::state::state, playlists};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    let playlist = playlists::mark_done(&st.db, viewer, item, done == "true").await?;
    leptos_axum::redirect(&format!("/playlists/{playlist}#item-{item}"));
    Ok(())
}
