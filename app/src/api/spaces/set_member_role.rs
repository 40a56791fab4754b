use leptos::prelude::*;

use crate::domain::ids::UserId;
use crate::error::AppError;

/// Gives a member the role `member`, `moderator` or `owner` (space owners only).
#[server(name = SetMemberRole, endpoint = "spaces/set_role")]
pub async fn set_member_role(slug: String, user_id: UserId, role: String) -> Result<(), AppError> {
    use crate::server::{accounts, infra::state::state, spaces};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    spaces::set_role(&st.db, viewer, &slug, user_id, &role).await
}
