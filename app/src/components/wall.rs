//! A wall: the compose form, posts with reactions, comments and replies, and older pages.
//! The same for a space's wall and a person's.

use leptos::either::Either;
use leptos::html::Form;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use leptos::server::ServerActionError;
use leptos::server_fn::error::ServerFnUrlError;
use leptos::server_fn::ServerFn;
use web_sys::FormData;

use crate::api::walls::{
    get_post, person_wall, post_live, post_with_picture, space_wall, AddComment, DeletePost,
    EditPost, PinPost, PostWithPicture, ToggleReaction,
};
use crate::components::form::{action_error, reset_on_success, Field, FormAlert, PictureField};
use crate::components::realtime::{at_top, use_live, use_realtime, Live, NewItemsBar};
use crate::components::session::use_session;
use crate::domain::activity::Verb;
use crate::domain::ids::{CommentId, PostId};
use crate::domain::nav::encode_query;
use crate::domain::post::{CommentView, PostView, WallPage};
use crate::domain::realtime::EventBody;
use crate::domain::time::format_utc;
use crate::error::AppError;
use leptos::task::spawn_local;

/// One reaction's button, pressed when it is the reader's: in a form of the caller's (wall
/// posts, articles).
#[component]
pub fn ReactionButton(r: crate::domain::post::ReactionCount, can: bool) -> impl IntoView {
    view! {
        <button
            type="submit"
            class="reaction"
            class:mine=r.mine
            aria-pressed=if r.mine { "true" } else { "false" }
            disabled=!can
        >
            <span aria-hidden="true">{r.kind.symbol()}</span>
            {format!(" {} {}", r.kind.label(), r.count)}
        </button>
    }
}

/// Whose wall.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WallOf {
    /// A space's, by slug.
    Space(String),
    /// A person's, by handle.
    Person(String),
}

impl WallOf {
    /// The page the wall is on.
    fn page(&self) -> String {
        match self {
            WallOf::Space(slug) => format!("/s/{slug}"),
            WallOf::Person(handle) => format!("/u/{handle}"),
        }
    }
}

/// The actions of a wall; their versions tell it when to reload.
#[derive(Clone, Copy)]
pub struct WallActions {
    /// The compose form, which may carry a picture (multipart, so not an `ActionForm`).
    pub send: Action<FormData, Result<PostId, AppError>>,
    pub comment: ServerAction<AddComment>,
    pub react: ServerAction<ToggleReaction>,
    pub delete: ServerAction<DeletePost>,
    pub edit: ServerAction<EditPost>,
    pub pin: ServerAction<PinPost>,
}

impl WallActions {
    /// Creates the actions and provides them to the wall below.
    pub fn provide() -> Self {
        let actions = WallActions {
            send: Action::new_local(|data: &FormData| post_with_picture(data.clone().into())),
            comment: ServerAction::new(),
            react: ServerAction::new(),
            delete: ServerAction::new(),
            edit: ServerAction::new(),
            pin: ServerAction::new(),
        };
        provide_context(actions);
        actions
    }

    /// Changes to the wall.
    pub fn version(&self) -> [usize; 6] {
        [
            self.send.version().get(),
            self.comment.version().get(),
            self.react.version().get(),
            self.delete.version().get(),
            self.edit.version().get(),
            self.pin.version().get(),
        ]
    }
}

/// A page of a wall, as loaded for the page showing it.
pub type WallResource = Resource<Result<WallPage, AppError>>;

/// The wall's data. Pages create it at their top, before any `Suspense`, like all their
/// resources: resources created inside a resolved `Suspend` hydrate out of step with the
/// server render. `reload` is for changes outside the wall that affect it (archiving).
pub fn wall_resource(of: Signal<WallOf>, reload: Signal<usize>) -> WallResource {
    let actions = expect_context::<WallActions>();
    let query = use_query_map();
    let before = move || query.read().get("before").unwrap_or_default();
    Resource::new(
        move || (of.get(), before(), actions.version(), reload.get()),
        |(of, b, _, _)| async move {
            match of {
                WallOf::Space(slug) => space_wall(slug, b).await,
                WallOf::Person(handle) => person_wall(handle, b).await,
            }
        },
    )
}

/// A wall with its compose form. Posts by others appear live: at once when the reader is at
/// the top, behind a "Show N new posts" button when they are reading further down.
#[component]
pub fn Wall(of: WallOf, page: WallResource) -> impl IntoView {
    let session = use_session();
    // New posts fetched since the page loaded, newest first; and those announced but not shown.
    let fresh = RwSignal::new(Vec::<PostView>::new());
    let pending = RwSignal::new(Vec::<i64>::new());
    let show = move |ids: Vec<i64>| {
        spawn_local(async move {
            for id in ids {
                match get_post(PostId(id)).await {
                    Ok(p) => fresh.update(|f| {
                        if !f.iter().any(|q| q.id == p.id) {
                            f.insert(0, p);
                        }
                    }),
                    // Deleted meanwhile, or no longer readable: nothing to show.
                    Err(AppError::NotFound | AppError::Forbidden) => {}
                    // The network: keep it for the button, or for when the socket is back.
                    Err(_) => pending.update(|p| p.push(id)),
                }
            }
        });
    };
    // Back online with posts announced but not fetched: fetch them if the reader is at the top.
    let connected = use_realtime().connected;
    Effect::new(move |_| {
        if connected.get() && at_top() && !pending.get_untracked().is_empty() {
            show(pending.get_untracked());
            pending.set(Vec::new());
        }
    });
    let topic = Signal::derive(move || {
        page.get()
            .and_then(Result::ok)
            .map(|w| vec![w.topic])
            .unwrap_or_default()
    });
    use_live(topic, move |live| match live {
        Live::Event {
            body:
                EventBody::Activity {
                    actor,
                    verb: Verb::Posted,
                    object,
                    ..
                },
            ..
        } => {
            let me = session.user_id_untracked();
            if me == Some(actor) {
                return;
            }
            if at_top() && pending.get_untracked().is_empty() {
                show(vec![object]);
            } else {
                pending.update(|p| p.push(object));
            }
        }
        Live::Refetch => {
            pending.set(Vec::new());
            page.refetch();
        }
        Live::Event { .. } => {}
    });
    view! {
        <section aria-labelledby="wall-title">
            <h2 id="wall-title">"Wall"</h2>
            <NewItemsBar
                count=Signal::derive(move || pending.get().len())
                noun="post"
                on_show=Callback::new(move |()| {
                    show(pending.get_untracked());
                    pending.set(Vec::new());
                })
            />
            <Suspense fallback=|| view! { <p>"Loading posts…"</p> }>
                {move || {
                    let of = of.clone();
                    Suspend::new(async move {
                        let wall = match page.await {
                            Ok(w) => w,
                            Err(e) => return Either::Left(view! { <p class="form-alert" role="alert">{e.to_string()}</p> }),
                        };
                        let compose = wall.can_post.then(|| view! { <Compose of=of.clone()/> });
                        let empty = wall.posts.is_empty().then(|| {
                            let text = if wall.can_post { "No posts yet. Start the conversation." } else { "No posts yet." };
                            view! { <p class="empty card">{text}</p> }
                        });
                        let older = wall.next.map(|c| view! {
                            <p><a class="button" href=format!("{}?before={}", of.page(), encode_query(&c))>"Older posts"</a></p>
                        });
                        let can_post = wall.can_post;
                        let topic = wall.topic.clone();
                        let loaded: Vec<PostId> = wall.posts.iter().map(|p| p.id).collect();
                        // Shown above the loaded page until a reload brings them into it.
                        let new_posts = move || {
                            fresh
                                .get()
                                .into_iter()
                                .filter(|p| !loaded.contains(&p.id))
                                .collect::<Vec<_>>()
                        };
                        let fresh_topic = topic.clone();
                        Either::Right(view! {
                            {compose}
                            {empty}
                            <For each=new_posts key=|p| p.id let:post>
                                <PostCard post can_post topic=fresh_topic.clone()/>
                            </For>
                            {wall.posts.into_iter().map(|p| view! { <PostCard post=p can_post topic=topic.clone()/> }).collect_view()}
                            {older}
                        })
                    })
                }}
            </Suspense>
        </section>
    }
}

/// The form to post on a wall: Markdown text, a picture, or both. With JavaScript it posts in
/// place; without, it is a plain multipart form post that comes back to the page.
#[component]
fn Compose(of: WallOf) -> impl IntoView {
    let actions = expect_context::<WallActions>();
    let send = actions.send;
    // After a post without JavaScript, its error comes back in the page's address.
    let from_url = use_context::<ServerActionError>()
        .filter(|e| e.path() == <PostWithPicture as ServerFn>::PATH)
        .map(|e| ServerFnUrlError::<AppError>::decode_err(e.err()));
    let error = Signal::derive(move || match send.value().get() {
        Some(Err(e)) => Some(e),
        Some(Ok(_)) => None,
        None => from_url.clone(),
    });
    let picture_error = move || {
        error
            .get()
            .and_then(|e| e.form_errors().and_then(|f| f.message_for("picture")))
    };
    let form = NodeRef::<Form>::new();
    Effect::new(move || {
        if matches!(send.value().get(), Some(Ok(_))) {
            if let Some(f) = form.get() {
                f.reset();
            }
        }
    });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        if let Some(data) = form.get().and_then(|f| FormData::new_with_form(&f).ok()) {
            ev.prevent_default();
            send.dispatch_local(data);
        }
    };
    let path = <PostWithPicture as ServerFn>::PATH;
    let (kind, key) = match of {
        WallOf::Space(slug) => ("space", slug),
        WallOf::Person(handle) => ("person", handle),
    };
    view! {
        <form
            method="post"
            action=path
            enctype="multipart/form-data"
            novalidate
            class="card compose"
            node_ref=form
            on:submit=on_submit
        >
            <FormAlert error/>
            <input type="hidden" name="wall" value=kind/>
            <input type="hidden" name="key" value=key/>
            <Field
                label="Write a post"
                name="body"
                kind="textarea"
                required=false
                hint="Markdown works: **bold**, lists, links, @handle mentions. Add a picture if you like."
                error
            />
            <PictureField label="Picture (optional)" name="picture" id="post-picture" error=Signal::derive(picture_error)/>
            <button type="submit" class="primary" disabled=move || send.pending().get()>"Post"</button>
        </form>
    }
}

#[component]
fn PostCard(post: PostView, can_post: bool, topic: String) -> impl IntoView {
    let actions = expect_context::<WallActions>();
    let id = post.id;
    // Comments and reactions change while the post is on screen.
    let reactions = RwSignal::new(post.reactions);
    let comments = RwSignal::new(post.comments);
    let earlier = RwSignal::new(post.earlier_comments);
    use_live(Signal::derive(move || vec![topic.clone()]), move |live| {
        let changed = match live {
            Live::Event {
                body: EventBody::PostChanged { post },
                ..
            } => post == id,
            Live::Refetch => true,
            Live::Event { .. } => false,
        };
        if changed {
            spawn_local(async move {
                if let Ok(now) = post_live(id).await {
                    reactions.set(now.reactions);
                    comments.set(now.comments);
                    earlier.set(now.earlier_comments);
                }
            });
        }
    });
    let top = move || {
        comments
            .get()
            .into_iter()
            .filter(|c| c.parent_id.is_none())
            .collect::<Vec<_>>()
    };
    let replies_to = move |parent: i64| {
        comments
            .get()
            .into_iter()
            .filter(|r| r.parent_id == Some(CommentId(parent)))
            .collect::<Vec<_>>()
    };
    let comment_list = view! {
        <For each=top key=|c| c.id let:c>
            {
                let parent = c.id;
                view! {
                    <li class="comment">
                        <CommentBody comment=c/>
                        <ul class="replies">
                            <For each=move || replies_to(parent.0) key=|r| r.id let:r>
                                <li class="comment"><CommentBody comment=r/></li>
                            </For>
                        </ul>
                        {can_post.then(|| view! {
                            <details class="reply">
                                <summary>"Reply"</summary>
                                <CommentForm post=id parent=Some(parent)/>
                            </details>
                        })}
                    </li>
                }
            }
        </For>
    };
    view! {
        <article class="card post" id=format!("post-{id}") aria-label=format!("Post by {}", post.author)>
            <header class="post-head">
                <a class="author" href=format!("/u/{}", post.author_handle)>{post.author.clone()}</a>
                <time>{format_utc(post.created_at)}</time>
                {post.edited.then(|| view! { <span class="meta">"(edited)"</span> })}
                {post.pinned.then(|| view! { <span class="badge mine">"Pinned"</span> })}
            </header>
            <div class="post-body" inner_html=post.body_html></div>
            {post.picture.clone().map(|src| view! {
                <img class="post-picture" src=src alt=format!("Picture posted by {}", post.author) loading="lazy"/>
            })}
            {post.body_md.filter(|_| can_post).map(|md| view! { <EditForm post=id markdown=md/> })}
            <div class="reactions" role="group" aria-label="Reactions">
                {move || reactions
                    .get()
                    .into_iter()
                    .map(|r| view! {
                        <ActionForm action=actions.react>
                            <input type="hidden" name="post_id" value=id/>
                            <input type="hidden" name="kind" value=r.kind.as_str()/>
                            <ReactionButton r can=can_post/>
                        </ActionForm>
                    })
                    .collect_view()}
                {post.can_pin.then(|| view! {
                    <ActionForm action=actions.pin>
                        <input type="hidden" name="post_id" value=id/>
                        <input type="hidden" name="pinned" value=if post.pinned { "false" } else { "true" }/>
                        <button type="submit" class="link-button">
                            {if post.pinned { "Unpin" } else { "Pin to top" }}
                        </button>
                    </ActionForm>
                })}
                {post.can_delete.then(|| view! {
                    <ActionForm action=actions.delete>
                        <input type="hidden" name="post_id" value=id/>
                        <button type="submit" class="link-button danger">"Delete post"</button>
                    </ActionForm>
                })}
            </div>
            <section class="comments" aria-label="Comments">
                {move || (earlier.get() > 0).then(|| view! {
                    <p class="meta">{earlier_note(earlier.get())}</p>
                })}
                <ul>{comment_list}</ul>
                {can_post.then(|| view! { <CommentForm post=id parent=None/> })}
            </section>
        </article>
    }
}

/// Says how many earlier comments a post does not show.
fn earlier_note(n: i64) -> String {
    match n {
        1 => "1 earlier comment is not shown; here are the latest.".to_owned(),
        n => format!("{n} earlier comments are not shown; here are the latest."),
    }
}

/// The author's form to change a post; errors show under it.
#[component]
fn EditForm(post: PostId, markdown: String) -> impl IntoView {
    let actions = expect_context::<WallActions>();
    let all = action_error(actions.edit);
    let here = post.to_string();
    let error = Signal::derive(move || {
        all.get().filter(|e| {
            e.form_errors()
                .is_none_or(|f| f.value_of("post_id").as_deref() == Some(here.as_str()))
        })
    });
    view! {
        <details class="edit">
            <summary>"Edit"</summary>
            <ActionForm action=actions.edit attr:novalidate=true>
                <FormAlert error/>
                <input type="hidden" name="post_id" value=post/>
                <Field label="Edit post" name="body" kind="textarea" id=format!("edit-{post}") initial=markdown error/>
                <button type="submit">"Save changes"</button>
            </ActionForm>
        </details>
    }
}

#[component]
fn CommentBody(comment: CommentView) -> impl IntoView {
    view! {
        <p class="comment-head">
            <a class="author" href=format!("/u/{}", comment.author_handle)>{comment.author}</a>
            " "
            <time>{format_utc(comment.created_at)}</time>
        </p>
        <div class="comment-body" inner_html=comment.body_html></div>
    }
}

/// A comment (or, with a parent, a reply) form; errors show under the form they came from.
#[component]
fn CommentForm(post: PostId, parent: Option<CommentId>) -> impl IntoView {
    let actions = expect_context::<WallActions>();
    let all = action_error(actions.comment);
    let parent_text = parent.map(|p| p.to_string()).unwrap_or_default();
    let here = (post.to_string(), parent_text.clone());
    let error = Signal::derive(move || {
        all.get().filter(|e| {
            let f = e.form_errors();
            let at = |k: &str| f.and_then(|f| f.value_of(k)).unwrap_or_default();
            // Errors without a place (no such post, signed out) show everywhere.
            f.is_none() || (at("post_id") == here.0 && at("parent_id") == here.1)
        })
    });
    let (label, button, id) = match parent {
        Some(p) => ("Reply", "Reply", format!("reply-{p}")),
        None => ("Comment", "Comment", format!("comment-{post}")),
    };
    let form = NodeRef::<Form>::new();
    reset_on_success(actions.comment, form);
    view! {
        <ActionForm action=actions.comment node_ref=form attr:novalidate=true attr:class="comment-form">
            <input type="hidden" name="post_id" value=post/>
            <input type="hidden" name="parent_id" value=parent_text/>
            <Field label=label name="body" kind="textarea" id=id error/>
            <button type="submit">{button}</button>
        </ActionForm>
    }
}
