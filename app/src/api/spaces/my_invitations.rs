use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::domain::space::SpaceSummary;
use crate::error::AppError;

/// Spaces the signed-in person is invited to.
#[server(name = MyInvitations, endpoint = "spaces/invitations", input = GetUrl)]
pub async fn my_invitations() -> Result<Vec<SpaceSummary>, AppError> {
    use crate::server::{accounts, infra::state::state, spaces};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    spaces::invitations(&st.db, viewer).await
}
