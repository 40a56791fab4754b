use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::domain::profile::ProfileView;
use crate::error::AppError;

/// A person's profile, by handle.
#[server(name = GetProfile, endpoint = "profiles/get", input = GetUrl)]
pub async fn get_profile(handle: String) -> Result<ProfileView, AppError> {
    use crate::server::{accounts, infra::state::state, profiles};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    profiles::profile(&st.db, viewer, &handle).await
}
