use leptos::prelude::*;

use crate::error::AppError;

/// Enrols people and a space's members, with an optional due date; returns how many.
#[server(name = AssignCourse, endpoint = "courses/assign")]
pub async fn assign_course(
    slug: String,
    #[server(default)] people: String,
    #[server(default)] space: String,
    #[server(default)] due: String,
) -> Result<usize, AppError> {
    use crate::server::{accounts, courses, infra::state::state};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    let input = courses::Assignment { people, space, due };
    let n = courses::assign(&st.db, viewer, &slug, input).await?;
    leptos_axum::redirect(&format!("/courses/{slug}/edit?assigned={n}#enrolment"));
    Ok(n)
}
