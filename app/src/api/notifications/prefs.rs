use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::domain::notification::NotificationPref;
use crate::error::AppError;

/// The signed-in person's notification preferences, one per kind.
#[server(name = NotificationPrefs, endpoint = "notifications/prefs", input = GetUrl)]
pub async fn notification_prefs() -> Result<Vec<NotificationPref>, AppError> {
    use crate::server::{accounts, infra::state::state, notifications};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    notifications::prefs(&st.db, viewer).await
}
