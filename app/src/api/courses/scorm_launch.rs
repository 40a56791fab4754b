use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::domain::ids::LessonId;
use crate::domain::scorm::Launch;
use crate::error::AppError;

/// What the SCORM player starts a SCO with.
#[server(name = ScormLaunch, endpoint = "scorm/launch", input = GetUrl)]
pub async fn scorm_launch(lesson: LessonId, sco: i64) -> Result<Launch, AppError> {
    use crate::server::{accounts, courses, infra::state::state};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    courses::launch(&st.db, viewer, lesson, sco).await
}
