//! The form that starts a forum thread or asks a question.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::api::topics::{similar_questions, CreateTopic};
use crate::components::draft::KeepDraft;
use crate::components::form::{action_error, Field, FormAlert};
use crate::components::tags::TagsField;
use crate::components::typeahead::as_typed;
use crate::domain::discussion::{Category, TopicKind};
use crate::error::AppError;

/// The form to start a thread or ask a question: title, Markdown body, topics, space, and
/// (threads in a forum with categories) the category.
#[component]
pub fn NewTopicForm(kind: TopicKind, #[prop(optional)] categories: Vec<Category>) -> impl IntoView {
    let query = use_query_map();
    let space = query.read_untracked().get("space").unwrap_or_default();
    let tags = query.read_untracked().get("tags").unwrap_or_default();
    let category = query.read_untracked().get("category").unwrap_or_default();
    let action = ServerAction::<CreateTopic>::new();
    let error = action_error(action);
    let similar = RwSignal::new(Vec::new());
    let look_up = as_typed(similar, move |t: String| async move {
        if kind != TopicKind::Question || t.trim().chars().count() < 4 {
            return Vec::new();
        }
        similar_questions(t).await.unwrap_or_default()
    });
    let (body_label, submit, draft) = match kind {
        TopicKind::Question => ("Details", "Post your question", "ask"),
        _ => ("Message", "Start the thread", "thread"),
    };
    view! {
        <KeepDraft key=format!("{draft}:{space}")>
            <ActionForm action=action attr:novalidate=true attr:class="card">
                <FormAlert error/>
                <input type="hidden" name="kind" value=kind.as_str()/>
                <div on:input=move |ev| look_up(event_target_value(&ev))>
                    <Field
                        label="Title"
                        name="title"
                        hint={if kind == TopicKind::Question { "Your question in one line." } else { "What the thread is about, in one line." }}
                        error
                    />
                </div>
                {(kind == TopicKind::Question).then(|| view! {
                    <div class="similar" aria-live="polite">
                        {move || {
                            let found = similar.get();
                            (!found.is_empty()).then(|| view! {
                                <h2>"Similar questions already asked"</h2>
                                <ul class="similar-list">
                                    {found.into_iter().map(|s| view! {
                                        <li>
                                            <a href=format!("/t/{}", s.id)>{s.title}</a>
                                            <span class="meta">{format!(" · {} answers", s.answers)}</span>
                                            {s.accepted.map(|a| view! {
                                                <p class="accepted-answer"><span class="badge solved">"Accepted answer"</span> " " {a}</p>
                                            })}
                                        </li>
                                    }).collect_view()}
                                </ul>
                            })
                        }}
                    </div>
                })}
                <Field
                    label=body_label
                    name="body"
                    kind="textarea"
                    hint="Markdown works: **bold**, lists, links, `code`, @handle mentions."
                    error
                />
                <TagsField
                    label="Topics"
                    required={kind == TopicKind::Question}
                    initial=tags
                    hint={if kind == TopicKind::Question { "Separated with commas, for example: rust, deployment. Experts in these topics are told." } else { "Optional, separated with commas." }}
                    error
                />
                {(!categories.is_empty()).then(|| view! {
                    <CategoryField categories category error/>
                })}
                <Field
                    label="Space address"
                    name="space"
                    required=false
                    initial=space
                    hint="Optional: the address of a space you belong to (the part after /s/). Leave empty to post site-wide."
                    error
                />
                <button type="submit" class="primary" disabled=move || action.pending().get()>{submit}</button>
            </ActionForm>
        </KeepDraft>
    }
}

/// The forum category a new thread goes in.
#[component]
fn CategoryField(
    categories: Vec<Category>,
    category: String,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let message = move || {
        error
            .get()
            .and_then(|e| e.form_errors().and_then(|f| f.message_for("category")))
    };
    view! {
        <div class="field" class:invalid=move || message().is_some()>
            <label for="field-category">"Category"</label>
            <select id="field-category" name="category" aria-describedby="field-category-error">
                <option value="">"No category"</option>
                {categories.into_iter().map(|c| {
                    let id = c.id.to_string();
                    let category = category.clone();
                    // After a refused post, the category that was chosen.
                    let selected = move || {
                        error
                            .get()
                            .and_then(|e| e.form_errors().and_then(|f| f.value_of("category")))
                            .map_or(id == category, |typed| typed == id)
                    };
                    view! { <option value=c.id selected=selected>{c.name}</option> }
                }).collect_view()}
            </select>
            <p class="field-error" id="field-category-error" aria-live="polite">{message}</p>
        </div>
    }
}
