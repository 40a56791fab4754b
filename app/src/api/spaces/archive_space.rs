use leptos::prelude::*;

use crate::error::AppError;

/// Archives (`archived=true`, read-only) or restores a space (its owners).
#[server(name = ArchiveSpace, endpoint = "spaces/archive")]
pub async fn archive_space(slug: String, archived: bool) -> Result<(), AppError> {
    use crate::server::{accounts, infra::state::state, spaces};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    spaces::set_archived(&st.db, viewer, &slug, archived).await
}
