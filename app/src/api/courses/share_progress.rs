use leptos::prelude::*;

use crate::error::AppError;

/// Whether the learner's cohort sees their progress (`share` = `true`).
#[server(name = ShareProgress, endpoint = "courses/share")]
pub async fn share_progress(slug: String, share: String) -> Result<(), AppError> {
    use crate::server::{accounts, courses, infra::state::state};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    courses::set_sharing(&st.db, viewer, &slug, share == "true").await?;
    leptos_axum::redirect(&format!("/courses/{slug}"));
    Ok(())
}
