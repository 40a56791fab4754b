//! Feed pages: the site-wide "what's new", a space's activity and a person's activity. (The
//! home feed is on the home page.)

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

use crate::components::feed::{feed_resource, Feed, FeedSource};
use crate::components::require::RequireSignIn;

/// A page whose main content is one feed; the page creates the feed's resource at its top.
#[component]
fn FeedPage(source: Signal<FeedSource>, title: &'static str) -> impl IntoView {
    let reload = RwSignal::new(0);
    let page = feed_resource(source, reload);
    let next = source.get_untracked().path;
    view! {
        <RequireSignIn next title>
            <section class="feed-page">
                <Feed source page reload main=true/>
            </section>
        </RequireSignIn>
    }
}

#[component]
pub fn WhatsNewPage() -> impl IntoView {
    let source = Signal::derive(|| FeedSource {
        of: "site",
        key: String::new(),
        path: "/whats-new".into(),
    });
    view! { <FeedPage source title="What's new"/> }
}

#[component]
pub fn SpaceActivityPage() -> impl IntoView {
    let params = use_params_map();
    let source = Signal::derive(move || {
        let slug = params.read().get("slug").unwrap_or_default();
        FeedSource {
            of: "space",
            path: format!("/s/{slug}/activity"),
            key: slug,
        }
    });
    view! { <FeedPage source title="Space activity"/> }
}

#[component]
pub fn PersonActivityPage() -> impl IntoView {
    let params = use_params_map();
    let source = Signal::derive(move || {
        let handle = params.read().get("handle").unwrap_or_default();
        FeedSource {
            of: "person",
            path: format!("/u/{handle}/activity"),
            key: handle,
        }
    });
    view! { <FeedPage source title="Activity"/> }
}
