use leptos::prelude::*;

use crate::domain::ids::TopicId;
use crate::error::AppError;

/// Adds the signed-in person's reaction `kind` to an article, or takes it back; returns
/// whether it is there now.
#[server(name = ReactToTopic, endpoint = "topics/react")]
pub async fn react_to_topic(topic: TopicId, kind: String) -> Result<bool, AppError> {
    use crate::server::{accounts, infra::state::state, topics};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    let on = topics::react(&st.db, viewer, topic, &kind).await?;
    leptos_axum::redirect(&format!("/t/{topic}"));
    Ok(on)
}
