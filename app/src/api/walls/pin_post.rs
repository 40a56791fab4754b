use leptos::prelude::*;

use crate::domain::ids::PostId;
use crate::error::AppError;

/// Pins (`pinned=true`) or unpins a post on its space's wall (space moderators).
#[server(name = PinPost, endpoint = "walls/pin")]
pub async fn pin_post(post_id: PostId, pinned: bool) -> Result<(), AppError> {
    use crate::server::{accounts, infra::state::state, walls};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    walls::pin_post(&st.db, viewer, post_id, pinned).await
}
