//! Pictures over plain HTTP: uploading one's avatar (a multipart form that works with and
//! without JavaScript) and serving stored pictures to signed-in people.

use app::domain::nav::encode_query;
use app::domain::profile::avatar_url;
use app::domain::user::CurrentUser;
use app::error::AppError;
use app::server::images::{self, Purpose};
use app::server::sessions;
use app::server::state::AppState;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use http::header::{ACCEPT, CACHE_CONTROL, CONTENT_TYPE, COOKIE};
use http::{HeaderMap, HeaderValue, StatusCode};

/// The routes under `/media/`.
pub fn routes(state: AppState) -> Router {
    // Room for the multipart framing around the largest picture allowed.
    let limit = state.media.max_image_bytes.saturating_add(256 * 1024);
    Router::new()
        .route(
            "/media/avatar",
            post(upload_avatar).layer(DefaultBodyLimit::max(limit)),
        )
        .route("/media/avatar/{user}/{size}", get(avatar))
        .with_state(state)
}

/// The person whose session cookie the request carries.
async fn signed_in(st: &AppState, headers: &HeaderMap) -> Option<CurrentUser> {
    let token = headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == sessions::COOKIE)
        .map(|(_, v)| v.to_owned())?;
    sessions::user_for_token(&st.db, &token)
        .await
        .ok()
        .flatten()
}

fn wants_html(headers: &HeaderMap) -> bool {
    headers
        .get(ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"))
}

fn error_response(e: AppError) -> Response {
    let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, Json(e)).into_response()
}

/// Uploads (field `avatar`) or removes (field `remove`) the signed-in person's picture. Forms
/// are sent back to the profile editor with the outcome; other clients get JSON.
async fn upload_avatar(
    State(st): State<AppState>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Response {
    let html = wants_html(&headers);
    let Some(user) = signed_in(&st, &headers).await else {
        return if html {
            Redirect::to("/sign-in?next=/profile/edit").into_response()
        } else {
            error_response(AppError::sign_in_required())
        };
    };
    let outcome = save_avatar(&st, user.id.0, multipart).await;
    match (outcome, html) {
        (Ok(_), true) => Redirect::to("/profile/edit?avatar=saved").into_response(),
        (Err(e), true) => {
            let message = e
                .form_errors()
                .and_then(|f| f.message_for("avatar"))
                .unwrap_or_else(|| e.to_string());
            let to = format!("/profile/edit?avatar_error={}", encode_query(&message));
            Redirect::to(&to).into_response()
        }
        (Ok(version), false) => {
            let url = avatar_url(user.id.0, 256, version);
            Json(serde_json::json!({ "avatar": url })).into_response()
        }
        (Err(e), false) => error_response(e),
    }
}

async fn save_avatar(
    st: &AppState,
    user: i64,
    mut form: Multipart,
) -> Result<Option<i64>, AppError> {
    let max = st.media.max_image_bytes;
    let unreadable = |_| AppError::BadRequest("The upload could not be read.".into());
    let mut remove = false;
    let mut file: Vec<u8> = Vec::new();
    while let Some(mut field) = form.next_field().await.map_err(unreadable)? {
        match field.name() {
            Some("remove") => remove = true,
            Some("avatar") => {
                while let Some(chunk) = field.chunk().await.map_err(|e| {
                    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                        images::too_large("avatar", None, max)
                    } else {
                        AppError::BadRequest("The upload could not be read.".into())
                    }
                })? {
                    file.extend_from_slice(&chunk);
                    if file.len() > max {
                        return Err(images::too_large("avatar", None, max));
                    }
                }
            }
            _ => {}
        }
    }
    if remove {
        images::remove(&st.db, Purpose::Avatar, user).await?;
        return Ok(None);
    }
    let files =
        tokio::task::spawn_blocking(move || images::prepare(&file, Purpose::Avatar, max, "avatar"))
            .await
            .map_err(AppError::internal)??;
    Ok(Some(
        images::store(&st.db, Purpose::Avatar, user, files).await?,
    ))
}

/// A stored avatar, for signed-in people. Its address changes with every upload, so it may be
/// cached for good.
async fn avatar(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path((user, size)): Path<(i64, u32)>,
) -> Response {
    if signed_in(&st, &headers).await.is_none() {
        return error_response(AppError::sign_in_required());
    }
    match images::load(&st.db, Purpose::Avatar, user, size).await {
        Ok(Some((content_type, bytes))) => {
            let mut res = bytes.into_response();
            let h = res.headers_mut();
            if let Ok(v) = HeaderValue::from_str(&content_type) {
                h.insert(CONTENT_TYPE, v);
            }
            h.insert(
                CACHE_CONTROL,
                HeaderValue::from_static("private, max-age=31536000, immutable"),
            );
            res
        }
        Ok(None) => error_response(AppError::NotFound),
        Err(e) => error_response(e),
    }
}
