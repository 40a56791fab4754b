use leptos::prelude::*;

use crate::domain::ids::NotificationId;
use crate::error::AppError;

/// Marks one of the signed-in person's notifications read.
#[server(name = MarkRead, endpoint = "notifications/read")]
pub async fn mark_read(id: NotificationId) -> Result<(), AppError> {
    use crate::server::{accounts, infra::state::state, notifications};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    notifications::mark_read(&st.db, viewer, id).await
}
