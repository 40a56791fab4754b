//! The space directory: search, "my spaces", pages of results.

use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::spaces::{list_spaces, my_invitations};
use crate::components::require::RequireSignIn;
use crate::domain::nav::encode_query;
use crate::domain::space::{Directory, SpaceSummary};

#[component]
pub fn SpacesPage() -> impl IntoView {
    view! {
        <Title text="Spaces · Cohort"/>
        <RequireSignIn next="/spaces".to_owned() title="Spaces">
            <SpaceDirectory/>
        </RequireSignIn>
    }
}

#[component]
fn SpaceDirectory() -> impl IntoView {
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    let filter = move || query.read().get("filter").unwrap_or_default();
    let after = move || query.read().get("after").unwrap_or_default();
    let page = Resource::new(
        move || (q(), filter(), after()),
        |(q, f, a)| list_spaces(q, f, a),
    );
    let invited = Resource::new(|| (), |_| my_invitations());
    view! {
        <div class="page-head">
            <h1>"Spaces"</h1>
            <a class="button primary" href="/spaces/new">"Create a space"</a>
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
                </select>
            </div>
            <button type="submit">"Search"</button>
        </form>
        <Suspense fallback=|| view! { <p>"Loading spaces…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(dir) => Either::Left(view! { <SpaceList dir q=q() filter=filter()/> }),
                    Err(e) => Either::Right(view! { <p class="form-alert" role="alert">{e.to_string()}</p> }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SpaceList(dir: Directory, q: String, filter: String) -> impl IntoView {
    if dir.spaces.is_empty() {
        let text = if q.is_empty() && filter.is_empty() {
            "There are no spaces yet. Create the first one for your community."
        } else {
            "No spaces match. Try other words, or create the space you are looking for."
        };
        return Either::Left(view! { <p class="empty card">{text}</p> });
    }
    let more = dir.next.map(|cursor| {
        let href = format!(
            "/spaces?q={}&filter={}&after={}",
            encode_query(&q),
            encode_query(&filter),
            encode_query(&cursor)
        );
        view! { <p><a class="button" href=href>"More spaces"</a></p> }
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
            <h2>
                <a href=format!("/s/{}", space.slug)>{space.name}</a>
            </h2>
            {(!space.description.is_empty()).then(|| view! { <p>{space.description}</p> })}
            <p class="meta">
                <span class="badge">{space.visibility.badge()}</span>
                <span>{members}</span>
                {space.my_role.map(|r| view! { <span class="badge mine">{format!("You: {}", r.label())}</span> })}
            </p>
        </li>
    }
}
