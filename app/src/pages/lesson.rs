//! One lesson inside its course wrapper: the lesson (page, video or SCORM player) in the main
//! area; beside it the lesson's discussion, a question to the cohort, the instructor blog and
//! the cohort.

use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::courses::{get_lesson, AskCohort, DiscussLesson, MarkLessonDone};
use crate::components::course_wrapper::CourseWrapper;
use crate::components::form::{action_error, reset_on_success, Field, FormAlert};
use crate::components::problem::problem_view;
use crate::components::scorm::ScormPlayer;
use crate::domain::course::{human_size, LessonKind, LessonProgress, LessonView};
use crate::domain::ids::{LessonId, TopicId};
use crate::domain::time::format_utc;

#[derive(Clone, Copy)]
struct LessonActions {
    done: ServerAction<MarkLessonDone>,
    discuss: ServerAction<DiscussLesson>,
    ask: ServerAction<AskCohort>,
}

#[component]
pub fn LessonPage() -> impl IntoView {
    let id = crate::components::params::use_id_param::<LessonId>();
    let actions = LessonActions {
        done: ServerAction::new(),
        discuss: ServerAction::new(),
        ask: ServerAction::new(),
    };
    let lesson = Resource::new(
        move || {
            (
                id(),
                actions.done.version().get(),
                actions.discuss.version().get(),
            )
        },
        |(id, _, _)| get_lesson(id),
    );
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match lesson.await {
                    Ok(l) => view! { <LessonBody l actions/> }.into_any(),
                    Err(e) => problem_view(e, format!("/lessons/{}", id()), "Lesson"),
                }
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
fn LessonBody(l: LessonView, actions: LessonActions) -> impl IntoView {
    let enrolled = l.course.enrolment.as_ref().is_some_and(|e| !e.requested);
    // What the package's commits report, live.
    let progress = RwSignal::new(LessonProgress {
        done: l.done,
        score: l.score,
        course_percent: l.course.percent(),
    });
    let on_progress = Callback::new(move |p: LessonProgress| progress.set(p));
    let done_error = action_error(actions.done);
    Effect::new(move || {
        if let Some(Ok(p)) = actions.done.value().get() {
            progress.set(p);
        }
    });
    let course = l.course.clone();
    let lesson_id = l.id;
    let main = match (l.kind, l.video.clone(), l.package.clone()) {
        (LessonKind::Video, Some((src, true)), _) => (view! {
            <div class="video-frame">
                <iframe src=src title=format!("Video: {}", l.title) allowfullscreen=true
                    allow="fullscreen; picture-in-picture" referrerpolicy="strict-origin-when-cross-origin"></iframe>
            </div>
        }).into_any(),
        (LessonKind::Video, Some((src, false)), _) => (view! {
            <video class="lesson-video" src=src controls=true preload="metadata">
                <a href=l.video.clone().map(|v| v.0).unwrap_or_default()>"Download the video"</a>
            </video>
        }).into_any(),
        (LessonKind::Package, _, Some(p)) => (view! {
            <ScormPlayer lesson=l.id scos=p.scos.clone() title=format!("Lesson: {}", l.title) on_progress/>
        }).into_any(),
        (LessonKind::File, _, _) => match l.file.clone() {
            Some(f) => (view! {
                <p class="lesson-file">
                    <a class="button" href=f.url() download=f.name.clone()>{format!("Download {}", f.name)}</a>
                    {format!(" {}", human_size(f.size))}
                </p>
            }).into_any(),
            None => (view! { <p class="empty">"The file of this lesson is not uploaded yet."</p> }).into_any(),
        },
        (LessonKind::Video, None, _) => (view! { <p class="empty">"The video of this lesson is not uploaded yet."</p> }).into_any(),
        _ => ().into_any(),
    };
    let manual = l.kind != LessonKind::Package;
    view! {
        <Title text=format!("{} · {} · Cohort", l.title, course.title)/>
        <div class="course-layout lesson-layout">
            <div class="course-main">
                <article class="card lesson">
                    <p class="meta">
                        <a href="/courses">"Courses"</a> " › "
                        <a href=format!("/courses/{}", course.slug)>{course.title.clone()}</a>
                    </p>
                    <h1>{l.title.clone()}</h1>
                    <p class="lesson-status" role="status" aria-live="polite">
                        {move || {
                            let p = progress.get();
                            let state = if p.done { "Completed" } else { "Not completed yet" };
                            let score = p.score.map(|s| format!(" · score {}", s.round())).unwrap_or_default();
                            if enrolled {
                                format!("{state}{score} · course {}% complete", p.course_percent)
                            } else {
                                "Preview: your progress is not recorded.".to_owned()
                            }
                        }}
                    </p>
                    {main}
                    {(!l.body_html.is_empty()).then(|| view! { <div class="post-body" inner_html=l.body_html.clone()></div> })}
                    {(manual && enrolled).then(|| view! {
                        <ActionForm action=actions.done>
                            <FormAlert error=done_error/>
                            <input type="hidden" name="lesson" value=lesson_id/>
                            {move || if progress.get().done {
                                Either::Left(view! { <p class="badge done">"You completed this lesson."</p> })
                            } else {
                                Either::Right(view! { <button type="submit" class="primary">"Mark as done"</button> })
                            }}
                        </ActionForm>
                    })}
                    <nav class="lesson-nav" aria-label="Lessons">
                        {l.previous.map(|p| view! { <a href=format!("/lessons/{p}")>"Previous lesson"</a> })}
                        {l.next.map(|n| view! { <a class="button" href=format!("/lessons/{n}")>"Next lesson"</a> })}
                    </nav>
                </article>
            </div>
            <div class="lesson-side">
                <Discussion l=l.clone() actions/>
                <AskTheCohort lesson=lesson_id actions/>
                <CourseWrapper c=course/>
            </div>
        </div>
    }
    .into_any()
}

#[component]
fn Discussion(l: LessonView, actions: LessonActions) -> impl IntoView {
    let error = action_error(actions.discuss);
    let form = NodeRef::<leptos::html::Form>::new();
    reset_on_success(actions.discuss, form);
    view! {
        <section class="card" id="discussion" aria-labelledby="discussion-title">
            <h2 id="discussion-title">"Lesson discussion"</h2>
            {if l.discussion.is_empty() {
                Either::Left(view! { <p class="empty">"No one has written about this lesson yet. Start the discussion."</p> })
            } else {
                Either::Right(view! {
                    <ol class="discussion">
                        {l.discussion.iter().map(|p| view! {
                            <li>
                                <p class="meta"><a href=p.author.href.clone()>{p.author.text.clone()}</a> " · " {format_utc(p.at)}</p>
                                <div class="post-body" inner_html=p.body_html.clone()></div>
                            </li>
                        }).collect_view()}
                    </ol>
                })
            }}
            {l.thread_id.map(|t| view! { <p><a href=format!("/t/{t}")>"Open the whole thread"</a></p> })}
            <ActionForm action=actions.discuss node_ref=form attr:novalidate=true>
                <FormAlert error/>
                <input type="hidden" name="lesson" value=l.id/>
                <Field label="Your post" name="body" kind="textarea" id="discuss-body" error/>
                <button type="submit">"Post to the discussion"</button>
            </ActionForm>
        </section>
    }
    .into_any()
}

#[component]
fn AskTheCohort(lesson: LessonId, actions: LessonActions) -> impl IntoView {
    let error = action_error(actions.ask);
    let form = NodeRef::<leptos::html::Form>::new();
    reset_on_success(actions.ask, form);
    let query = use_query_map();
    let asked = move || match actions.ask.value().get() {
        Some(Ok(id)) => Some(id),
        _ => query
            .read()
            .get("asked")
            .and_then(|v| v.parse::<TopicId>().ok()),
    };
    view! {
        <section class="card" id="ask" aria-labelledby="ask-title">
            <h2 id="ask-title">"Ask the cohort"</h2>
            <p class="hint">"Your question goes to everyone taking the course; the player stays open."</p>
            <ActionForm action=actions.ask node_ref=form attr:novalidate=true>
                <FormAlert error/>
                <input type="hidden" name="lesson" value=lesson/>
                <Field label="Question" name="title" id="ask-title-field" error/>
                <Field label="Details" name="body" kind="textarea" id="ask-body" error/>
                <button type="submit">"Ask the cohort"</button>
            </ActionForm>
            {move || asked().map(|id| view! {
                <p role="status">"Your question is posted. " <a href=format!("/t/{id}")>"See your question"</a></p>
            })}
        </section>
    }
    .into_any()
}
