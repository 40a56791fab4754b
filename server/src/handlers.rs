//! What the plain HTTP handlers (uploads, pictures, lesson files, packages, feeds) share: who
//! is asking (the same session lookup as server fns), multipart uploads read by the app's one
//! helper, and answers that suit a form without JavaScript (a redirect) or a script (JSON).

use app::domain::ids::LessonId;
use app::domain::nav::encode_query;
use app::domain::user::CurrentUser;
use app::error::AppError;
use app::server::accounts;
use app::server::infra::state::AppState;
use app::server::infra::uploads::{self, Sink, Upload};
use axum::extract::Request;
use axum::response::{IntoResponse, Redirect, Response};
use axum::Json;
use http::header::{ACCEPT, CONTENT_TYPE};
use http::request::Parts;
use http::{HeaderMap, StatusCode};

/// Room for the multipart framing around the largest file allowed.
const FRAMING: usize = 256 * 1024;

/// The person whose session the request carries, if any; a failing database is a 500, not
/// "signed out".
pub async fn signed_in(st: &AppState, parts: &Parts) -> Result<Option<CurrentUser>, Response> {
    accounts::user_of_request(st, parts)
        .await
        .map_err(error_response)
}

/// The person asking, or the answer that turns them back: to sign in and come back to `next`,
/// for forms; 401 for other clients.
pub async fn uploader(st: &AppState, parts: &Parts, next: &str) -> Result<CurrentUser, Response> {
    match signed_in(st, parts).await? {
        Some(user) => Ok(user),
        None if wants_html(&parts.headers) => {
            Err(Redirect::to(&format!("/sign-in?next={next}")).into_response())
        }
        None => Err(error_response(AppError::sign_in_required())),
    }
}

/// The person asking, or 401.
pub async fn require_signed_in(st: &AppState, parts: &Parts) -> Result<CurrentUser, Response> {
    signed_in(st, parts)
        .await?
        .ok_or_else(|| error_response(AppError::sign_in_required()))
}

/// Whether the client is a browser's form (it takes HTML) rather than a script.
pub fn wants_html(headers: &HeaderMap) -> bool {
    headers
        .get(ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"))
}

/// The error as JSON, with its HTTP status.
pub fn error_response(e: AppError) -> Response {
    let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, Json(e)).into_response()
}

/// The multipart form `body` as the app's upload helper reads it: text fields and the file
/// field `file_field`, refused past `max` bytes (the body as a whole, past `max` and framing).
pub async fn read_upload(body: Request, file_field: &str, max: usize) -> Result<Upload, AppError> {
    read_upload_into(
        body,
        file_field,
        max,
        |_| async move { Ok(Sink::Memory(max)) },
    )
    .await
}

/// [`read_upload`], the file going where `choose` says (asked from the fields before it, so it
/// may refuse before a byte of the file is read): streamed to the blob store or a staging file
/// rather than held in memory.
pub async fn read_upload_into<F, Fut>(
    body: Request,
    file_field: &str,
    max: usize,
    choose: F,
) -> Result<Upload, AppError>
where
    F: FnOnce(&Upload) -> Fut,
    Fut: std::future::Future<Output = Result<Sink, AppError>>,
{
    let unreadable = || AppError::BadRequest("The upload could not be read.".into());
    let boundary = body
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|ct| multer::parse_boundary(ct).ok())
        .ok_or_else(unreadable)?;
    let limit = multer::SizeLimit::new().whole_stream(max.saturating_add(FRAMING) as u64);
    let form = multer::Multipart::with_constraints(
        body.into_body().into_data_stream(),
        boundary,
        multer::Constraints::new().size_limit(limit),
    );
    uploads::read_into(form, file_field, max, choose)
        .await?
        .within(file_field, max)
}

/// Where a form goes back to: `page` with `?{field}=saved` or `?{field}_error=...` (and
/// `extra`, say `&lesson=4#lesson-4`); for other clients, the `json` of what was saved, or the
/// error.
pub fn back_to_form<T>(
    result: Result<T, AppError>,
    html: bool,
    page: &str,
    field: &str,
    extra: &str,
    json: impl FnOnce(T) -> serde_json::Value,
) -> Response {
    match (result, html) {
        (Ok(_), true) => Redirect::to(&format!("{page}?{field}=saved{extra}")).into_response(),
        (Err(e), true) => {
            let message = e
                .form_errors()
                .and_then(|f| f.message_for(field))
                .unwrap_or_else(|| e.to_string());
            let to = format!("{page}?{field}_error={}{extra}", encode_query(&message));
            Redirect::to(&to).into_response()
        }
        (Ok(saved), false) => Json(json(saved)).into_response(),
        (Err(e), false) => error_response(e),
    }
}

/// [`back_to_form`] for a lesson's upload forms, which sit in the course editor at the lesson.
pub fn back_to_lesson<T>(
    result: Result<T, AppError>,
    html: bool,
    back: &str,
    field: &str,
    lesson: LessonId,
    json: impl FnOnce(T) -> serde_json::Value,
) -> Response {
    let extra = format!("&lesson={lesson}#lesson-{lesson}");
    back_to_form(result, html, back, field, &extra, json)
}
