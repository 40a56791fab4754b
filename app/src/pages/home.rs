use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::feed::{feed_resource, Feed, FeedSource};
use crate::components::session::use_session;
use crate::domain::user::Role;

/// Signed in: the home feed. Signed out: what Cohort is, with the ways in.
#[component]
pub fn HomePage() -> impl IntoView {
    let session = use_session();
    let source = Signal::derive(|| FeedSource {
        of: "home",
        key: String::new(),
        path: "/".into(),
    });
    let reload = RwSignal::new(0);
    // Created here, before any `Suspense`, like every page resource.
    let page = feed_resource(source, reload);
    view! {
        <Title text="Cohort"/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match session.user.await {
                    Ok(Some(user)) => Either::Left(view! {
                        <section class="card welcome">
                            <h1>"Welcome, " {user.display_name.clone()}</h1>
                            <p>
                                {match user.role {
                                    Role::Admin => "You are the site admin of this Cohort.",
                                    Role::LdManager => "You are an L&D manager on this Cohort.",
                                    Role::Author => "You are an author on this Cohort.",
                                    Role::Member => "You are a member of this Cohort.",
                                }}
                            </p>
                            <p class="actions">
                                <a class="button" href="/spaces">"Find your spaces"</a>
                                <a class="button" href="/whats-new">"What's new"</a>
                                <a class="button" href=format!("/u/{}", user.handle)>"Your profile"</a>
                            </p>
                        </section>
                        <section class="feed-page" aria-label="Your feed">
                            <Feed source page reload/>
                        </section>
                    }),
                    _ => Either::Right(view! {
                        <section class="hero">
                            <h1>"Learn from each other"</h1>
                            <p>
                                "Cohort is where your organisation's people learn together: "
                                "courses with their own discussions, curated playlists, questions "
                                "answered by experts, and communities of practice."
                            </p>
                            <p class="actions">
                                <a class="button primary" href="/register">"Create an account"</a>
                                <a class="button" href="/sign-in">"Sign in"</a>
                            </p>
                        </section>
                    }),
                }
            })}
        </Suspense>
    }
}
