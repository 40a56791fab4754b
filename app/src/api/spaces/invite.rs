use leptos::prelude::*;

use crate::domain::ids::UserId;
use crate::error::AppError;

/// Invites someone to a space (its moderators).
#[server(name = InviteToSpace, endpoint = "spaces/invite")]
pub async fn invite_to_space(slug: String, user_id: UserId) -> Result<(), AppError> {
    use crate::server::{accounts, infra::state::state, spaces};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    spaces::invite(&st.db, viewer, &slug, user_id).await
}
