use leptos::prelude::*;

use crate::domain::ids::{CommentId, PostId};
use crate::error::AppError;

/// Comments on a post, or replies to a comment when `parent_id` is set.
#[server(name = AddComment, endpoint = "walls/comment")]
pub async fn add_comment(
    post_id: PostId,
    parent_id: String,
    body: String,
) -> Result<CommentId, AppError> {
    use crate::server::{accounts, infra::state::state, walls};

    use crate::server::infra::pace::Act;
    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    st.pace
        .person(Act::Write, viewer.id)
        .map_err(|e| e.keeping("body", &body))?;
    let parent = match parent_id.trim() {
        "" => None,
        p => Some(
            p.parse::<CommentId>()
                .map_err(|_| AppError::BadRequest("parent_id".into()))?,
        ),
    };
    walls::comment(&st.db, viewer, post_id, parent, &body).await
}
