use leptos::prelude::*;

use crate::error::AppError;

/// Publishes a course (`publish` = `true`) or takes it back to draft.
#[server(name = PublishCourse, endpoint = "courses/publish")]
pub async fn publish_course(slug: String, publish: String) -> Result<(), AppError> {
    use crate::server::{accounts, courses, infra::state::state};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    courses::set_published(&st.db, viewer, &slug, publish == "true").await?;
    leptos_axum::redirect(&format!("/courses/{slug}/edit"));
    Ok(())
}
