use leptos::prelude::*;

use crate::error::AppError;

/// Appoints someone expert of a topic in a space the signed-in person moderates (`on` =
/// "false" removes the appointment).
#[server(name = AppointExpert, endpoint = "topics/appoint")]
pub async fn appoint_expert(
    slug: String,
    tag: String,
    handle: String,
    #[server(default)] on: String,
) -> Result<(), AppError> {
    use crate::server::{accounts, infra::state::state, topics};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    topics::appoint(&st.db, viewer, &slug, &tag, &handle, on != "false").await
}
