//! Ask-the-Expert: the questions, asking one (with similar questions suggested while typing),
//! an expert's queue and a topic's Ask-the-Expert forum.

use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::topics::{expert_forum, expert_queue, list_topics, similar_questions, CreateTopic};
use crate::components::discussion::TopicRows;
use crate::components::draft::KeepDraft;
use crate::components::form::{action_error, Field, FormAlert};
use crate::components::require::RequireSignIn;
use crate::components::tags::TagsField;
use crate::components::typeahead::as_typed;
use crate::domain::discussion::{Category, TopicKind};
use crate::domain::nav::encode_query;
use crate::error::AppError;

/// All questions the reader may see, newest first, filtered by state and tag.
#[component]
pub fn QuestionsPage() -> impl IntoView {
    let query = use_query_map();
    let asked = move || {
        let q = query.read();
        (
            q.get("filter").unwrap_or_default(),
            q.get("tag").unwrap_or_default(),
            q.get("after").unwrap_or_default(),
        )
    };
    let page = Resource::new(asked, |(filter, tag, after)| {
        list_topics("question".into(), String::new(), tag, filter, after)
    });
    view! {
        <Title text="Questions · Cohort"/>
        <RequireSignIn next="/questions".to_owned() title="Questions">
            <div class="page-head">
                <h1>"Questions"</h1>
                <a class="button primary" href="/questions/ask">"Ask a question"</a>
            </div>
            <nav class="tabs" aria-label="Which questions">
                {move || {
                    let (filter, tag, _) = asked();
                    [("", "All"), ("unanswered", "Unanswered"), ("solved", "Solved")]
                        .into_iter()
                        .map(|(f, label)| {
                            let href = format!("/questions?filter={f}&tag={}", encode_query(&tag));
                            let current = (filter == f).then_some("page");
                            view! { <a href=href aria-current=current>{label}</a> }
                        })
                        .collect_view()
                }}
                <a href="/questions/queue">"My expert queue"</a>
            </nav>
            {move || {
                let (_, tag, _) = asked();
                (!tag.is_empty()).then(|| view! {
                    <p class="meta">
                        "Tagged " <strong>{tag.clone()}</strong> " · "
                        <a href=format!("/ask/{}", encode_query(&tag))>"Ask-the-Expert forum for this topic"</a>
                        " · " <a href="/questions">"Show all"</a>
                    </p>
                })
            }}
            <Suspense fallback=|| view! { <p>"Loading questions…"</p> }>
                {move || Suspend::new(async move {
                    let (filter, tag, _) = asked();
                    match page.await {
                        Ok(list) => Either::Left(view! {
                            <TopicRows
                                list
                                empty="No questions here yet."
                                next_href=Box::new(move |n| format!(
                                    "/questions?filter={filter}&tag={}&after={}",
                                    encode_query(&tag),
                                    encode_query(n)
                                ))
                            />
                        }),
                        Err(e) => Either::Right(view! { <p class="form-alert" role="alert">{e.to_string()}</p> }),
                    }
                })}
            </Suspense>
        </RequireSignIn>
    }
}

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

#[component]
pub fn AskQuestionPage() -> impl IntoView {
    view! {
        <Title text="Ask a question · Cohort"/>
        <RequireSignIn next="/questions/ask".to_owned() title="Ask a question">
            <section class="narrow">
                <h1>"Ask a question"</h1>
                <p class="meta">"Experts in the topics you give are told at once; the answer you accept helps everyone who asks after you."</p>
                <NewTopicForm kind=TopicKind::Question/>
            </section>
        </RequireSignIn>
    }
}

/// Unanswered questions in the reader's expertise topics, oldest first.
#[component]
pub fn ExpertQueuePage() -> impl IntoView {
    let page = Resource::new(|| (), |_| expert_queue());
    view! {
        <Title text="My expert queue · Cohort"/>
        <RequireSignIn next="/questions/queue".to_owned() title="My expert queue">
            <h1>"My expert queue"</h1>
            <p class="meta">
                "Unanswered questions in the topics you are an expert of, oldest first. Declare your expertise on "
                <a href="/profile/edit">"your profile"</a> "."
            </p>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(list) => Either::Left(view! {
                            <TopicRows list empty="Nothing waiting for you: every question in your topics has an answer." next_href=Box::new(|_| String::new())/>
                        }),
                        Err(e) => Either::Right(view! { <p class="form-alert" role="alert">{e.to_string()}</p> }),
                    }
                })}
            </Suspense>
        </RequireSignIn>
    }
}

/// The Ask-the-Expert forum of one topic: its experts, and its questions.
#[component]
pub fn ExpertForumPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let tag = move || params.read().get("tag").unwrap_or_default();
    let forum = Resource::new(
        move || (tag(), query.read().get("after").unwrap_or_default()),
        |(tag, after)| expert_forum(tag, after),
    );
    view! {
        <Title text=move || format!("Ask the experts: {} · Cohort", tag())/>
        <RequireSignIn next=format!("/ask/{}", encode_query(&tag())) title="Ask the experts">
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match forum.await {
                        Ok(f) => {
                            let tag = f.tag.clone();
                            let ask = format!("/questions/ask?tags={}", encode_query(&tag));
                            Either::Left(view! {
                                <div class="page-head">
                                    <h1>{format!("Ask the experts: {tag}")}</h1>
                                    <a class="button primary" href=ask>"Ask the experts"</a>
                                </div>
                                <div class="space-layout">
                                    <div class="space-main">
                                        <h2>"Questions"</h2>
                                        <TopicRows
                                            list=f.questions
                                            empty="No questions on this topic yet."
                                            next_href=Box::new(move |n| format!("/ask/{}?after={}", encode_query(&tag), encode_query(n)))
                                        />
                                    </div>
                                    <aside class="space-aside card" aria-labelledby="experts-title">
                                        <h2 id="experts-title">"Experts"</h2>
                                        {if f.experts.is_empty() {
                                            Either::Left(view! { <p class="empty">"Nobody has declared this expertise yet."</p> })
                                        } else {
                                            Either::Right(view! {
                                                <ul class="links">
                                                    {f.experts.into_iter().map(|e| view! {
                                                        <li>
                                                            <a href=e.person.href>{e.person.text}</a>
                                                            <span class="meta">{format!(" · {} points", e.reputation)}</span>
                                                            {e.appointed.then(|| view! { " " <span class="badge">"Appointed"</span> })}
                                                        </li>
                                                    }).collect_view()}
                                                </ul>
                                            })
                                        }}
                                    </aside>
                                </div>
                            })
                        }
                        Err(e) => Either::Right(view! { <p class="form-alert" role="alert">{e.to_string()}</p> }),
                    }
                })}
            </Suspense>
        </RequireSignIn>
    }
}
