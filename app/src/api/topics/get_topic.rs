use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::domain::discussion::TopicView;
use crate::domain::ids::TopicId;
use crate::error::AppError;

/// A thread, question or article with its replies; marks it read for the signed-in person.
/// Signed out, only public articles can be read; anything else asks to sign in.
#[server(name = GetTopic, endpoint = "topics/get", input = GetUrl)]
pub async fn get_topic(id: TopicId) -> Result<TopicView, AppError> {
    use crate::server::policy::Viewer;
    use crate::server::{accounts, infra::state::state, topics};

    let st = state()?;
    match accounts::current_user(&st).await? {
        Some(user) => topics::view(&st.db, Viewer::from(&user), id).await,
        None => topics::view(&st.db, Viewer::SIGNED_OUT, id)
            .await
            .map_err(|e| match e {
                AppError::NotFound => AppError::sign_in_required(),
                e => e,
            }),
    }
}
