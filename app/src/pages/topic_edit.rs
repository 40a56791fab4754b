//! Editing a thread, question or article (its author or a moderator), and deleting it.

use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::blogs::article_form;
use crate::api::topics::{get_topic, DeleteTopic, EditTopic};
use crate::components::article_editor::{ArticleEditor, EditorRefused};
use crate::components::form::{action_error, Field, FormAlert};
use crate::components::require::RequireSignIn;
use crate::components::tags::TagsField;
use crate::domain::discussion::{TopicKind, TopicView};
use crate::domain::ids::TopicId;
use crate::error::AppError;

#[component]
pub fn EditTopicPage() -> impl IntoView {
    let id = crate::components::params::use_id_param::<TopicId>();
    // Made before any `Suspense` (see `crate::components::wall::wall_resource`).
    let topic = Resource::new(id, get_topic);
    let article = Resource::new(id, |id| article_form(id, String::new()));
    view! {
        <Title text="Edit · Cohort"/>
        <RequireSignIn next=format!("/t/{}/edit", id()) title="Edit">
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match topic.await {
                        Ok(t) if !t.may_edit => EitherOf3::C(view! { <EditorRefused e=AppError::Forbidden/> }.into_any()),
                        Ok(t) if t.kind == TopicKind::Article => {
                            let editor = match article.await {
                                Ok(f) => view! { <ArticleEditor f/> }.into_any(),
                                Err(e) => view! { <EditorRefused e/> }.into_any(),
                            };
                            EitherOf3::A(view! { {editor} <DeleteTopicForm t/> })
                        }
                        Ok(t) => EitherOf3::B(view! { <EditTopicForm t=t.clone()/> <DeleteTopicForm t/> }),
                        Err(e) => EitherOf3::C(view! { <EditorRefused e/> }.into_any()),
                    }
                })}
            </Suspense>
        </RequireSignIn>
    }
}

#[component]
fn EditTopicForm(t: TopicView) -> impl IntoView {
    let save = ServerAction::<EditTopic>::new();
    let error = action_error(save);
    let question = t.kind == TopicKind::Question;
    let noun = if question { "question" } else { "thread" };
    view! {
        <section class="narrow">
            <p class="meta"><a href=format!("/t/{}", t.id)>{format!("Back to the {noun}")}</a></p>
            <h1>{format!("Edit {noun}")}</h1>
            <ActionForm action=save attr:novalidate=true attr:class="card">
                <FormAlert error/>
                <input type="hidden" name="topic" value=t.id/>
                <Field label="Title" name="title" initial=t.title.clone() error/>
                <Field
                    label={if question { "Details" } else { "Message" }}
                    name="body"
                    kind="textarea"
                    initial=t.body_md.clone()
                    hint="Markdown works: **bold**, lists, links, `code`, @handle mentions."
                    error
                />
                <TagsField
                    label="Topics"
                    required=question
                    initial=t.tags.join(", ")
                    hint="Separated with commas."
                    error
                />
                <button type="submit" class="primary" disabled=move || save.pending().get()>"Save changes"</button>
            </ActionForm>
        </section>
    }
}

/// Deleting needs a tick first: it takes every reply with it.
#[component]
fn DeleteTopicForm(t: TopicView) -> impl IntoView {
    let delete = ServerAction::<DeleteTopic>::new();
    let error = action_error(delete);
    let noun = match t.kind {
        TopicKind::Question => "question",
        TopicKind::Thread => "thread",
        TopicKind::Article => "article",
    };
    let replies = t.replies.len();
    let message = move || {
        error
            .get()
            .and_then(|e| e.form_errors().and_then(|f| f.message_for("confirm")))
    };
    view! {
        <section class="card narrow manage" aria-labelledby="delete-title">
            <h2 id="delete-title">{format!("Delete this {noun}")}</h2>
            <ActionForm action=delete>
                <FormAlert error/>
                <input type="hidden" name="topic" value=t.id/>
                <div class="field choice" class:invalid=move || message().is_some()>
                    <input type="checkbox" id="confirm-delete" name="confirm" value="yes" aria-describedby="confirm-delete-error"/>
                    <label for="confirm-delete">{format!(
                        "Yes, delete it and its {replies} {}",
                        if replies == 1 { t.kind.reply_noun().to_owned() } else if t.kind.reply_noun() == "reply" { "replies".to_owned() } else { format!("{}s", t.kind.reply_noun()) }
                    )}</label>
                    <p class="field-error" id="confirm-delete-error" aria-live="polite">{message}</p>
                </div>
                <button type="submit" class="danger">{format!("Delete {noun}")}</button>
            </ActionForm>
        </section>
    }
}
