//! A tag's page: everything with the tag that the reader may see.

use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::tags::tag_page;
use crate::components::discussion::TopicRows;
use crate::components::notifications::address_title;
use crate::components::require::RequireSignIn;
use crate::domain::feed::Link;
use crate::domain::nav::encode_query;

fn links(title: &'static str, items: Vec<Link>) -> impl IntoView {
    (!items.is_empty()).then(|| {
        view! {
            <section class="card">
                <h2>{title}</h2>
                <ul class="links">
                    {items.into_iter().map(|l| view! { <li><a href=l.href>{l.text}</a></li> }).collect_view()}
                </ul>
            </section>
        }
    })
}

#[component]
pub fn TagPage() -> impl IntoView {
    let params = use_params_map();
    let tag = move || params.read().get("tag").unwrap_or_default();
    let page = Resource::new(tag, tag_page);
    view! {
        <Title text=address_title(move || format!("Tagged {} · Cohort", tag()))/>
        <RequireSignIn next=format!("/tags/{}", encode_query(&tag())) title="Tag">
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(p) => {
                            let empty = p.topics.is_empty() && p.posts.is_empty() && p.spaces.is_empty() && p.people.is_empty();
                            let list = crate::domain::discussion::TopicList { items: p.topics, next: None };
                            Either::Left(view! {
                                <div class="page-head">
                                    <h1>{format!("Tagged “{}”", p.tag)}</h1>
                                    <a href=format!("/ask/{}", encode_query(&p.tag))>"Ask the experts on this topic"</a>
                                </div>
                                {empty.then(|| view! { <p class="empty">"Nothing you can see has this tag yet."</p> })}
                                {(!list.items.is_empty()).then(|| view! {
                                    <section class="card">
                                        <h2>"Threads, questions and articles"</h2>
                                        <TopicRows list empty="" next_href=Box::new(|_| String::new())/>
                                    </section>
                                })}
                                {links("Posts", p.posts)}
                                {links("Spaces", p.spaces)}
                                {links("People", p.people)}
                            })
                        }
                        Err(e) => Either::Right(view! { <p class="form-alert" role="alert">{e.to_string()}</p> }),
                    }
                })}
            </Suspense>
        </RequireSignIn>
    }
}
