//! Lists of threads, questions and articles, shared by the forums, Q&A, blogs, the experts'
//! queue and tag pages.

use leptos::prelude::*;

use crate::domain::discussion::{ArticleStatus, TopicKind, TopicList, TopicSummary};
use crate::domain::nav::encode_query;
use crate::domain::time::format_utc;

/// Where a tag of a topic of `kind` leads: questions to the tag's Ask-the-Expert forum, the
/// rest to the tag's page.
pub fn tag_href(kind: TopicKind, tag: &str) -> String {
    match kind {
        TopicKind::Question => format!("/ask/{}", encode_query(tag)),
        _ => format!("/tags/{}", encode_query(tag)),
    }
}

/// A topic's tags as links.
#[component]
pub fn TopicTags(kind: TopicKind, tags: Vec<String>) -> impl IntoView {
    (!tags.is_empty()).then(|| {
        view! {
            <ul class="tags" aria-label="Tags">
                {tags.into_iter().map(|tag| {
                    let href = tag_href(kind, &tag);
                    view! { <li class="tag"><a href=href>{tag}</a></li> }
                }).collect_view()}
            </ul>
        }
    })
}

/// "3 replies", "1 answer", "no comments".
fn count_words(kind: TopicKind, n: i64) -> String {
    let noun = kind.reply_noun();
    match n {
        1 => format!("1 {noun}"),
        n if noun == "reply" => format!("{n} replies"),
        n => format!("{n} {noun}s"),
    }
}

/// One topic as a line of a list.
#[component]
pub fn TopicRow(t: TopicSummary) -> impl IntoView {
    let kind = t.kind;
    let count = count_words(kind, t.replies);
    let when = match (kind, t.status) {
        (TopicKind::Article, ArticleStatus::Scheduled) => {
            format!("to be published {}", format_utc(t.at))
        }
        (TopicKind::Article, ArticleStatus::Draft) => "not published".to_owned(),
        _ => format_utc(t.at),
    };
    view! {
        <li class="topic-row" class:unread={t.unread > 0}>
            {match t.cover_url.clone() {
                Some(src) => view! { <img class="topic-cover" src=src alt="" loading="lazy"/> }.into_any(),
                None => view! {
                    <div class="topic-count" aria-hidden="true">
                        <strong>{t.replies}</strong>
                        <span>{kind.reply_noun()}</span>
                    </div>
                }.into_any(),
            }}
            <div class="topic-main">
                <h3>
                    {t.pinned.then(|| view! { <span class="badge">"Pinned"</span> " " })}
                    <a href=t.href()>{t.title.clone()}</a>
                    {t.solved.then(|| view! { " " <span class="badge solved">"Solved"</span> })}
                    {t.locked.then(|| view! { " " <span class="badge">"Locked"</span> })}
                    {(t.status == ArticleStatus::Draft).then(|| view! { " " <span class="badge">"Draft"</span> })}
                    {(t.status == ArticleStatus::Scheduled).then(|| view! { " " <span class="badge">"Scheduled"</span> })}
                    {t.new.then(|| view! { " " <span class="badge new">"New"</span> })}
                    {(t.unread > 0).then(|| view! { " " <span class="badge new">"Unread replies"</span> })}
                </h3>
                <p class="meta">
                    {format!("{count} · ")}
                    <a href=t.author.href.clone()>{t.author.text.clone()}</a>
                    {t.space.clone().map(|s| view! { " in " <a href=s.href>{s.text}</a> })}
                    {t.category.clone().map(|c| view! { " · " <span class="category">{c}</span> })}
                    " · " <time>{when}</time>
                </p>
                {(!t.excerpt.is_empty()).then(|| view! { <p class="excerpt">{t.excerpt.clone()}</p> })}
                <TopicTags kind tags=t.tags.clone()/>
            </div>
        </li>
    }
}

/// A list of topics with a link to the next page (`next_href` builds it from the cursor).
#[component]
pub fn TopicRows(
    list: TopicList,
    #[prop(into)] empty: String,
    next_href: Box<dyn Fn(&str) -> String + Send + Sync>,
) -> impl IntoView {
    if list.items.is_empty() {
        return view! { <p class="empty">{empty}</p> }.into_any();
    }
    view! {
        <ul class="topic-list">
            {list.items.into_iter().map(|t| view! { <TopicRow t/> }).collect_view()}
        </ul>
        {list.next.map(|n| view! { <a class="button" href=next_href(&n)>"More"</a> })}
    }
    .into_any()
}
