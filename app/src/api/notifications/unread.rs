use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::error::AppError;

/// How many unread notifications the signed-in person has (0 when signed out).
#[server(name = UnreadCount, endpoint = "notifications/unread", input = GetUrl)]
pub async fn unread_count() -> Result<i64, AppError> {
    use crate::server::policy::Viewer;
    use crate::server::{accounts, infra::state::state, notifications};

    let st = state()?;
    match accounts::current_user(&st).await? {
        Some(user) => notifications::unread(&st.db, Viewer::from(&user)).await,
        None => Ok(0),
    }
}
