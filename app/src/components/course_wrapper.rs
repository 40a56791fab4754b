//! The course wrapper beside a course or lesson: instructor blog, questions, the cohort.

use leptos::either::Either;
use leptos::prelude::*;

use crate::domain::course::CourseView;

/// The course wrapper beside the course or lesson: instructor blog, questions, the cohort.
#[component]
pub fn CourseWrapper(c: CourseView) -> impl IntoView {
    let space = c.space_slug.clone();
    view! {
        <aside class="course-wrapper" aria-label="Course community">
            <section class="card" aria-labelledby="blog-title">
                <h2 id="blog-title">"Instructor blog"</h2>
                {if c.announcements.is_empty() {
                    Either::Left(view! { <p class="empty">"No announcements yet."</p> })
                } else {
                    Either::Right(view! {
                        <ul class="links">
                            {c.announcements.iter().map(|a| view! { <li><a href=a.href.clone()>{a.text.clone()}</a></li> }).collect_view()}
                        </ul>
                    })
                }}
                <p><a href=format!("/s/{space}/blog")>"All announcements"</a></p>
            </section>
            <section class="card" aria-labelledby="qa-title">
                <h2 id="qa-title">"Course questions"</h2>
                {if c.questions.is_empty() {
                    Either::Left(view! { <p class="empty">"No questions yet. Ask from inside any lesson."</p> })
                } else {
                    Either::Right(view! {
                        <ul class="links">
                            {c.questions.iter().map(|q| view! { <li><a href=q.href.clone()>{q.text.clone()}</a></li> }).collect_view()}
                        </ul>
                    })
                }}
                <p><a href=format!("/s/{space}/forum")>"Course forum"</a> " · " <a href=format!("/s/{space}")>"Course space"</a></p>
            </section>
            <section class="card" aria-labelledby="cohort-title">
                <h2 id="cohort-title">"Cohort"</h2>
                {if c.cohort.is_empty() {
                    Either::Left(view! { <p class="empty">"No one else is taking this course yet."</p> })
                } else {
                    Either::Right(view! {
                        <ul class="cohort">
                            {c.cohort.iter().map(|m| view! {
                                <li>
                                    <a href=m.person.href.clone()>{m.person.text.clone()}</a>
                                    {m.online.then(|| view! { " " <span class="badge online">"online"</span> })}
                                    {m.percent.map(|p| format!(" · {p}%"))}
                                </li>
                            }).collect_view()}
                        </ul>
                    })
                }}
            </section>
        </aside>
    }
    .into_any()
}
