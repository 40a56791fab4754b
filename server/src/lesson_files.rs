//! Lesson files over plain HTTP: uploading a lesson's video or file, or a picture for its
//! page (multipart forms that work with and without JavaScript), and serving them to people
//! who may take the lesson, with byte ranges so videos seek.

use app::domain::course::lesson_file_url;
use app::domain::ids::{LessonFileId, LessonId};
use app::domain::nav::encode_query;
use app::error::AppError;
use app::server::courses::files::{self, Role};
use app::server::infra::images::{self, Purpose};
use app::server::infra::pace::Act;
use app::server::infra::state::AppState;
use app::server::infra::uploads::Sink;
use app::server::policy::{courses, Viewer};
use axum::extract::{Path, Request, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_SECURITY_POLICY, CONTENT_TYPE};
use http::request::Parts;
use http::HeaderValue;

use crate::blobs;
use crate::handlers::{
    back_to_lesson, error_response, read_upload_into, require_signed_in, uploader, wants_html,
};

/// The routes under `/media/lesson-file`.
pub fn routes(state: AppState) -> Router {
    Router::new()
        .route("/media/lesson-file", post(upload))
        .route("/media/lesson-file/{id}", get(serve))
        .with_state(state)
}

/// Uploads field `file` to lesson `lesson`: with `role=image`, a picture for its page (checked
/// and re-encoded like every picture); otherwise its video or file. With a `remove` field
/// (a file's id), removes that file instead. Goes back to the course's editor
/// (`?{field}=saved` or `?{field}_error=...`, with `&lesson=N`); JSON for other clients.
async fn upload(State(st): State<AppState>, parts: Parts, body: Request) -> Response {
    let html = wants_html(&parts.headers);
    let user = match uploader(&st, &parts, "/courses").await {
        Ok(user) => user,
        Err(turned_back) => return turned_back,
    };
    let viewer = Viewer::from(&user);
    let mut lesson = LessonId::default();
    let mut field = "file";
    let mut slug = String::new();
    let blob = files::new_blob_name();
    let result: Result<Option<LessonFileId>, AppError> = async {
        // Who may upload to the lesson is asked before a byte of the file is read.
        // A picture is decoded, so it is read into memory (up to the picture limit); a video or
        // file streams into the blob store.
        let upload = read_upload_into(body, "file", st.media.max_package_bytes, |fields| {
            let lesson = fields.number::<LessonId>("lesson");
            let paced = st.pace.person(Act::Upload, viewer.id);
            let db = st.db.clone();
            let sink = if fields.field("role") == "image" {
                Sink::Memory(st.media.max_image_bytes)
            } else {
                Sink::Blob {
                    store: st.blobs.clone(),
                    name: blob.clone(),
                }
            };
            async move {
                paced?;
                match lesson {
                    Some(lesson) => courses::require_lesson_author(&db, viewer, lesson)
                        .await
                        .map(|_| sink),
                    // Removing a file names the file, not the lesson: checked below.
                    None => Ok(sink),
                }
            }
        })
        .await?;

        if upload.field("role") == "image" {
            field = "image";
        }
        if let Some(file) = upload.number("remove") {
            lesson = files::remove(&st.db, &st.blobs, viewer, file).await?;
            slug = courses::require_lesson_author(&st.db, viewer, lesson)
                .await?
                .1;
            return Ok(None);
        }
        lesson = upload
            .number("lesson")
            .ok_or_else(|| AppError::BadRequest("Say which lesson.".into()))?;
        // Permission first, before anything is decoded.
        let (kind, course) = courses::require_lesson_author(&st.db, viewer, lesson).await?;
        slug = course;
        let id = if field == "image" {
            let max = st.media.max_image_bytes;
            let bytes = upload.file;
            let prepared = images::prepare_off_thread(bytes, Purpose::Post, max, "image").await?;
            let jpeg = prepared
                .into_iter()
                .next()
                .map(|(_, b)| b)
                .unwrap_or_default();
            let stem = upload
                .file_name
                .rsplit_once('.')
                .map_or(upload.file_name.as_str(), |(s, _)| s);
            let name = format!("{}.jpg", files::clean_name(stem));
            let written = st.blobs.put_bytes(&blob, &jpeg).await?;
            let file = files::NewFile {
                lesson,
                role: Role::Image,
                name: &name,
                content_type: "image/jpeg",
                blob: &blob,
                size: written.size,
            };
            files::store(&st.db, &st.blobs, viewer, file).await?
        } else {
            let content_type = files::check_media(kind, &upload.file_name, &upload.head, "file")?;
            let file = files::NewFile {
                lesson,
                role: Role::Media,
                name: &upload.file_name,
                content_type: &content_type,
                blob: &blob,
                size: upload.size,
            };
            files::store(&st.db, &st.blobs, viewer, file).await?
        };
        Ok(Some(id))
    }
    .await;
    // Only a recorded file keeps its blob (this request's own name: nothing else uses it).
    if !matches!(result, Ok(Some(_))) {
        if let Err(e) = st.blobs.delete(&blob).await {
            tracing::warn!(error = %e, "an unrecorded upload could not be deleted");
        }
    }
    let back = if slug.is_empty() {
        "/courses".to_owned()
    } else {
        format!("/courses/{slug}/edit")
    };
    back_to_lesson(
        result,
        html,
        &back,
        field,
        lesson,
        |id| serde_json::json!({ "lesson": lesson, "url": id.map(lesson_file_url) }),
    )
}

/// A lesson file, for people who may take its lesson (404 for everyone else). Videos and
/// pictures show in the page; other files download. Nothing served here may run as a page.
async fn serve(State(st): State<AppState>, parts: Parts, Path(id): Path<LessonFileId>) -> Response {
    let user = match require_signed_in(&st, &parts).await {
        Ok(user) => user,
        Err(turned_back) => return turned_back,
    };
    let headers = &parts.headers;
    let served = match files::open(&st.db, Viewer::from(&user), id).await {
        Ok(s) => s,
        Err(e) => return error_response(e),
    };
    let (db, store, key) = (st.db.clone(), st.blobs.clone(), served.blob_key.clone());
    let mut res = blobs::serve(headers, served.file.size, move |start, len| {
        let (db, store, key) = (db.clone(), store.clone(), key.clone());
        async move { files::read_range(&db, &store, id, key.as_deref(), start, len).await }
    });
    let h = res.headers_mut();
    let content_type = if served.inline {
        served.file.content_type.as_str()
    } else {
        "application/octet-stream"
    };
    if let Ok(v) = HeaderValue::from_str(content_type) {
        h.insert(CONTENT_TYPE, v);
    }
    let disposition = if served.inline {
        "inline"
    } else {
        "attachment"
    };
    // The name was cleaned of quotes when stored; non-ASCII goes in the RFC 5987 form.
    let ascii: String = served
        .file
        .name
        .chars()
        .map(|c| if c.is_ascii() { c } else { '_' })
        .collect();
    let value = format!(
        "{disposition}; filename=\"{ascii}\"; filename*=UTF-8''{}",
        encode_query(&served.file.name)
    );
    if let Ok(v) = HeaderValue::from_str(&value) {
        h.insert(CONTENT_DISPOSITION, v);
    }
    // A new upload gets a new id, so the address may be kept.
    h.insert(
        CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=31536000, immutable"),
    );
    h.insert(
        CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    res
}
