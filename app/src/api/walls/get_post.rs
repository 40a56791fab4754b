use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::domain::ids::PostId;
use crate::domain::post::PostView;
use crate::error::AppError;

/// One post as it shows on its wall, for a wall that heard of it.
#[server(name = GetPost, endpoint = "walls/get_post", input = GetUrl)]
pub async fn get_post(post_id: PostId) -> Result<PostView, AppError> {
    use crate::server::{accounts, infra::state::state, walls};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    walls::one_post(&st.db, viewer, post_id).await
}
