use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::domain::discussion::ForumView;
use crate::error::AppError;

/// A forum (`space`: a space's address, empty for the site's) with its categories and a page
/// of threads, in one category (`category`: its id) or all, with one tag or any.
#[server(name = GetForum, endpoint = "forums/get", input = GetUrl)]
pub async fn get_forum(
    space: String,
    category: String,
    tag: String,
    after: String,
) -> Result<ForumView, AppError> {
    use crate::server::forums::{self, ForumQuery};
    use crate::server::{accounts, infra::state::state};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    let q = ForumQuery {
        slug: space,
        category: category.trim().parse::<i64>().ok(),
        tag,
        after,
    };
    forums::forum(&st.db, viewer, &q).await
}
