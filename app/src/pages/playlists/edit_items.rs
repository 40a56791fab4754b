//! The editor's actions, and its sections and items: drag and drop or move buttons, the inline
//! search, links.

use leptos::prelude::*;

use crate::api::playlists::{
    find_items, AddLink, AddPlaylistItem, AddSection, MoveItem, PublishPlaylist, RemoveItem,
    SavePlaylist, UndoPlaylist,
};
use crate::components::form::{action_error, reset_on_success, Field, FormAlert};
use crate::components::typeahead::as_typed;
use crate::domain::ids::{ItemId, PlaylistId, SectionId};
use crate::domain::playlist::{FoundItem, ItemView, SectionView};

#[derive(Clone, Copy)]
pub(crate) struct EditActions {
    pub(crate) save: ServerAction<SavePlaylist>,
    pub(crate) section: ServerAction<AddSection>,
    pub(crate) add: ServerAction<AddPlaylistItem>,
    pub(crate) link: ServerAction<AddLink>,
    pub(crate) moving: ServerAction<MoveItem>,
    pub(crate) remove: ServerAction<RemoveItem>,
    pub(crate) undo: ServerAction<UndoPlaylist>,
    pub(crate) publish: ServerAction<PublishPlaylist>,
}

impl EditActions {
    /// Changes that alter what the editor shows, so it is fetched again. Saving the details
    /// is not one: their fields already show what was sent, and fetching again would redraw
    /// them under the hands of someone still typing in another field.
    pub(crate) fn refetch_version(&self) -> usize {
        self.version() - self.save.version().get()
    }

    pub(crate) fn version(&self) -> usize {
        self.save.version().get()
            + self.section.version().get()
            + self.add.version().get()
            + self.link.version().get()
            + self.moving.version().get()
            + self.remove.version().get()
            + self.undo.version().get()
            + self.publish.version().get()
    }

    pub(crate) fn pending(&self) -> bool {
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

/// Where a dragged item is going: (item, its title).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Dragging(pub(crate) ItemId, pub(crate) String);

#[component]
pub(crate) fn EditorSection(
    playlist: PlaylistId,
    s: SectionView,
    actions: EditActions,
    announce: RwSignal<String>,
    dragging: RwSignal<Option<Dragging>>,
    results: Vec<FoundItem>,
    titles: StoredValue<Vec<(SectionId, String)>>,
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
    playlist: PlaylistId,
    i: ItemView,
    section: SectionId,
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
    playlist: PlaylistId,
    section: SectionId,
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
fn LinkForm(playlist: PlaylistId, section: SectionId, actions: EditActions) -> impl IntoView {
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
