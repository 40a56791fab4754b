use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::domain::search::MissedSearch;
use crate::error::AppError;

/// Searches that found nothing, most frequent first (site admins): the knowledge gaps.
#[server(name = MissedSearches, endpoint = "search/missed", input = GetUrl)]
pub async fn missed_searches() -> Result<Vec<MissedSearch>, AppError> {
    use crate::server::{accounts, infra::state::state, search};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    if !viewer.admin {
        return Err(AppError::Forbidden);
    }
    search::missed(&st.db).await
}
