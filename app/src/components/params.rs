//! The parameters of a page's address, as the pages read them.

use std::str::FromStr;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The `:id` in the page's address as the id it names (`/t/:id` a `TopicId`, `/lessons/:id`
/// a `LessonId`, `/playlists/:id` a `PlaylistId`); id 0, which no row has, when it is not a
/// number.
pub fn use_id_param<Id>() -> impl Fn() -> Id + Copy + Send + Sync + 'static
where
    Id: FromStr + Default,
{
    let params = use_params_map();
    move || {
        params
            .read()
            .get("id")
            .and_then(|s| s.parse::<Id>().ok())
            .unwrap_or_default()
    }
}

/// The course in the page's address (`/courses/:slug`).
pub fn use_course_slug() -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || params.read().get("slug").unwrap_or_default()
}
