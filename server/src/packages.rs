//! SCORM packages over plain HTTP: uploading one to a lesson (a multipart form that works with
//! and without JavaScript). Their files are served on the content origin ([`crate::content`]).

use app::domain::ids::LessonId;
use app::error::AppError;
use app::server::infra::pace::Act;
use app::server::infra::state::AppState;
use app::server::packages;
use app::server::policy::Viewer;
use axum::extract::{Request, State};
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use http::request::Parts;

use crate::handlers::{back_to_lesson, read_upload_into, uploader, wants_html};
use app::server::infra::uploads::Sink;

/// The route `/media/package`.
pub fn routes(state: AppState) -> Router {
    Router::new()
        .route("/media/package", post(upload))
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
    // The zip streams into a staging file, never into memory, and is unpacked beside it.
    let zip = st.blobs.staging_file("package.zip");
    let unpacked = st.blobs.staging_file("package");
    let result = async {
        // Who may upload to the lesson is asked before a byte of the file is read.
        let upload = read_upload_into(body, "package", st.media.max_package_bytes, |fields| {
            let lesson = fields.number::<LessonId>("lesson");
            let paced = st.pace.person(Act::Upload, viewer.id);
            let db = st.db.clone();
            let sink = Sink::File(zip.clone());
            async move {
                paced?;
                let lesson =
                    lesson.ok_or_else(|| AppError::BadRequest("Say which lesson.".into()))?;
                packages::require_uploader(&db, viewer, lesson).await?;
                Ok(sink)
            }
        })
        .await?;
        lesson = upload
            .number("lesson")
            .ok_or_else(|| AppError::BadRequest("Say which lesson.".into()))?;
        packages::require_uploader(&st.db, viewer, lesson).await?;
        if upload.size == 0 {
            return Err(AppError::Validation(app::error::FormErrors::single(
                "package",
                "Choose the package's .zip file first.",
            )));
        }
        let limits = st.media.package_limits;
        let (zip, out) = (zip.clone(), unpacked.clone());
        let checked = tokio::task::spawn_blocking(move || packages::check(&zip, limits, &out))
            .await
            .map_err(AppError::internal)??;
        let scos = checked.scos.len();
        let slug = packages::store(&st.db, &st.blobs, viewer, lesson, checked).await?;
        Ok((slug, scos))
    }
    .await;
    // The zip and what was unpacked from it are in the blob store now, or refused.
    let _ = tokio::fs::remove_file(&zip).await;
    let _ = tokio::fs::remove_dir_all(&unpacked).await;
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
