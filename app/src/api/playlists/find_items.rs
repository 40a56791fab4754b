use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::domain::playlist::FoundItem;
use crate::error::AppError;

/// Courses, lessons and discussions to add, found by their title.
#[server(name = FindItems, endpoint = "playlists/find", input = GetUrl)]
pub async fn find_items(q: String) -> Result<Vec<FoundItem>, AppError> {
    use crate::server::{accounts, infra::state::state, playlists};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    playlists::find(&st.db, viewer, &q).await
}
