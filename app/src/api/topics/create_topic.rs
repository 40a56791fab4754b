use leptos::prelude::*;

use crate::domain::ids::TopicId;
use crate::error::AppError;

/// Starts a forum thread (`kind` = "thread") or asks a question ("question"), in a space or
/// site-wide (`space` empty), in a forum category (`category`, optional), then opens it.
#[server(name = CreateTopic, endpoint = "topics/create")]
pub async fn create_topic(
    kind: String,
    #[server(default)] space: String,
    #[server(default)] category: String,
    title: String,
    body: String,
    #[server(default)] tags: String,
) -> Result<TopicId, AppError> {
    use crate::domain::discussion::TopicKind;
    use crate::server::topics::{self, NewTopic};
    use crate::server::{accounts, infra::state::state};

    use crate::server::infra::pace::Act;
    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    st.pace.person(Act::Write, viewer.id).map_err(|e| {
        e.keeping("title", &title)
            .keeping("body", &body)
            .keeping("tags", &tags)
    })?;
    let kind = match TopicKind::parse(&kind) {
        Some(k @ (TopicKind::Thread | TopicKind::Question)) => k,
        _ => {
            return Err(AppError::BadRequest(
                "kind must be thread or question".into(),
            ))
        }
    };
    let input = NewTopic {
        kind,
        space,
        category,
        title,
        body,
        tags,
    };
    let id = topics::create(&st.db, viewer, input).await?;
    leptos_axum::redirect(&format!("/t/{id}"));
    Ok(id)
}
