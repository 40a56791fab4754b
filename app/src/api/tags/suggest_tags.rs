use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::error::AppError;

/// Tags in use starting with `prefix` on what the signed-in person may see, most used first.
#[server(name = SuggestTags, endpoint = "tags/suggest", input = GetUrl)]
pub async fn suggest_tags(prefix: String) -> Result<Vec<String>, AppError> {
    use crate::server::{accounts, infra::state::state, tags};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    tags::suggest(&st.db, viewer, &prefix).await
}
