use leptos::prelude::*;

use crate::domain::course::LessonProgress;
use crate::domain::ids::LessonId;
use crate::error::AppError;

/// Stores a SCO's data model (a JSON object of element to value) and the progress it shows.
#[server(name = ScormCommit, endpoint = "scorm/commit")]
pub async fn scorm_commit(
    lesson: LessonId,
    sco: i64,
    session: String,
    data: String,
) -> Result<LessonProgress, AppError> {
    use crate::server::{accounts, courses, infra::state::state};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    courses::commit(&st.db, viewer, lesson, sco, &session, &data).await
}
