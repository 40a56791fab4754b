use leptos::prelude::*;

use crate::domain::ids::PostId;
use crate::error::AppError;

/// Deletes a post (its author, the space's moderators, or a site admin).
#[server(name = DeletePost, endpoint = "walls/delete")]
pub async fn delete_post(post_id: PostId) -> Result<(), AppError> {
    use crate::server::{accounts, infra::state::state, walls};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    walls::delete_post(&st.db, viewer, post_id).await
}
