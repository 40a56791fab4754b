use leptos::prelude::*;

use crate::error::AppError;

/// Adds a category to a forum (`space`: a space's address, empty for the site's), for its
/// moderators.
#[server(name = AddCategory, endpoint = "forums/add_category")]
pub async fn add_category(
    #[server(default)] space: String,
    name: String,
    #[server(default)] description: String,
) -> Result<(), AppError> {
    use crate::server::{accounts, forums, infra::state::state};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    forums::add_category(&st.db, viewer, &space, &name, &description).await?;
    leptos_axum::redirect(&crate::domain::discussion::forum_href(&space, None, "", ""));
    Ok(())
}
