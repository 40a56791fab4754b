use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::domain::discussion::BlogView;
use crate::error::AppError;

/// A blog (`blog`: `u:handle` or `s:slug`) and a page of its articles, newest first.
#[server(name = GetBlog, endpoint = "blogs/get", input = GetUrl)]
pub async fn get_blog(blog: String, after: String) -> Result<BlogView, AppError> {
    use crate::server::blogs::{self, BlogOf};
    use crate::server::{accounts, infra::state::state};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    let of = BlogOf::parse(&blog).ok_or(AppError::NotFound)?;
    blogs::blog(&st.db, viewer, of, &after).await
}
