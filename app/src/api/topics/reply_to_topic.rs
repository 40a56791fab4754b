use leptos::prelude::*;

use crate::domain::ids::{ReplyId, TopicId};
use crate::error::AppError;

/// Replies to a thread or answers a question; `parent` (optional) is the reply answered.
#[server(name = ReplyToTopic, endpoint = "topics/reply")]
pub async fn reply_to_topic(
    topic: TopicId,
    body: String,
    #[server(default)] parent: String,
) -> Result<ReplyId, AppError> {
    use crate::server::{accounts, infra::state::state, topics};

    use crate::server::infra::pace::Act;
    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    st.pace
        .person(Act::Write, viewer.id)
        .map_err(|e| e.keeping("body", &body))?;
    let parent = parent.trim().parse::<ReplyId>().ok();
    let id = topics::reply(&st.db, viewer, topic, &body, parent).await?;
    leptos_axum::redirect(&format!("/t/{topic}#reply-{id}"));
    Ok(id)
}
