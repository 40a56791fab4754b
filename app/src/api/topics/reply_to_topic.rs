use leptos::prelude::*;

use crate::error::AppError;

/// Replies to a thread or answers a question; `parent` (optional) is the reply answered.
#[server(name = ReplyToTopic, endpoint = "topics/reply")]
pub async fn reply_to_topic(
    topic: i64,
    body: String,
    #[server(default)] parent: String,
) -> Result<i64, AppError> {
    use crate::server::{accounts, infra::state::state, topics};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    let parent = parent.trim().parse::<i64>().ok();
    let id = topics::reply(&st.db, viewer, topic, &body, parent).await?;
    leptos_axum::redirect(&format!("/t/{topic}#reply-{id}"));
    Ok(id)
}
