//! Learning playlists: the catalog here; one playlist as its learners see it in [`view`]; the
//! editor in [`edit`], its sections and items in [`edit_items`].

mod edit;
mod edit_items;
mod view;

pub use edit::PlaylistEditPage;
pub use view::PlaylistPage;

use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::playlists::{list_playlists, CreatePlaylist};
use crate::components::form::{action_error, Field, FormAlert};
use crate::components::problem::problem_view;
use crate::components::require::RequireSignIn;
use crate::components::tags::TagLinks;
use crate::domain::playlist::PlaylistCard;

#[component]
pub fn PlaylistsPage() -> impl IntoView {
    let query = use_query_map();
    let q = move || query.read().get("q").unwrap_or_default();
    let tag = move || query.read().get("tag").unwrap_or_default();
    let catalog = Resource::new(move || (q(), tag()), |(q, tag)| list_playlists(q, tag));
    let create = ServerAction::<CreatePlaylist>::new();
    let error = action_error(create);
    view! {
        <Title text="Learning playlists · Cohort"/>
        <RequireSignIn next="/playlists".to_owned() title="Learning playlists">
            <h1>"Learning playlists"</h1>
            <form class="card search-filters" method="get" action="/playlists" aria-label="Find playlists">
                <div class="field">
                    <label for="playlist-q">"Words"</label>
                    <input id="playlist-q" name="q" type="search" value=q/>
                </div>
                <div class="field">
                    <label for="playlist-tag">"Tag"</label>
                    <input id="playlist-tag" name="tag" type="search" value=tag/>
                </div>
                <button type="submit">"Find playlists"</button>
            </form>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match catalog.await {
                        Ok(c) => view! {
                            {c.may_curate.then(|| view! {
                                <ActionForm action=create attr:class="card" attr:novalidate=true>
                                    <h2>"New playlist"</h2>
                                    <FormAlert error/>
                                    <Field label="Playlist title" name="title" id="new-playlist-title" error/>
                                    <button type="submit" class="primary">"Create playlist"</button>
                                </ActionForm>
                            })}
                            {(!c.popular.is_empty()).then(|| view! {
                                <section class="card" aria-labelledby="popular-title">
                                    <h2 id="popular-title">"Popular in your spaces"</h2>
                                    <PlaylistCards cards=c.popular.clone()/>
                                </section>
                            })}
                            <section aria-labelledby="all-title">
                                <h2 id="all-title">"All playlists"</h2>
                                {if c.playlists.is_empty() {
                                    Either::Left(view! { <p class="empty">"No playlists match yet."</p> })
                                } else {
                                    Either::Right(view! { <PlaylistCards cards=c.playlists.clone()/> })
                                }}
                            </section>
                        }.into_any(),
                        Err(e) => problem_view(e, "/playlists".into(), "Learning playlists"),
                    }
                })}
            </Suspense>
        </RequireSignIn>
    }
}

#[component]
fn PlaylistCards(cards: Vec<PlaylistCard>) -> impl IntoView {
    view! {
        <ul class="course-list">
            {cards.into_iter().map(|p| view! {
                <li class="card course-card">
                    {p.cover.clone().map(|src| view! { <img class="card-cover" src=src alt="" width="600" height="200" loading="lazy"/> })}
                    <h3><a href=format!("/playlists/{}", p.id)>{p.title.clone()}</a></h3>
                    {(!p.published).then(|| view! { <span class="badge">"Draft"</span> })}
                    {p.following.then(|| view! { <span class="badge">"Following"</span> })}
                    <p>{p.description.clone()}</p>
                    <p class="meta">
                        "By " <a href=p.owner.href.clone()>{p.owner.text.clone()}</a>
                        {format!(" · {} items · {} followers", p.item_count, p.follower_count)}
                    </p>
                    <TagLinks tags=p.tags.clone() base="/playlists"/>
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}
