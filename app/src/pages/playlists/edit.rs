//! The playlist editor: details that save as they change, undo, publishing.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::playlists::{find_items, get_playlist};
use crate::components::form::{action_error, reset_on_success, CoverForm, Field, FormAlert};
use crate::components::problem::problem_view;
use crate::components::require::RequireSignIn;
use crate::components::tags::TagsField;
use crate::domain::ids::{PlaylistId, SectionId};
use crate::domain::playlist::{FoundItem, PlaylistView, PlaylistVisibility};
use crate::pages::playlists::edit_items::{Dragging, EditActions, EditorSection};

#[component]
pub fn PlaylistEditPage() -> impl IntoView {
    let id = crate::components::params::use_id_param::<PlaylistId>();
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
                .and_then(|s| s.parse::<SectionId>().ok())
                .unwrap_or_default(),
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

#[component]
fn EditorBody(
    p: PlaylistView,
    actions: EditActions,
    found: Vec<FoundItem>,
    asked: SectionId,
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
    let section_titles: Vec<(SectionId, String)> =
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
