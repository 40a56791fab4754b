use leptos::prelude::*;

use crate::domain::ids::PostId;
use crate::error::AppError;

/// Posts Markdown on a space's wall (members only).
#[server(name = CreatePost, endpoint = "walls/post")]
pub async fn create_post(slug: String, body: String) -> Result<PostId, AppError> {
    use crate::server::walls::{self, WallOf};
    use crate::server::{accounts, infra::state::state};

    use crate::server::infra::pace::Act;
    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    st.pace
        .person(Act::Write, viewer.id)
        .map_err(|e| e.keeping("body", &body))?;
    walls::post(&st.db, viewer, WallOf::Space(&slug), &body, None).await
}
