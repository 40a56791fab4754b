use leptos::prelude::*;

use crate::domain::ids::PostId;
use crate::error::AppError;

/// Posts Markdown on a person's wall (anyone signed in, including the person).
#[server(name = PostOnProfile, endpoint = "walls/post-on-profile")]
pub async fn post_on_profile(handle: String, body: String) -> Result<PostId, AppError> {
    use crate::server::walls::{self, WallOf};
    use crate::server::{accounts, infra::state::state};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    walls::post(&st.db, viewer, WallOf::Person(&handle), &body, None).await
}
