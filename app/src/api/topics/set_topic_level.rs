use leptos::prelude::*;

use crate::domain::ids::TopicId;
use crate::error::AppError;

/// Watches (`watching`), mutes (`muted`) or resets (`normal`) a topic for the signed-in person.
#[server(name = SetTopicLevel, endpoint = "topics/level")]
pub async fn set_topic_level(topic: TopicId, level: String) -> Result<(), AppError> {
    use crate::server::{accounts, infra::state::state, topics};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    topics::set_level(&st.db, viewer, topic, &level).await?;
    leptos_axum::redirect(&format!("/t/{topic}"));
    Ok(())
}
