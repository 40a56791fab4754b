use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::domain::discussion::SimilarQuestion;
use crate::error::AppError;

/// Questions like the title being typed, with their accepted answers.
#[server(name = SimilarQuestions, endpoint = "topics/similar", input = GetUrl)]
pub async fn similar_questions(title: String) -> Result<Vec<SimilarQuestion>, AppError> {
    use crate::server::{accounts, infra::state::state, topics};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    topics::similar(&st.db, viewer, &title).await
}
