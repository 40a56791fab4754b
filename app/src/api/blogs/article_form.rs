use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::domain::discussion::ArticleForm;
use crate::domain::ids::TopicId;
use crate::error::AppError;

/// The editor's starting point: article `id`, or (with `id` 0) a new one on `blog`.
#[server(name = ArticleFormFor, endpoint = "blogs/form", input = GetUrl)]
pub async fn article_form(id: TopicId, blog: String) -> Result<ArticleForm, AppError> {
    use crate::server::blogs::{self, BlogOf};
    use crate::server::{accounts, infra::state::state};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    if id != TopicId(0) {
        return blogs::edit_form(&st.db, viewer, id).await;
    }
    let of = BlogOf::parse(&blog).ok_or(AppError::NotFound)?;
    blogs::new_form(&st.db, viewer, of).await
}
