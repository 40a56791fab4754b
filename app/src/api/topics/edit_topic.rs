use leptos::prelude::*;

use crate::domain::ids::TopicId;
use crate::error::AppError;

/// Edits a thread's or question's title, text and topics (its author or a moderator), then
/// goes back to it.
#[server(name = EditTopic, endpoint = "topics/edit")]
pub async fn edit_topic(
    topic: TopicId,
    title: String,
    body: String,
    #[server(default)] tags: String,
) -> Result<(), AppError> {
    use crate::server::topics::{self, TopicEdit};
    use crate::server::{accounts, infra::state::state};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    topics::edit(&st.db, viewer, topic, TopicEdit { title, body, tags }).await?;
    leptos_axum::redirect(&format!("/t/{topic}"));
    Ok(())
}
