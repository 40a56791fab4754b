use leptos::prelude::*;

use crate::domain::ids::PostId;
use crate::error::AppError;

/// Gives or takes back a reaction on a post; true when it is now given.
#[server(name = ToggleReaction, endpoint = "walls/react")]
pub async fn toggle_reaction(post_id: PostId, kind: String) -> Result<bool, AppError> {
    use crate::server::{accounts, infra::state::state, walls};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    walls::toggle_reaction(&st.db, viewer, post_id, &kind).await
}
