use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::error::AppError;

/// Whether the signed-in person may create spaces, and whether the site limits it to authors.
#[server(name = SpaceCreationPolicy, endpoint = "spaces/creation-policy", input = GetUrl)]
pub async fn space_creation_policy() -> Result<(bool, bool), AppError> {
    use crate::server::{accounts, infra::state::state, spaces};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    Ok((
        spaces::may_create_space(&st.db, viewer).await?,
        crate::server::policy::spaces::creation_restricted(&st.db).await?,
    ))
}
