//! Pictures over plain HTTP: one upload handler for every picture a form changes (an avatar,
//! the covers of spaces, articles, courses and playlists), working with and without
//! JavaScript, and one handler serving stored pictures to the people who may see them. What
//! each kind allows is [`app::server::pictures`]'s to say.

use app::error::AppError;
use app::server::infra::images::{self, Purpose};
use app::server::infra::pace::Act;
use app::server::infra::state::AppState;
use app::server::pictures;
use app::server::policy::Viewer;
use axum::extract::{Path, Request, State};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use http::header::{CACHE_CONTROL, CONTENT_TYPE};
use http::request::Parts;
use http::HeaderValue;

use crate::handlers::{back_to_form, error_response, read_upload, signed_in, uploader, wants_html};

/// Every kind of picture, with its address under `/media/`.
const KINDS: [Purpose; 6] = [
    Purpose::Avatar,
    Purpose::Cover,
    Purpose::Post,
    Purpose::Article,
    Purpose::Course,
    Purpose::Playlist,
];

/// The routes under `/media/` for pictures.
pub fn routes(state: AppState) -> Router {
    let mut router = Router::new();
    for purpose in KINDS {
        let kind = purpose.as_str();
        if pictures::form_of(purpose).is_some() {
            let upload = move |st: State<AppState>, parts: Parts, body: Request| {
                upload(st, parts, body, purpose)
            };
            router = router.route(&format!("/media/{kind}"), post(upload));
        }
        let serve = move |st: State<AppState>, parts: Parts, at: Path<(i64, u32)>| {
            serve(st, parts, at, purpose)
        };
        router = router.route(&format!("/media/{kind}/{{id}}/{{size}}"), get(serve));
    }
    router.with_state(state)
}

/// Uploads (the form's file field) or removes (field `remove`) a picture of `purpose`, then
/// goes back to the form's page (`?{field}=saved` or `?{field}_error=...`); JSON with the
/// picture's address for other clients.
async fn upload(
    State(st): State<AppState>,
    parts: Parts,
    body: Request,
    purpose: Purpose,
) -> Response {
    let Some(form) = pictures::form_of(purpose) else {
        return error_response(AppError::NotFound);
    };
    let html = wants_html(&parts.headers);
    let user = match uploader(&st, &parts, form.home).await {
        Ok(user) => user,
        Err(turned_back) => return turned_back,
    };
    let mut page = form.home.to_owned();
    let result = async {
        st.pace.person(Act::Upload, user.id)?;
        let upload = read_upload(body, form.file_field, st.media.max_image_bytes).await?;
        let viewer = Viewer::from(&user);
        let owner =
            pictures::owner_to_change(&st.db, viewer, purpose, upload.field(form.owner_field))
                .await?;
        page = owner.page;
        let version = pictures::save(
            &st.db,
            &st.media,
            purpose,
            owner.id,
            upload,
            form.file_field,
        )
        .await?;
        Ok(pictures::url(purpose, owner.id, version))
    }
    .await;
    let field = form.file_field;
    back_to_form(
        result,
        html,
        &page,
        field,
        "",
        |url| serde_json::json!({ field: url }),
    )
}

/// One size of a stored picture, to the people who may see it (404 for everyone else).
async fn serve(
    State(st): State<AppState>,
    parts: Parts,
    Path((owner, size)): Path<(i64, u32)>,
    purpose: Purpose,
) -> Response {
    let viewer = match signed_in(&st, &parts).await {
        Ok(user) => user.as_ref().map(Viewer::from),
        Err(failed) => return failed,
    };
    match pictures::may_see(&st.db, viewer, purpose, owner).await {
        Ok(true) => {}
        Ok(false) => return error_response(AppError::NotFound),
        Err(e) => return error_response(e),
    }
    match images::load(&st.db, purpose, owner, size).await {
        Ok(Some((content_type, bytes))) => picture(&content_type, bytes),
        Ok(None) => error_response(AppError::NotFound),
        Err(e) => error_response(e),
    }
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
