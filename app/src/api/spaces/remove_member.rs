use leptos::prelude::*;

use crate::domain::ids::UserId;
use crate::error::AppError;

/// Removes someone from a space (moderators remove members; owners also moderators).
#[server(name = RemoveMember, endpoint = "spaces/remove_member")]
pub async fn remove_member(slug: String, user_id: UserId) -> Result<(), AppError> {
    use crate::server::{accounts, infra::state::state, spaces};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    spaces::remove_member(&st.db, viewer, &slug, user_id).await
}
