//! Pictures over plain HTTP: uploading an avatar or a space's cover (multipart forms that work
//! with and without JavaScript) and serving stored pictures to signed-in people who may see them.

use std::collections::HashMap;

use app::domain::course::course_cover_url;
use app::domain::discussion::article_cover_url;
use app::domain::nav::encode_query;
use app::domain::playlist::playlist_cover_url;
use app::domain::profile::avatar_url;
use app::domain::space::cover_url;
use app::domain::user::CurrentUser;
use app::error::AppError;
use app::server::access::Viewer;
use app::server::images::{self, Purpose};
use app::server::state::AppState;
use app::server::{blogs, courses, playlists, request, sessions, spaces, topics, walls};
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use http::header::{ACCEPT, CACHE_CONTROL, CONTENT_TYPE};
use http::{HeaderMap, HeaderValue, StatusCode};

/// The routes under `/media/`.
pub fn routes(state: AppState) -> Router {
    // Room for the multipart framing around the largest picture allowed.
    let limit = DefaultBodyLimit::max(state.media.max_image_bytes.saturating_add(256 * 1024));
    Router::new()
        .route("/media/avatar", post(upload_avatar).layer(limit))
        .route("/media/cover", post(upload_cover).layer(limit))
        .route("/media/avatar/{id}/{size}", get(avatar))
        .route("/media/cover/{id}/{size}", get(cover))
        .route("/media/post/{id}/{size}", get(post_picture))
        .route("/media/article", post(upload_article_cover).layer(limit))
        .route("/media/article/{id}/{size}", get(article_cover))
        .route("/media/course", post(upload_course_cover).layer(limit))
        .route("/media/course/{id}/{size}", get(course_cover))
        .route("/media/playlist", post(upload_playlist_cover).layer(limit))
        .route("/media/playlist/{id}/{size}", get(playlist_cover))
        .with_state(state)
}

/// The person whose session cookie the request carries.
pub(crate) async fn signed_in(st: &AppState, headers: &HeaderMap) -> Option<CurrentUser> {
    let token = request::cookie_in(headers, sessions::COOKIE)?;
    sessions::user_for_token(&st.db, &token)
        .await
        .ok()
        .flatten()
}

pub(crate) fn wants_html(headers: &HeaderMap) -> bool {
    headers
        .get(ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"))
}

pub(crate) fn error_response(e: AppError) -> Response {
    let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, Json(e)).into_response()
}

/// A multipart form: its text fields, and the bytes of the file field `file_field`, refused
/// past `max` bytes.
pub(crate) struct Upload {
    pub fields: HashMap<String, String>,
    pub file: Vec<u8>,
    /// The file's name as the browser sent it.
    pub file_name: String,
}

pub(crate) async fn read_upload(
    mut form: Multipart,
    file_field: &str,
    max: usize,
) -> Result<Upload, AppError> {
    let unreadable = || AppError::BadRequest("The upload could not be read.".into());
    let mut upload = Upload {
        fields: HashMap::new(),
        file: Vec::new(),
        file_name: String::new(),
    };
    while let Some(mut field) = form.next_field().await.map_err(|_| unreadable())? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == file_field {
            upload.file_name = field.file_name().unwrap_or_default().to_owned();
            while let Some(chunk) = field.chunk().await.map_err(|e| {
                if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    images::too_large(file_field, None, max)
                } else {
                    unreadable()
                }
            })? {
                upload.file.extend_from_slice(&chunk);
                if upload.file.len() > max {
                    return Err(images::too_large(file_field, None, max));
                }
            }
        } else {
            let text = field.text().await.map_err(|_| unreadable())?;
            upload.fields.insert(name, text);
        }
    }
    Ok(upload)
}

/// Stores (or with a `remove` field, removes) the picture of `owner`; returns its version.
async fn save(
    st: &AppState,
    purpose: Purpose,
    owner: i64,
    upload: Upload,
    field: &'static str,
) -> Result<Option<i64>, AppError> {
    if upload.fields.contains_key("remove") {
        images::remove(&st.db, purpose, owner).await?;
        return Ok(None);
    }
    let max = st.media.max_image_bytes;
    let file = upload.file;
    let files = tokio::task::spawn_blocking(move || images::prepare(&file, purpose, max, field))
        .await
        .map_err(AppError::internal)??;
    Ok(Some(images::store(&st.db, purpose, owner, files).await?))
}

/// Where a form goes back to: `page` with `?{field}=saved` or `?{field}_error=...`; for other
/// clients, JSON with the picture's address or the error.
fn outcome(
    result: Result<Option<String>, AppError>,
    html: bool,
    page: &str,
    field: &str,
) -> Response {
    match (result, html) {
        (Ok(_), true) => Redirect::to(&format!("{page}?{field}=saved")).into_response(),
        (Err(e), true) => {
            let message = e
                .form_errors()
                .and_then(|f| f.message_for(field))
                .unwrap_or_else(|| e.to_string());
            let to = format!("{page}?{field}_error={}", encode_query(&message));
            Redirect::to(&to).into_response()
        }
        (Ok(url), false) => Json(serde_json::json!({ field: url })).into_response(),
        (Err(e), false) => error_response(e),
    }
}

/// Where a lesson's upload form goes back to: the course's editor at `back`, with
/// `?{field}=saved&lesson=N` or `?{field}_error=...&lesson=N`, at the lesson; for other
/// clients, the `json` of what was saved, or the error.
pub(crate) fn back_to_lesson<T>(
    result: Result<T, AppError>,
    html: bool,
    back: &str,
    field: &str,
    lesson: i64,
    json: impl FnOnce(T) -> serde_json::Value,
) -> Response {
    match (result, html) {
        (Ok(_), true) => Redirect::to(&format!(
            "{back}?{field}=saved&lesson={lesson}#lesson-{lesson}"
        ))
        .into_response(),
        (Err(e), true) => {
            let message = e
                .form_errors()
                .and_then(|f| f.message_for(field))
                .unwrap_or_else(|| e.to_string());
            let to = format!(
                "{back}?{field}_error={}&lesson={lesson}#lesson-{lesson}",
                encode_query(&message)
            );
            Redirect::to(&to).into_response()
        }
        (Ok(saved), false) => Json(json(saved)).into_response(),
        (Err(e), false) => error_response(e),
    }
}

/// The uploader: signed in, or turned back (to sign in and come back to `next`, for forms;
/// 401 for other clients).
pub(crate) async fn uploader(
    st: &AppState,
    headers: &HeaderMap,
    next: &str,
) -> Result<CurrentUser, Response> {
    match signed_in(st, headers).await {
        Some(user) => Ok(user),
        None if wants_html(headers) => {
            Err(Redirect::to(&format!("/sign-in?next={next}")).into_response())
        }
        None => Err(error_response(AppError::sign_in_required())),
    }
}

/// Uploads (field `avatar`) or removes (field `remove`) the signed-in person's picture.
async fn upload_avatar(
    State(st): State<AppState>,
    headers: HeaderMap,
    form: Multipart,
) -> Response {
    let html = wants_html(&headers);
    let user = match uploader(&st, &headers, "/profile/edit").await {
        Ok(user) => user,
        Err(turned_back) => return turned_back,
    };
    let id = user.id.0;
    let result = async {
        let upload = read_upload(form, "avatar", st.media.max_image_bytes).await?;
        let version = save(&st, Purpose::Avatar, id, upload, "avatar").await?;
        Ok(avatar_url(id, 256, version))
    }
    .await;
    outcome(result, html, "/profile/edit", "avatar")
}

/// Uploads (field `cover`) or removes (field `remove`) a banner picture of `purpose`: `find`
/// is given the viewer and the form's `owner_field` and answers whose picture it is and the
/// page its form is on (or refuses); the answer goes back there. `home` is where a form goes
/// back to before that is known.
#[allow(clippy::too_many_arguments)]
async fn banner<F, Fut>(
    st: &AppState,
    headers: &HeaderMap,
    form: Multipart,
    purpose: Purpose,
    home: &str,
    owner_field: &str,
    url: fn(i64, Option<i64>) -> Option<String>,
    find: F,
) -> Response
where
    F: FnOnce(Viewer, String) -> Fut,
    Fut: std::future::Future<Output = Result<(i64, String), AppError>>,
{
    let html = wants_html(headers);
    let user = match uploader(st, headers, home).await {
        Ok(user) => user,
        Err(turned_back) => return turned_back,
    };
    let mut page = home.to_owned();
    let result = async {
        let upload = read_upload(form, "cover", st.media.max_image_bytes).await?;
        let owner = upload.fields.get(owner_field).cloned().unwrap_or_default();
        let (id, form_page) = find(Viewer::from(&user), owner).await?;
        page = form_page;
        let version = save(st, purpose, id, upload, "cover").await?;
        Ok(url(id, version))
    }
    .await;
    outcome(result, html, &page, "cover")
}

/// The number in a form field, or a request to say which `what`.
fn number_of(raw: &str, what: &str) -> Result<i64, AppError> {
    raw.trim()
        .parse::<i64>()
        .map_err(|_| AppError::BadRequest(format!("Say which {what}.")))
}

/// The cover of the space `slug` (its owners and moderators).
async fn upload_cover(State(st): State<AppState>, headers: HeaderMap, form: Multipart) -> Response {
    let db = st.db.clone();
    let find = |viewer, slug: String| async move {
        let space = spaces::moderated(&db, viewer, &slug).await?;
        Ok((space, format!("/s/{slug}")))
    };
    let url = |id, v| cover_url(id, 1200, v);
    banner(
        &st,
        &headers,
        form,
        Purpose::Cover,
        "/spaces",
        "slug",
        url,
        find,
    )
    .await
}

/// The cover of article `article` (those who may edit it), from its editor.
async fn upload_article_cover(
    State(st): State<AppState>,
    headers: HeaderMap,
    form: Multipart,
) -> Response {
    let db = st.db.clone();
    let find = |viewer, raw: String| async move {
        let id = blogs::require_editable(&db, viewer, number_of(&raw, "article")?).await?;
        Ok((id, format!("/t/{id}/edit")))
    };
    let url = |id, v: Option<i64>| v.map(|v| article_cover_url(id, 1200, v));
    banner(
        &st,
        &headers,
        form,
        Purpose::Article,
        "/",
        "article",
        url,
        find,
    )
    .await
}

/// The cover of course `course` (its address; the course's authors), from its editor.
async fn upload_course_cover(
    State(st): State<AppState>,
    headers: HeaderMap,
    form: Multipart,
) -> Response {
    let db = st.db.clone();
    let find = |viewer, slug: String| async move {
        let id = courses::require_course_author(&db, viewer, &slug).await?;
        Ok((id, format!("/courses/{slug}/edit")))
    };
    let url = |id, v| course_cover_url(id, 1200, v);
    banner(
        &st,
        &headers,
        form,
        Purpose::Course,
        "/courses",
        "course",
        url,
        find,
    )
    .await
}

/// The cover of playlist `playlist` (its owner), from its editor.
async fn upload_playlist_cover(
    State(st): State<AppState>,
    headers: HeaderMap,
    form: Multipart,
) -> Response {
    let db = st.db.clone();
    let find = |viewer, raw: String| async move {
        let id = number_of(&raw, "playlist")?;
        playlists::require_owner(&db, viewer, id).await?;
        Ok((id, format!("/playlists/{id}/edit")))
    };
    let url = |id, v| playlist_cover_url(id, 1200, v);
    banner(
        &st,
        &headers,
        form,
        Purpose::Playlist,
        "/playlists",
        "playlist",
        url,
        find,
    )
    .await
}

fn picture(content_type: &str, bytes: Vec<u8>) -> Response {
    let mut res = bytes.into_response();
    let h = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(content_type) {
        h.insert(CONTENT_TYPE, v);
    }
    // The address changes with every upload, so it may be kept for good (by this browser).
    h.insert(
        CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=31536000, immutable"),
    );
    res
}

async fn serve(st: &AppState, purpose: Purpose, owner: i64, size: u32) -> Response {
    match images::load(&st.db, purpose, owner, size).await {
        Ok(Some((content_type, bytes))) => picture(&content_type, bytes),
        Ok(None) => error_response(AppError::NotFound),
        Err(e) => error_response(e),
    }
}

/// `owner`'s picture when `allowed` says the viewer may see it (404 when it says not).
async fn serve_if(
    st: &AppState,
    allowed: Result<bool, AppError>,
    purpose: Purpose,
    owner: i64,
    size: u32,
) -> Response {
    match allowed {
        Ok(true) => serve(st, purpose, owner, size).await,
        Ok(false) => error_response(AppError::NotFound),
        Err(e) => error_response(e),
    }
}

/// A stored avatar, for signed-in people.
async fn avatar(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path((user, size)): Path<(i64, u32)>,
) -> Response {
    if signed_in(&st, &headers).await.is_none() {
        return error_response(AppError::sign_in_required());
    }
    serve(&st, Purpose::Avatar, user, size).await
}

/// A space's cover, for people who may know the space exists (404 for everyone else).
async fn cover(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path((space, size)): Path<(i64, u32)>,
) -> Response {
    let Some(user) = signed_in(&st, &headers).await else {
        return error_response(AppError::sign_in_required());
    };
    let allowed = spaces::is_listed(&st.db, Viewer::from(&user), space).await;
    serve_if(&st, allowed, Purpose::Cover, space, size).await
}

/// An article's cover, for people who may read the article (signed out: public articles).
async fn article_cover(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path((article, size)): Path<(i64, u32)>,
) -> Response {
    let viewer = match signed_in(&st, &headers).await {
        Some(user) => Viewer::from(&user),
        None => Viewer {
            id: 0,
            admin: false,
        },
    };
    let allowed = topics::readable(&st.db, viewer, article).await;
    serve_if(&st, allowed, Purpose::Article, article, size).await
}

/// A course's cover, for people who may see the course (404 for everyone else).
async fn course_cover(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path((course, size)): Path<(i64, u32)>,
) -> Response {
    let Some(user) = signed_in(&st, &headers).await else {
        return error_response(AppError::sign_in_required());
    };
    let allowed = courses::may_see_course(&st.db, Viewer::from(&user), course).await;
    serve_if(&st, allowed, Purpose::Course, course, size).await
}

/// A playlist's cover, for people who may read the playlist (404 for everyone else).
async fn playlist_cover(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path((playlist, size)): Path<(i64, u32)>,
) -> Response {
    let Some(user) = signed_in(&st, &headers).await else {
        return error_response(AppError::sign_in_required());
    };
    let allowed = playlists::require_readable(&st.db, Viewer::from(&user), playlist).await;
    serve_if(
        &st,
        allowed.map(|()| true),
        Purpose::Playlist,
        playlist,
        size,
    )
    .await
}

/// A post's picture, for people who may read the post (404 for everyone else).
async fn post_picture(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path((post, size)): Path<(i64, u32)>,
) -> Response {
    let Some(user) = signed_in(&st, &headers).await else {
        return error_response(AppError::sign_in_required());
    };
    match walls::require_readable(&st.db, Viewer::from(&user), post).await {
        Ok(()) => serve(&st, Purpose::Post, post, size).await,
        Err(e) => error_response(e),
    }
}
