//! Forums: the site's and each space's, with their categories, and starting a thread.

use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::forums::{get_forum, AddCategory, RemoveCategory};
use crate::components::discussion::TopicRows;
use crate::components::form::{action_error, Field, FormAlert};
use crate::components::not_found::NotFound;
use crate::components::require::RequireSignIn;
use crate::components::topic_form::NewTopicForm;
use crate::domain::discussion::{forum_href, ForumView, TopicKind};
use crate::domain::nav::encode_query;
use crate::error::AppError;

/// A forum's threads: pinned first, then by latest activity, with unread markers; its
/// categories, and for moderators the means to keep them.
#[component]
fn ForumList(#[prop(into)] slug: Signal<String>) -> impl IntoView {
    let query = use_query_map();
    let add = ServerAction::<AddCategory>::new();
    let remove = ServerAction::<RemoveCategory>::new();
    let asked = move || {
        let q = query.read();
        (
            slug.get(),
            q.get("category").unwrap_or_default(),
            q.get("tag").unwrap_or_default(),
            q.get("after").unwrap_or_default(),
        )
    };
    let forum = Resource::new(
        move || (asked(), add.version().get(), remove.version().get()),
        |((slug, category, tag, after), _, _)| get_forum(slug, category, tag, after),
    );
    let next = move || {
        let s = slug.get();
        if s.is_empty() {
            "/forum".to_owned()
        } else {
            format!("/s/{s}/forum")
        }
    };
    view! {
        <RequireSignIn next=next() title="Forum">
            <Suspense fallback=|| view! { <p>"Loading threads…"</p> }>
                {move || Suspend::new(async move {
                    let (_, _, tag, _) = asked();
                    match forum.await {
                        Ok(f) => Either::Left(view! { <ForumBody f tag add remove/> }),
                        Err(AppError::NotFound) => Either::Right(Either::Left(view! { <NotFound/> })),
                        Err(e) => Either::Right(Either::Right(view! { <p class="form-alert" role="alert">{e.to_string()}</p> })),
                    }
                })}
            </Suspense>
        </RequireSignIn>
    }
}

#[component]
fn ForumBody(
    f: ForumView,
    tag: String,
    add: ServerAction<AddCategory>,
    remove: ServerAction<RemoveCategory>,
) -> impl IntoView {
    let slug = f.slug.clone();
    let chosen = f.category;
    let start = {
        let mut href = format!("/forum/new?space={}", encode_query(&slug));
        if let Some(c) = chosen {
            href.push_str(&format!("&category={c}"));
        }
        href
    };
    let chosen_name = chosen
        .and_then(|c| f.categories.iter().find(|x| x.id == c))
        .map(|c| (c.name.clone(), c.description.clone()));
    let heading = match &chosen_name {
        Some((name, _)) => format!("{} · {name}", f.title),
        None => f.title.clone(),
    };
    let more = {
        let (slug, tag) = (slug.clone(), tag.clone());
        Box::new(move |n: &str| forum_href(&slug, chosen, &tag, n))
    };
    let empty = if f.may_post {
        "No threads here yet. Start the first one."
    } else {
        "No threads here yet."
    };
    view! {
        <Title text=format!("{heading} · Cohort")/>
        <div class="page-head">
            <h1>{heading}</h1>
            {f.may_post.then(|| view! { <a class="button primary" href=start>"Start a thread"</a> })}
        </div>
        {(!slug.is_empty()).then(|| view! {
            <p class="meta"><a href=format!("/s/{slug}")>"Back to the space"</a></p>
        })}
        {chosen_name.and_then(|(_, d)| (!d.is_empty()).then(|| view! { <p class="meta">{d}</p> }))}
        {(!f.categories.is_empty()).then(|| view! {
            <nav class="tabs" aria-label="Categories">
                <a href=forum_href(&slug, None, "", "") aria-current=chosen.is_none().then_some("page")>"All threads"</a>
                {f.categories.iter().map(|c| view! {
                    <a href=forum_href(&slug, Some(c.id), "", "") aria-current=(chosen == Some(c.id)).then_some("page")>{c.name.clone()}</a>
                }).collect_view()}
            </nav>
        })}
        {(!tag.is_empty()).then(|| view! {
            <p class="meta">"Tagged " <strong>{tag.clone()}</strong> " · " <a href=forum_href(&slug, chosen, "", "")>"Show all"</a></p>
        })}
        <TopicRows list=f.topics empty next_href=more/>
        {f.moderates.then(|| view! { <ManageCategories slug=slug.clone() categories=f.categories.clone() add remove/> })}
    }
}

/// Moderators add and remove a forum's categories.
#[component]
fn ManageCategories(
    slug: String,
    categories: Vec<crate::domain::discussion::Category>,
    add: ServerAction<AddCategory>,
    remove: ServerAction<RemoveCategory>,
) -> impl IntoView {
    let error = action_error(add);
    let form = NodeRef::<leptos::html::Form>::new();
    crate::components::form::reset_on_success(add, form);
    view! {
        <section class="card manage" aria-labelledby="categories-title">
            <h2 id="categories-title">"Categories"</h2>
            {if categories.is_empty() {
                Either::Left(view! { <p class="empty">"No categories yet: every thread is in the forum as a whole."</p> })
            } else {
                Either::Right(view! {
                    <ul class="links">
                        {categories.into_iter().map(|c| {
                            let slug = slug.clone();
                            view! {
                                <li>
                                    <strong>{c.name.clone()}</strong>
                                    {(!c.description.is_empty()).then(|| format!(" · {}", c.description))}
                                    <ActionForm action=remove attr:class="inline-form">
                                        <input type="hidden" name="category" value=c.id/>
                                        <input type="hidden" name="space" value=slug/>
                                        <button type="submit" class="link-button danger" aria-label=format!("Remove the category {}", c.name)>"Remove"</button>
                                    </ActionForm>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                    <p class="hint">"Removing a category keeps its threads, without a category."</p>
                })
            }}
            <ActionForm action=add node_ref=form attr:novalidate=true>
                <FormAlert error/>
                <input type="hidden" name="space" value=slug.clone()/>
                <Field label="Category name" name="name" id="category-name" error/>
                <Field label="Category description" name="description" id="category-description" required=false error/>
                <button type="submit">"Add category"</button>
            </ActionForm>
        </section>
    }
}

/// The site-wide forum.
#[component]
pub fn ForumPage() -> impl IntoView {
    view! { <ForumList slug=Signal::derive(String::new)/> }
}

/// A space's forum.
#[component]
pub fn SpaceForumPage() -> impl IntoView {
    let params = use_params_map();
    let slug = Signal::derive(move || params.read().get("slug").unwrap_or_default());
    view! { <ForumList slug/> }
}

/// Starting a thread (in the space given by `?space=`, or site-wide), in a category of its
/// forum if it has any.
#[component]
pub fn NewThreadPage() -> impl IntoView {
    let query = use_query_map();
    let space = query.read_untracked().get("space").unwrap_or_default();
    let next = format!("/forum/new?space={}", encode_query(&space));
    let forum = Resource::new(
        move || space.clone(),
        |space| get_forum(space, String::new(), String::new(), String::new()),
    );
    view! {
        <Title text="Start a thread · Cohort"/>
        <RequireSignIn next title="Start a thread">
            <section class="narrow">
                <h1>"Start a thread"</h1>
                <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                    {move || Suspend::new(async move {
                        match forum.await {
                            Ok(f) => Either::Left(view! { <NewTopicForm kind=TopicKind::Thread categories=f.categories/> }),
                            Err(AppError::NotFound) => Either::Right(Either::Left(view! { <NotFound/> })),
                            Err(e) => Either::Right(Either::Right(view! { <p class="form-alert" role="alert">{e.to_string()}</p> })),
                        }
                    })}
                </Suspense>
            </section>
        </RequireSignIn>
    }
}
