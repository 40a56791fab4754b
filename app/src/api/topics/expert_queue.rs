use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::domain::discussion::TopicList;
use crate::error::AppError;

/// The signed-in person's queue: unanswered questions in their topics, oldest first.
#[server(name = ExpertQueue, endpoint = "topics/queue", input = GetUrl)]
pub async fn expert_queue() -> Result<TopicList, AppError> {
    use crate::server::{accounts, infra::state::state, topics};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    topics::queue(&st.db, viewer).await
}
