//! The route table.

use leptos::prelude::*;
use leptos_router::components::{Route, Routes};
use leptos_router::{path, SsrMode};

use crate::areas::{page, Page};
use crate::components::not_found::NotFound;
use crate::components::notifications::{provide_unread, CountedTitle};
use crate::components::realtime::provide_realtime;
use crate::components::session::provide_session;
use crate::components::top_bar::TopBar;

/// Pages render completely on the server before they are sent (`SsrMode::Async`), so they read
/// and work without JavaScript and carry real status codes.
#[component]
pub fn AppRoutes() -> impl IntoView {
    provide_session();
    provide_realtime();
    provide_unread();
    view! {
        <CountedTitle/>
        <a class="skip-link" href="#main">"Skip to content"</a>
        <TopBar/>
        <main id="main">
            <Routes fallback=NotFound>
                <Route path=path!("/") view=|| page(Page::Home) ssr=SsrMode::Async/>
                <Route path=path!("/register") view=|| page(Page::Register) ssr=SsrMode::Async/>
                <Route path=path!("/sign-in") view=|| page(Page::SignIn) ssr=SsrMode::Async/>
                <Route path=path!("/account") view=|| page(Page::Account) ssr=SsrMode::Async/>
                <Route path=path!("/spaces") view=|| page(Page::Spaces) ssr=SsrMode::Async/>
                <Route path=path!("/spaces/new") view=|| page(Page::NewSpace) ssr=SsrMode::Async/>
                <Route path=path!("/s/:slug") view=|| page(Page::Space) ssr=SsrMode::Async/>
                <Route path=path!("/u/:handle") view=|| page(Page::Profile) ssr=SsrMode::Async/>
                <Route path=path!("/u/:handle/followers") view=|| page(Page::Followers) ssr=SsrMode::Async/>
                <Route path=path!("/u/:handle/following") view=|| page(Page::Following) ssr=SsrMode::Async/>
                <Route path=path!("/profile/edit") view=|| page(Page::ProfileEdit) ssr=SsrMode::Async/>
                <Route path=path!("/admin") view=|| page(Page::Admin) ssr=SsrMode::Async/>
                <Route path=path!("/whats-new") view=|| page(Page::WhatsNew) ssr=SsrMode::Async/>
                <Route path=path!("/s/:slug/activity") view=|| page(Page::SpaceActivity) ssr=SsrMode::Async/>
                <Route path=path!("/u/:handle/activity") view=|| page(Page::PersonActivity) ssr=SsrMode::Async/>
                <Route path=path!("/notifications") view=|| page(Page::Notifications) ssr=SsrMode::Async/>
                <Route path=path!("/notifications/settings") view=|| page(Page::NotificationSettings) ssr=SsrMode::Async/>
                <Route path=path!("/questions") view=|| page(Page::Questions) ssr=SsrMode::Async/>
                <Route path=path!("/questions/ask") view=|| page(Page::AskQuestion) ssr=SsrMode::Async/>
                <Route path=path!("/questions/queue") view=|| page(Page::ExpertQueue) ssr=SsrMode::Async/>
                <Route path=path!("/ask/:tag") view=|| page(Page::ExpertForum) ssr=SsrMode::Async/>
                <Route path=path!("/forum") view=|| page(Page::Forum) ssr=SsrMode::Async/>
                <Route path=path!("/forum/new") view=|| page(Page::NewThread) ssr=SsrMode::Async/>
                <Route path=path!("/s/:slug/forum") view=|| page(Page::SpaceForum) ssr=SsrMode::Async/>
                <Route path=path!("/t/:id") view=|| page(Page::Topic) ssr=SsrMode::Async/>
                <Route path=path!("/t/:id/edit") view=|| page(Page::EditTopic) ssr=SsrMode::Async/>
                <Route path=path!("/u/:handle/blog") view=|| page(Page::PersonBlog) ssr=SsrMode::Async/>
                <Route path=path!("/s/:slug/blog") view=|| page(Page::SpaceBlog) ssr=SsrMode::Async/>
                <Route path=path!("/blog/new") view=|| page(Page::NewArticle) ssr=SsrMode::Async/>
                <Route path=path!("/search") view=|| page(Page::Search) ssr=SsrMode::Async/>
                <Route path=path!("/tags/:tag") view=|| page(Page::Tag) ssr=SsrMode::Async/>
                <Route path=path!("/courses") view=|| page(Page::Catalog) ssr=SsrMode::Async/>
                <Route path=path!("/courses/new") view=|| page(Page::NewCourse) ssr=SsrMode::Async/>
                <Route path=path!("/courses/:slug") view=|| page(Page::Course) ssr=SsrMode::Async/>
                <Route path=path!("/courses/:slug/edit") view=|| page(Page::CourseEdit) ssr=SsrMode::Async/>
                <Route path=path!("/lessons/:id") view=|| page(Page::Lesson) ssr=SsrMode::Async/>
                <Route path=path!("/learning") view=|| page(Page::MyLearning) ssr=SsrMode::Async/>
                <Route path=path!("/playlists") view=|| page(Page::Playlists) ssr=SsrMode::Async/>
                <Route path=path!("/playlists/:id") view=|| page(Page::Playlist) ssr=SsrMode::Async/>
                <Route path=path!("/playlists/:id/edit") view=|| page(Page::PlaylistEdit) ssr=SsrMode::Async/>
            </Routes>
        </main>
    }
}
