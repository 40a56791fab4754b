use leptos::prelude::*;

use crate::error::AppError;

/// Saves a course's title, summary, topics and enrolment policy.
#[server(name = UpdateCourse, endpoint = "courses/update")]
pub async fn update_course(
    slug: String,
    title: String,
    #[server(default)] summary: String,
    #[server(default)] tags: String,
    policy: String,
) -> Result<(), AppError> {
    use crate::server::{accounts, courses, infra::state::state};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    let input = courses::CourseInput {
        title,
        summary,
        tags,
        policy,
    };
    courses::update(&st.db, viewer, &slug, input).await?;
    leptos_axum::redirect(&format!("/courses/{slug}/edit?saved=settings"));
    Ok(())
}
