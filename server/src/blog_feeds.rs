//! Atom feeds of blogs (`/u/{handle}/blog/feed.xml`, `/s/{slug}/blog/feed.xml`): their public
//! articles, for feed readers, which do not sign in.

use std::sync::Arc;

use app::server::blogs::{self, BlogOf};
use app::server::infra::request::ClientInfo;
use app::server::infra::state::AppState;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};
use http::header::{HeaderMap, CACHE_CONTROL, CONTENT_TYPE, VARY};
use http::StatusCode;

use crate::middleware::HttpSettings;

/// The feed routes.
pub fn routes(state: AppState, http: Arc<HttpSettings>) -> Router {
    Router::new()
        .route("/u/{handle}/blog/feed.xml", get(person_feed))
        .route("/s/{slug}/blog/feed.xml", get(space_feed))
        .with_state((state, http))
}

type St = State<(AppState, Arc<HttpSettings>)>;

async fn person_feed(
    State((st, http)): St,
    client: Option<Extension<ClientInfo>>,
    headers: HeaderMap,
    Path(handle): Path<String>,
) -> Response {
    feed(&st, &base(&http, client, &headers), BlogOf::Person(&handle)).await
}

async fn space_feed(
    State((st, http)): St,
    client: Option<Extension<ClientInfo>>,
    headers: HeaderMap,
    Path(slug): Path<String>,
) -> Response {
    feed(&st, &base(&http, client, &headers), BlogOf::Space(&slug)).await
}

/// The site's address for absolute links: the configured public URL, else the host asked for.
fn base(http: &HttpSettings, client: Option<Extension<ClientInfo>>, headers: &HeaderMap) -> String {
    if let Some(u) = &http.public_url {
        return u.clone();
    }
    let host = headers
        .get("host")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("localhost");
    let scheme = if client.is_some_and(|c| c.0.https) {
        "https"
    } else {
        "http"
    };
    format!("{scheme}://{host}")
}

async fn feed(st: &AppState, base: &str, of: BlogOf<'_>) -> Response {
    match blogs::atom(&st.db, of, base).await {
        Ok(xml) => (
            [
                (CONTENT_TYPE, "application/atom+xml; charset=utf-8"),
                (CACHE_CONTROL, "public, max-age=300"),
                // The links are made from the host asked for, when no public URL is set.
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
