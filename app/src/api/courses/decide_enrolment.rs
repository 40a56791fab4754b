use leptos::prelude::*;

use crate::domain::ids::UserId;
use crate::error::AppError;

/// An author approves (`approve` = `true`) or declines a request to enrol.
#[server(name = DecideEnrolment, endpoint = "courses/decide")]
pub async fn decide_enrolment(slug: String, user: UserId, approve: String) -> Result<(), AppError> {
    use crate::server::{accounts, courses, infra::state::state};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    courses::decide(&st.db, viewer, &slug, user, approve == "true").await?;
    leptos_axum::redirect(&format!("/courses/{slug}/edit#enrolment"));
    Ok(())
}
