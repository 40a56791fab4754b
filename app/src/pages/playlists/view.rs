//! One playlist as a learner sees it: follow, progress, items to open and mark done.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::playlists::{
    get_playlist, FollowPlaylist, ForkPlaylist, MarkItemDone, SharePlaylist,
};
use crate::components::form::{action_error, FormAlert};
use crate::components::problem::problem_view;
use crate::components::tags::TagLinks;
use crate::domain::ids::PlaylistId;
use crate::domain::playlist::{ItemView, PlaylistView, SectionView};

#[derive(Clone, Copy)]
struct LearnerActions {
    follow: ServerAction<FollowPlaylist>,
    done: ServerAction<MarkItemDone>,
    fork: ServerAction<ForkPlaylist>,
    share: ServerAction<SharePlaylist>,
}

#[component]
pub fn PlaylistPage() -> impl IntoView {
    let id = crate::components::params::use_id_param::<PlaylistId>();
    let actions = LearnerActions {
        follow: ServerAction::new(),
        done: ServerAction::new(),
        fork: ServerAction::new(),
        share: ServerAction::new(),
    };
    let playlist = Resource::new(
        move || {
            (
                id(),
                actions.follow.version().get(),
                actions.done.version().get(),
            )
        },
        |(id, _, _)| get_playlist(id),
    );
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match playlist.await {
                    Ok(p) => view! { <PlaylistBody p actions/> }.into_any(),
                    Err(e) => problem_view(e, format!("/playlists/{}", id()), "Learning playlist"),
                }
            })}
        </Suspense>
    }
}

#[component]
fn PlaylistBody(p: PlaylistView, actions: LearnerActions) -> impl IntoView {
    let fork_error = action_error(actions.fork);
    let share_error = action_error(actions.share);
    let query = use_query_map();
    let shared = move || {
        matches!(actions.share.value().get(), Some(Ok(_))) || query.read().get("shared").is_some()
    };
    let id = p.id;
    let minutes = p.minutes();
    let (done, total, completed) = (p.done_count, p.item_count, p.completed());
    let spaces = p.my_spaces.clone();
    let following = p.following;
    let sections = p.sections.clone();
    view! {
        <Title text=format!("{} · Learning playlists · Cohort", p.title)/>
        <article class="card">
            {p.cover.clone().map(|src| view! { <img class="cover" src=src alt="" width="1200" height="400"/> })}
            <p class="meta"><a href="/playlists">"Learning playlists"</a></p>
            <h1>
                {p.title.clone()}
                {(!p.published).then(|| view! { " " <span class="badge">"Draft"</span> })}
            </h1>
            <p>{p.description.clone()}</p>
            <TagLinks tags=p.tags.clone() base="/playlists"/>
            <p class="meta">
                "Curated by " <a href=p.owner.href.clone()>{p.owner.text.clone()}</a>
                {format!(" · {total} items")}
                {(minutes > 0).then(|| format!(" · about {minutes} minutes"))}
                {format!(" · {} followers", p.follower_count)}
                {p.forked_from.clone().map(|f| view! { " · copied from " <a href=f.href>{f.text}</a> })}
            </p>
            <p class="lesson-status" role="status">
                {if completed {
                    format!("Completed: {done} of {total} done")
                } else {
                    format!("{done} of {total} done")
                }}
            </p>
            <progress max=total.max(1) value=done aria-label="Playlist progress"></progress>
            <div class="actions-row">
                {p.mine.then(|| view! { <a class="button" href=format!("/playlists/{id}/edit")>"Edit playlist"</a> })}
                {p.published.then(|| view! {
                    <ActionForm action=actions.follow attr:class="inline-form">
                        <input type="hidden" name="playlist" value=id/>
                        <input type="hidden" name="follow" value=(!following).to_string()/>
                        <button type="submit" class=if following { "" } else { "primary" }>
                            {if following { "Stop following" } else { "Follow playlist" }}
                        </button>
                    </ActionForm>
                })}
                {p.may_curate.then(|| view! {
                    <ActionForm action=actions.fork attr:class="inline-form">
                        <FormAlert error=fork_error/>
                        <input type="hidden" name="playlist" value=id/>
                        <button type="submit">"Copy to my playlists"</button>
                    </ActionForm>
                })}
            </div>
        </article>
        {sections.into_iter().map(|s| view! { <LearnerSection s actions/> }).collect_view()}
        {(p.published && !spaces.is_empty()).then(|| view! {
            <section class="card" aria-labelledby="share-title">
                <h2 id="share-title">"Share to a space"</h2>
                <ActionForm action=actions.share>
                    <FormAlert error=share_error/>
                    <input type="hidden" name="playlist" value=id/>
                    <div class="field">
                        <label for="share-space">"Space"</label>
                        <select id="share-space" name="space">
                            {spaces.iter().map(|(slug, name)| view! { <option value=slug.clone()>{name.clone()}</option> }).collect_view()}
                        </select>
                        <p class="field-error" aria-live="polite">
                            {move || share_error.get().and_then(|e| e.form_errors().and_then(|f| f.message_for("space")))}
                        </p>
                    </div>
                    <button type="submit">"Share on the space's wall"</button>
                    {move || shared().then(|| view! { <span class="saved" role="status">" Shared."</span> })}
                </ActionForm>
            </section>
        })}
    }
    .into_any()
}

#[component]
fn LearnerSection(s: SectionView, actions: LearnerActions) -> impl IntoView {
    let heading = format!("section-{}-title", s.id);
    let labelled = heading.clone();
    view! {
        <section class="card" aria-labelledby=labelled>
            <h2 id=heading>{s.title.clone()}</h2>
            {s.items.is_empty().then(|| view! { <p class="empty">"Nothing here yet."</p> })}
            <ol class="playlist-items">
                {s.items.into_iter().map(|i| view! { <LearnerItem i actions/> }).collect_view()}
            </ol>
        </section>
    }
    .into_any()
}

#[component]
fn LearnerItem(i: ItemView, actions: LearnerActions) -> impl IntoView {
    let external = i.kind == crate::domain::playlist::ItemKind::Link;
    let label = if i.done {
        format!("Mark “{}” not done", i.title)
    } else {
        format!("Mark “{}” done", i.title)
    };
    view! {
        <li id=format!("item-{}", i.id) class:done=i.done>
            <span class="badge">{i.kind.label()}</span> " "
            {if i.unavailable {
                view! { <span>{i.title.clone()}</span> }.into_any()
            } else if external {
                view! { <a href=i.href.clone() rel="noopener nofollow" target="_blank">{i.title.clone()}</a> }.into_any()
            } else {
                view! { <a href=i.href.clone()>{i.title.clone()}</a> }.into_any()
            }}
            {i.minutes.map(|m| format!(" · {m} min"))}
            {i.done.then(|| view! { " " <span class="badge done">"Done"</span> })}
            {(!i.description.is_empty()).then(|| view! { <p class="meta">{i.description.clone()}</p> })}
            {(i.manual && !i.unavailable).then(|| view! {
                <ActionForm action=actions.done attr:class="inline-form">
                    <input type="hidden" name="item" value=i.id/>
                    <input type="hidden" name="done" value=(!i.done).to_string()/>
                    <button type="submit" class="link-button">{label}</button>
                </ActionForm>
            })}
            {(!i.manual && !i.done && !i.unavailable).then(|| view! {
                <p class="hint">"Done when you complete it."</p>
            })}
        </li>
    }
    .into_any()
}
