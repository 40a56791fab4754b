use leptos::prelude::*;

use crate::error::AppError;

/// Creates a space owned by the signed-in person, then opens it.
#[server(name = CreateSpace, endpoint = "spaces/create")]
pub async fn create_space(
    name: String,
    slug: String,
    description: String,
    visibility: String,
    join_policy: String,
    parent: String,
    #[server(default)] tags: String,
) -> Result<String, AppError> {
    use crate::server::{accounts, infra::state::state, spaces};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    let input = spaces::NewSpace {
        name,
        slug,
        description,
        visibility,
        join_policy,
        parent,
        tags,
    };
    let slug = spaces::create(&st.db, viewer, input).await?;
    leptos_axum::redirect(&format!("/s/{slug}"));
    Ok(slug)
}
