//! The content listener: SCORM package files and their player, on an origin of their own.
//!
//! Package content is untrusted code. Served from the site's origin, a package's script could
//! call the site's API as whoever opened the lesson. Here nothing of the site is reachable: no
//! page, no API, no cookie is read. What a request may see comes from the launch's token in its
//! address ([`app::server::packages::grants`]): the player page, the package's files, and the
//! run-time's commits, for one person and one SCO.

use std::path::PathBuf;

use app::domain::scorm::PlayerStart;
use app::server::courses;
use app::server::infra::state::AppState;
use app::server::packages::{self, grants, grants::Grant};
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{middleware, Form, Json, Router};
use http::header::{self, HeaderValue};
use http::request::Parts;
use http::StatusCode;
use leptos::config::LeptosOptions;
use serde::Deserialize;
use tower::ServiceBuilder;
use tower_http::services::ServeDir;

use crate::blobs;
use crate::handlers::error_response;
use crate::middleware as mw;

/// The content listener's routes: `/player/{token}`, `/scorm/{token}/{path}`,
/// `/commit/{token}`, and the build's files under `/pkg/` (the player runs the app's
/// WebAssembly). Everything else is 404.
pub fn router(state: AppState, options: LeptosOptions) -> Router {
    let pkg = PathBuf::from(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());
    let scripts = PlayerScripts::of(&options);
    Router::new()
        .route(
            "/player/{token}",
            get(move |st, path| player(st, path, scripts.clone())),
        )
        .route("/scorm/{token}/{*path}", get(file))
        .route("/commit/{token}", post(commit))
        .nest_service(
            "/pkg",
            ServeDir::new(pkg).precompressed_br().precompressed_gzip(),
        )
        .fallback(|| async { StatusCode::NOT_FOUND })
        .with_state(state)
        .layer(
            ServiceBuilder::new()
                .layer(mw::catch_panics())
                .layer(middleware::from_fn(content_headers))
                .layer(middleware::from_fn(mw::cache_headers)),
        )
}

/// Headers on every content answer: never sniffed, nothing sent on as a referrer past the
/// content origin, and, unless the answer says otherwise, nothing runs.
async fn content_headers(req: axum::extract::Request, next: middleware::Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(
            "default-src 'none'; frame-ancestors 'none'",
        ));
    res
}

/// The names of the build's JavaScript and WebAssembly files, as Leptos's hydration script
/// finds them (content hashes from cargo-leptos's list beside the binary, when there is one).
#[derive(Debug, Clone)]
struct PlayerScripts {
    js: String,
    wasm: String,
}

impl PlayerScripts {
    fn of(options: &LeptosOptions) -> PlayerScripts {
        let name = options.output_name.to_string();
        let hashes = options
            .hash_files
            .then(|| {
                let exe = std::env::current_exe().ok()?;
                std::fs::read_to_string(exe.parent()?.join(options.hash_file.as_ref())).ok()
            })
            .flatten();
        let hash_of = |kind: &str| {
            hashes.as_deref().and_then(|h| {
                h.lines()
                    .filter_map(|l| l.trim().split_once(':'))
                    .find(|(file, _)| *file == kind)
                    .map(|(_, hash)| hash.trim().to_owned())
            })
        };
        match (hash_of("js"), hash_of("wasm")) {
            (Some(js), Some(wasm)) => PlayerScripts {
                js: format!("{name}.{js}.js"),
                wasm: format!("{name}.{wasm}.wasm"),
            },
            _ => PlayerScripts {
                js: format!("{name}.js"),
                wasm: if option_env!("LEPTOS_OUTPUT_NAME").is_some() {
                    format!("{name}.wasm")
                } else {
                    format!("{name}_bg.wasm")
                },
            },
        }
    }
}

/// The player: the run-time API (the app's WebAssembly), then the SCO in a frame below it.
async fn player(
    State(st): State<AppState>,
    Path(token): Path<String>,
    scripts: PlayerScripts,
) -> Response {
    let grant = match grants::redeem(&st.db, &token).await {
        Ok(g) => g,
        Err(e) => return error_response(e),
    };
    let launch = match courses::launch(&st.db, grant.viewer, grant.lesson, grant.sco).await {
        Ok(l) => l,
        Err(e) => return error_response(e),
    };
    let start = PlayerStart {
        launch,
        sco_url: format!("/scorm/{token}/{}", packages::sco_address(&grant.href)),
        commit_url: format!("/commit/{token}"),
        site_origin: grant.site_origin.clone(),
    };
    // JSON in a script element: `<` only ever occurs in strings, where \u003c means the same.
    let json = serde_json::to_string(&start)
        .unwrap_or_default()
        .replace('<', "\\u003c");
    // A random nonce for the page's own script and style, made as session tokens are.
    let nonce = app::server::infra::sessions::new_token();
    let title = app::domain::markup::escape(&grant.title);
    let PlayerScripts { js, wasm } = scripts;
    let page = format!(
        r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style nonce="{nonce}">html,body{{margin:0;height:100%}}iframe{{display:block;border:0;width:100%;height:100%}}</style>
<script type="application/json" id="cohort-player">{json}</script>
<script type="module" nonce="{nonce}">
import init, {{ start_scorm_player }} from "/pkg/{js}";
init({{ module_or_path: "/pkg/{wasm}" }}).then(() => start_scorm_player());
</script></head>
<body><iframe id="sco" title="{title}" allow="fullscreen"></iframe></body></html>"#
    );
    let csp = format!(
        "default-src 'none'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'nonce-{nonce}'; connect-src 'self'; frame-src 'self'; img-src 'self' data:; \
         base-uri 'none'; form-action 'none'; frame-ancestors {}",
        frame_ancestor(&grant)
    );
    let mut res = Html(page).into_response();
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&csp) {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// The lesson page's origin, as a CSP source (`'none'` if it cannot be one).
fn frame_ancestor(grant: &Grant) -> &str {
    let o = grant.site_origin.as_str();
    let fits = (o.starts_with("http://") || o.starts_with("https://"))
        && !o.contains(|c: char| c.is_whitespace() || c == ';' || c == ',' || c == '\'');
    if fits {
        o
    } else {
        "'none'"
    }
}

/// A file of the package: its scripts may run (it is the authors' content), here, framed by
/// the player and the lesson page only.
async fn file(
    State(st): State<AppState>,
    parts: Parts,
    Path((token, path)): Path<(String, String)>,
) -> Response {
    let grant = match grants::redeem(&st.db, &token).await {
        Ok(g) => g,
        Err(e) => return error_response(e),
    };
    let found = match packages::file(&st.db, grant.viewer, grant.package, &path).await {
        Ok(f) => f,
        Err(e) => return error_response(e),
    };
    let (db, store, package) = (st.db.clone(), st.blobs.clone(), grant.package);
    let key = found.blob_key.clone();
    let mut res = blobs::serve(&parts.headers, found.size, move |start, len| {
        let (db, store, path, key) = (db.clone(), store.clone(), path.clone(), key.clone());
        async move {
            packages::read_file_range(&db, &store, package, &path, key.as_deref(), start, len).await
        }
    });
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&found.content_type) {
        h.insert(header::CONTENT_TYPE, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=3600"),
    );
    let csp = format!(
        "default-src 'self' 'unsafe-inline' 'unsafe-eval' data: blob:; object-src 'none'; \
         frame-ancestors 'self' {}",
        frame_ancestor(&grant)
    );
    if let Ok(v) = HeaderValue::from_str(&csp) {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    res
}

#[derive(Debug, Deserialize)]
struct Commit {
    session: String,
    data: String,
}

/// Stores what the SCO committed (replayed through the SCORM rules) and answers the lesson's
/// progress, as JSON.
async fn commit(
    State(st): State<AppState>,
    Path(token): Path<String>,
    Form(c): Form<Commit>,
) -> Response {
    let result = async {
        let g = grants::redeem(&st.db, &token).await?;
        courses::commit(&st.db, g.viewer, g.lesson, g.sco, &c.session, &c.data).await
    }
    .await;
    match result {
        Ok(progress) => Json(progress).into_response(),
        Err(e) => error_response(e),
    }
}
