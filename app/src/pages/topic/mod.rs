//! One thread, question or article with its replies, answers or comments: reading (threaded
//! or flat), replying with quote and reply-to, votes, accepting an answer, reactions,
//! editing and deleting, watching and muting, pinning, locking and moving. Changes others
//! make arrive live.

mod replies;

use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::topics::{
    get_topic, AcceptAnswer, DeleteReply, EditReply, ModerateTopic, MoveTopic, ReactToTopic,
    ReplyToTopic, SetTopicLevel, VoteOnAnswer,
};
use crate::components::discussion::TopicTags;
use crate::components::form::action_error;
use crate::components::not_found::NotFound;
use crate::components::params::use_id_param;
use crate::components::realtime::{use_live, Live};
use crate::components::require::SignInFirst;
use crate::components::session::use_session;
use crate::components::wall::ReactionButton;
use crate::domain::discussion::{ArticleStatus, ReplyView, TopicKind, TopicView};
use crate::domain::ids::{ReplyId, TopicId};
use crate::domain::realtime::{topic as rt, EventBody};
use crate::domain::time::format_utc;
use crate::error::AppError;
use crate::pages::topic::replies::{ReplyForm, ReplyItem};

#[derive(Clone, Copy)]
pub(crate) struct TopicActions {
    reply: ServerAction<ReplyToTopic>,
    vote: ServerAction<VoteOnAnswer>,
    accept: ServerAction<AcceptAnswer>,
    level: ServerAction<SetTopicLevel>,
    moderate: ServerAction<ModerateTopic>,
    moving: ServerAction<MoveTopic>,
    react: ServerAction<ReactToTopic>,
    edit_reply: ServerAction<EditReply>,
    delete_reply: ServerAction<DeleteReply>,
}

impl TopicActions {
    fn new() -> Self {
        TopicActions {
            reply: ServerAction::new(),
            vote: ServerAction::new(),
            accept: ServerAction::new(),
            level: ServerAction::new(),
            moderate: ServerAction::new(),
            moving: ServerAction::new(),
            react: ServerAction::new(),
            edit_reply: ServerAction::new(),
            delete_reply: ServerAction::new(),
        }
    }

    /// What went wrong with the last of the small actions (votes, acceptance, watching,
    /// pinning, moving, reactions, deleting a reply), in words.
    fn problem(&self) -> Signal<Option<String>> {
        let errors = [
            action_error(self.vote),
            action_error(self.accept),
            action_error(self.level),
            action_error(self.moderate),
            action_error(self.moving),
            action_error(self.react),
            action_error(self.delete_reply),
        ];
        Signal::derive(move || {
            errors.iter().find_map(|e| {
                e.get().map(|e| match e.form_errors() {
                    Some(f) => f.summary(),
                    None => e.to_string(),
                })
            })
        })
    }

    fn version(&self) -> usize {
        self.reply.version().get()
            + self.vote.version().get()
            + self.accept.version().get()
            + self.level.version().get()
            + self.moderate.version().get()
            + self.moving.version().get()
            + self.react.version().get()
            + self.edit_reply.version().get()
            + self.delete_reply.version().get()
    }
}

#[component]
pub fn TopicPage() -> impl IntoView {
    let id = use_id_param::<TopicId>();
    let actions = TopicActions::new();
    // Bumped when someone else changes the topic and the reader asks to see it.
    let shown = RwSignal::new(0_usize);
    let topic = Resource::new(
        move || (id(), actions.version(), shown.get()),
        |(id, _, _)| get_topic(id),
    );
    let changed = RwSignal::new(false);
    let session = use_session();
    let query = use_query_map();
    use_live(
        Signal::derive(move || vec![rt::thread(id())]),
        move |live| match live {
            Live::Event {
                body: EventBody::TopicChanged { actor, .. },
                ..
            } if session.user_id_untracked() != Some(actor) => changed.set(true),
            Live::Refetch => changed.set(true),
            Live::Event { .. } => {}
        },
    );
    view! {
        <div class="topic-live" aria-live="polite">
            {move || changed.get().then(|| view! {
                <button type="button" class="primary new-items" on:click=move |_| {
                    changed.set(false);
                    shown.update(|n| *n += 1);
                }>"New activity here: show it"</button>
            })}
        </div>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || {
                // Read here, so a link that only changes the query (quote, flat) re-renders.
                let shape = Shape::of(&query.read());
                Suspend::new(async move {
                match topic.await {
                    Ok(t) => EitherOf3::A(view! { <TopicBody t shape actions/> }),
                    Err(AppError::NotFound) => EitherOf3::B(Either::Left(view! { <NotFound/> })),
                    Err(AppError::Unauthorized(_)) => EitherOf3::B(Either::Right(view! {
                        <SignInFirst next=format!("/t/{}", id()) title="Topic"/>
                    })),
                    Err(e) => EitherOf3::C(view! { <p class="form-alert" role="alert">{e.to_string()}</p> }),
                }
            })}}
        </Suspense>
    }
}

/// Replies in reading order, each with whether it hangs under another. Threads read threaded
/// (replies under what they answer) unless the reader asks for flat; the rest by time, or
/// (questions) best first as they come.
fn ordered(t: &TopicView, flat: bool) -> Vec<(ReplyView, bool)> {
    if t.kind != TopicKind::Thread || flat {
        return t.replies.iter().cloned().map(|r| (r, false)).collect();
    }
    let mut out = Vec::new();
    for r in t.replies.iter().filter(|r| r.parent_id.is_none()) {
        out.push((r.clone(), false));
        for c in t.replies.iter().filter(|c| c.parent_id == Some(r.id)) {
            out.push((c.clone(), true));
        }
    }
    // Replies whose parent is gone still show.
    for r in &t.replies {
        if !out.iter().any(|(o, _)| o.id == r.id) {
            out.push((r.clone(), false));
        }
    }
    out
}

fn kind_label(kind: TopicKind) -> &'static str {
    match kind {
        TopicKind::Question => "Question",
        TopicKind::Thread => "Forum thread",
        TopicKind::Article => "Article",
    }
}

/// How the reader asked to see the topic: flat or threaded, replying to, quoting or editing
/// a reply.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Shape {
    flat: bool,
    reply_to: Option<ReplyId>,
    quote: Option<ReplyId>,
    editing: Option<ReplyId>,
}

impl Shape {
    fn of(q: &leptos_router::params::ParamsMap) -> Shape {
        let id = |k: &str| q.get(k).and_then(|s| s.parse::<ReplyId>().ok());
        Shape {
            flat: q.get("view").as_deref() == Some("flat"),
            reply_to: id("reply_to"),
            quote: id("quote"),
            editing: id("edit_reply"),
        }
    }
}

#[component]
fn TopicBody(t: TopicView, shape: Shape, actions: TopicActions) -> impl IntoView {
    let Shape {
        flat,
        reply_to,
        quote,
        editing,
    } = shape;
    let may_accept = t.may_accept();
    let kind = t.kind;
    let id = t.id;
    let n = t.replies.len();
    let replies_title = match (kind.reply_noun(), n) {
        (noun, 1) => format!("1 {noun}"),
        ("reply", n) => format!("{n} replies"),
        (noun, n) => format!("{n} {noun}s"),
    };
    let quoted = quote
        .and_then(|q| t.replies.iter().find(|r| r.id == q))
        .map(|r| {
            let quoted: String = r.body_md.lines().map(|l| format!("> {l}\n")).collect();
            format!("{} wrote:\n{quoted}\n", r.author.text)
        });
    let parent = reply_to.or(quote);
    let parent_name = parent
        .and_then(|p| t.replies.iter().find(|r| r.id == p))
        .map(|r| r.author.text.clone());
    let rows = ordered(&t, flat);
    let where_from = t.blog.clone().or(t.space.clone());
    view! {
        <Title text=format!("{} · Cohort", t.title)/>
        <article class="card topic">
            {t.cover_url.clone().map(|src| view! { <img class="article-cover" src=src alt=""/> })}
            <header>
                <p class="meta">
                    {kind_label(kind)}
                    {where_from.map(|s| view! { " in " <a href=s.href>{s.text}</a> })}
                    {t.category.clone().map(|c| view! { " · category " <strong>{c.name}</strong> })}
                </p>
                <h1>
                    {t.title.clone()}
                    {t.solved.then(|| view! { " " <span class="badge solved">"Solved"</span> })}
                    {t.pinned.then(|| view! { " " <span class="badge">"Pinned"</span> })}
                    {t.locked.then(|| view! { " " <span class="badge">"Locked"</span> })}
                    {(t.status == ArticleStatus::Draft).then(|| view! { " " <span class="badge">"Draft"</span> })}
                    {(t.status == ArticleStatus::Scheduled).then(|| view! { " " <span class="badge">"Scheduled"</span> })}
                </h1>
                <p class="meta">
                    <a href=t.author.href.clone()>{t.author.text.clone()}</a>
                    {(kind != TopicKind::Article).then(|| format!(" ({} points)", t.author_reputation))}
                    " · "
                    {match t.status {
                        ArticleStatus::Scheduled => format!("to be published {}", format_utc(t.published_at)),
                        _ => format_utc(t.published_at),
                    }}
                    {t.edited.then_some(" · edited")}
                    {t.public.then_some(" · public on the web")}
                </p>
            </header>
            <div class="post-body" inner_html=t.body_html.clone()></div>
            <TopicTags kind tags=t.tags.clone()/>
            {(kind == TopicKind::Article && t.status == ArticleStatus::Published).then(|| view! {
                <Reactions t=t.clone() actions/>
            })}
            {t.signed_in.then(|| view! { <TopicTools t=t.clone() actions/> })}
            {move || actions.problem().get().map(|p| view! { <p class="form-alert" role="alert">{p}</p> })}
        </article>
        <section class="replies" aria-labelledby="replies-title">
            <div class="page-head">
                <h2 id="replies-title">{replies_title}</h2>
                {(kind == TopicKind::Thread).then(|| if flat {
                    Either::Left(view! { <a href=format!("/t/{id}")>"Show threaded"</a> })
                } else {
                    Either::Right(view! { <a href=format!("/t/{id}?view=flat")>"Show flat by time"</a> })
                })}
            </div>
            {(n == 0).then(|| view! {
                <p class="empty">{match kind {
                    TopicKind::Question => "No answers yet. If you know, answer below.",
                    TopicKind::Thread => "No replies yet.",
                    TopicKind::Article => "No comments yet.",
                }}</p>
            })}
            <ol class="reply-list">
                {rows.into_iter().map(|(r, nested)| {
                    let editing = editing == Some(r.id) && r.mine;
                    view! { <ReplyItem r nested kind topic=id may_accept may_reply=t.may_reply editing actions/> }
                }).collect_view()}
            </ol>
        </section>
        {if t.may_reply {
            EitherOf3::A(view! { <ReplyForm topic=id kind parent parent_name quoted actions/> })
        } else if !t.signed_in {
            EitherOf3::B(view! {
                <p class="meta"><a href=format!("/sign-in?next=/t/{id}")>"Sign in"</a> " to comment."</p>
            })
        } else {
            EitherOf3::C(view! {
                <p class="meta">{if t.locked {
                    "This topic is locked: no more replies."
                } else if t.status != ArticleStatus::Published {
                    "Comments open once the article is published."
                } else {
                    "Join the space to take part."
                }}</p>
            })
        }}
    }
}

/// Reactions to an article, as on wall posts.
#[component]
fn Reactions(t: TopicView, actions: TopicActions) -> impl IntoView {
    let can = t.may_reply;
    view! {
        <div class="reactions" role="group" aria-label="Reactions">
            {t.reactions.into_iter().map(|r| view! {
                <ActionForm action=actions.react>
                    <input type="hidden" name="topic" value=t.id/>
                    <input type="hidden" name="kind" value=r.kind.as_str()/>
                    <ReactionButton r can/>
                </ActionForm>
            }).collect_view()}
        </div>
    }
}

/// Watch and mute; edit; and for moderators pin, lock and move.
#[component]
fn TopicTools(t: TopicView, actions: TopicActions) -> impl IntoView {
    let id = t.id;
    let watching = t.level == "watching";
    let muted = t.level == "muted";
    let noun = match t.kind {
        TopicKind::Question => "question",
        TopicKind::Thread => "thread",
        TopicKind::Article => "article",
    };
    let level = move |value: &'static str, label: String| {
        view! {
            <ActionForm action=actions.level>
                <input type="hidden" name="topic" value=id/>
                <input type="hidden" name="level" value=value/>
                <button type="submit">{label}</button>
            </ActionForm>
        }
    };
    let moderate = move |action: &'static str, label: &'static str| {
        view! {
            <ActionForm action=actions.moderate>
                <input type="hidden" name="topic" value=id/>
                <input type="hidden" name="action" value=action/>
                <button type="submit">{label}</button>
            </ActionForm>
        }
    };
    view! {
        <div class="topic-tools">
            {if watching {
                level("normal", "Stop watching".into())
            } else {
                level("watching", format!("Watch this {noun}"))
            }}
            {if muted { level("normal", "Unmute".into()) } else { level("muted", format!("Mute this {noun}")) }}
            {t.may_edit.then(|| view! { <a class="button" href=format!("/t/{id}/edit")>{format!("Edit {noun}")}</a> })}
            {(t.moderates && t.kind != TopicKind::Article).then(|| view! {
                {if t.pinned { moderate("unpin", "Unpin") } else { moderate("pin", "Pin") }}
                {if t.locked { moderate("unlock", "Unlock") } else { moderate("lock", "Lock") }}
            })}
        </div>
        {(t.moderates && t.kind == TopicKind::Thread && !t.categories.is_empty()).then(|| {
            let current = t.category.as_ref().map(|c| c.id);
            view! {
                <ActionForm action=actions.moving attr:class="inline-form">
                    <input type="hidden" name="topic" value=id/>
                    <label for="move-category">"Category"</label>
                    <select id="move-category" name="category">
                        <option value="" selected=current.is_none()>"No category"</option>
                        {t.categories.iter().map(|c| view! {
                            <option value=c.id selected=current == Some(c.id)>{c.name.clone()}</option>
                        }).collect_view()}
                    </select>
                    <button type="submit">"Move thread"</button>
                </ActionForm>
            }
        })}
    }
}
