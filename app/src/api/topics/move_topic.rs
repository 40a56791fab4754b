use leptos::prelude::*;

use crate::domain::ids::TopicId;
use crate::error::AppError;

/// Moves a thread to another category of its forum (`category` empty: none), for moderators.
#[server(name = MoveTopic, endpoint = "topics/move")]
pub async fn move_topic(
    topic: TopicId,
    #[server(default)] category: String,
) -> Result<(), AppError> {
    use crate::domain::ids::CategoryId;
    use crate::server::{accounts, infra::state::state, topics};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    let category = match category.trim() {
        "" => None,
        c => Some(
            c.parse::<CategoryId>()
                .map_err(|_| AppError::BadRequest("category must be a category's id".into()))?,
        ),
    };
    topics::move_to(&st.db, viewer, topic, category).await?;
    leptos_axum::redirect(&format!("/t/{topic}"));
    Ok(())
}
