//! The HTTP router: pages, server fns under `/api/`, static files, `/healthz`, and the layers.

use std::sync::{Arc, OnceLock};

use app::server::infra::state::AppState;
use app::{shell, App};
use axum::extract::State;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{middleware, Json, Router};
use http::header::CONTENT_SECURITY_POLICY;
use http::{HeaderValue, Request, StatusCode};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes, ResponseOptions};
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::middleware::{self as mw, HttpSettings};

/// The app's routes, worked out once per process.
///
/// Generating them renders the app with a process-wide flag set that parks every resource first
/// polled meanwhile, forever (leptos issue #4773). Done once, before any router exists, no page
/// render can overlap it, even when tests start many servers in one process.
fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: OnceLock<Vec<leptos_axum::AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// Builds the whole application for `state`, serving the site in `options.site_root`.
pub fn router(state: AppState, options: LeptosOptions, http: HttpSettings) -> Router {
    let context = {
        let state = state.clone();
        move || {
            provide_context(state.clone());
            // Rendered pages get a Content-Security-Policy with this render's nonce.
            if let (Some(nonce), Some(res)) =
                (leptos::nonce::use_nonce(), use_context::<ResponseOptions>())
            {
                let content = use_context::<http::request::Parts>()
                    .map(|parts| state.origins.content(&state.origins.site(&parts)))
                    .unwrap_or_default();
                if let Ok(v) = HeaderValue::from_str(&mw::page_csp(&nonce, &content)) {
                    res.insert_header(CONTENT_SECURITY_POLICY, v);
                }
            }
        }
    };
    let routes = route_list();
    let http = Arc::new(http);
    let request_id = http::HeaderName::from_static("x-request-id");

    let site = Router::new()
        .leptos_routes_with_context(&options, routes, context.clone(), {
            let options = options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context(
            context, shell,
        ))
        .with_state(options);

    let hub = state.hub.clone();
    Router::new()
        .route("/healthz", get(healthz).with_state(state.clone()))
        .merge(crate::ws::routes(state.clone(), http.clone()))
        .merge(crate::blog_feeds::routes(state.clone()))
        .merge(crate::packages::routes(state.clone()))
        .merge(crate::lesson_files::routes(state.clone()))
        .merge(crate::media::routes(state))
        .merge(site)
        .layer(
            ServiceBuilder::new()
                .layer(SetRequestIdLayer::new(request_id.clone(), MakeRequestUuid))
                .layer(
                    TraceLayer::new_for_http()
                        .make_span_with(|req: &Request<_>| {
                            let id = req
                                .headers()
                                .get("x-request-id")
                                .and_then(|v| v.to_str().ok())
                                .unwrap_or_default();
                            // The path only: query strings may carry things that are not ours to log.
                            tracing::info_span!("request", id, method = %req.method(), path = req.uri().path())
                        })
                        .on_response(DefaultOnResponse::new().level(Level::INFO)),
                )
                .layer(PropagateRequestIdLayer::new(request_id))
                .layer(mw::catch_panics())
                .layer(CompressionLayer::new())
                .layer(middleware::from_fn(mw::compress_pages))
                .layer(middleware::from_fn_with_state(http.clone(), mw::client_info))
                .layer(middleware::from_fn(mw::security_headers))
                .layer(middleware::from_fn(mw::cache_headers))
                .layer(middleware::from_fn_with_state(http, mw::check_origin))
                .layer(middleware::from_fn(mw::server_fn_status))
                .layer(middleware::from_fn_with_state(hub, mw::wake_hub)),
        )
}

/// Liveness and readiness: 200 with the backend and migration version, 503 when the database
/// does not answer.
async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    let db = &state.db;
    let version = match db.ping().await {
        Ok(()) => db.migration_version().await,
        Err(e) => Err(e),
    };
    match version {
        Ok(v) => (
            StatusCode::OK,
            Json(serde_json::json!({
                "status": "ok",
                "database": db.backend.name(),
                "migration_version": v,
            })),
        ),
        Err(e) => {
            tracing::warn!(error = %e, "health check: database unavailable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(serde_json::json!({
                    "status": "unavailable",
                    "database": db.backend.name(),
                    "migration_version": null,
                })),
            )
        }
    }
}
