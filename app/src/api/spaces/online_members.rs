use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::domain::feed::Link;
use crate::error::AppError;

/// Members of a space who have the site open now (approximately: seen in the last minute or so).
#[server(name = OnlineMembers, endpoint = "spaces/online", input = GetUrl)]
pub async fn online_members(slug: String) -> Result<Vec<Link>, AppError> {
    use crate::server::{accounts, infra::state::state, live, spaces};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    let (id, _) = spaces::require_space_readable(&st.db, viewer, &slug).await?;
    live::online_in_space(&st.db, viewer, id).await
}
