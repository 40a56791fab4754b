use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::domain::ids::PostId;
use crate::domain::post::PostLive;
use crate::error::AppError;

/// A post's reactions and comments as they are now, for a wall that heard the post changed.
#[server(name = GetPostLive, endpoint = "walls/post_live", input = GetUrl)]
pub async fn post_live(post_id: PostId) -> Result<PostLive, AppError> {
    use crate::server::{accounts, infra::state::state, walls};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    walls::post_live(&st.db, viewer, post_id).await
}
