use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::domain::course::CourseView;
use crate::error::AppError;

/// A course's page: outline, enrolment and its wrapper.
#[server(name = GetCourse, endpoint = "courses/get", input = GetUrl)]
pub async fn get_course(slug: String) -> Result<CourseView, AppError> {
    use crate::server::{accounts, courses, infra::state::state};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    courses::view(&st.db, viewer, &slug).await
}
