use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::domain::space::SpaceView;
use crate::error::AppError;

/// One space as the signed-in person sees it (404 for a secret space they are not in).
#[server(name = GetSpace, endpoint = "spaces/get", input = GetUrl)]
pub async fn get_space(slug: String) -> Result<SpaceView, AppError> {
    use crate::server::{accounts, infra::state::state, spaces};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    spaces::view(&st.db, viewer, &slug).await
}
