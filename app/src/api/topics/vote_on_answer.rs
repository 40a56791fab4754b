use leptos::prelude::*;

use crate::domain::ids::{ReplyId, TopicId};
use crate::error::AppError;

/// Votes an answer up (`value` = 1) or down (-1), or takes the vote back (0).
#[server(name = VoteOnAnswer, endpoint = "topics/vote")]
pub async fn vote_on_answer(reply: ReplyId, value: i64) -> Result<TopicId, AppError> {
    use crate::server::{accounts, infra::state::state, topics};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    let topic = topics::vote(&st.db, viewer, reply, value).await?;
    leptos_axum::redirect(&format!("/t/{topic}#reply-{reply}"));
    Ok(topic)
}
