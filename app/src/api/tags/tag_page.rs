use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::domain::discussion::TagPage;
use crate::error::AppError;

/// Everything tagged `tag` that the signed-in person may see.
#[server(name = GetTagPage, endpoint = "tags/page", input = GetUrl)]
pub async fn tag_page(tag: String) -> Result<TagPage, AppError> {
    use crate::server::{accounts, infra::state::state, tags};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    tags::page(&st.db, viewer, &tag).await
}
