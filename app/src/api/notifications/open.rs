use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::domain::ids::NotificationId;
use crate::error::AppError;

/// Follows a notification: marks it read and redirects to what it is about. A plain link, so it
/// works without JavaScript.
#[server(name = OpenNotification, endpoint = "notifications/open", input = GetUrl)]
pub async fn open_notification(id: NotificationId) -> Result<(), AppError> {
    use crate::server::{accounts, infra::state::state, notifications};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    let url = notifications::open(&st.db, viewer, id).await?;
    leptos_axum::redirect(&url);
    Ok(())
}
