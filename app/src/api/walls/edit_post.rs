use leptos::prelude::*;

use crate::domain::ids::PostId;
use crate::error::AppError;

/// Replaces a post's text (its author only); the post shows as edited.
#[server(name = EditPost, endpoint = "walls/edit")]
pub async fn edit_post(post_id: PostId, body: String) -> Result<(), AppError> {
    use crate::server::{accounts, infra::state::state, walls};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    walls::edit_post(&st.db, viewer, post_id, &body).await
}
