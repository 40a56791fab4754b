use leptos::prelude::*;

use crate::error::AppError;

/// Follows (`follow = true`) or unfollows a person.
#[server(name = Follow, endpoint = "profiles/follow")]
pub async fn follow(handle: String, follow: bool) -> Result<(), AppError> {
    use crate::server::{accounts, infra::state::state, profiles};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    profiles::follow(&st.db, viewer, &handle, follow).await
}
