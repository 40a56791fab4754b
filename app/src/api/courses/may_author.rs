use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::error::AppError;

/// Whether the signed-in person may write courses.
#[server(name = MayAuthor, endpoint = "courses/may_author", input = GetUrl)]
pub async fn may_author() -> Result<bool, AppError> {
    use crate::server::{accounts, courses, infra::state::state};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    courses::may_author(&st.db, viewer).await
}
