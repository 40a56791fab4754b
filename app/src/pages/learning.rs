//! My learning: what is due, in progress and done.

use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::courses::my_learning;
use crate::components::problem::problem_view;
use crate::components::require::RequireSignIn;
use crate::domain::course::LearningItem;
use crate::domain::time::format_utc;

#[component]
pub fn MyLearningPage() -> impl IntoView {
    let mine = Resource::new(|| (), |_| my_learning());
    view! {
        <Title text="My learning · Cohort"/>
        <RequireSignIn next="/learning".to_owned() title="My learning">
            <h1>"My learning"</h1>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match mine.await {
                        Ok(m) => {
                            let nothing = m.due.is_empty() && m.in_progress.is_empty() && m.done.is_empty();
                            view! {
                                {nothing.then(|| view! {
                                    <p class="card empty">"You are not taking any course yet. " <a href="/courses">"Find a course"</a> "."</p>
                                })}
                                <LearningList title="Due" id="due" items=m.due empty="Nothing assigned to you with a due date."/>
                                <LearningList title="In progress" id="in-progress" items=m.in_progress empty="Nothing in progress."/>
                                <LearningList title="Done" id="done" items=m.done empty="No course completed yet."/>
                            }.into_any()
                        }
                        Err(e) => problem_view(e, "/learning".into(), "My learning"),
                    }
                })}
            </Suspense>
        </RequireSignIn>
    }
    .into_any()
}

#[component]
fn LearningList(
    title: &'static str,
    id: &'static str,
    items: Vec<LearningItem>,
    empty: &'static str,
) -> impl IntoView {
    let heading = format!("{id}-title");
    let labelled = heading.clone();
    view! {
        <section class="card" aria-labelledby=labelled>
            <h2 id=heading>{title}</h2>
            {if items.is_empty() {
                Either::Left(view! { <p class="empty">{empty}</p> })
            } else {
                Either::Right(view! {
                    <ul class="learning-list">
                        {items.into_iter().map(|i| view! {
                            <li>
                                <a href=format!("/courses/{}", i.slug)>{i.title.clone()}</a>
                                {if i.requested {
                                    " · waiting for approval".to_owned()
                                } else {
                                    format!(" · {}% complete", i.percent)
                                }}
                                {i.due_at.map(|d| format!(" · due {}", format_utc(d)))}
                                {i.completed_at.map(|d| format!(" · completed {}", format_utc(d)))}
                            </li>
                        }).collect_view()}
                    </ul>
                })
            }}
        </section>
    }
    .into_any()
}
