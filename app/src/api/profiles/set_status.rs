use leptos::prelude::*;

use crate::error::AppError;

/// Sets the signed-in person's status update; an empty one clears it.
#[server(name = SetStatus, endpoint = "profiles/status")]
pub async fn set_status(status: String) -> Result<(), AppError> {
    use crate::server::{accounts, infra::state::state, profiles};

    use crate::server::infra::pace::Act;
    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    st.pace
        .person(Act::Write, viewer.id)
        .map_err(|e| e.keeping("status", &status))?;
    profiles::set_status(&st.db, viewer, &status).await
}
