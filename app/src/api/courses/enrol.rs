use leptos::prelude::*;

use crate::error::AppError;

/// Enrols in an open course, or asks to enrol in one that takes requests; true when enrolled.
#[server(name = Enrol, endpoint = "courses/enrol")]
pub async fn enrol(slug: String) -> Result<bool, AppError> {
    use crate::server::{accounts, courses, infra::state::state};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    let enrolled = courses::enrol(&st.db, viewer, &slug).await?;
    leptos_axum::redirect(&format!("/courses/{slug}"));
    Ok(enrolled)
}
