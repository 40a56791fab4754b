//! Learning playlists: the catalog, a playlist as learners follow it, and the editor (inline
//! search, external links, drag and drop with a keyboard alternative, autosave, undo).

use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::playlists::{
    find_items, get_playlist, list_playlists, AddLink, AddPlaylistItem, AddSection, CreatePlaylist,
    FollowPlaylist, ForkPlaylist, MarkItemDone, MoveItem, PublishPlaylist, RemoveItem,
    SavePlaylist, SharePlaylist, UndoPlaylist,
};
use crate::components::form::{action_error, reset_on_success, CoverForm, Field, FormAlert};
use crate::components::require::RequireSignIn;
use crate::components::tags::{TagLinks, TagsField};
use crate::components::typeahead::as_typed;
use crate::domain::playlist::{
    FoundItem, ItemView, PlaylistCard, PlaylistView, PlaylistVisibility, SectionView,
};
use crate::pages::courses::problem_view;

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

#[derive(Clone, Copy)]
struct LearnerActions {
    follow: ServerAction<FollowPlaylist>,
    done: ServerAction<MarkItemDone>,
    fork: ServerAction<ForkPlaylist>,
    share: ServerAction<SharePlaylist>,
}

#[component]
pub fn PlaylistPage() -> impl IntoView {
    let id = crate::pages::topic::use_id_param();
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

#[derive(Clone, Copy)]
struct EditActions {
    save: ServerAction<SavePlaylist>,
    section: ServerAction<AddSection>,
    add: ServerAction<AddPlaylistItem>,
    link: ServerAction<AddLink>,
    moving: ServerAction<MoveItem>,
    remove: ServerAction<RemoveItem>,
    undo: ServerAction<UndoPlaylist>,
    publish: ServerAction<PublishPlaylist>,
}

impl EditActions {
    /// Changes that alter what the editor shows, so it is fetched again. Saving the details
    /// is not one: their fields already show what was sent, and fetching again would redraw
    /// them under the hands of someone still typing in another field.
    fn refetch_version(&self) -> usize {
        self.version() - self.save.version().get()
    }

    fn version(&self) -> usize {
        self.save.version().get()
            + self.section.version().get()
            + self.add.version().get()
            + self.link.version().get()
            + self.moving.version().get()
            + self.remove.version().get()
            + self.undo.version().get()
            + self.publish.version().get()
    }

    fn pending(&self) -> bool {
        self.save.pending().get()
            || self.section.pending().get()
            || self.add.pending().get()
            || self.link.pending().get()
            || self.moving.pending().get()
            || self.remove.pending().get()
            || self.undo.pending().get()
            || self.publish.pending().get()
    }
}

#[component]
pub fn PlaylistEditPage() -> impl IntoView {
    let id = crate::pages::topic::use_id_param();
    let actions = EditActions {
        save: ServerAction::new(),
        section: ServerAction::new(),
        add: ServerAction::new(),
        link: ServerAction::new(),
        moving: ServerAction::new(),
        remove: ServerAction::new(),
        undo: ServerAction::new(),
        publish: ServerAction::new(),
    };
    let playlist = Resource::new(
        move || (id(), actions.refetch_version()),
        |(id, _)| get_playlist(id),
    );
    // Outlive each re-render of the editor: what a screen reader hears after a move, and
    // what is being dragged.
    let announce = RwSignal::new(String::new());
    let dragging = RwSignal::new(None::<Dragging>);
    // The inline search without JavaScript: `?find=...&section=...` (made before any Suspense).
    // A memo, so that other changes of the query (`?saved=details` after an autosave) do not
    // draw the editor again and wipe what is being typed.
    let query = use_query_map();
    let asked = Memo::new(move |_| {
        let q = query.read();
        (
            q.get("find").unwrap_or_default(),
            q.get("section")
                .and_then(|s| s.parse::<i64>().ok())
                .unwrap_or(0),
        )
    });
    let found = Resource::new(
        move || asked.get(),
        |(q, _)| async move {
            if q.trim().is_empty() {
                Ok(Vec::new())
            } else {
                find_items(q).await
            }
        },
    );
    view! {
        <RequireSignIn next=format!("/playlists/{}/edit", id()) title="Edit playlist">
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    let found = found.await.unwrap_or_default();
                    match playlist.await {
                        Ok(p) if p.mine => view! { <EditorBody p actions found asked=asked.get().1 announce dragging/> }.into_any(),
                        Ok(_) => problem_view(crate::error::AppError::Forbidden, format!("/playlists/{}/edit", id()), "Edit playlist"),
                        Err(e) => problem_view(e, format!("/playlists/{}/edit", id()), "Edit playlist"),
                    }
                })}
            </Suspense>
        </RequireSignIn>
    }
}

/// Where a dragged item is going: (item, its title).
#[derive(Clone, Debug, PartialEq)]
struct Dragging(i64, String);

#[component]
fn EditorBody(
    p: PlaylistView,
    actions: EditActions,
    found: Vec<FoundItem>,
    asked: i64,
    announce: RwSignal<String>,
    dragging: RwSignal<Option<Dragging>>,
) -> impl IntoView {
    let save_error = action_error(actions.save);
    let section_error = action_error(actions.section);
    let publish_error = action_error(actions.publish);
    let undo_error = action_error(actions.undo);
    let section_form = NodeRef::<leptos::html::Form>::new();
    reset_on_success(actions.section, section_form);
    let details = NodeRef::<leptos::html::Form>::new();
    let query = use_query_map();
    // The visible saved state.
    let state = move || {
        if actions.pending() {
            "Saving…".to_owned()
        } else if save_error.get().is_some() {
            "Not saved: see the message above.".to_owned()
        } else if actions.version() > 0 || query.read().get("saved").is_some() {
            "All changes saved.".to_owned()
        } else {
            "Changes are saved as you make them.".to_owned()
        }
    };
    let id = p.id;
    let (title, description, tags) = (p.title.clone(), p.description.clone(), p.tags.join(", "));
    let cover = p.cover.clone();
    let space = p.space.clone().map(|(slug, _)| slug).unwrap_or_default();
    let published = p.published;
    // Details saved since this render: "Undo" takes them back, and the heading follows the title.
    let saves_before = actions.save.version().get_untracked();
    let sent_title = RwSignal::new(None::<String>);
    Effect::new(move || {
        if let Some(sent) = actions.save.input().get() {
            sent_title.set(Some(sent.title.clone()));
        }
    });
    let saved_since = move || {
        actions.save.version().get() > saves_before
            && matches!(actions.save.value().get(), Some(Ok(())))
    };
    let first_title = p.title.clone();
    let heading = move || {
        let title = sent_title
            .get()
            .filter(|_| saved_since())
            .unwrap_or_else(|| first_title.clone());
        format!("Edit “{}”", title.trim())
    };
    let first_undo = p.undo_label.clone();
    let undo_label = move || {
        if saved_since() {
            Some("the details".to_owned())
        } else {
            first_undo.clone()
        }
    };
    let visibility = p.visibility;
    let sections = p.sections.clone();
    let section_titles: Vec<(i64, String)> =
        sections.iter().map(|s| (s.id, s.title.clone())).collect();
    let found = StoredValue::new(found);
    let titles = StoredValue::new(section_titles);
    view! {
        <Title text=format!("Edit {} · Learning playlists · Cohort", p.title)/>
        <div class="page-head">
            <h1>{heading}</h1>
            <a href=format!("/playlists/{id}")>"View playlist"</a>
        </div>
        <p class="save-state" role="status" aria-live="polite">{state}</p>
        <p class="visually-hidden" role="status" aria-live="assertive">{move || announce.get()}</p>
        <section class="card" aria-labelledby="details-title">
            <h2 id="details-title">"Details"</h2>
            <ActionForm action=actions.save node_ref=details attr:novalidate=true
                on:change=move |_| {
                    // Autosave: every change of a field sends the form.
                    if let Some(f) = details.get() {
                        let _ = f.request_submit();
                    }
                }>
                <FormAlert error=save_error/>
                <input type="hidden" name="playlist" value=id/>
                <Field label="Title" name="title" initial=title error=save_error/>
                <Field label="Description" name="description" kind="textarea" required=false initial=description error=save_error/>
                <div class="field">
                    <label for="field-visibility">"Who can see it"</label>
                    <select id="field-visibility" name="visibility">
                        {PlaylistVisibility::ALL.into_iter().map(|v| view! {
                            <option value=v.as_str() selected=v == visibility>{v.label()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <Field label="Space (for members of one space)" name="space" required=false initial=space
                    hint="The space's address, like data-science." error=save_error/>
                <TagsField label="Tags" hint="Separate tags with commas." initial=tags required=false error=save_error/>
                <button type="submit">"Save details"</button>
            </ActionForm>
        </section>
        <CoverForm action="/media/playlist" owner_field="playlist" owner=id.to_string() what="playlist" cover/>
        <section class="card" aria-labelledby="publish-title">
            <h2 id="publish-title">{if published { "Published" } else { "Draft" }}</h2>
            <ActionForm action=actions.publish attr:class="inline-form">
                <FormAlert error=publish_error/>
                <input type="hidden" name="playlist" value=id/>
                <input type="hidden" name="publish" value=(!published).to_string()/>
                <button type="submit" class=if published { "" } else { "primary" }>
                    {if published { "Unpublish" } else { "Publish playlist" }}
                </button>
            </ActionForm>
            {move || undo_label().map(|label| view! {
                <ActionForm action=actions.undo attr:class="inline-form">
                    <FormAlert error=undo_error/>
                    <input type="hidden" name="playlist" value=id/>
                    <button type="submit">{format!("Undo {label}")}</button>
                </ActionForm>
            })}
        </section>
        {sections.into_iter().map(|s| {
            let results = if s.id == asked { found.get_value() } else { Vec::new() };
            view! { <EditorSection playlist=id s actions announce dragging results titles/> }
        }).collect_view()}
        <ActionForm action=actions.section node_ref=section_form attr:class="card" attr:novalidate=true>
            <input type="hidden" name="playlist" value=id/>
            <Field label="New section title" name="section_title" error=section_error/>
            <button type="submit">"Add section"</button>
        </ActionForm>
    }
    .into_any()
}

#[component]
fn EditorSection(
    playlist: i64,
    s: SectionView,
    actions: EditActions,
    announce: RwSignal<String>,
    dragging: RwSignal<Option<Dragging>>,
    results: Vec<FoundItem>,
    titles: StoredValue<Vec<(i64, String)>>,
) -> impl IntoView {
    let sid = s.id;
    let section_title = s.title.clone();
    let count = s.items.len() as i64;
    let heading = format!("section-{sid}-title");
    let labelled = heading.clone();
    let items = s.items.clone();
    // Dropped on the section itself (not on an item): to its end.
    let drop_here = {
        let section_title = section_title.clone();
        move |ev: leptos::ev::DragEvent| {
            ev.prevent_default();
            if let Some(Dragging(item, title)) = dragging.get_untracked() {
                dragging.set(None);
                announce.set(format!("Moved “{title}” to the end of “{section_title}”."));
                actions.moving.dispatch(MoveItem {
                    playlist,
                    item,
                    section: sid,
                    position: count + 1,
                });
            }
        }
    };
    view! {
        <section class="card playlist-section" id=format!("section-{sid}") aria-labelledby=labelled
            on:dragover=move |ev: leptos::ev::DragEvent| ev.prevent_default()
            on:drop=drop_here>
            <h2 id=heading>{s.title.clone()}</h2>
            {items.is_empty().then(|| view! { <p class="empty">"Nothing here yet: add items below, or drag one here."</p> })}
            <ol class="playlist-items editing">
                {items.iter().cloned().enumerate().map(|(n, i)| {
                    let position = n as i64 + 1;
                    view! { <EditorItem playlist i section=sid section_title=section_title.clone() position count actions announce dragging/> }
                }).collect_view()}
            </ol>
            <details class="add-items" open=true>
                <summary>{format!("Add to “{}”", s.title)}</summary>
                <FindAndAdd playlist section=sid actions results/>
                <LinkForm playlist section=sid actions/>
            </details>
            {move || {
                let others = titles.get_value();
                (others.len() > 1).then(|| view! { <p class="hint">"Drag items between sections, or use Move up and Move down."</p> })
            }}
        </section>
    }
    .into_any()
}

#[allow(clippy::too_many_arguments)]
#[component]
fn EditorItem(
    playlist: i64,
    i: ItemView,
    section: i64,
    section_title: String,
    position: i64,
    count: i64,
    actions: EditActions,
    announce: RwSignal<String>,
    dragging: RwSignal<Option<Dragging>>,
) -> impl IntoView {
    let item = i.id;
    let title = i.title.clone();
    let (t1, t2, t3) = (title.clone(), title.clone(), title.clone());
    let (st1, st2, st3) = (section_title.clone(), section_title.clone(), section_title);
    let li_label = format!("{}: {}", i.kind.label(), title);
    let (up, down, remove) = (
        format!("Move {title} up"),
        format!("Move {title} down"),
        format!("Remove {title}"),
    );
    let (first, last) = (position <= 1, position >= count);
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        ev.stop_propagation();
        if let Some(Dragging(moved, moved_title)) = dragging.get_untracked() {
            dragging.set(None);
            if moved != item {
                announce.set(format!(
                    "Moved “{moved_title}” to position {position} in “{st1}”."
                ));
                actions.moving.dispatch(MoveItem {
                    playlist,
                    item: moved,
                    section,
                    position,
                });
            }
        }
    };
    view! {
        <li id=format!("item-{item}") class="playlist-item" draggable="true"
            aria-label=li_label
            on:dragstart=move |ev: leptos::ev::DragEvent| {
                if let Some(dt) = ev.data_transfer() {
                    let _ = dt.set_data("text/plain", &item.to_string());
                    dt.set_effect_allowed("move");
                }
                dragging.set(Some(Dragging(item, t1.clone())));
            }
            on:dragover=move |ev: leptos::ev::DragEvent| ev.prevent_default()
            on:drop=on_drop>
            <span class="drag-handle" aria-hidden="true">"⠿"</span>
            <span class="badge">{i.kind.label()}</span> " "
            <strong>{title.clone()}</strong>
            {i.minutes.map(|m| format!(" · {m} min"))}
            <span class="item-tools">
                <ActionForm action=actions.moving attr:class="inline-form"
                    on:submit=move |_| announce.set(format!("Moved “{t2}” up to position {} in “{st2}”.", position - 1))>
                    <input type="hidden" name="playlist" value=playlist/>
                    <input type="hidden" name="item" value=item/>
                    <input type="hidden" name="section" value=section/>
                    <input type="hidden" name="position" value=position - 1/>
                    <button type="submit" class="link-button" disabled=first
                        aria-label=up>"Move up"</button>
                </ActionForm>
                <ActionForm action=actions.moving attr:class="inline-form"
                    on:submit=move |_| announce.set(format!("Moved “{t3}” down to position {} in “{st3}”.", position + 1))>
                    <input type="hidden" name="playlist" value=playlist/>
                    <input type="hidden" name="item" value=item/>
                    <input type="hidden" name="section" value=section/>
                    <input type="hidden" name="position" value=position + 1/>
                    <button type="submit" class="link-button" disabled=last
                        aria-label=down>"Move down"</button>
                </ActionForm>
                <ActionForm action=actions.remove attr:class="inline-form">
                    <input type="hidden" name="item" value=item/>
                    <button type="submit" class="link-button danger" aria-label=remove>"Remove"</button>
                </ActionForm>
            </span>
        </li>
    }
    .into_any()
}

/// The inline search: live as one types (with JavaScript), or a search form that reloads the
/// editor with the results (without).
#[component]
fn FindAndAdd(
    playlist: i64,
    section: i64,
    actions: EditActions,
    results: Vec<FoundItem>,
) -> impl IntoView {
    let live = RwSignal::new(Vec::<FoundItem>::new());
    let typed = RwSignal::new(false);
    let look_up = as_typed(live, |q: String| async move {
        find_items(q).await.unwrap_or_default()
    });
    let add_error = action_error(actions.add);
    let field = format!("s{section}-find");
    let shown = Signal::derive(move || {
        if typed.get() {
            live.get()
        } else {
            results.clone()
        }
    });
    // Text typed while the page was still loading its code: looked up once it is ready.
    let input = NodeRef::<leptos::html::Input>::new();
    let look_up_early = look_up.clone();
    Effect::new(move |_| {
        if let Some(el) = input.get() {
            let text = el.value();
            if !text.is_empty() && !typed.get_untracked() {
                typed.set(true);
                look_up_early(text);
            }
        }
    });
    view! {
        <form class="find-form" method="get" role="search" aria-label="Find something to add">
            <input type="hidden" name="section" value=section/>
            <div class="field">
                <label for=field.clone()>"Find courses, lessons and discussions"</label>
                <input id=field name="find" type="search" autocomplete="off" node_ref=input
                    on:input=move |ev| {
                        typed.set(true);
                        look_up(event_target_value(&ev));
                    }/>
            </div>
            <button type="submit">"Find"</button>
        </form>
        <FormAlert error=add_error/>
        <ul class="found-items" aria-live="polite">
            {move || shown.get().into_iter().map(|f| view! {
                <li>
                    <span class="badge">{f.context.clone()}</span> " " {f.title.clone()}
                    <ActionForm action=actions.add attr:class="inline-form">
                        <input type="hidden" name="playlist" value=playlist/>
                        <input type="hidden" name="section" value=section/>
                        <input type="hidden" name="kind" value=f.kind.as_str()/>
                        <input type="hidden" name="ref_id" value=f.ref_id/>
                        <button type="submit" aria-label=format!("Add {}", f.title)>"Add"</button>
                    </ActionForm>
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

#[component]
fn LinkForm(playlist: i64, section: i64, actions: EditActions) -> impl IntoView {
    let error = action_error(actions.link);
    let form = NodeRef::<leptos::html::Form>::new();
    reset_on_success(actions.link, form);
    let id = move |name: &str| format!("s{section}-{name}");
    view! {
        <ActionForm action=actions.link node_ref=form attr:class="link-form" attr:novalidate=true>
            <h3>"External link"</h3>
            <FormAlert error/>
            <input type="hidden" name="playlist" value=playlist/>
            <input type="hidden" name="section" value=section/>
            <Field label="Link address" name="url" kind="url" id=id("url") error/>
            <Field label="Link title" name="link_title" id=id("link-title") error/>
            <Field label="Link description" name="link_description" kind="textarea" id=id("link-description") required=false error/>
            <Field label="Estimated minutes" name="minutes" kind="number" id=id("minutes") required=false error/>
            <button type="submit">"Add link"</button>
        </ActionForm>
    }
    .into_any()
}
