use leptos::prelude::*;

use crate::error::AppError;

/// Deletes a space and everything on it (its owners, typing its name to confirm).
#[server(name = DeleteSpace, endpoint = "spaces/delete")]
pub async fn delete_space(slug: String, confirm_name: String) -> Result<(), AppError> {
    use crate::server::{accounts, infra::state::state, spaces};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    spaces::delete(&st.db, viewer, &slug, &confirm_name).await?;
    leptos_axum::redirect("/spaces");
    Ok(())
}
