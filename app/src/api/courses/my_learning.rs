use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::domain::course::MyLearning;
use crate::error::AppError;

/// The signed-in person's courses: due, in progress, done.
#[server(name = GetMyLearning, endpoint = "courses/mine", input = GetUrl)]
pub async fn my_learning() -> Result<MyLearning, AppError> {
    use crate::server::{accounts, courses, infra::state::state};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    courses::my_learning(&st.db, viewer).await
}
