use leptos::prelude::*;

use crate::domain::ids::TopicId;
use crate::error::AppError;

/// Pins, unpins, locks or unlocks a topic (`action`), for its space's moderators.
#[server(name = ModerateTopic, endpoint = "topics/moderate")]
pub async fn moderate_topic(topic: TopicId, action: String) -> Result<(), AppError> {
    use crate::server::{accounts, infra::state::state, topics};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    topics::moderate(&st.db, viewer, topic, &action).await?;
    leptos_axum::redirect(&format!("/t/{topic}"));
    Ok(())
}
