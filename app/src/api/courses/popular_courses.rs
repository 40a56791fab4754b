use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::domain::course::CourseCard;
use crate::error::AppError;

/// The courses most taken by people who share a space with the signed-in person.
#[server(name = PopularCourses, endpoint = "courses/popular", input = GetUrl)]
pub async fn popular_courses() -> Result<Vec<CourseCard>, AppError> {
    use crate::server::{accounts, courses, infra::state::state};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    courses::popular(&st.db, viewer).await
}
