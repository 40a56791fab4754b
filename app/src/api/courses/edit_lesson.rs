use leptos::prelude::*;

use crate::domain::ids::LessonId;
use crate::error::AppError;

/// Saves a lesson's title and content.
#[server(name = EditLesson, endpoint = "courses/edit_lesson")]
pub async fn edit_lesson(
    lesson: LessonId,
    title: String,
    #[server(default)] body: String,
    #[server(default)] video_url: String,
) -> Result<(), AppError> {
    use crate::server::{accounts, courses, infra::state::state};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    let input = courses::LessonInput {
        title,
        kind: String::new(),
        body,
        video_url,
    };
    let slug = courses::edit_lesson(&st.db, viewer, lesson, input).await?;
    leptos_axum::redirect(&format!("/courses/{slug}/edit#lesson-{lesson}"));
    Ok(())
}
