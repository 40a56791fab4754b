//! The bar on top of every page: logo, navigation, account.

use leptos::either::Either;
use leptos::prelude::*;

use super::notifications::{use_unread, Bell};
use super::session::use_session;
use crate::domain::user::Role;

#[component]
pub fn TopBar() -> impl IntoView {
    let session = use_session();
    let unread = use_unread();
    let query = leptos_router::hooks::use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    view! {
        <header class="top-bar">
            <a class="brand" href="/">
                <span class="brand-mark" aria-hidden="true">"◆"</span>
                "Cohort"
            </a>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let me = session.user.await.ok().flatten();
                    view! {
                        <nav class="main-nav" aria-label="Main">
                            <a href="/">"Home"</a>
                            {me.map(|u| view! {
                                <a href="/spaces">"Spaces"</a>
                                <a href="/courses">"Courses"</a>
                                <a href="/playlists">"Playlists"</a>
                                <a href="/learning">"My learning"</a>
                                <a href="/whats-new">"What's new"</a>
                                <a href="/questions">"Questions"</a>
                                <a href="/forum">"Forum"</a>
                                <a href=format!("/u/{}", u.handle)>"My profile"</a>
                                {(u.role == Role::Admin).then(|| view! { <a href="/admin">"Site settings"</a> })}
                            })}
                        </nav>
                    }
                })}
            </Transition>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    session.user.await.ok().flatten().map(|_| view! {
                        <form class="top-search" role="search" method="get" action="/search">
                            <label for="top-search" class="visually-hidden">"Search Cohort"</label>
                            <input id="top-search" type="search" name="q" placeholder="Search people, questions, posts…" value=q/>
                            <button type="submit">"Search"</button>
                        </form>
                    })
                })}
            </Transition>
            <div class="account-menu">
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        let user = session.user.await;
                        unread.loaded().await;
                        match user {
                            Ok(Some(user)) => Either::Left(view! {
                                <Bell/>
                                <a class="account-name" href="/account" title="Your account">
                                    {user.display_name}
                                </a>
                                <ActionForm action=session.sign_out>
                                    <button type="submit" class="link-button">"Sign out"</button>
                                </ActionForm>
                            }),
                            _ => Either::Right(view! {
                                <a href="/sign-in">"Sign in"</a>
                                <a class="button" href="/register">"Register"</a>
                            }),
                        }
                    })}
                </Transition>
            </div>
        </header>
    }
}
