//! SCORM packages over plain HTTP: uploading one to a lesson (a multipart form that works with
//! and without JavaScript) and serving its files to the player's frame.

use app::domain::ids::{LessonId, PackageId};
use app::error::AppError;
use app::server::infra::state::AppState;
use app::server::packages;
use app::server::policy::Viewer;
use axum::extract::{Path, Request, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use http::header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, X_FRAME_OPTIONS};
use http::request::Parts;
use http::HeaderValue;

use crate::handlers::{
    back_to_lesson, error_response, read_upload, require_signed_in, uploader, wants_html,
};

/// The routes under `/media/package` and `/scorm/`.
pub fn routes(state: AppState) -> Router {
    Router::new()
        .route("/media/package", post(upload))
        .route("/scorm/{package}/{*path}", get(serve))
        .with_state(state)
}

/// Uploads (field `package`) the SCORM zip of lesson `lesson`, then goes back to the course's
/// editor (`?package=saved&lesson=N` or `?package_error=...&lesson=N`); JSON for other clients.
async fn upload(State(st): State<AppState>, parts: Parts, body: Request) -> Response {
    let html = wants_html(&parts.headers);
    let user = match uploader(&st, &parts, "/courses").await {
        Ok(user) => user,
        Err(turned_back) => return turned_back,
    };
    let viewer = Viewer::from(&user);
    let mut lesson = LessonId::default();
    let result = async {
        let upload = read_upload(body, "package", st.media.max_package_bytes).await?;
        lesson = upload
            .number("lesson")
            .ok_or_else(|| AppError::BadRequest("Say which lesson.".into()))?;
        packages::require_uploader(&st.db, viewer, lesson).await?;
        if upload.file.is_empty() {
            return Err(AppError::Validation(app::error::FormErrors::single(
                "package",
                "Choose the package's .zip file first.",
            )));
        }
        let limits = st.media.package_limits;
        let file = upload.file;
        let checked = tokio::task::spawn_blocking(move || packages::check(&file, limits))
            .await
            .map_err(AppError::internal)??;
        let scos = checked.scos.len();
        let slug = packages::store(&st.db, viewer, lesson, checked).await?;
        Ok((slug, scos))
    }
    .await;
    let back = match &result {
        Ok((slug, _)) => format!("/courses/{slug}/edit"),
        Err(_) => course_of_lesson(&st, viewer, lesson).await,
    };
    back_to_lesson(
        result,
        html,
        &back,
        "package",
        lesson,
        |(_, scos)| serde_json::json!({ "lesson": lesson, "scos": scos }),
    )
}

/// The editor a failed upload goes back to.
async fn course_of_lesson(st: &AppState, viewer: Viewer, lesson: LessonId) -> String {
    match app::server::courses::lesson_course_slug(&st.db, viewer, lesson).await {
        Ok(slug) => format!("/courses/{slug}/edit"),
        Err(_) => "/courses".into(),
    }
}

/// A file of a package, for people who may take its lesson. Framed by the player on this
/// site only; the package's own scripts may run (it is the authors' content).
async fn serve(
    State(st): State<AppState>,
    parts: Parts,
    Path((package, path)): Path<(PackageId, String)>,
) -> Response {
    let user = match require_signed_in(&st, &parts).await {
        Ok(user) => user,
        Err(turned_back) => return turned_back,
    };
    match packages::file(&st.db, Viewer::from(&user), package, &path).await {
        Ok((content_type, bytes)) => {
            let mut res = bytes.into_response();
            let h = res.headers_mut();
            if let Ok(v) = HeaderValue::from_str(&content_type) {
                h.insert(CONTENT_TYPE, v);
            }
            h.insert(
                CACHE_CONTROL,
                HeaderValue::from_static("private, max-age=3600"),
            );
            h.insert(
                CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(
                    "default-src 'self' 'unsafe-inline' 'unsafe-eval' data: blob:; \
                     object-src 'none'; frame-ancestors 'self'",
                ),
            );
            h.insert(X_FRAME_OPTIONS, HeaderValue::from_static("SAMEORIGIN"));
            res
        }
        Err(e) => error_response(e),
    }
}
