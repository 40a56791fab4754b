use leptos::prelude::*;

use crate::domain::ids::UserId;
use crate::error::AppError;

/// Approves (`decision=approve`) or declines a join request (moderators only).
#[server(name = DecideRequest, endpoint = "spaces/decide_request")]
pub async fn decide_request(
    slug: String,
    user_id: UserId,
    decision: String,
) -> Result<(), AppError> {
    use crate::server::{accounts, infra::state::state, spaces};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    let approve = match decision.as_str() {
        "approve" => true,
        "decline" => false,
        other => return Err(AppError::BadRequest(format!("Unknown decision {other:?}."))),
    };
    spaces::decide(&st.db, viewer, &slug, user_id, approve).await
}
