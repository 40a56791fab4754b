use leptos::prelude::*;

use crate::domain::ids::CategoryId;
use crate::error::AppError;

/// Removes a forum category (its threads stay, uncategorised), for the forum's moderators.
#[server(name = RemoveCategory, endpoint = "forums/remove_category")]
pub async fn remove_category(
    category: CategoryId,
    #[server(default)] space: String,
) -> Result<(), AppError> {
    use crate::server::{accounts, forums, infra::state::state};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    forums::remove_category(&st.db, viewer, category.0).await?;
    leptos_axum::redirect(&crate::domain::discussion::forum_href(&space, None, "", ""));
    Ok(())
}
