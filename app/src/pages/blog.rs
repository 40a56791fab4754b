//! Blogs: a person's and a space's articles, and the article editor (title, Markdown,
//! tags, draft / scheduled / published, public on the web, cover picture).

use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;
use leptos_meta::{Link as MetaLink, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::blogs::{article_form, get_blog};
use crate::components::article_editor::{ArticleEditor, EditorRefused};
use crate::components::discussion::TopicRows;
use crate::components::not_found::NotFound;
use crate::components::require::RequireSignIn;
use crate::domain::discussion::BlogView;
use crate::domain::ids::TopicId;
use crate::domain::nav::encode_query;
use crate::error::AppError;

/// A blog's articles, newest first, with its writers' drafts marked.
#[component]
fn Blog(#[prop(into)] key: Signal<String>, next: String) -> impl IntoView {
    let query = use_query_map();
    let blog = Resource::new(
        move || (key.get(), query.read().get("after").unwrap_or_default()),
        |(key, after)| get_blog(key, after),
    );
    view! {
        <RequireSignIn next title="Blog">
            <Suspense fallback=|| view! { <p>"Loading articles…"</p> }>
                {move || Suspend::new(async move {
                    match blog.await {
                        Ok(b) => EitherOf3::A(view! { <BlogBody b/> }),
                        Err(AppError::NotFound) => EitherOf3::B(view! { <NotFound/> }),
                        Err(e) => EitherOf3::C(view! { <p class="form-alert" role="alert">{e.to_string()}</p> }),
                    }
                })}
            </Suspense>
        </RequireSignIn>
    }
}

#[component]
fn BlogBody(b: BlogView) -> impl IntoView {
    let href = b.href.clone();
    let empty = if b.may_write {
        "No articles yet. Write the first one."
    } else {
        "No articles yet."
    };
    view! {
        <Title text=format!("{} · Cohort", b.title)/>
        {b.feed.clone().map(|f| view! {
            <MetaLink rel="alternate" type_="application/atom+xml" title=b.title.clone() href=f/>
        })}
        <div class="page-head">
            <h1>{b.title.clone()}</h1>
            {b.may_write.then(|| view! {
                <a class="button primary" href=format!("/blog/new?blog={}", encode_query(&b.key))>"Write an article"</a>
            })}
        </div>
        {b.feed.clone().map(|f| view! {
            <p class="meta"><a href=f>"Atom feed"</a>" of its public articles, for feed readers."</p>
        })}
        <TopicRows
            list=b.articles
            empty
            next_href=Box::new(move |n| format!("{href}?after={}", encode_query(n)))
        />
    }
}

/// A person's blog.
#[component]
pub fn PersonBlogPage() -> impl IntoView {
    let params = use_params_map();
    let handle = move || params.read().get("handle").unwrap_or_default();
    let key = Signal::derive(move || format!("u:{}", handle()));
    view! { <Blog key next=format!("/u/{}/blog", handle())/> }
}

/// A space's blog.
#[component]
pub fn SpaceBlogPage() -> impl IntoView {
    let params = use_params_map();
    let slug = move || params.read().get("slug").unwrap_or_default();
    let key = Signal::derive(move || format!("s:{}", slug()));
    view! { <Blog key next=format!("/s/{}/blog", slug())/> }
}

/// Writing a new article on the blog given by `?blog=` (`u:handle` or `s:slug`).
#[component]
pub fn NewArticlePage() -> impl IntoView {
    let query = use_query_map();
    let blog = query.read_untracked().get("blog").unwrap_or_default();
    let next = format!("/blog/new?blog={}", encode_query(&blog));
    let form = Resource::new(move || blog.clone(), |blog| article_form(TopicId(0), blog));
    view! {
        <Title text="Write an article · Cohort"/>
        <RequireSignIn next title="Write an article">
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match form.await {
                        Ok(f) => Either::Left(view! { <ArticleEditor f/> }),
                        Err(e) => Either::Right(view! { <EditorRefused e/> }),
                    }
                })}
            </Suspense>
        </RequireSignIn>
    }
}
