use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::error::AppError;

/// Follows a search result: notes in the search log that it was opened, then redirects to it.
/// A plain link, so it works without JavaScript.
#[server(name = OpenResult, endpoint = "search/open", input = GetUrl)]
pub async fn open_result(log: i64, url: String) -> Result<(), AppError> {
    use crate::server::{accounts, infra::state::state, search};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    // Only addresses on this site: never an open redirect.
    let Some(url) = crate::domain::nav::local_path(&url) else {
        return Err(AppError::BadRequest(
            "url must be an address on this site".into(),
        ));
    };
    search::opened(&st.db, viewer, log, url).await?;
    leptos_axum::redirect(url);
    Ok(())
}
