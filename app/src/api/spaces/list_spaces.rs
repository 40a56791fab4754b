use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::domain::space::Directory;
use crate::error::AppError;

/// One page of the space directory: `q` searches names and descriptions, `filter` is `mine`,
/// `public` or empty, `tag` keeps spaces with that topic, `sort` is `active` (default), `new`
/// or `members`, `after` is the cursor of the previous page.
#[server(name = ListSpaces, endpoint = "spaces/list", input = GetUrl)]
pub async fn list_spaces(
    q: String,
    filter: String,
    after: String,
    #[server(default)] tag: String,
    #[server(default)] sort: String,
) -> Result<Directory, AppError> {
    use crate::domain::space::DirectorySort;
    use crate::server::spaces::{self, DirectoryQuery};
    use crate::server::{accounts, infra::state::state};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    let query = DirectoryQuery {
        text: &q,
        mine: filter == "mine",
        public_only: filter == "public",
        tag: &tag,
        sort: DirectorySort::parse(&sort).unwrap_or(DirectorySort::Active),
        after: &after,
    };
    spaces::directory(&st.db, viewer, query).await
}
