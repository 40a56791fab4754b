// The editor's fields are the server fn's arguments, one each, as forms post them.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use crate::domain::ids::TopicId;
use crate::error::AppError;

/// Writes a new article (`id` 0, on `blog`: `u:handle` or `s:slug`) or saves one, then opens
/// it. `status`: `draft`, `scheduled` (at `publish_at`, UTC) or `published`; `public` ("on")
/// lets anyone on the web read it.
#[server(name = SaveArticle, endpoint = "blogs/save")]
pub async fn save_article(
    #[server(default)] id: TopicId,
    #[server(default)] blog: String,
    title: String,
    body: String,
    #[server(default)] tags: String,
    status: String,
    #[server(default)] publish_at: String,
    #[server(default)] public: String,
) -> Result<TopicId, AppError> {
    use crate::server::blogs::{self, ArticleInput};
    use crate::server::{accounts, infra::state::state};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    let input = ArticleInput {
        id: id.0,
        blog,
        title,
        body,
        tags,
        status,
        publish_at,
        public: !public.is_empty(),
    };
    let id = blogs::save(&st.db, viewer, input).await?;
    leptos_axum::redirect(&format!("/t/{id}"));
    Ok(id)
}
