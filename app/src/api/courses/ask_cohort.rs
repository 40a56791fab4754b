use leptos::prelude::*;

use crate::domain::ids::{LessonId, TopicId};
use crate::error::AppError;

/// Asks the course's cohort a question from inside a lesson; returns the question.
#[server(name = AskCohort, endpoint = "courses/ask")]
pub async fn ask_cohort(
    lesson: LessonId,
    title: String,
    body: String,
) -> Result<TopicId, AppError> {
    use crate::server::{accounts, courses, infra::state::state};

    use crate::server::infra::pace::Act;
    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    st.pace
        .person(Act::Write, viewer.id)
        .map_err(|e| e.keeping("title", &title).keeping("body", &body))?;
    let id = courses::ask_cohort(&st.db, viewer, lesson, &title, &body).await?;
    leptos_axum::redirect(&format!("/lessons/{lesson}?asked={id}#ask"));
    Ok(id)
}
