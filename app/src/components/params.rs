//! The parameters of a page's address, as the pages read them.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The numeric `:id` in the page's address (`/t/:id`, `/lessons/:id`, `/playlists/:id`), 0
/// when it is not a number.
pub fn use_id_param() -> impl Fn() -> i64 + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || {
        params
            .read()
            .get("id")
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(0)
    }
}

/// The course in the page's address (`/courses/:slug`).
pub fn use_course_slug() -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || params.read().get("slug").unwrap_or_default()
}
