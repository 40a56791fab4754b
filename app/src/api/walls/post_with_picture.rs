use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};

use crate::domain::ids::PostId;
use crate::error::AppError;

/// Posts on a wall from the compose form, which may carry a picture: a multipart form with
/// `wall` (`space` or `person`), `key` (the space's slug or the person's handle), `body`
/// (Markdown; may be empty when there is a picture) and `picture` (a file, may be empty).
/// Works as a plain form post without JavaScript too.
#[server(name = PostWithPicture, endpoint = "walls/post-with-picture", input = MultipartFormData)]
pub async fn post_with_picture(data: MultipartData) -> Result<PostId, AppError> {
    use crate::server::infra::images::{self, Purpose};
    use crate::server::infra::uploads;
    use crate::server::walls::{self, WallOf};
    use crate::server::{accounts, infra::state::state};

    use crate::server::infra::pace::Act;
    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    let max = st.media.max_image_bytes;
    let form = data
        .into_inner()
        .ok_or_else(|| AppError::BadRequest("The form could not be read.".into()))?;
    let mut upload = uploads::read(form, "picture", max).await?;
    let picture = std::mem::take(&mut upload.file);
    let (key, body) = (upload.field("key"), upload.field("body"));
    let of = match upload.field("wall") {
        "space" => WallOf::Space(key),
        "person" => WallOf::Person(key),
        _ => return Err(AppError::BadRequest("Say which wall to post on.".into())),
    };
    let keep = |e: AppError| walls::keep_typed(e, body);
    st.pace.person(Act::Write, viewer.id).map_err(keep)?;
    if !picture.is_empty() {
        st.pace.person(Act::Upload, viewer.id).map_err(keep)?;
    }
    if upload.too_large {
        return Err(keep(images::too_large("picture", None, max)));
    }
    let files = if picture.is_empty() {
        None
    } else {
        let prepared = images::prepare_off_thread(picture, Purpose::Post, max, "picture").await;
        Some(prepared.map_err(keep)?)
    };
    walls::post(&st.db, viewer, of, body, files).await
}
