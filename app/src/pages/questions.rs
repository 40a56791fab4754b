//! Ask-the-Expert: the questions, asking one (with similar questions suggested while typing),
//! an expert's queue and a topic's Ask-the-Expert forum.

use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::topics::{expert_forum, expert_queue, list_topics};
use crate::components::discussion::TopicRows;
use crate::components::notifications::address_title;
use crate::components::require::RequireSignIn;
use crate::components::topic_form::NewTopicForm;
use crate::domain::discussion::TopicKind;
use crate::domain::nav::encode_query;

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
        <Title text=address_title(move || format!("Ask the experts: {} · Cohort", tag()))/>
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
