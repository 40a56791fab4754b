use leptos::prelude::*;

use crate::domain::ids::PostId;
use crate::error::AppError;

/// Posts Markdown on a person's wall (anyone signed in, including the person).
#[server(name = PostOnProfile, endpoint = "walls/post-on-profile")]
pub async fn post_on_profile(handle: String, body: String) -> Result<PostId, AppError> {
    use crate::server::walls::{self, WallOf};
    use crate::server::{accounts, infra::state::state};

    use crate::server::infra::pace::Act;
    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    st.pace
        .person(Act::Write, viewer.id)
        .map_err(|e| e.keeping("body", &body))?;
    walls::post(&st.db, viewer, WallOf::Person(&handle), &body, None).await
}
