use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::domain::course::LessonView;
use crate::domain::ids::LessonId;
use crate::error::AppError;

/// One lesson in its course wrapper.
#[server(name = GetLesson, endpoint = "courses/lesson", input = GetUrl)]
pub async fn get_lesson(id: LessonId) -> Result<LessonView, AppError> {
    use crate::server::{accounts, courses, infra::state::state};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    courses::lesson(&st.db, viewer, id).await
}
