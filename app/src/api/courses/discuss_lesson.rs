use leptos::prelude::*;

use crate::domain::ids::{LessonId, TopicId};
use crate::error::AppError;

/// Posts in a lesson's discussion (its thread is started by the first post).
#[server(name = DiscussLesson, endpoint = "courses/discuss")]
pub async fn discuss_lesson(lesson: LessonId, body: String) -> Result<TopicId, AppError> {
    use crate::server::{accounts, courses, infra::state::state};

    use crate::server::infra::pace::Act;
    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    st.pace
        .person(Act::Write, viewer.id)
        .map_err(|e| e.keeping("body", &body))?;
    let thread = courses::discuss(&st.db, viewer, lesson, &body).await?;
    leptos_axum::redirect(&format!("/lessons/{lesson}#discussion"));
    Ok(thread)
}
