use leptos::prelude::*;

use crate::domain::ids::ModuleId;
use crate::error::AppError;

/// Adds a module at the end of a course.
#[server(name = AddModule, endpoint = "courses/add_module")]
pub async fn add_module(slug: String, module_title: String) -> Result<ModuleId, AppError> {
    use crate::server::{accounts, courses, infra::state::state};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    let id = courses::add_module(&st.db, viewer, &slug, &module_title).await?;
    leptos_axum::redirect(&format!("/courses/{slug}/edit#module-{id}"));
    Ok(id)
}
