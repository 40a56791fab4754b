use leptos::prelude::*;

use crate::domain::ids::ReplyId;
use crate::error::AppError;

/// Edits one's own reply, answer or comment.
#[server(name = EditReply, endpoint = "topics/edit_reply")]
pub async fn edit_reply(reply: ReplyId, body: String) -> Result<(), AppError> {
    use crate::server::{accounts, infra::state::state, topics};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    let topic = topics::edit_reply(&st.db, viewer, reply, &body).await?;
    leptos_axum::redirect(&format!("/t/{topic}#reply-{reply}"));
    Ok(())
}
