use leptos::prelude::*;

use crate::error::AppError;

/// Creates a draft course (and its space) for an author, then opens its editor.
#[server(name = CreateCourse, endpoint = "courses/create")]
pub async fn create_course(
    title: String,
    #[server(default)] summary: String,
    #[server(default)] tags: String,
    policy: String,
) -> Result<String, AppError> {
    use crate::server::{accounts, courses, infra::state::state};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    let input = courses::CourseInput {
        title,
        summary,
        tags,
        policy,
    };
    let slug = courses::create(&st.db, viewer, input).await?;
    leptos_axum::redirect(&format!("/courses/{slug}/edit"));
    Ok(slug)
}
