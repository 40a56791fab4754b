//! Pictures of people and things (avatars; covers of spaces, articles, courses and playlists;
//! pictures on posts) as the `/media/...` routes serve them: which form changes whose picture
//! and whether the viewer may, who may see a stored one, and its address.

use crate::domain::course::course_cover_url;
use crate::domain::discussion::article_cover_url;
use crate::domain::ids::{CourseId, PlaylistId, PostId, SpaceId, TopicId, UserId};
use crate::domain::playlist::playlist_cover_url;
use crate::domain::profile::avatar_url;
use crate::domain::space::cover_url;
use crate::error::{AppError, AppResult};
use crate::server::infra::db::Db;
use crate::server::infra::images::{self, Purpose};
use crate::server::infra::state::MediaSettings;
use crate::server::infra::uploads::Upload;
use crate::server::policy::{self, Viewer};

/// The upload form of a picture: its file field, the field naming whose picture it is, and the
/// page to go back to before that is known.
#[derive(Debug, Clone, Copy)]
pub struct Form {
    pub file_field: &'static str,
    pub owner_field: &'static str,
    pub home: &'static str,
}

/// The form that uploads pictures of `purpose`; `None` for pictures that come with something
/// else (a post's comes with the post).
pub fn form_of(purpose: Purpose) -> Option<Form> {
    let (file_field, owner_field, home) = match purpose {
        Purpose::Avatar => ("avatar", "", "/profile/edit"),
        Purpose::Cover => ("cover", "slug", "/spaces"),
        Purpose::Article => ("cover", "article", "/"),
        Purpose::Course => ("cover", "course", "/courses"),
        Purpose::Playlist => ("cover", "playlist", "/playlists"),
        Purpose::Post => return None,
    };
    Some(Form {
        file_field,
        owner_field,
        home,
    })
}

/// Whose picture an upload changes, and the page its form is on.
#[derive(Debug)]
pub struct Owner {
    pub id: i64,
    pub page: String,
}

/// The owner named by `key` (the form's owner field) whose picture of `purpose` the viewer may
/// change: themselves; a space they moderate; an article they may edit; a course they author;
/// a playlist they own.
pub async fn owner_to_change(
    db: &Db,
    viewer: Viewer,
    purpose: Purpose,
    key: &str,
) -> AppResult<Owner> {
    let number = |what: &str| {
        key.trim()
            .parse::<i64>()
            .map_err(|_| AppError::BadRequest(format!("Say which {what}.")))
    };
    let (id, page) = match purpose {
        Purpose::Avatar => (viewer.id.0, "/profile/edit".to_owned()),
        Purpose::Cover => {
            let id = policy::spaces::require_space_moderator(db, viewer, key).await?;
            (id.0, format!("/s/{key}"))
        }
        Purpose::Article => {
            let article = TopicId(number("article")?);
            let id = policy::blogs::require_article_editable(db, viewer, article).await?;
            (id.0, format!("/t/{id}/edit"))
        }
        Purpose::Course => {
            let id = policy::courses::require_course_author(db, viewer, key).await?;
            (id.0, format!("/courses/{key}/edit"))
        }
        Purpose::Playlist => {
            let id = number("playlist")?;
            policy::playlists::require_playlist_owner(db, viewer, PlaylistId(id)).await?;
            (id, format!("/playlists/{id}/edit"))
        }
        Purpose::Post => {
            return Err(AppError::BadRequest(
                "A post's picture comes with the post.".into(),
            ))
        }
    };
    Ok(Owner { id, page })
}

/// Stores the upload's picture for `owner` (or, with a `remove` field, removes it); returns its
/// new version. Decoding and resizing run on a blocking thread.
pub async fn save(
    db: &Db,
    media: &MediaSettings,
    purpose: Purpose,
    owner: i64,
    upload: Upload,
    field: &'static str,
) -> AppResult<Option<i64>> {
    if upload.fields.contains_key("remove") {
        images::remove(db, purpose, owner).await?;
        return Ok(None);
    }
    let max = media.max_image_bytes;
    let file = upload.within(field, max)?.file;
    let files = images::prepare_off_thread(file, purpose, max, field).await?;
    Ok(Some(images::store(db, purpose, owner, files).await?))
}

/// The address of `owner`'s picture of `purpose` at `version`, as its form answers with.
pub fn url(purpose: Purpose, owner: i64, version: Option<i64>) -> Option<String> {
    match purpose {
        Purpose::Avatar => avatar_url(UserId(owner), 256, version),
        Purpose::Cover => cover_url(SpaceId(owner), 1200, version),
        Purpose::Article => version.map(|v| article_cover_url(TopicId(owner), 1200, v)),
        Purpose::Course => course_cover_url(CourseId(owner), 1200, version),
        Purpose::Playlist => playlist_cover_url(PlaylistId(owner), 1200, version),
        Purpose::Post => crate::domain::post::picture_url(PostId(owner), version),
    }
}

/// Whether the viewer (`None`: signed out) may see `owner`'s stored picture of `purpose`:
/// avatars, to everyone signed in; a cover or a post's picture, to those who may know of or
/// read its thing. Signed out, only the covers of public articles; `Unauthorized` for the rest.
pub async fn may_see(
    db: &Db,
    viewer: Option<Viewer>,
    purpose: Purpose,
    owner: i64,
) -> AppResult<bool> {
    if purpose == Purpose::Article {
        let viewer = viewer.unwrap_or(Viewer::SIGNED_OUT);
        return policy::topics::topic_readable(db, viewer, TopicId(owner)).await;
    }
    let viewer = viewer.ok_or_else(AppError::sign_in_required)?;
    let found = |r: AppResult<()>| match r {
        Ok(()) => Ok(true),
        Err(AppError::NotFound) => Ok(false),
        Err(e) => Err(e),
    };
    match purpose {
        Purpose::Avatar => Ok(true),
        Purpose::Cover => policy::spaces::is_space_listed(db, viewer, SpaceId(owner)).await,
        Purpose::Course => policy::courses::may_see_course(db, viewer, owner).await,
        Purpose::Playlist => {
            found(policy::playlists::require_playlist_readable(db, viewer, PlaylistId(owner)).await)
        }
        Purpose::Post => {
            found(policy::walls::require_post_readable(db, viewer, PostId(owner)).await)
        }
        Purpose::Article => Ok(false),
    }
}
