//! The space directory: search, "my spaces", pages of results.

use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::spaces::{list_spaces, my_invitations, space_creation_policy};
use crate::components::require::RequireSignIn;
use crate::components::tags::TagLinks;
use crate::domain::nav::encode_query;
use crate::domain::space::{Directory, DirectorySort, SpaceSummary};
use crate::error::AppError;

/// What the directory was asked for, as the page's address carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Asked {
    q: String,
    filter: String,
    tag: String,
    sort: String,
}

impl Asked {
    fn is_plain(&self) -> bool {
        self.q.is_empty() && self.filter.is_empty() && self.tag.is_empty()
    }

    fn href(&self, after: &str) -> String {
        format!(
            "/spaces?q={}&filter={}&tag={}&sort={}&after={}",
            encode_query(&self.q),
            encode_query(&self.filter),
            encode_query(&self.tag),
            encode_query(&self.sort),
            encode_query(after)
        )
    }
}

/// The directory; its resources are made here, before any `Suspense` (see
/// [`crate::components::wall::wall_resource`]).
#[component]
pub fn SpacesPage() -> impl IntoView {
    let query = use_query_map();
    let asked = move || {
        let q = query.read();
        let get = |k: &str| q.get(k).unwrap_or_default();
        (
            Asked {
                q: get("q"),
                filter: get("filter"),
                tag: get("tag"),
                sort: get("sort"),
            },
            get("after"),
        )
    };
    let page = Resource::new(asked, |(a, after)| {
        list_spaces(a.q, a.filter, after, a.tag, a.sort)
    });
    let invited = Resource::new(|| (), |_| my_invitations());
    let policy = Resource::new(|| (), |_| space_creation_policy());
    view! {
        <Title text="Spaces · Cohort"/>
        <RequireSignIn next="/spaces".to_owned() title="Spaces">
            <SpaceDirectory page invited policy/>
        </RequireSignIn>
    }
}

#[component]
fn SpaceDirectory(
    page: Resource<Result<Directory, AppError>>,
    invited: Resource<Result<Vec<SpaceSummary>, AppError>>,
    policy: Resource<Result<(bool, bool), AppError>>,
) -> impl IntoView {
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    let filter = move || query.read().get("filter").unwrap_or_default();
    let tag = move || query.read().get("tag").unwrap_or_default();
    let sort = move || query.read().get("sort").unwrap_or_default();
    let asked = move || Asked {
        q: q(),
        filter: filter(),
        tag: tag(),
        sort: sort(),
    };
    view! {
        <div class="page-head">
            <h1>"Spaces"</h1>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match policy.await {
                        Ok((true, _)) => Either::Left(view! { <a class="button primary" href="/spaces/new">"Create a space"</a> }),
                        _ => Either::Right(view! { <p class="meta">"Authors create spaces on this site."</p> }),
                    }
                })}
            </Suspense>
        </div>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let spaces = invited.await.unwrap_or_default();
                (!spaces.is_empty()).then(|| view! {
                    <section class="card" aria-labelledby="invitations-title">
                        <h2 id="invitations-title">"Invitations"</h2>
                        <ul class="invitations">
                            {spaces
                                .into_iter()
                                .map(|s| view! {
                                    <li>
                                        <a href=format!("/s/{}", s.slug)>{s.name}</a>
                                        " — open the space to accept or decline."
                                    </li>
                                })
                                .collect_view()}
                        </ul>
                    </section>
                })
            })}
        </Suspense>
        <form method="get" action="/spaces" class="search-row" role="search">
            <div class="field">
                <label for="space-q">"Search spaces"</label>
                <input id="space-q" name="q" type="search" value=q/>
            </div>
            <div class="field">
                <label for="space-filter">"Show"</label>
                <select id="space-filter" name="filter">
                    <option value="" selected=move || filter().is_empty()>"All spaces"</option>
                    <option value="mine" selected=move || filter() == "mine">"My spaces"</option>
                    <option value="public" selected=move || filter() == "public">"Public spaces"</option>
                </select>
            </div>
            <div class="field">
                <label for="space-tag">"Topic"</label>
                <input id="space-tag" name="tag" type="search" value=tag/>
            </div>
            <div class="field">
                <label for="space-sort">"Sort by"</label>
                <select id="space-sort" name="sort">
                    {DirectorySort::ALL
                        .iter()
                        .map(|o| {
                            let value = o.as_str();
                            let chosen = move || {
                                DirectorySort::parse(&sort()).unwrap_or(DirectorySort::Active).as_str() == value
                            };
                            view! { <option value=value selected=chosen>{o.label()}</option> }
                        })
                        .collect_view()}
                </select>
            </div>
            <button type="submit">"Search"</button>
        </form>
        <Suspense fallback=|| view! { <p>"Loading spaces…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(dir) => Either::Left(view! { <SpaceList dir asked=asked()/> }),
                    Err(e) => Either::Right(view! { <p class="form-alert" role="alert">{e.to_string()}</p> }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SpaceList(dir: Directory, asked: Asked) -> impl IntoView {
    if dir.spaces.is_empty() {
        let text = if asked.is_plain() {
            "There are no spaces yet. Create the first one for your community."
        } else {
            "No spaces match. Try other words, or create the space you are looking for."
        };
        return Either::Left(view! { <p class="empty card">{text}</p> });
    }
    let more = dir.next.map(|cursor| {
        view! { <p><a class="button" href=asked.href(&cursor)>"More spaces"</a></p> }
    });
    Either::Right(view! {
        <ul class="space-list">
            {dir.spaces.into_iter().map(|s| view! { <SpaceCard space=s/> }).collect_view()}
        </ul>
        {more}
    })
}

#[component]
fn SpaceCard(space: SpaceSummary) -> impl IntoView {
    let members = match space.member_count {
        1 => "1 member".to_owned(),
        n => format!("{n} members"),
    };
    view! {
        <li class="card space-card">
            {space.cover.clone().map(|src| view! { <img class="cover" src=src alt="" width="600" height="200"/> })}
            <h2>
                <a href=format!("/s/{}", space.slug)>{space.name}</a>
            </h2>
            {(!space.description.is_empty()).then(|| view! { <p>{space.description}</p> })}
            <p class="meta">
                <span class="badge">{space.visibility.badge()}</span>
                <span>{members}</span>
                {space.my_role.map(|r| view! { <span class="badge mine">{format!("You: {}", r.label())}</span> })}
            </p>
            <TagLinks tags=space.tags base="/spaces"/>
        </li>
    }
}
