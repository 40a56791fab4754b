use leptos::prelude::*;

use crate::domain::ids::LessonId;
use crate::error::AppError;

/// Removes a lesson, its package and the progress on it.
#[server(name = DeleteLesson, endpoint = "courses/delete_lesson")]
pub async fn delete_lesson(lesson: LessonId) -> Result<(), AppError> {
    use crate::server::{accounts, courses, infra::state::state};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    let slug = courses::delete_lesson(&st.db, &st.blobs, viewer, lesson).await?;
    leptos_axum::redirect(&format!("/courses/{slug}/edit"));
    Ok(())
}
