//! Search results: everything the reader may see, ranked, with highlighted snippets, filters,
//! and the people who know about the subject.

use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::search::search;
use crate::components::notifications::address_title;
use crate::components::require::RequireSignIn;
use crate::domain::nav::encode_query;
use crate::domain::search::{doc_kind_label, SearchHit, SearchKind, Segment};
use crate::domain::time::format_utc;

#[derive(Debug, Clone, PartialEq, Eq)]
struct Asked {
    q: String,
    kind: String,
    space: String,
    author: String,
    tag: String,
    days: i64,
    offset: i64,
}

impl Asked {
    fn href(&self, offset: i64) -> String {
        format!(
            "/search?q={}&kind={}&space={}&author={}&tag={}&days={}&offset={offset}",
            encode_query(&self.q),
            encode_query(&self.kind),
            encode_query(&self.space),
            encode_query(&self.author),
            encode_query(&self.tag),
            self.days
        )
    }
}

/// Highlighted text: matches in `<mark>`, everything escaped.
fn marked(segments: Vec<Segment>) -> impl IntoView {
    segments
        .into_iter()
        .map(|s| {
            if s.hit {
                Either::Left(view! { <mark>{s.text}</mark> })
            } else {
                Either::Right(s.text)
            }
        })
        .collect_view()
}

#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map();
    let asked = move || {
        let q = query.read();
        let get = |k: &str| q.get(k).unwrap_or_default();
        Asked {
            q: get("q"),
            kind: get("kind"),
            space: get("space"),
            author: get("author"),
            tag: get("tag"),
            days: get("days").parse().unwrap_or(0),
            offset: get("offset").parse().unwrap_or(0),
        }
    };
    let results = Resource::new(asked, |a| {
        search(a.q, a.kind, a.space, a.author, a.tag, a.days, a.offset)
    });
    view! {
        <Title text=address_title(move || format!("Search: {} · Cohort", asked().q))/>
        <RequireSignIn next="/search".to_owned() title="Search">
            <h1>{move || {
                let q = asked().q;
                if q.is_empty() { "Search".to_owned() } else { format!("Results for “{q}”") }
            }}</h1>
            <form class="card search-filters" method="get" action="/search" aria-label="Search filters">
                <input type="hidden" name="q" value=move || asked().q/>
                <div class="field">
                    <label for="filter-kind">"Show"</label>
                    <select id="filter-kind" name="kind">
                        {move || {
                            let current = asked().kind;
                            SearchKind::ALL.into_iter().map(|k| view! {
                                <option value=k.as_str() selected={current == k.as_str()}>{k.label()}</option>
                            }).collect_view()
                        }}
                    </select>
                </div>
                <div class="field">
                    <label for="filter-space">"In space (address)"</label>
                    <input id="filter-space" name="space" value=move || asked().space/>
                </div>
                <div class="field">
                    <label for="filter-author">"By person (handle)"</label>
                    <input id="filter-author" name="author" value=move || asked().author/>
                </div>
                <div class="field">
                    <label for="filter-tag">"Tagged"</label>
                    <input id="filter-tag" name="tag" value=move || asked().tag/>
                </div>
                <div class="field">
                    <label for="filter-days">"When"</label>
                    <select id="filter-days" name="days">
                        {move || {
                            let current = asked().days;
                            [(0, "Any time"), (7, "Past week"), (30, "Past month"), (365, "Past year")]
                                .into_iter()
                                .map(|(d, label)| view! { <option value=d selected={current == d}>{label}</option> })
                                .collect_view()
                        }}
                    </select>
                </div>
                <button type="submit">"Apply filters"</button>
            </form>
            <Suspense fallback=|| view! { <p>"Searching…"</p> }>
                {move || Suspend::new(async move {
                    let a = asked();
                    match results.await {
                        Ok(r) if a.q.trim().is_empty() => {
                            let _ = r;
                            Either::Left(view! { <p class="empty">"Type what you are looking for in the search box at the top."</p> }.into_any())
                        }
                        Ok(r) => {
                            let log = r.log_id;
                            let none = r.hits.is_empty();
                            Either::Left(view! {
                                {(!r.knows.is_empty()).then(|| view! {
                                    <section class="card" aria-labelledby="knows-title">
                                        <h2 id="knows-title">{format!("Who knows about “{}”", a.q)}</h2>
                                        <ul class="links">
                                            {r.knows.into_iter().map(|k| view! {
                                                <li>
                                                    <a href=k.person.href>{k.person.text}</a>
                                                    <span class="meta">{format!(" · {} answers, {} accepted, score {}", k.answers, k.accepted, k.score)}</span>
                                                </li>
                                            }).collect_view()}
                                        </ul>
                                    </section>
                                })}
                                {if none {
                                    Either::Left(view! {
                                        <p class="empty" role="status">
                                            "Nothing found. Try other words, or "
                                            <a href="/questions/ask">"ask a question"</a> "."
                                        </p>
                                    })
                                } else {
                                    Either::Right(view! {
                                        <ol class="search-results">
                                            {r.hits.into_iter().map(|h| view! { <Hit h log/> }).collect_view()}
                                        </ol>
                                    })
                                }}
                                {r.next.map(|n| view! { <a class="button" href=a.href(n)>"More results"</a> })}
                            }.into_any())
                        }
                        Err(e) => Either::Right(view! { <p class="form-alert" role="alert">{e.to_string()}</p> }),
                    }
                })}
            </Suspense>
        </RequireSignIn>
    }
}

#[component]
fn Hit(h: SearchHit, log: i64) -> impl IntoView {
    let open = format!("/api/search/open?log={log}&url={}", encode_query(&h.url));
    view! {
        <li class="card search-hit">
            <p class="meta">{doc_kind_label(&h.kind)}</p>
            <h2><a href=open rel="external">{marked(h.title)}</a></h2>
            <p class="snippet">{marked(h.snippet)}</p>
            <p class="meta">
                {h.author.map(|a| view! { <a href=a.href>{a.text}</a> " · " })}
                {h.space.map(|s| view! { "in " <a href=s.href>{s.text}</a> " · " })}
                <time>{format_utc(h.at)}</time>
                {(!h.tags.is_empty()).then(|| format!(" · {}", h.tags.join(", ")))}
            </p>
        </li>
    }
}
