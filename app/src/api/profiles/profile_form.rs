use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::domain::profile::ProfileForm;
use crate::error::AppError;

/// The signed-in person's profile as the edit form shows it.
#[server(name = ProfileFormData, endpoint = "profiles/form", input = GetUrl)]
pub async fn profile_form() -> Result<ProfileForm, AppError> {
    use crate::server::{accounts, infra::state::state, profiles};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    profiles::form(&st.db, viewer).await
}
