use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::domain::space::Directory;
use crate::error::AppError;

/// One page of the space directory: `q` searches names and descriptions, `filter` is `mine`
/// or empty, `after` is the cursor of the previous page.
#[server(name = ListSpaces, endpoint = "spaces/list", input = GetUrl)]
pub async fn list_spaces(q: String, filter: String, after: String) -> Result<Directory, AppError> {
    use crate::server::{accounts, spaces, state::state};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    spaces::directory(&st.db, viewer, &q, filter == "mine", &after).await
}
