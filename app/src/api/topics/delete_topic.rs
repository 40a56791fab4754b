use leptos::prelude::*;

use crate::domain::ids::TopicId;
use crate::error::AppError;

/// Deletes a thread, question or article with its replies (its author or a moderator), then
/// goes to the list it was in. `confirm` must be `yes`.
#[server(name = DeleteTopic, endpoint = "topics/delete")]
pub async fn delete_topic(
    topic: TopicId,
    #[server(default)] confirm: String,
) -> Result<String, AppError> {
    use crate::error::FormErrors;
    use crate::server::{accounts, infra::state::state, topics};

    if confirm != "yes" {
        let msg = "Tick the box to confirm: deleting cannot be undone.";
        return Err(AppError::Validation(FormErrors::single("confirm", msg)));
    }
    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    let back = topics::delete(&st.db, viewer, topic).await?;
    leptos_axum::redirect(&back);
    Ok(back)
}
