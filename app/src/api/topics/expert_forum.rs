use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::domain::discussion::ExpertForum;
use crate::error::AppError;

/// The Ask-the-Expert forum of one topic: its experts and its questions.
#[server(name = GetExpertForum, endpoint = "topics/experts", input = GetUrl)]
pub async fn expert_forum(tag: String, after: String) -> Result<ExpertForum, AppError> {
    use crate::server::{accounts, infra::state::state, topics};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    topics::expert_forum(&st.db, viewer, &tag, &after).await
}
