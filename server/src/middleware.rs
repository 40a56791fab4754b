//! Layers every request passes through: client info, the Origin check, security headers and the
//! HTTP status of server fn errors.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use app::error::AppError;
use app::server::infra::hub::Hub;
use app::server::infra::origins::origin_of;
use app::server::infra::request::{ClientInfo, SessionCache};
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::header::{self, HeaderMap, HeaderName, HeaderValue};
use http::{Method, StatusCode};
use leptos::server_fn::error::SERVER_FN_ERROR_HEADER;

/// What the layers need from the configuration.
#[derive(Debug, Clone)]
pub struct HttpSettings {
    /// The origin people use (scheme://host[:port]), if configured.
    pub public_url: Option<String>,
    pub trust_proxy: bool,
}

/// Records the client's address and scheme for the app (rate limits, Secure cookies).
pub async fn client_info(
    State(settings): State<Arc<HttpSettings>>,
    mut req: Request,
    next: Next,
) -> Response {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    let headers = req.headers();
    let forwarded_ip = settings
        .trust_proxy
        .then(|| header_str(headers, "x-forwarded-for"))
        .flatten()
        // The rightmost entry is the one our proxy added; the others are the client's word.
        .and_then(|v| v.rsplit(',').next())
        .and_then(|v| v.trim().parse::<IpAddr>().ok());
    let forwarded_https =
        settings.trust_proxy && header_str(headers, "x-forwarded-proto") == Some("https");
    let https = forwarded_https
        || settings
            .public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"));
    let ip = forwarded_ip.or(peer).unwrap_or(IpAddr::from([0, 0, 0, 0]));
    req.extensions_mut().insert(ClientInfo { ip, https });
    req.extensions_mut().insert(SessionCache::default());
    next.run(req).await
}

/// Refuses state-changing requests whose `Origin` (or, lacking one, `Referer`) is not this site:
/// the defence against cross-site request forgery.
pub async fn check_origin(
    State(settings): State<Arc<HttpSettings>>,
    req: Request,
    next: Next,
) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let allowed = from_this_site(&settings, req.headers(), req.uri());
    if allowed {
        next.run(req).await
    } else {
        tracing::warn!(method = %req.method(), path = %req.uri().path(), "refused: cross-origin or missing Origin");
        (
            StatusCode::FORBIDDEN,
            "This request did not come from this site, so it was refused.",
        )
            .into_response()
    }
}

/// Whether a request comes from a page of this site: its `Origin` (or, lacking one, `Referer`)
/// is the configured public origin, or else the host the request was sent to.
pub fn from_this_site(settings: &HttpSettings, headers: &HeaderMap, uri: &http::Uri) -> bool {
    let host = settings
        .trust_proxy
        .then(|| header_str(headers, "x-forwarded-host"))
        .flatten()
        .or_else(|| header_str(headers, "host"))
        .map(str::to_owned)
        .or_else(|| uri.authority().map(|a| a.to_string()));
    let claimed = header_str(headers, "origin")
        .filter(|o| *o != "null")
        .or_else(|| header_str(headers, "referer"))
        .map(origin_of);
    match (claimed, settings.public_url.as_deref()) {
        // Configured: exactly that origin (which also defeats DNS rebinding).
        (Some(origin), Some(public)) => origin == public,
        (Some(origin), None) => host
            .as_deref()
            .is_some_and(|h| authority_of(&origin) == Some(h)),
        (None, _) => false,
    }
}

/// `scheme://authority` of a URL.
fn authority_of(origin: &str) -> Option<&str> {
    origin.split_once("://").map(|(_, a)| a)
}

fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// The Content-Security-Policy of a rendered page: scripts only from this site or carrying the
/// page's nonce (Leptos puts it on its hydration script), WebAssembly allowed. Frames and media
/// may come from other HTTPS sites, for the videos of lessons, and frames from the content
/// origin `content` (the SCORM player).
pub fn page_csp(nonce: &str, content: &str) -> String {
    let content = if content.contains(|c: char| c.is_whitespace() || c == ';' || c == '\'') {
        ""
    } else {
        content
    };
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
         frame-src 'self' https: {content}; media-src 'self' https:; \
         object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// For responses that are not pages (API, files, errors): nothing may run.
const DEFAULT_CSP: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

/// Security headers on every response.
/// How long browsers may keep a site file: a year for the build's files whose names carry
/// their content hash (`/pkg/cohort.<hash>.wasm`), which a new build renames; otherwise they ask
/// again each time (and get 304 while it has not changed).
pub fn cache_control(path: &str) -> Option<&'static str> {
    let name = path.strip_prefix("/pkg/")?;
    let parts: Vec<&str> = name.split('.').collect();
    let hashed = parts.len() >= 3
        && parts[parts.len() - 2].len() >= 8
        && parts[parts.len() - 2]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    Some(if hashed {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    })
}

/// Sets [`cache_control`] on what it names.
pub async fn cache_headers(req: Request, next: Next) -> Response {
    let rule = cache_control(req.uri().path());
    let mut res = next.run(req).await;
    if let (Some(rule), true) = (rule, res.status().is_success()) {
        res.headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static(rule));
    }
    res
}

pub async fn security_headers(req: Request, next: Next) -> Response {
    let https = req
        .extensions()
        .get::<ClientInfo>()
        .is_some_and(|c| c.https);
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    let set = |h: &mut HeaderMap, name: HeaderName, value: &'static str| {
        h.entry(name).or_insert(HeaderValue::from_static(value));
    };
    set(h, header::CONTENT_SECURITY_POLICY, DEFAULT_CSP);
    set(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(
        h,
        header::REFERRER_POLICY,
        "strict-origin-when-cross-origin",
    );
    set(h, header::X_FRAME_OPTIONS, "DENY");
    set(
        h,
        HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    set(
        h,
        HeaderName::from_static("permissions-policy"),
        "camera=(), microphone=(), geolocation=()",
    );
    if https {
        set(h, header::STRICT_TRANSPORT_SECURITY, "max-age=31536000");
    }
    let personal = h
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html") || t.starts_with("application/json"));
    if personal {
        set(h, header::CACHE_CONTROL, "no-store");
    }
    res
}

/// Server fns answer every error with 500; this gives each the status of its kind (422 for a
/// bad field, 401, 409, 429 with Retry-After...). Form posts without JavaScript get a redirect
/// instead and are left alone.
pub async fn server_fn_status(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    if res.status().is_redirection() {
        let location = res
            .headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok());
        if let Some(tidy) = location.and_then(keep_last_form_error) {
            if let Ok(v) = HeaderValue::from_str(&tidy) {
                res.headers_mut().insert(header::LOCATION, v);
            }
        }
        return res;
    }
    if res.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !res.headers().contains_key(SERVER_FN_ERROR_HEADER)
    {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let bytes = match axum::body::to_bytes(body, 1 << 20).await {
        Ok(b) => b,
        Err(_) => return (StatusCode::INTERNAL_SERVER_ERROR, "").into_response(),
    };
    if let Ok(err) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status =
            StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        if let AppError::RateLimited {
            retry_after_secs, ..
        } = err
        {
            if let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string()) {
                parts.headers.insert(header::RETRY_AFTER, v);
            }
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// Leptos appends `__path`/`__err` to the page the form came from, which may carry the previous
/// failure's: keep only the newest pair. `None` when there is nothing to tidy.
fn keep_last_form_error(location: &str) -> Option<String> {
    let (base, query) = location.split_once('?')?;
    let pairs: Vec<&str> = query.split('&').collect();
    let is_error = |p: &&str| p.starts_with("__path=") || p.starts_with("__err=");
    if pairs.iter().filter(|p| is_error(p)).count() <= 2 {
        return None;
    }
    let last_of = |key: &str| pairs.iter().rev().find(|p| p.starts_with(key)).copied();
    let mut kept: Vec<&str> = pairs.iter().filter(|p| !is_error(p)).copied().collect();
    kept.extend(last_of("__path=").into_iter().chain(last_of("__err=")));
    Some(format!("{base}?{}", kept.join("&")))
}

/// The in-process bus: a request that may have written events wakes the hub once it is done
/// (its transaction committed), so the events go out at once.
pub async fn wake_hub(State(hub): State<Hub>, req: Request, next: Next) -> Response {
    let writes = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let res = next.run(req).await;
    if writes {
        hub.wake();
    }
    res
}

/// The largest page compressed here. A larger body of known size is sent as it is (a
/// SCORM lesson's HTML file, say); a rendered page over it is an error.
const MOST_PAGE_BYTES: usize = 8 * 1024 * 1024;

/// Pages larger than this are compressed on a blocking thread, off the async workers.
const COMPRESS_INLINE_BYTES: usize = 256 * 1024;

/// Compresses pages (HTML) with brotli for browsers that accept it, ahead of tower-http's
/// compression layer, which then leaves them alone. That layer streams through brotli's
/// encoder with its default 4 MiB window and hash tables, several MB for each page being
/// compressed, so 64 pages at once raised the server's memory by some hundreds of MB. Here the
/// page is read whole (compressed streaming sends it in one piece anyway) and compressed with
/// a window fitted to its size, at [`PAGE_BROTLI_QUALITY`].
pub async fn compress_pages(req: Request, next: Next) -> Response {
    let wants_brotli = req.method() != Method::HEAD && accepts_brotli(req.headers());
    let res = next.run(req).await;
    let is_page = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html"));
    let too_large = axum::body::HttpBody::size_hint(res.body())
        .upper()
        .is_some_and(|n| n > MOST_PAGE_BYTES as u64);
    if !wants_brotli
        || !is_page
        || too_large
        || res.headers().contains_key(header::CONTENT_ENCODING)
        || res.headers().contains_key(header::CONTENT_RANGE)
        || matches!(
            res.status(),
            StatusCode::NO_CONTENT | StatusCode::NOT_MODIFIED | StatusCode::PARTIAL_CONTENT
        )
    {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let page = match axum::body::to_bytes(body, MOST_PAGE_BYTES).await {
        Ok(page) => page,
        Err(e) => {
            tracing::warn!("a page could not be read whole to compress it: {e}");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let compressed = if page.len() > COMPRESS_INLINE_BYTES {
        let whole = page.clone();
        tokio::task::spawn_blocking(move || brotli_fitted(&whole))
            .await
            .unwrap_or_else(|e| Err(std::io::Error::other(e)))
    } else {
        brotli_fitted(&page)
    };
    let Ok(compressed) = compressed else {
        return Response::from_parts(parts, Body::from(page));
    };
    let h = &mut parts.headers;
    h.insert(header::CONTENT_ENCODING, HeaderValue::from_static("br"));
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(compressed.len()));
    h.remove(header::ACCEPT_RANGES);
    let varies = h
        .get_all(header::VARY)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|v| v.trim().eq_ignore_ascii_case("accept-encoding") || v.trim() == "*");
    if !varies {
        h.append(header::VARY, HeaderValue::from_static("accept-encoding"));
    }
    Response::from_parts(parts, Body::from(compressed))
}

/// Whether `Accept-Encoding` asks for `br` over `gzip`: `br` with a q-value above 0 and no lower
/// than gzip's, as tower-http's layer chooses (it prefers `br` when they tie). A client that
/// ranks gzip higher is left to that layer, which gives it gzip.
fn accepts_brotli(headers: &HeaderMap) -> bool {
    let br = accepted_q(headers, "br");
    br > 0.0 && br >= accepted_q(headers, "gzip")
}

/// The q-value `Accept-Encoding` gives `coding` by name: 1 when it has none, 0 when the coding
/// is not named.
fn accepted_q(headers: &HeaderMap, coding: &str) -> f32 {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|item| {
            let mut parts = item.split(';');
            let name = parts.next().unwrap_or_default().trim();
            name.eq_ignore_ascii_case(coding).then(|| {
                parts
                    .find_map(|p| {
                        let p = p.trim();
                        p.get(..2)
                            .filter(|k| k.eq_ignore_ascii_case("q="))
                            .and_then(|_| p.get(2..))
                            .and_then(|q| q.trim().parse::<f32>().ok())
                    })
                    .unwrap_or(1.0)
            })
        })
        .fold(0.0, f32::max)
}

/// Brotli's quality for pages, compressed as they are served. 3, not tower-http's 4: a 33 KB
/// home feed page comes out 7 % larger (5.8 KB against 5.4 KB) and costs the server 5 to 10 %
/// less CPU (BENCHMARKS.md, 2026-12-07, night). The build's files are compressed once, ahead
/// of time, by cargo-leptos (`--precompress`).
const PAGE_BROTLI_QUALITY: i32 = 3;

/// `data` compressed with brotli at [`PAGE_BROTLI_QUALITY`], its window no larger than `data`
/// needs.
fn brotli_fitted(data: &[u8]) -> std::io::Result<Vec<u8>> {
    let params = brotli::enc::BrotliEncoderParams {
        quality: PAGE_BROTLI_QUALITY,
        // Brotli's windows run from 2^10 to 2^24 bytes, less 16.
        lgwin: (usize::BITS - (data.len() + 16).leading_zeros()).clamp(10, 22) as i32,
        size_hint: data.len(),
        ..Default::default()
    };
    let mut out = Vec::with_capacity(data.len() / 4 + 64);
    brotli::BrotliCompress(&mut &data[..], &mut out, &params)?;
    Ok(out)
}

/// A panic while answering a request becomes a logged 500 (with the request's id in the log
/// line's span) instead of a connection closed with no answer.
pub fn catch_panics(
) -> tower_http::catch_panic::CatchPanicLayer<fn(Box<dyn std::any::Any + Send>) -> Response> {
    tower_http::catch_panic::CatchPanicLayer::custom(panic_answer as fn(_) -> _)
}

fn panic_answer(panic: Box<dyn std::any::Any + Send>) -> Response {
    let what = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    tracing::error!(panic = what, "a request panicked; answered 500");
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        "Something went wrong on our side. Please try again.",
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_panicking_request_is_answered_500() -> Result<(), http::Error> {
        use tower::ServiceExt;
        async fn boom() -> &'static str {
            panic!("boom")
        }
        let app = axum::Router::new()
            .route("/boom", axum::routing::get(boom))
            .layer(catch_panics());
        let req = Request::builder().uri("/boom").body(Body::empty())?;
        let res = app.oneshot(req).await;
        assert_eq!(
            res.map(|r| r.status()).ok(),
            Some(StatusCode::INTERNAL_SERVER_ERROR)
        );
        Ok(())
    }

    #[test]
    fn hashed_build_files_are_kept_a_year_and_others_revalidated() {
        let year = Some("public, max-age=31536000, immutable");
        assert_eq!(cache_control("/pkg/cohort.a1B2c3D4e5F6g7H8.wasm"), year);
        assert_eq!(cache_control("/pkg/cohort.Zx_9-aaaaaaaa.css"), year);
        assert_eq!(cache_control("/pkg/cohort.css"), Some("no-cache"));
        assert_eq!(cache_control("/pkg/cohort_bg.wasm"), Some("no-cache"));
        assert_eq!(cache_control("/pkg/cohort.min.js"), Some("no-cache"));
        assert_eq!(cache_control("/s/some-space"), None);
        assert_eq!(cache_control("/favicon.svg"), None);
    }

    #[test]
    fn repeated_form_errors_keep_only_the_newest() {
        let loc =
            "http://h/register?next=%2F&__path=%2Fapi%2Fa&__err=OLD&__path=%2Fapi%2Fa&__err=NEW";
        assert_eq!(
            keep_last_form_error(loc).as_deref(),
            Some("http://h/register?next=%2F&__path=%2Fapi%2Fa&__err=NEW")
        );
        assert_eq!(
            keep_last_form_error("http://h/register?__path=a&__err=b"),
            None
        );
        assert_eq!(keep_last_form_error("/"), None);
    }

    #[test]
    fn origins_are_cut_from_urls() {
        assert_eq!(
            origin_of("http://127.0.0.1:3000/sign-in?x=1"),
            "http://127.0.0.1:3000"
        );
        assert_eq!(
            origin_of("https://learn.example.com"),
            "https://learn.example.com"
        );
        assert_eq!(
            authority_of("https://learn.example.com"),
            Some("learn.example.com")
        );
    }

    #[test]
    fn page_policy_has_no_unsafe_inline() {
        let csp = page_csp("abc", "http://localhost:3001");
        assert!(csp.contains("frame-src 'self' https: http://localhost:3001;"));
        assert!(csp.contains("'nonce-abc'"));
        assert!(!csp.contains("unsafe-inline"));
    }

    #[test]
    fn brotli_is_chosen_unless_refused_or_ranked_below_gzip() {
        let accepts = |v: &'static str| {
            let mut h = HeaderMap::new();
            h.insert(header::ACCEPT_ENCODING, HeaderValue::from_static(v));
            accepts_brotli(&h)
        };
        assert!(accepts("gzip, deflate, br, zstd"));
        assert!(accepts("br;q=0.5, gzip;q=0.5"));
        assert!(accepts("gzip;q=0.8, br"));
        assert!(!accepts("br;q=0.5, gzip"), "gzip is ranked higher");
        assert!(!accepts("gzip"));
        assert!(!accepts("br;q=0, gzip"));
        assert!(!accepts("br; Q=0.0"));
        assert!(!accepts("brotli"));
        assert!(!accepts_brotli(&HeaderMap::new()));
    }

    #[test]
    fn pages_compressed_with_a_fitted_window_come_back_whole() -> std::io::Result<()> {
        for page in [
            Vec::new(),
            b"<!doctype html><p>Hello</p>".to_vec(),
            "<li>a post on the wall</li>".repeat(5_000).into_bytes(),
        ] {
            let compressed = brotli_fitted(&page)?;
            let mut back = Vec::new();
            brotli::BrotliDecompress(&mut &compressed[..], &mut back)?;
            assert_eq!(back, page);
        }
        Ok(())
    }

    /// Pages asked for with brotli come back compressed; a body of known size over the limit
    /// (a SCORM lesson's HTML file) and partial content pass through as they are.
    #[tokio::test]
    async fn only_whole_pages_within_the_limit_are_compressed() {
        use axum::routing::get;
        use tower::ServiceExt;
        let page = || "<li>a post</li>".repeat(100);
        let app = axum::Router::new()
            .route(
                "/page",
                get(move || async move { axum::response::Html(page()) }),
            )
            .route(
                "/large",
                get(|| async { axum::response::Html("a".repeat(MOST_PAGE_BYTES + 1)) }),
            )
            .route(
                "/part",
                get(|| async {
                    (
                        StatusCode::PARTIAL_CONTENT,
                        [(header::CONTENT_RANGE, "bytes 0-9/100")],
                        axum::response::Html("0123456789"),
                    )
                }),
            )
            .layer(axum::middleware::from_fn(compress_pages));
        let encoding = |path: &'static str| {
            let app = app.clone();
            async move {
                let req = Request::builder()
                    .uri(path)
                    .header(header::ACCEPT_ENCODING, "br, gzip")
                    .body(Body::empty())
                    .unwrap_or_default();
                let res = app.oneshot(req).await.unwrap_or_default();
                let encoding = res.headers().get(header::CONTENT_ENCODING).cloned();
                let body = axum::body::to_bytes(res.into_body(), usize::MAX)
                    .await
                    .unwrap_or_default();
                (encoding, body.len())
            }
        };
        let (enc, len) = encoding("/page").await;
        assert_eq!(enc, Some(HeaderValue::from_static("br")));
        assert!(len > 0 && len < page().len());
        assert_eq!(encoding("/large").await, (None, MOST_PAGE_BYTES + 1));
        assert_eq!(encoding("/part").await, (None, 10));
    }
}
