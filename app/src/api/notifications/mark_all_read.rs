use leptos::prelude::*;

use crate::error::AppError;

/// Marks all the signed-in person's notifications read.
#[server(name = MarkAllRead, endpoint = "notifications/read_all")]
pub async fn mark_all_read() -> Result<(), AppError> {
    use crate::server::{accounts, infra::state::state, notifications};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    notifications::mark_all_read(&st.db, viewer).await
}
