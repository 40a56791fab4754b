//! An activity feed: filters, items, "N new items" while reading, and older pages ("Load more",
//! and infinite scroll once hydrated). The first page is in the server-rendered HTML.

use std::collections::HashSet;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::realtime::{at_top, use_live, Live, NewItemsBar};
use super::session::use_session;
use crate::api::feed::get_feed;
use crate::components::not_found::NotFound;
use crate::domain::feed::{FeedFilter, FeedItem, FeedPage};
use crate::domain::ids::ActivityId;
use crate::domain::nav::encode_query;
use crate::domain::realtime::EventBody;
use crate::domain::time::format_utc;
use crate::error::AppError;

/// Which feed: `of` is `home`, `site`, `space` or `person`; `key` the slug or handle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedSource {
    pub of: &'static str,
    pub key: String,
    /// The page the feed is on, for its links.
    pub path: String,
}

/// The first page of a feed, as loaded for the page showing it.
pub type FeedResource = Resource<Result<FeedPage, AppError>>;

/// The feed's data, for the page to create at its top (before any `Suspense`). `reload` makes
/// it load again (new items).
pub fn feed_resource(source: Signal<FeedSource>, reload: RwSignal<u64>) -> FeedResource {
    let query = use_query_map();
    Resource::new(
        move || {
            let q = query.read();
            (
                source.get(),
                q.get("filter").unwrap_or_default(),
                q.get("before").unwrap_or_default(),
                reload.get(),
            )
        },
        |(src, filter, before, _)| get_feed(src.of.to_owned(), src.key, filter, before),
    )
}

fn href(path: &str, filter: FeedFilter, before: Option<&str>) -> String {
    let mut h = format!("{path}?filter={}", filter.as_str());
    if let Some(b) = before {
        h.push_str(&format!("&before={}", encode_query(b)));
    }
    h
}

#[component]
pub fn Feed(
    #[prop(into)] source: Signal<FeedSource>,
    page: FeedResource,
    reload: RwSignal<u64>,
    /// The feed is the page's main content: its title is the page's heading and `<title>`.
    #[prop(optional)]
    main: bool,
) -> impl IntoView {
    let query = use_query_map();
    let filter =
        Memo::new(move |_| FeedFilter::parse(&query.read().get("filter").unwrap_or_default()));
    let session = use_session();
    // Activities announced since the page loaded, not yet shown.
    let fresh = RwSignal::new(Vec::<ActivityId>::new());
    let seen = StoredValue::new(HashSet::<ActivityId>::new());
    // Older pages appended in place.
    let more = RwSignal::new(Vec::<FeedItem>::new());
    let more_next = RwSignal::new(None::<Option<String>>);
    let loading = RwSignal::new(false);
    let show_fresh = move || {
        fresh.set(Vec::new());
        more.set(Vec::new());
        more_next.set(None);
        reload.update(|n| *n += 1);
    };
    let topics = Signal::derive(move || {
        page.get()
            .and_then(Result::ok)
            .map(|p| p.topics)
            .unwrap_or_default()
    });
    use_live(topics, move |live| match live {
        Live::Event {
            body:
                EventBody::Activity {
                    activity,
                    actor,
                    verb,
                    ..
                },
            ..
        } => {
            let me = session.user_id_untracked();
            let wanted = filter.get_untracked().verbs().contains(&verb);
            let new = seen
                .try_update_value(|s| s.insert(activity))
                .unwrap_or(false);
            if !wanted || !new || me == Some(actor) {
                return;
            }
            if at_top() && fresh.get_untracked().is_empty() {
                show_fresh();
            } else {
                fresh.update(|f| f.push(activity));
            }
        }
        Live::Refetch => show_fresh(),
        Live::Event { .. } => {}
    });
    let load_more = move |cursor: String| {
        if loading.get_untracked() {
            return;
        }
        loading.set(true);
        let src = source.get_untracked();
        let f = filter.get_untracked().as_str().to_owned();
        spawn_local(async move {
            if let Ok(p) = get_feed(src.of.to_owned(), src.key, f, cursor).await {
                more.update(|m| m.extend(p.items));
                more_next.set(Some(p.next));
            }
            loading.set(false);
        });
    };
    view! {
        <nav class="feed-filters" aria-label="Show">
            {move || {
                let path = source.get().path;
                FeedFilter::ALL
                    .into_iter()
                    .map(|f| {
                        let current = filter.get() == f;
                        view! {
                            <a href=href(&path, f, None) aria-current=current.then_some("page") class:current=current>
                                {f.label()}
                            </a>
                        }
                    })
                    .collect_view()
            }}
        </nav>
        <NewItemsBar
            count=Signal::derive(move || fresh.get().len())
            noun="item"
            on_show=Callback::new(move |()| show_fresh())
        />
        <Transition fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                let result = page.await;
                let page = match result {
                    Ok(p) => p,
                    Err(AppError::NotFound) => return view! { <NotFound/> }.into_any(),
                    Err(e) => return view! { <p class="form-alert" role="alert">{e.to_string()}</p> }.into_any(),
                };
                let heading = if main {
                    view! {
                        <Title text=format!("{} · Cohort", page.title)/>
                        <h1>{page.title.clone()}</h1>
                    }
                    .into_any()
                } else {
                    view! { <h2>{page.title.clone()}</h2> }.into_any()
                };
                let first_next = page.next.clone();
                let empty = page.items.is_empty().then(|| view! {
                    <p class="empty card">{filter.get_untracked().empty_text()}</p>
                });
                let next = move || match more_next.get() {
                    Some(n) => n,
                    None => first_next.clone(),
                };
                view! {
                    {heading}
                    {empty}
                    <ol class="feed">
                        {page.items.into_iter().map(|i| view! { <FeedLine item=i/> }).collect_view()}
                        <For each=move || more.get() key=|i| i.id let:item>
                            <FeedLine item/>
                        </For>
                    </ol>
                    {move || next().map(|cursor| view! { <LoadMore source filter cursor on_load=Callback::new(load_more)/> })}
                }
                .into_any()
            })}
        </Transition>
    }
}

/// The link to the next page: a plain link without JavaScript; with it, it appends the page in
/// place, when clicked or when scrolled into view.
#[component]
fn LoadMore(
    source: Signal<FeedSource>,
    filter: Memo<FeedFilter>,
    cursor: String,
    on_load: Callback<String>,
) -> impl IntoView {
    let link = NodeRef::<leptos::html::A>::new();
    let target = href(
        &source.get_untracked().path,
        filter.get_untracked(),
        Some(&cursor),
    );
    #[cfg(feature = "hydrate")]
    {
        let cursor = cursor.clone();
        Effect::new(move |_| {
            if let Some(el) = link.get() {
                infinite::observe(&el, cursor.clone(), on_load);
            }
        });
    }
    let on_click = move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        on_load.run(cursor.clone());
    };
    view! {
        <p><a class="button" href=target node_ref=link on:click=on_click>"Load more"</a></p>
    }
}

#[component]
fn FeedLine(item: FeedItem) -> impl IntoView {
    let others = match item.others {
        0 => String::new(),
        1 => " and 1 other".to_owned(),
        n => format!(" and {n} others"),
    };
    view! {
        <li class="card feed-item">
            <p class="feed-line">
                <a class="author" href=item.actor.href>{item.actor.text}</a>
                {others}
                " "
                {item.action}
                {item.target.map(|t| view! { " " <a href=t.href>{t.text}</a> })}
                " "
                <time class="meta">{format_utc(item.at)}</time>
            </p>
            {item.excerpt.map(|e| view! { <p class="excerpt">{e}</p> })}
        </li>
    }
}

#[cfg(feature = "hydrate")]
mod infinite {
    use leptos::prelude::*;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{IntersectionObserver, IntersectionObserverEntry};

    /// Calls `on_load(cursor)` once, when `el` scrolls into view.
    pub fn observe(el: &web_sys::HtmlAnchorElement, cursor: String, on_load: Callback<String>) {
        let cb = Closure::<dyn FnMut(js_sys::Array, IntersectionObserver)>::new(
            move |entries: js_sys::Array, observer: IntersectionObserver| {
                let visible = entries.iter().any(|e| {
                    e.dyn_into::<IntersectionObserverEntry>()
                        .is_ok_and(|e| e.is_intersecting())
                });
                if visible {
                    observer.disconnect();
                    on_load.run(cursor.clone());
                }
            },
        );
        if let Ok(observer) = IntersectionObserver::new(cb.as_ref().unchecked_ref()) {
            observer.observe(el);
        }
        // Lives as long as the observer may call it.
        cb.forget();
    }
}
