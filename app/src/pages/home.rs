use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::components::session::use_session;
use crate::domain::user::Role;

#[component]
pub fn HomePage() -> impl IntoView {
    let session = use_session();
    view! {
        <Title text="Cohort"/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match session.user.await {
                    Ok(Some(user)) => Either::Left(view! {
                        <section class="card">
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
                                <a class="button primary" href="/spaces">"Find your spaces"</a>
                                <a class="button" href="/spaces/new">"Create a space"</a>
                            </p>
                            <p>
                                "Manage your sign-in details on "
                                <a href="/account">"your account page"</a> "."
                            </p>
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
