use leptos::prelude::*;

use crate::error::AppError;

/// Leaves a space, or withdraws a pending request to join it.
#[server(name = LeaveSpace, endpoint = "spaces/leave")]
pub async fn leave_space(slug: String) -> Result<(), AppError> {
    use crate::server::{accounts, infra::state::state, spaces};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    spaces::leave(&st.db, viewer, &slug).await
}
