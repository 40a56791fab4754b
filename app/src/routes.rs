//! The route table.

use leptos::prelude::*;
use leptos_router::components::{Route, Routes};
use leptos_router::{path, SsrMode};

use crate::components::session::provide_session;
use crate::components::top_bar::TopBar;
use crate::pages::{
    account::AccountPage,
    admin::AdminPage,
    home::HomePage,
    new_space::NewSpacePage,
    not_found::NotFound,
    profile::{FollowersPage, FollowingPage, ProfilePage},
    profile_edit::ProfileEditPage,
    register::RegisterPage,
    sign_in::SignInPage,
    space::SpacePage,
    spaces::SpacesPage,
};

/// Pages render completely on the server before they are sent (`SsrMode::Async`), so they read
/// and work without JavaScript and carry real status codes.
#[component]
pub fn AppRoutes() -> impl IntoView {
    provide_session();
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <TopBar/>
        <main id="main">
            <Routes fallback=NotFound>
                <Route path=path!("/") view=HomePage ssr=SsrMode::Async/>
                <Route path=path!("/register") view=RegisterPage ssr=SsrMode::Async/>
                <Route path=path!("/sign-in") view=SignInPage ssr=SsrMode::Async/>
                <Route path=path!("/account") view=AccountPage ssr=SsrMode::Async/>
                <Route path=path!("/spaces") view=SpacesPage ssr=SsrMode::Async/>
                <Route path=path!("/spaces/new") view=NewSpacePage ssr=SsrMode::Async/>
                <Route path=path!("/s/:slug") view=SpacePage ssr=SsrMode::Async/>
                <Route path=path!("/u/:handle") view=ProfilePage ssr=SsrMode::Async/>
                <Route path=path!("/u/:handle/followers") view=FollowersPage ssr=SsrMode::Async/>
                <Route path=path!("/u/:handle/following") view=FollowingPage ssr=SsrMode::Async/>
                <Route path=path!("/profile/edit") view=ProfileEditPage ssr=SsrMode::Async/>
                <Route path=path!("/admin") view=AdminPage ssr=SsrMode::Async/>
            </Routes>
        </main>
    }
}
