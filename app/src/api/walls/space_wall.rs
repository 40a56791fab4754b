use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::domain::post::WallPage;
use crate::error::AppError;

/// One page of a space's wall, newest first; `before` is the cursor of the previous page.
#[server(name = SpaceWall, endpoint = "walls/space", input = GetUrl)]
pub async fn space_wall(slug: String, before: String) -> Result<WallPage, AppError> {
    use crate::server::walls::{self, WallOf};
    use crate::server::{accounts, infra::state::state};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    walls::wall(&st.db, viewer, WallOf::Space(&slug), &before).await
}
