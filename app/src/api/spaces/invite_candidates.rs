use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::domain::space::PersonRef;
use crate::error::AppError;

/// People matching `q` whom a moderator may invite to the space.
#[server(name = InviteCandidates, endpoint = "spaces/invite_candidates", input = GetUrl)]
pub async fn invite_candidates(slug: String, q: String) -> Result<Vec<PersonRef>, AppError> {
    use crate::server::{accounts, infra::state::state, spaces};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    spaces::invite_candidates(&st.db, viewer, &slug, &q).await
}
