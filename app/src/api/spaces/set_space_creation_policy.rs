use leptos::prelude::*;

use crate::error::AppError;

/// Limits space creation to authors and admins, or opens it to every member (site admins).
#[server(name = SetSpaceCreationPolicy, endpoint = "spaces/set-creation-policy")]
pub async fn set_space_creation_policy(authors_only: bool) -> Result<(), AppError> {
    use crate::server::{accounts, infra::state::state, spaces};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    spaces::set_creation_policy(&st.db, viewer, authors_only).await
}
