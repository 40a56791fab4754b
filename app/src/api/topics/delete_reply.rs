use leptos::prelude::*;

use crate::domain::ids::ReplyId;
use crate::error::AppError;

/// Deletes a reply, answer or comment (its author or the topic's moderators).
#[server(name = DeleteReply, endpoint = "topics/delete_reply")]
pub async fn delete_reply(reply: ReplyId) -> Result<(), AppError> {
    use crate::server::{accounts, infra::state::state, topics};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    let topic = topics::delete_reply(&st.db, viewer, reply).await?;
    leptos_axum::redirect(&format!("/t/{topic}#replies-title"));
    Ok(())
}
