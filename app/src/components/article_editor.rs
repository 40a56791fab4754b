//! The article editor, for a new article or an existing one, and why it may not open.

use leptos::either::Either;
use leptos::prelude::*;

use crate::api::blogs::SaveArticle;
use crate::components::draft::KeepDraft;
use crate::components::form::{action_error, CoverForm, Field, FormAlert};
use crate::components::not_found::NotFound;
use crate::components::tags::TagsField;
use crate::domain::discussion::{ArticleForm, ArticleStatus};
use crate::domain::ids::TopicId;
use crate::error::AppError;

/// Why the editor cannot open.
#[component]
pub fn EditorRefused(e: AppError) -> impl IntoView {
    let text = match e {
        AppError::NotFound => return Either::Left(view! { <NotFound/> }),
        AppError::Forbidden => {
            "Only its author, the blog's owner or, on a space's blog, its moderators may change this."
                .to_owned()
        }
        e => e.to_string(),
    };
    Either::Right(view! { <p class="form-alert" role="alert">{text}</p> })
}

/// The article editor, for a new article or an existing one.
#[component]
pub fn ArticleEditor(f: ArticleForm) -> impl IntoView {
    let save = ServerAction::<SaveArticle>::new();
    let error = action_error(save);
    let chosen = move |value: &'static str, initial: ArticleStatus| {
        error
            .get()
            .and_then(|e| e.form_errors().and_then(|x| x.value_of("status")))
            .map_or(initial.as_str() == value, |typed| typed == value)
    };
    let status_error = move || {
        error
            .get()
            .and_then(|e| e.form_errors().and_then(|x| x.message_for("status")))
    };
    let public_error = move || {
        error
            .get()
            .and_then(|e| e.form_errors().and_then(|x| x.message_for("public")))
    };
    let initial = f.status;
    let public = move || {
        error
            .get()
            .and_then(|e| e.form_errors().and_then(|x| x.value_of("public")))
            .map_or(f.public, |typed| !typed.is_empty())
    };
    let draft_key = if f.id == TopicId(0) {
        format!("article:{}", f.blog)
    } else {
        format!("article:{}", f.id)
    };
    let heading = if f.id == TopicId(0) {
        "Write an article"
    } else {
        "Edit article"
    };
    view! {
        <section class="narrow">
            <p class="meta"><a href=f.blog_href.clone()>{f.blog_title.clone()}</a></p>
            <h1>{heading}</h1>
            <KeepDraft key=draft_key>
                <ActionForm action=save attr:novalidate=true attr:class="card">
                    <FormAlert error/>
                    <input type="hidden" name="id" value=f.id/>
                    <input type="hidden" name="blog" value=f.blog.clone()/>
                    <Field label="Title" name="title" initial=f.title.clone() error/>
                    <Field
                        label="Article"
                        name="body"
                        kind="textarea"
                        initial=f.body.clone()
                        hint="Markdown: # headings, **bold**, lists, links, images by address, `code`, @handle mentions."
                        error
                    />
                    <TagsField label="Tags" required=false initial=f.tags.clone() hint="Optional, separated with commas." error/>
                    <fieldset class="field" class:invalid=move || status_error().is_some() aria-describedby="status-error">
                        <legend>"Publication"</legend>
                        {ArticleStatus::ALL.into_iter().map(|s| {
                            let id = format!("status-{}", s.as_str());
                            view! {
                                <div class="choice">
                                    <input type="radio" id=id.clone() name="status" value=s.as_str() checked=move || chosen(s.as_str(), initial)/>
                                    <label for=id>{s.label()}</label>
                                </div>
                            }
                        }).collect_view()}
                        <p class="field-error" id="status-error" aria-live="polite">{status_error}</p>
                    </fieldset>
                    <Field
                        label="Publish at (UTC)"
                        name="publish_at"
                        kind="datetime-local"
                        required=false
                        initial=f.publish_at.clone()
                        hint="For a scheduled article: the date and time it goes out, in UTC."
                        error
                    />
                    {f.may_be_public.then(|| view! {
                        <div class="field choice" class:invalid=move || public_error().is_some()>
                            <input type="checkbox" id="field-public" name="public" value="on" checked=public aria-describedby="field-public-error"/>
                            <label for="field-public">"Public: anyone on the web may read it, and the blog's Atom feed carries it"</label>
                            <p class="field-error" id="field-public-error" aria-live="polite">{public_error}</p>
                        </div>
                    })}
                    <button type="submit" class="primary" disabled=move || save.pending().get()>"Save article"</button>
                </ActionForm>
            </KeepDraft>
            {(f.id != TopicId(0)).then(|| view! { <CoverForm action="/media/article" owner_field="article" owner=f.id.to_string() what="article" cover=f.cover_url.clone()/> })}
            {(f.id == TopicId(0)).then(|| view! { <p class="meta">"Once the article is saved you can give it a cover picture."</p> })}
        </section>
    }
}
