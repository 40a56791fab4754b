use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::domain::course::CourseCard;
use crate::error::AppError;

/// The course catalog, searched by words and a topic.
#[server(name = ListCourses, endpoint = "courses/list", input = GetUrl)]
pub async fn list_courses(
    #[server(default)] q: String,
    #[server(default)] tag: String,
) -> Result<Vec<CourseCard>, AppError> {
    use crate::server::{accounts, courses, infra::state::state};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    courses::catalog(&st.db, viewer, &q, &tag).await
}
