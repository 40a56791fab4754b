use leptos::prelude::*;

use crate::error::AppError;

/// Joins an open space or asks to join one that takes requests; true when now a member.
#[server(name = JoinSpace, endpoint = "spaces/join")]
pub async fn join_space(slug: String) -> Result<bool, AppError> {
    use crate::server::{accounts, infra::state::state, spaces};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    Ok(spaces::join(&st.db, viewer, &slug).await? == spaces::Joined::Member)
}
