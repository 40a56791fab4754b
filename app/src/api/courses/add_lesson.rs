use leptos::prelude::*;

use crate::domain::ids::{LessonId, ModuleId};
use crate::error::AppError;

/// Adds a lesson at the end of a module.
#[server(name = AddLesson, endpoint = "courses/add_lesson")]
pub async fn add_lesson(
    slug: String,
    module: ModuleId,
    title: String,
    kind: String,
    #[server(default)] body: String,
    #[server(default)] video_url: String,
) -> Result<LessonId, AppError> {
    use crate::server::{accounts, courses, infra::state::state};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    let input = courses::LessonInput {
        title,
        kind,
        body,
        video_url,
    };
    let id = courses::add_lesson(&st.db, viewer, &slug, module, input).await?;
    leptos_axum::redirect(&format!("/courses/{slug}/edit#lesson-{id}"));
    Ok(id)
}
