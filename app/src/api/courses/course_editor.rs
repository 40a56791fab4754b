use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::domain::course::CourseEditor;
use crate::error::AppError;

/// Everything the course editor shows, for the course's authors.
#[server(name = GetCourseEditor, endpoint = "courses/editor", input = GetUrl)]
pub async fn course_editor(slug: String) -> Result<CourseEditor, AppError> {
    use crate::server::{accounts, courses, infra::state::state};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    courses::editor(&st.db, viewer, &slug).await
}
