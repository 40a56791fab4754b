//! Atom feeds of blogs (`/u/{handle}/blog/feed.xml`, `/s/{slug}/blog/feed.xml`): their public
//! articles, for feed readers, which do not sign in.

use app::server::blogs::{self, BlogOf};
use app::server::infra::state::AppState;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use http::header::{CACHE_CONTROL, CONTENT_TYPE, VARY};
use http::request::Parts;
use http::StatusCode;

/// The feed routes.
pub fn routes(state: AppState) -> Router {
    Router::new()
        .route("/u/{handle}/blog/feed.xml", get(person_feed))
        .route("/s/{slug}/blog/feed.xml", get(space_feed))
        .with_state(state)
}

async fn person_feed(
    State(st): State<AppState>,
    parts: Parts,
    Path(handle): Path<String>,
) -> Response {
    feed(&st, &parts, BlogOf::Person(&handle)).await
}

async fn space_feed(
    State(st): State<AppState>,
    parts: Parts,
    Path(slug): Path<String>,
) -> Response {
    feed(&st, &parts, BlogOf::Space(&slug)).await
}

/// The feed, its links under the site's origin: `public_url`, else the host asked for. Those
/// come from the request, so shared caches may not keep them then: only the asker's own.
async fn feed(st: &AppState, parts: &Parts, of: BlogOf<'_>) -> Response {
    let base = st.origins.site(parts);
    let caching = if st.origins.public_url.is_some() {
        "public, max-age=300"
    } else {
        "private, max-age=300"
    };
    match blogs::atom(&st.db, of, &base).await {
        Ok(xml) => (
            [
                (CONTENT_TYPE, "application/atom+xml; charset=utf-8"),
                (CACHE_CONTROL, caching),
                (VARY, "Host"),
            ],
            xml,
        )
            .into_response(),
        Err(e) => {
            let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::NOT_FOUND);
            (status, e.to_string()).into_response()
        }
    }
}
