//! A topic's replies: each with its votes and tools, and the forms to reply and edit.

use leptos::either::Either;
use leptos::prelude::*;

use crate::components::draft::KeepDraft;
use crate::components::form::{action_error, Field, FormAlert};
use crate::domain::discussion::{ReplyView, TopicKind};
use crate::domain::ids::{ReplyId, TopicId};
use crate::domain::time::format_utc;
use crate::pages::topic::TopicActions;

#[component]
#[allow(clippy::too_many_arguments)]
pub(crate) fn ReplyItem(
    r: ReplyView,
    nested: bool,
    kind: TopicKind,
    topic: TopicId,
    may_accept: bool,
    may_reply: bool,
    /// Its author asked to edit it.
    editing: bool,
    actions: TopicActions,
) -> impl IntoView {
    let rid = r.id;
    let noun = kind.reply_noun();
    let up = if r.my_vote == 1 { 0 } else { 1 };
    let down = if r.my_vote == -1 { 0 } else { -1 };
    let body = if editing {
        Either::Left(view! { <EditReplyForm r=r.clone() topic actions/> })
    } else {
        Either::Right(view! { <div class="post-body" inner_html=r.body_html.clone()></div> })
    };
    view! {
        <li id=format!("reply-{rid}") class="card reply" class:nested=nested class:accepted=r.accepted>
            <p class="meta">
                {r.accepted.then(|| view! { <span class="badge solved">"Accepted answer"</span> " " })}
                {r.unread.then(|| view! { <span class="badge new">"New"</span> " " })}
                <a href=r.author.href.clone()>{r.author.text.clone()}</a>
                {format!(" ({} points)", r.author_reputation)}
                {r.expert.then(|| view! { " " <span class="badge">"Expert"</span> })}
                {r.parent_author.clone().map(|p| format!(" · replying to {p}"))}
                " · " <time>{format_utc(r.at)}</time>
                {r.edited.then_some(" · edited")}
            </p>
            {body}
            <div class="reply-tools">
                {(kind == TopicKind::Question).then(|| view! {
                    <span class="score">{format!("Score {}", r.score)}</span>
                    {(!r.mine && may_reply).then(|| view! {
                        <ActionForm action=actions.vote>
                            <input type="hidden" name="reply" value=rid/>
                            <input type="hidden" name="value" value=up/>
                            <button type="submit" aria-pressed={if r.my_vote == 1 { "true" } else { "false" }}>"Vote up"</button>
                        </ActionForm>
                        <ActionForm action=actions.vote>
                            <input type="hidden" name="reply" value=rid/>
                            <input type="hidden" name="value" value=down/>
                            <button type="submit" aria-pressed={if r.my_vote == -1 { "true" } else { "false" }}>"Vote down"</button>
                        </ActionForm>
                    })}
                    {may_accept.then(|| view! {
                        <ActionForm action=actions.accept>
                            <input type="hidden" name="reply" value=rid/>
                            <button type="submit" class:primary={!r.accepted}>
                                {if r.accepted { "Undo acceptance" } else { "Accept this answer" }}
                            </button>
                        </ActionForm>
                    })}
                })}
                {may_reply.then(|| view! {
                    <a href=format!("/t/{topic}?reply_to={rid}#reply-form")>{format!("Reply to this {noun}")}</a>
                    <a href=format!("/t/{topic}?quote={rid}#reply-form")>"Quote"</a>
                })}
                {(r.mine && !editing).then(|| view! {
                    <a href=format!("/t/{topic}?edit_reply={rid}#reply-{rid}")>{format!("Edit {noun}")}</a>
                })}
                {r.may_delete.then(|| view! {
                    <ActionForm action=actions.delete_reply>
                        <input type="hidden" name="reply" value=rid/>
                        <button type="submit" class="link-button danger">{format!("Delete {noun}")}</button>
                    </ActionForm>
                })}
            </div>
        </li>
    }
}

#[component]
fn EditReplyForm(r: ReplyView, topic: TopicId, actions: TopicActions) -> impl IntoView {
    let error = action_error(actions.edit_reply);
    let rid = r.id;
    view! {
        <ActionForm action=actions.edit_reply attr:novalidate=true>
            <FormAlert error/>
            <input type="hidden" name="reply" value=rid/>
            <Field label="Edit your text" name="body" kind="textarea" id=format!("edit-reply-{rid}") initial=r.body_md.clone() error/>
            <button type="submit" class="primary">"Save changes"</button>
            " " <a href=format!("/t/{topic}#reply-{rid}")>"Cancel"</a>
        </ActionForm>
    }
}

#[component]
pub(crate) fn ReplyForm(
    topic: TopicId,
    kind: TopicKind,
    parent: Option<ReplyId>,
    parent_name: Option<String>,
    quoted: Option<String>,
    actions: TopicActions,
) -> impl IntoView {
    let error = action_error(actions.reply);
    let (heading, label, submit) = match kind {
        TopicKind::Question => ("Answer the question", "Your answer", "Post your answer"),
        TopicKind::Thread => ("Reply to the thread", "Your reply", "Post reply"),
        TopicKind::Article => ("Comment on the article", "Your comment", "Post comment"),
    };
    let form = NodeRef::<leptos::html::Form>::new();
    crate::components::form::reset_on_success(actions.reply, form);
    view! {
        <section class="card" id="reply-form" aria-labelledby="reply-form-title">
            <h2 id="reply-form-title">{heading}</h2>
            {parent_name.map(|n| view! {
                <p class="meta">{format!("Replying to {n} · ")} <a href=format!("/t/{topic}#reply-form")>"Reply to the topic instead"</a></p>
            })}
            <KeepDraft key=format!("topic:{topic}")>
                <ActionForm action=actions.reply node_ref=form attr:novalidate=true>
                    <FormAlert error/>
                    <input type="hidden" name="topic" value=topic/>
                    <input type="hidden" name="parent" value=parent.map(|p| p.to_string()).unwrap_or_default()/>
                    <Field
                        label=label
                        name="body"
                        kind="textarea"
                        initial=quoted.unwrap_or_default()
                        hint="Markdown works: **bold**, lists, links, `code`, @handle mentions."
                        error
                    />
                    <button type="submit" class="primary" disabled=move || actions.reply.pending().get()>{submit}</button>
                </ActionForm>
            </KeepDraft>
        </section>
    }
}
