use leptos::prelude::*;

use crate::domain::course::LessonProgress;
use crate::domain::ids::LessonId;
use crate::error::AppError;

/// Marks a page or video lesson done.
#[server(name = MarkLessonDone, endpoint = "courses/done")]
pub async fn mark_lesson_done(lesson: LessonId) -> Result<LessonProgress, AppError> {
    use crate::server::{accounts, courses, infra::state::state};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    let progress = courses::mark_done(&st.db, viewer, lesson).await?;
    leptos_axum::redirect(&format!("/lessons/{lesson}"));
    Ok(progress)
}
