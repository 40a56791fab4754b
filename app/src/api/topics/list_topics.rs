use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::domain::discussion::TopicList;
use crate::error::AppError;

/// A page of threads or questions the signed-in person may read. `space`: a space's address,
/// `site` for the site-wide forum, empty for everywhere; `filter`: `unanswered`, `solved` or
/// empty.
#[server(name = ListTopics, endpoint = "topics/list", input = GetUrl)]
pub async fn list_topics(
    kind: String,
    space: String,
    tag: String,
    filter: String,
    after: String,
) -> Result<TopicList, AppError> {
    use crate::domain::discussion::TopicKind;
    use crate::server::topics::{self, ListQuery};
    use crate::server::{accounts, infra::state::state};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    let q = ListQuery {
        kind: TopicKind::parse(&kind),
        space: match space.as_str() {
            "" => None,
            "site" => Some(String::new()),
            slug => Some(slug.to_owned()),
        },
        tag,
        filter,
        after,
        ..Default::default()
    };
    topics::list(&st.db, viewer, &q).await
}
