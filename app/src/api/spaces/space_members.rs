use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::domain::space::Member;
use crate::error::AppError;

/// The members of a space whose content the signed-in person may read.
#[server(name = SpaceMembers, endpoint = "spaces/members", input = GetUrl)]
pub async fn space_members(slug: String) -> Result<Vec<Member>, AppError> {
    use crate::server::{accounts, infra::state::state, spaces};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    spaces::members(&st.db, viewer, &slug).await
}
