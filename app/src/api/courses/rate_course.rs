use leptos::prelude::*;

use crate::error::AppError;

/// Rates (1 to 5 stars) and reviews a course the signed-in person takes.
#[server(name = RateCourse, endpoint = "courses/rate")]
pub async fn rate_course(
    slug: String,
    #[server(default)] stars: String,
    #[server(default)] review: String,
) -> Result<(), AppError> {
    use crate::server::{accounts, courses, infra::state::state};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    courses::rate(&st.db, viewer, &slug, &stars, &review).await?;
    leptos_axum::redirect(&format!("/courses/{slug}#reviews"));
    Ok(())
}
