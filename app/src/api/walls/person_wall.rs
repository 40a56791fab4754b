use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::domain::post::WallPage;
use crate::error::AppError;

/// One page of a person's wall, newest first; `before` is the cursor of the previous page.
#[server(name = PersonWall, endpoint = "walls/person", input = GetUrl)]
pub async fn person_wall(handle: String, before: String) -> Result<WallPage, AppError> {
    use crate::server::walls::{self, WallOf};
    use crate::server::{accounts, infra::state::state};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    walls::wall(&st.db, viewer, WallOf::Person(&handle), &before).await
}
