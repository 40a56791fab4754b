//! Pages grouped into areas, each built into a wasm file of its own (`cargo leptos build
//! --split`), so a browser downloads the code of the pages it opens and not the whole site.
//!
//! Every page still renders on the server as one plain function. In the browser, the page's
//! area is loaded before the page is hydrated (the server names it in a `cohort-area` meta tag
//! and lists its files as preload links, so they download alongside the main wasm), and the page
//! is then hydrated in one synchronous pass, exactly as without splitting. Moving to a page of an
//! area not yet loaded shows "Loading…" until its file has arrived.
//!
//! An area is a few pages that share most of their code: wasm-split puts code used by several
//! areas into shared chunks, one per set of areas that use it, so fewer areas make fewer files.
//!
//! The home page, the page most visits begin on, is not in an area: its code is in the main
//! wasm, so it needs no file besides the main wasm and JS, and no page waits for a second
//! download to show it.

use leptos::prelude::*;

use crate::components::not_found::NotFound;
use crate::pages::{
    account::AccountPage,
    admin::AdminPage,
    blog::{NewArticlePage, PersonBlogPage, SpaceBlogPage},
    course_edit::CourseEditPage,
    courses::{CatalogPage, CoursePage, NewCoursePage},
    feeds::{PersonActivityPage, SpaceActivityPage, WhatsNewPage},
    forum::{ForumPage, NewThreadPage, SpaceForumPage},
    home::HomePage,
    learning::MyLearningPage,
    lesson::LessonPage,
    new_space::NewSpacePage,
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

/// Defines [`Page`], [`Area`] and one split function per area from one table, so a page's area
/// and the function that draws it cannot disagree.
macro_rules! areas {
    (
        main { $( $main_page:ident => $main_view:ident ),+ $(,)? }
        $( $area:ident $name:ident $draw:ident $preload:ident { $( $page:ident => $view:ident ),+ $(,)? } )+
    ) => {
        /// A page of the site, as the route table names it.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Page {
            $( $main_page, )+
            $( $( $page, )+ )+
        }

        /// A group of pages built into one wasm file.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Area {
            $( $area, )+
        }

        impl Page {
            /// The area whose file holds this page's code; `None` for a page in the main wasm.
            pub fn area(self) -> Option<Area> {
                match self {
                    $( Page::$main_page => None, )+
                    $( $( Page::$page )|+ => Some(Area::$area), )+
                }
            }

            /// Draws a page of the main wasm (`None` for a page of an area).
            fn draw_main(self) -> Option<AnyView> {
                match self {
                    $( Page::$main_page => Some(view! { <$main_view/> }.into_any()), )+
                    _ => None,
                }
            }
        }

        impl Area {
            /// Every area.
            pub const ALL: &'static [Area] = &[$( Area::$area, )+];

            /// The name of its split module (and of its `cohort-area` meta tag).
            pub fn name(self) -> &'static str {
                match self {
                    $( Area::$area => stringify!($name), )+
                }
            }

            /// The area of a name, as the `cohort-area` meta tag gives it.
            pub fn named(name: &str) -> Option<Area> {
                Area::ALL.iter().copied().find(|a| a.name() == name)
            }

            /// Draws `page` (of this area) from the area's code, once that is loaded.
            #[cfg(feature = "hydrate")]
            async fn draw(self, page: Page) -> Result<AnyView, SplitLoaderError> {
                match self {
                    $( Area::$area => $draw(page).await, )+
                }
            }

            /// Loads the area's file, once.
            #[cfg(feature = "hydrate")]
            async fn load(self) -> Result<(), SplitLoaderError> {
                match self {
                    $( Area::$area => $preload().await, )+
                }
            }

            /// Draws `page` (of this area); on the server the code is all there.
            #[cfg(not(feature = "hydrate"))]
            fn draw_now(self, page: Page) -> AnyView {
                let drawn = match self {
                    $( Area::$area => $draw(page), )+
                };
                drawn.unwrap_or_else(|never| match never {})
            }
        }

        $(
            #[cfg_attr(
                feature = "hydrate",
                leptos::wasm_split::wasm_split(
                    $name,
                    wasm_split_path = ::leptos::wasm_split,
                    preload($preload),
                    fallible
                )
            )]
            fn $draw(page: Page) -> Result<AnyView, SplitLoaderError> {
                Ok(match page {
                    $( Page::$page => view! { <$view/> }.into_any(), )+
                    #[allow(unreachable_patterns)]
                    _ => view! { <NotFound/> }.into_any(),
                })
            }
        )+
    };
}

#[cfg(feature = "hydrate")]
use leptos::wasm_split::SplitLoaderError;
/// On the server nothing is loaded, so nothing fails to load.
#[cfg(not(feature = "hydrate"))]
type SplitLoaderError = std::convert::Infallible;

areas! {
    main {
        Home => HomePage,
    }
    Feeds feeds draw_feeds load_feeds {
        WhatsNew => WhatsNewPage,
        SpaceActivity => SpaceActivityPage,
        PersonActivity => PersonActivityPage,
        Notifications => NotificationsPage,
        NotificationSettings => NotificationSettingsPage,
    }
    Welcome welcome draw_welcome load_welcome {
        Register => RegisterPage,
        SignIn => SignInPage,
    }
    People people draw_people load_people {
        Profile => ProfilePage,
        Followers => FollowersPage,
        Following => FollowingPage,
        ProfileEdit => ProfileEditPage,
        Account => AccountPage,
        Admin => AdminPage,
        Search => SearchPage,
    }
    Spaces spaces draw_spaces load_spaces {
        Spaces => SpacesPage,
        NewSpace => NewSpacePage,
        Space => SpacePage,
    }
    Talk talk draw_talk load_talk {
        Questions => QuestionsPage,
        AskQuestion => AskQuestionPage,
        ExpertQueue => ExpertQueuePage,
        ExpertForum => ExpertForumPage,
        Forum => ForumPage,
        NewThread => NewThreadPage,
        SpaceForum => SpaceForumPage,
        Topic => TopicPage,
        EditTopic => EditTopicPage,
        PersonBlog => PersonBlogPage,
        SpaceBlog => SpaceBlogPage,
        NewArticle => NewArticlePage,
        Tag => TagPage,
    }
    Learning learning draw_learning load_learning {
        Catalog => CatalogPage,
        Course => CoursePage,
        Lesson => LessonPage,
        MyLearning => MyLearningPage,
        Playlists => PlaylistsPage,
        Playlist => PlaylistPage,
    }
    Authoring authoring draw_authoring load_authoring {
        NewCourse => NewCoursePage,
        CourseEdit => CourseEditPage,
        PlaylistEdit => PlaylistEditPage,
    }
}

/// The view of a route: `page`, drawn from its area's code.
///
/// On the server this is the page itself. Rendering it also names its area for the browser:
/// a `cohort-area` meta tag, and preload links for the area's files, so they download
/// alongside the main wasm.
#[cfg(not(feature = "hydrate"))]
pub fn page(page: Page) -> impl IntoView {
    let Some(area) = page.area() else {
        return page
            .draw_main()
            .unwrap_or_else(|| view! { <NotFound/> }.into_any());
    };
    #[cfg(feature = "ssr")]
    announce(area);
    area.draw_now(page)
}

/// The view of a route: `page`, drawn from its area's code.
///
/// In the browser, when the area is loaded (always so while the page first hydrates: see
/// [`load_areas_of_document`]) the page is drawn at once, exactly as the server drew it.
/// Otherwise the area is loaded first, with "Loading…" in its place.
#[cfg(feature = "hydrate")]
pub fn page(page: Page) -> impl IntoView {
    use leptos::either::Either;
    let Some(area) = page.area() else {
        return Either::Left(
            page.draw_main()
                .unwrap_or_else(|| view! { <NotFound/> }.into_any()),
        );
    };
    if let Some(view) = loaded::draw_now(area, page) {
        return Either::Left(view);
    }
    Either::Right(view! {
        <Suspense fallback=|| view! { <p class="loading" role="status">"Loading…"</p> }>
            // The loader's error is not `Send`; this future stays on the browser's one thread.
            {move || Suspend::new(send_wrapper::SendWrapper::new(async move {
                match area.draw(page).await {
                    Ok(view) => {
                        loaded::mark(area);
                        Some(view)
                    }
                    // The file could not be fetched: the server draws the page instead.
                    Err(_) => {
                        let _ = window().location().reload();
                        None
                    }
                }
            }))}
        </Suspense>
    })
}

/// Loads the areas the server named for this document (its `cohort-area` meta tags). The page
/// can be hydrated once they are in; `false` if one could not be loaded.
#[cfg(feature = "hydrate")]
pub async fn load_areas_of_document() -> bool {
    let Ok(tags) = document().query_selector_all("meta[name=cohort-area]") else {
        return true;
    };
    let named: Vec<Area> = (0..tags.length())
        .filter_map(|i| tags.item(i))
        .filter_map(|n| {
            use leptos::wasm_bindgen::JsCast;
            n.dyn_into::<web_sys::Element>().ok()
        })
        .filter_map(|e| e.get_attribute("content"))
        .filter_map(|name| Area::named(&name))
        .collect();
    for area in named {
        if area.load().await.is_err() {
            return false;
        }
        loaded::mark(area);
    }
    true
}

/// Which areas' files are loaded in this browser tab.
#[cfg(feature = "hydrate")]
mod loaded {
    use std::cell::RefCell;
    use std::future::Future;
    use std::pin::pin;
    use std::task::{Context, Poll, Waker};

    use leptos::prelude::AnyView;

    use super::{Area, Page};

    thread_local! {
        static LOADED: RefCell<Vec<Area>> = const { RefCell::new(Vec::new()) };
    }

    pub fn mark(area: Area) {
        LOADED.with_borrow_mut(|l| {
            if !l.contains(&area) {
                l.push(area);
            }
        });
    }

    /// `page` drawn now, when its area is loaded: the split function's future is then ready
    /// at its first poll (the loader only checks that the module is there).
    pub fn draw_now(area: Area, page: Page) -> Option<AnyView> {
        if !LOADED.with_borrow(|l| l.contains(&area)) {
            return None;
        }
        let mut draw = pin!(area.draw(page));
        match draw.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
            Poll::Ready(Ok(view)) => Some(view),
            _ => None,
        }
    }
}

/// Names the area in the page's head, with preload links for its files (server side).
#[cfg(feature = "ssr")]
fn announce(area: Area) {
    use leptos::tachys::view::RenderHtml;
    use leptos_meta::{Link, Meta};

    let _ = view! { <Meta name="cohort-area" content=area.name()/> }.to_html();
    let Some(manifest) = use_context::<leptos::WasmSplitManifest>() else {
        // Not a split build: the one wasm holds every page.
        return;
    };
    let Some((pkg, files)) = manifest
        .0
        .try_with_value(|(pkg, preloads, _)| (pkg.clone(), preloads.get(area.name()).cloned()))
    else {
        return;
    };
    for file in files.unwrap_or_default() {
        let _ = view! {
            <Link rel="preload" href=format!("{pkg}/{file}.wasm") as_="fetch" type_="application/wasm" crossorigin=""/>
        }
        .to_html();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_area_is_found_by_its_name() {
        for &area in Area::ALL {
            assert_eq!(Area::named(area.name()), Some(area));
        }
        assert_eq!(Area::named("main"), None);
        assert_eq!(Area::named("home"), None);
    }

    #[test]
    fn the_home_page_is_in_the_main_wasm_and_the_others_in_areas() {
        assert_eq!(Page::Home.area(), None);
        assert_eq!(Page::Space.area(), Some(Area::Spaces));
        assert_eq!(Page::SignIn.area(), Some(Area::Welcome));
        // A page of an area is not drawn from the main wasm (drawing needs no context then).
        assert!(Page::Space.draw_main().is_none());
    }
}
