use leptos::prelude::*;

use crate::domain::ids::{ReplyId, TopicId};
use crate::error::AppError;

/// Accepts an answer (the asker or a moderator), or takes the acceptance back; then shows the
/// question again.
#[server(name = AcceptAnswer, endpoint = "topics/accept")]
pub async fn accept_answer(reply: ReplyId) -> Result<TopicId, AppError> {
    use crate::server::{accounts, infra::state::state, topics};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    let topic = topics::accept(&st.db, viewer, reply).await?;
    leptos_axum::redirect(&format!("/t/{topic}#reply-{reply}"));
    Ok(topic)
}
