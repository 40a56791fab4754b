use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::domain::notification::NotificationPage;
use crate::error::AppError;

/// One page of the signed-in person's notifications, newest first.
#[server(name = ListNotifications, endpoint = "notifications/list", input = GetUrl)]
pub async fn list_notifications(before: String) -> Result<NotificationPage, AppError> {
    use crate::server::{accounts, infra::state::state, notifications};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    notifications::page(&st.db, viewer, &before).await
}
