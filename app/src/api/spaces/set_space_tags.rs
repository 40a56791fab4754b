use leptos::prelude::*;

use crate::error::AppError;

/// Replaces a space's topics (owners and moderators); `tags` is comma-separated.
#[server(name = SetSpaceTags, endpoint = "spaces/tags")]
pub async fn set_space_tags(slug: String, tags: String) -> Result<(), AppError> {
    use crate::server::{accounts, infra::state::state, spaces};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    spaces::set_tags(&st.db, viewer, &slug, &tags).await
}
