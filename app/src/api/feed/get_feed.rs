use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::domain::feed::FeedPage;
use crate::error::AppError;

/// One page of a feed, newest first. `of` is `home`, `site`, `space` (with the slug as `key`)
/// or `person` (with the handle as `key`); `filter` is `all`, `posts`, `questions` or
/// `learning`; `before` is the cursor of the previous page.
#[server(name = GetFeed, endpoint = "feed/get", input = GetUrl)]
pub async fn get_feed(
    of: String,
    key: String,
    filter: String,
    before: String,
) -> Result<FeedPage, AppError> {
    use crate::domain::feed::FeedFilter;
    use crate::server::feed::{self, FeedOf};
    use crate::server::{accounts, infra::state::state};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    let of = match of.as_str() {
        "home" => FeedOf::Home,
        "site" => FeedOf::Site,
        "space" => FeedOf::Space(&key),
        "person" => FeedOf::Person(&key),
        _ => return Err(AppError::BadRequest("There is no such feed.".into())),
    };
    feed::feed(&st.db, viewer, of, FeedFilter::parse(&filter), &before).await
}
