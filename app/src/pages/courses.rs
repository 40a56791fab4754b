//! The course catalog, a new course, and a course's page with its wrapper.

use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::courses::{
    get_course, list_courses, may_author, popular_courses, CreateCourse, Enrol, RateCourse,
    ShareProgress,
};
use crate::components::course_wrapper::CourseWrapper;
use crate::components::form::{action_error, Field, FormAlert, SelectField};
use crate::components::params::use_course_slug;
use crate::components::problem::problem_view;
use crate::components::require::RequireSignIn;
use crate::components::tags::{TagLinks, TagsField};
use crate::domain::course::{CourseCard, CourseView, EnrolPolicy};
use crate::domain::time::format_utc;
use crate::error::AppError;

#[component]
pub fn CatalogPage() -> impl IntoView {
    let query = use_query_map();
    let asked = move || {
        let q = query.read();
        (
            q.get("q").unwrap_or_default(),
            q.get("tag").unwrap_or_default(),
        )
    };
    let courses = Resource::new(asked, |(q, tag)| list_courses(q, tag));
    let author = Resource::new(|| (), |_| may_author());
    let popular = Resource::new(|| (), |_| popular_courses());
    view! {
        <Title text="Courses · Cohort"/>
        <RequireSignIn next="/courses".to_owned() title="Courses">
            <div class="page-head">
                <h1>"Courses"</h1>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        matches!(author.await, Ok(true)).then(|| view! {
                            <a class="button primary" href="/courses/new">"New course"</a>
                        })
                    })}
                </Suspense>
            </div>
            <form class="card search-filters" method="get" action="/courses" aria-label="Find courses">
                <div class="field">
                    <label for="course-q">"Words"</label>
                    <input id="course-q" name="q" type="search" value=move || asked().0/>
                </div>
                <div class="field">
                    <label for="course-tag">"Topic"</label>
                    <input id="course-tag" name="tag" type="text" value=move || asked().1/>
                </div>
                <button type="submit">"Find courses"</button>
            </form>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let list = popular.await.unwrap_or_default();
                    (!list.is_empty()).then(|| view! {
                        <section class="card" aria-labelledby="popular-courses">
                            <h2 id="popular-courses">"Popular in your spaces"</h2>
                            <CourseCards list/>
                        </section>
                    })
                })}
            </Suspense>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match courses.await {
                        Ok(list) if list.is_empty() => Either::Left(view! {
                            <p class="empty">"No courses match. Try other words, or clear the topic."</p>
                        }.into_any()),
                        Ok(list) => Either::Left(view! { <CourseCards list/> }.into_any()),
                        Err(e) => Either::Right(problem_view(e, "/courses".into(), "Courses")),
                    }
                })}
            </Suspense>
        </RequireSignIn>
    }
    .into_any()
}

#[component]
fn CourseCards(list: Vec<CourseCard>) -> impl IntoView {
    view! {
        <ul class="course-list">
            {list.into_iter().map(|c| view! {
                <li class="card course-card">
                    {c.cover.clone().map(|src| view! { <img class="card-cover" src=src alt="" width="600" height="200" loading="lazy"/> })}
                    <h2><a href=format!("/courses/{}", c.slug)>{c.title.clone()}</a></h2>
                    {(!c.published).then(|| view! { <span class="badge">"Draft"</span> })}
                    {c.enrolled.then(|| view! { <span class="badge">"Enrolled"</span> })}
                    <p>{c.summary.clone()}</p>
                    <p class="meta">
                        {format!("{} lessons · {} learners · {}", c.lesson_count, c.learner_count, c.rating.words())}
                    </p>
                    <TagLinks tags=c.tags.clone() base="/courses"/>
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}

fn policy_options() -> Vec<(&'static str, &'static str)> {
    EnrolPolicy::ALL
        .into_iter()
        .map(|p| (p.as_str(), p.label()))
        .collect()
}

#[component]
pub fn NewCoursePage() -> impl IntoView {
    let create = ServerAction::<CreateCourse>::new();
    let error = action_error(create);
    let author = Resource::new(|| (), |_| may_author());
    view! {
        <Title text="New course · Cohort"/>
        <RequireSignIn next="/courses/new".to_owned() title="New course">
            <section class="narrow">
                <h1>"New course"</h1>
                <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                    {move || Suspend::new(async move {
                        if !matches!(author.await, Ok(true)) {
                            return Either::Left(view! {
                                <p class="card">"Only authors, L&D managers and site admins write courses. Ask a site admin to make you an author."</p>
                            });
                        }
                        Either::Right(view! {
                            <ActionForm action=create attr:class="card" attr:novalidate=true>
                                <FormAlert error/>
                                <Field label="Title" name="title" error/>
                                <Field label="Summary" name="summary" kind="textarea" required=false
                                    hint="What learners will be able to do afterwards." error/>
                                <TagsField label="Topics" hint="Separate topics with commas." initial="" required=false error/>
                                <SelectField label="Enrolment" name="policy" options=policy_options() error/>
                                <p class="hint">"The course starts as a draft with its own space for discussion, an instructor blog and questions."</p>
                                <button type="submit" class="primary">"Create course"</button>
                            </ActionForm>
                        })
                    })}
                </Suspense>
            </section>
        </RequireSignIn>
    }
    .into_any()
}

#[component]
pub fn CoursePage() -> impl IntoView {
    let slug = use_course_slug();
    let enrol = ServerAction::<Enrol>::new();
    let share = ServerAction::<ShareProgress>::new();
    let rate = ServerAction::<RateCourse>::new();
    let course = Resource::new(
        move || {
            (
                slug(),
                enrol.version().get(),
                share.version().get(),
                rate.version().get(),
            )
        },
        |(slug, _, _, _)| get_course(slug),
    );
    view! {
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match course.await {
                    Ok(c) => view! { <CourseBody c enrol share rate/> }.into_any(),
                    Err(e) => problem_view(e, format!("/courses/{}", slug()), "Course"),
                }
            })}
        </Suspense>
    }
    .into_any()
}

#[component]
fn CourseBody(
    c: CourseView,
    enrol: ServerAction<Enrol>,
    share: ServerAction<ShareProgress>,
    rate: ServerAction<RateCourse>,
) -> impl IntoView {
    let enrol_error = action_error(enrol);
    let may_take = c.may_take();
    let next = c.next_lesson().map(|l| (l.id, l.title.clone()));
    let percent = c.percent();
    let share_slug = c.slug.clone();
    let lesson_count = c.lesson_count;
    view! {
        <Title text=format!("{} · Courses · Cohort", c.title)/>
        <div class="course-layout">
            <div class="course-main">
                <article class="card">
                    {c.cover.clone().map(|src| view! { <img class="cover" src=src alt="" width="1200" height="400"/> })}
                    <p class="meta"><a href="/courses">"Courses"</a></p>
                    <h1>
                        {c.title.clone()}
                        {(!c.published).then(|| view! { " " <span class="badge">"Draft"</span> })}
                    </h1>
                    <p>{c.summary.clone()}</p>
                    <p class="meta">
                        "By "
                        {c.authors.iter().enumerate().map(|(i, a)| view! {
                            {(i > 0).then_some(", ")}
                            <a href=a.href.clone()>{a.text.clone()}</a>
                        }).collect_view()}
                        {format!(" · {} lessons · {} learners · {}", c.lesson_count, c.learner_count, c.rating.words())}
                    </p>
                    {c.may_edit.then(|| view! {
                        <p><a class="button" href=format!("/courses/{}/edit", c.slug)>"Edit course"</a></p>
                    })}
                    <EnrolBox c=c.clone() enrol error=enrol_error/>
                    {c.enrolment.clone().filter(|e| !e.requested).map(|e| view! {
                        <div class="progress-box">
                            <p>
                                <strong>{format!("{percent}% complete")}</strong>
                                {format!(" ({} of {lesson_count} lessons)", e.completed_count)}
                                {e.due_at.map(|d| format!(" · due {}", format_utc(d)))}
                                {e.completed_at.map(|d| format!(" · completed {}", format_utc(d)))}
                            </p>
                            <progress max="100" value=percent aria-label="Course progress">{format!("{percent}%")}</progress>
                            {next.clone().map(|(id, title)| view! {
                                <p><a class="button primary" href=format!("/lessons/{id}")>
                                    {if e.completed_count == 0 { "Start: " } else { "Continue: " }}{title}
                                </a></p>
                            })}
                            <ActionForm action=share attr:class="inline-form">
                                <input type="hidden" name="slug" value=share_slug.clone()/>
                                <input type="hidden" name="share" value=(!e.share_progress).to_string()/>
                                <button type="submit" class="link-button">
                                    {if e.share_progress { "Hide my progress from the cohort" } else { "Show my progress to the cohort" }}
                                </button>
                            </ActionForm>
                        </div>
                    })}
                </article>
                <section class="card" aria-labelledby="outline-title">
                    <h2 id="outline-title">"Lessons"</h2>
                    {c.modules.is_empty().then(|| view! { <p class="empty">"No lessons yet."</p> })}
                    {c.modules.iter().map(|m| view! {
                        <h3>{m.title.clone()}</h3>
                        <ol class="lesson-list">
                            {m.lessons.iter().map(|l| {
                                let label = format!("{} · {}", l.title, l.kind.label());
                                view! {
                                    <li class:done=l.done>
                                        {if may_take && l.ready {
                                            Either::Left(view! { <a href=format!("/lessons/{}", l.id)>{label}</a> })
                                        } else {
                                            Either::Right(view! { <span>{label}</span> })
                                        }}
                                        {l.done.then(|| view! { " " <span class="badge done">"Done"</span> })}
                                    </li>
                                }
                            }).collect_view()}
                        </ol>
                    }).collect_view()}
                </section>
                <Reviews c=c.clone() rate/>
            </div>
            {may_take.then(|| view! { <CourseWrapper c=c.clone()/> })}
        </div>
    }
    .into_any()
}

/// Ratings and reviews; learners taking the course rate it.
#[component]
fn Reviews(c: CourseView, rate: ServerAction<RateCourse>) -> impl IntoView {
    let error = action_error(rate);
    let enrolled = c.enrolment.as_ref().is_some_and(|e| !e.requested);
    let (mine, my_text) = c.my_rating.clone().unwrap_or((0, String::new()));
    // What was chosen before a failed post (kept), else the saved rating.
    let chosen = move || {
        error
            .get()
            .and_then(|e| e.form_errors().and_then(|f| f.value_of("stars")))
            .and_then(|v| v.parse::<i64>().ok())
            .unwrap_or(mine)
    };
    let slug = c.slug.clone();
    view! {
        <section class="card" id="reviews" aria-labelledby="reviews-title">
            <h2 id="reviews-title">"Ratings and reviews"</h2>
            <p>{c.rating.words()}</p>
            {enrolled.then(|| view! {
                <ActionForm action=rate attr:novalidate=true>
                    <FormAlert error/>
                    <input type="hidden" name="slug" value=slug/>
                    <fieldset class="stars" aria-describedby="field-stars-error">
                        <legend>"Your rating"</legend>
                        {(1..=5_i64).map(|n| {
                            let id = format!("stars-{n}");
                            let label = if n == 1 { "1 star".to_owned() } else { format!("{n} stars") };
                            view! {
                                <input type="radio" id=id.clone() name="stars" value=n checked=move || chosen() == n/>
                                <label for=id>{label}</label>
                            }
                        }).collect_view()}
                    </fieldset>
                    <p class="field-error" id="field-stars-error" aria-live="polite">
                        {move || error.get().and_then(|e| e.form_errors().and_then(|f| f.message_for("stars")))}
                    </p>
                    <Field label="Your review" name="review" kind="textarea" required=false initial=my_text error/>
                    <button type="submit">"Save rating"</button>
                </ActionForm>
            })}
            {c.reviews.is_empty().then(|| view! { <p class="empty">"No reviews yet."</p> })}
            <ul class="reviews">
                {c.reviews.iter().map(|r| view! {
                    <li>
                        <p class="meta">
                            <a href=r.author.href.clone()>{r.author.text.clone()}</a>
                            {format!(" · {} out of 5 · {}", r.stars, format_utc(r.at))}
                        </p>
                        <p>{r.text.clone()}</p>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
    .into_any()
}

#[component]
fn EnrolBox(
    c: CourseView,
    enrol: ServerAction<Enrol>,
    error: Signal<Option<AppError>>,
) -> impl IntoView {
    let button = |label: &'static str, slug: String| {
        view! {
            <ActionForm action=enrol>
                <FormAlert error/>
                <input type="hidden" name="slug" value=slug/>
                <button type="submit" class="primary">{label}</button>
            </ActionForm>
        }
    };
    match (&c.enrolment, c.policy, c.published) {
        (Some(e), _, _) if e.requested => view! {
            <p class="notice">"You asked to enrol. The course's authors will decide."</p>
        }.into_any(),
        (Some(_), _, _) => ().into_any(),
        (None, _, false) => view! { <p class="meta">"This course is a draft: learners cannot enrol yet."</p> }.into_any(),
        (None, EnrolPolicy::Open, true) => button("Enrol", c.slug.clone()).into_any(),
        (None, EnrolPolicy::Request, true) => button("Ask to enrol", c.slug.clone()).into_any(),
        (None, EnrolPolicy::Assigned, true) => view! {
            <p class="meta">"Admins, L&D managers and the course's authors enrol people in this course."</p>
        }.into_any(),
    }
}
