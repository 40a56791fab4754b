use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::domain::profile::FollowPage;
use crate::error::AppError;

/// A page of a person's followers (`list = "followers"`) or of whom they follow
/// (`list = "following"`), newest first.
#[server(name = FollowList, endpoint = "profiles/follows", input = GetUrl)]
pub async fn follow_list(
    handle: String,
    list: String,
    after: String,
) -> Result<FollowPage, AppError> {
    use crate::server::profiles::{self, FollowDirection};
    use crate::server::{accounts, infra::state::state};

    let st = state()?;
    accounts::require_viewer(&st).await?;
    let which = match list.as_str() {
        "followers" => FollowDirection::Followers,
        "following" => FollowDirection::Following,
        _ => {
            return Err(AppError::BadRequest(
                "Ask for followers or following.".into(),
            ))
        }
    };
    let (name, handle) = profiles::name_of(&st.db, &handle).await?;
    let (people, next) = profiles::follow_list(&st.db, &handle, which, &after).await?;
    Ok(FollowPage {
        name,
        handle,
        people,
        next,
    })
}
