//! The route table.

use leptos::prelude::*;
use leptos_router::components::{Route, Routes};
use leptos_router::{path, SsrMode};

use crate::components::notifications::{provide_unread, CountedTitle};
use crate::components::realtime::provide_realtime;
use crate::components::session::provide_session;
use crate::components::top_bar::TopBar;
use crate::pages::{
    account::AccountPage,
    admin::AdminPage,
    blog::{NewArticlePage, PersonBlogPage, SpaceBlogPage},
    course_edit::CourseEditPage,
    courses::{CatalogPage, CoursePage, MyLearningPage, NewCoursePage},
    feeds::{PersonActivityPage, SpaceActivityPage, WhatsNewPage},
    forum::{ForumPage, NewThreadPage, SpaceForumPage},
    home::HomePage,
    lesson::LessonPage,
    new_space::NewSpacePage,
    not_found::NotFound,
    notifications::{NotificationSettingsPage, NotificationsPage},
    playlists::{PlaylistEditPage, PlaylistPage, PlaylistsPage},
    profile::{FollowersPage, FollowingPage, ProfilePage},
    profile_edit::ProfileEditPage,
    questions::{AskQuestionPage, ExpertForumPage, ExpertQueuePage, QuestionsPage},
    register::RegisterPage,
    search::SearchPage,
    sign_in::SignInPage,
    space::SpacePage,
    spaces::SpacesPage,
    tag::TagPage,
    topic::TopicPage,
    topic_edit::EditTopicPage,
};

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
                <Route path=path!("/whats-new") view=WhatsNewPage ssr=SsrMode::Async/>
                <Route path=path!("/s/:slug/activity") view=SpaceActivityPage ssr=SsrMode::Async/>
                <Route path=path!("/u/:handle/activity") view=PersonActivityPage ssr=SsrMode::Async/>
                <Route path=path!("/notifications") view=NotificationsPage ssr=SsrMode::Async/>
                <Route path=path!("/notifications/settings") view=NotificationSettingsPage ssr=SsrMode::Async/>
                <Route path=path!("/questions") view=QuestionsPage ssr=SsrMode::Async/>
                <Route path=path!("/questions/ask") view=AskQuestionPage ssr=SsrMode::Async/>
                <Route path=path!("/questions/queue") view=ExpertQueuePage ssr=SsrMode::Async/>
                <Route path=path!("/ask/:tag") view=ExpertForumPage ssr=SsrMode::Async/>
                <Route path=path!("/forum") view=ForumPage ssr=SsrMode::Async/>
                <Route path=path!("/forum/new") view=NewThreadPage ssr=SsrMode::Async/>
                <Route path=path!("/s/:slug/forum") view=SpaceForumPage ssr=SsrMode::Async/>
                <Route path=path!("/t/:id") view=TopicPage ssr=SsrMode::Async/>
                <Route path=path!("/t/:id/edit") view=EditTopicPage ssr=SsrMode::Async/>
                <Route path=path!("/u/:handle/blog") view=PersonBlogPage ssr=SsrMode::Async/>
                <Route path=path!("/s/:slug/blog") view=SpaceBlogPage ssr=SsrMode::Async/>
                <Route path=path!("/blog/new") view=NewArticlePage ssr=SsrMode::Async/>
                <Route path=path!("/search") view=SearchPage ssr=SsrMode::Async/>
                <Route path=path!("/tags/:tag") view=TagPage ssr=SsrMode::Async/>
                <Route path=path!("/courses") view=CatalogPage ssr=SsrMode::Async/>
                <Route path=path!("/courses/new") view=NewCoursePage ssr=SsrMode::Async/>
                <Route path=path!("/courses/:slug") view=CoursePage ssr=SsrMode::Async/>
                <Route path=path!("/courses/:slug/edit") view=CourseEditPage ssr=SsrMode::Async/>
                <Route path=path!("/lessons/:id") view=LessonPage ssr=SsrMode::Async/>
                <Route path=path!("/learning") view=MyLearningPage ssr=SsrMode::Async/>
                <Route path=path!("/playlists") view=PlaylistsPage ssr=SsrMode::Async/>
                <Route path=path!("/playlists/:id") view=PlaylistPage ssr=SsrMode::Async/>
                <Route path=path!("/playlists/:id/edit") view=PlaylistEditPage ssr=SsrMode::Async/>
            </Routes>
        </main>
    }
}
