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
                                <a href="/whats-new">"What's new"</a>
                                <a href=format!("/u/{}", u.handle)>"My profile"</a>
                                {(u.role == Role::Admin).then(|| view! { <a href="/admin">"Site settings"</a> })}
                            })}
                        </nav>
                    }
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
