use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::domain::space::PersonRef;
use crate::error::AppError;

/// People waiting to join (for the space's moderators).
#[server(name = SpaceRequests, endpoint = "spaces/requests", input = GetUrl)]
pub async fn space_requests(slug: String) -> Result<Vec<PersonRef>, AppError> {
    use crate::server::{accounts, infra::state::state, spaces};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    spaces::requests(&st.db, viewer, &slug).await
}
