use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::domain::search::SearchResults;
use crate::error::AppError;

/// Searches everything the signed-in person may see. `kind`: `questions`, `threads`, `posts`,
/// `articles`, `spaces`, `people` or empty; `space` a space's address, `author` a handle,
/// `days` how recent (0: any time), `offset` where the page starts. Every search is logged.
#[server(name = Search, endpoint = "search", input = GetUrl)]
pub async fn search(
    q: String,
    kind: String,
    space: String,
    author: String,
    tag: String,
    days: i64,
    offset: i64,
) -> Result<SearchResults, AppError> {
    use crate::server::search::{self, Query};
    use crate::server::{accounts, infra::state::state};

    use crate::server::infra::pace::Act;
    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    st.pace.person(Act::Search, viewer.id)?;
    let query = Query {
        q,
        kind,
        space,
        author,
        tag,
        days,
        offset,
    };
    search::search(&st.db, viewer, &query).await
}
