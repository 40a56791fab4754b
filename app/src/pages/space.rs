//! A space's home: who it is for, joining, the moderators' request list, the wall, members.

use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::spaces::{
    get_space, invite_candidates, online_members, space_members, space_requests, ArchiveSpace,
    DecideRequest, DeleteSpace, InviteToSpace, JoinSpace, LeaveSpace, RemoveMember, SetMemberRole,
    SetSpaceTags,
};
use crate::api::topics::AppointExpert;
use crate::components::form::{action_error, Field, FormAlert, PictureField};
use crate::components::realtime::use_realtime;
use crate::components::require::RequireSignIn;
use crate::components::session::use_session;
use crate::components::tags::TagLinks;
use crate::components::wall::{wall_resource, Wall, WallActions, WallOf, WallResource};
use crate::domain::feed::Link;
use crate::domain::space::{JoinPolicy, Member, PersonRef, SpaceRole, SpaceView};
use crate::error::AppError;
use crate::pages::not_found::NotFound;

/// The actions of a space page; their versions tell the page's data when to reload.
#[derive(Clone, Copy)]
struct SpaceActions {
    join: ServerAction<JoinSpace>,
    leave: ServerAction<LeaveSpace>,
    decide: ServerAction<DecideRequest>,
    archive: ServerAction<ArchiveSpace>,
    remove_space: ServerAction<DeleteSpace>,
    set_role: ServerAction<SetMemberRole>,
    remove_member: ServerAction<RemoveMember>,
    invite: ServerAction<InviteToSpace>,
    tags: ServerAction<SetSpaceTags>,
}

impl SpaceActions {
    fn new() -> Self {
        Self {
            join: ServerAction::new(),
            leave: ServerAction::new(),
            decide: ServerAction::new(),
            archive: ServerAction::new(),
            remove_space: ServerAction::new(),
            set_role: ServerAction::new(),
            remove_member: ServerAction::new(),
            invite: ServerAction::new(),
            tags: ServerAction::new(),
        }
    }

    /// Changes to who belongs and to the space itself.
    fn membership_version(&self) -> [usize; 8] {
        [
            self.tags.version().get(),
            self.invite.version().get(),
            self.join.version().get(),
            self.leave.version().get(),
            self.decide.version().get(),
            self.archive.version().get(),
            self.set_role.version().get(),
            self.remove_member.version().get(),
        ]
    }
}

/// Everything a space page loads, created once at the top of the page (see
/// [`crate::components::wall::wall_resource`] for why). Parts the viewer may not see load as
/// errors that are never shown.
#[derive(Clone, Copy)]
struct SpaceData {
    space: Resource<Result<SpaceView, AppError>>,
    requests: Resource<Result<Vec<PersonRef>, AppError>>,
    found: Resource<Result<Vec<PersonRef>, AppError>>,
    members: Resource<Result<Vec<Member>, AppError>>,
    online: Resource<Result<Vec<Link>, AppError>>,
    wall: WallResource,
}

#[component]
pub fn SpacePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let slug = Signal::derive(move || params.read().get("slug").unwrap_or_default());
    let actions = SpaceActions::new();
    provide_context(actions);
    WallActions::provide();
    let q = move || query.read().get("invite_q").unwrap_or_default();
    // Who is online is looked at again every 30 seconds, and once this tab's own socket is open.
    let connected = use_realtime().connected;
    let tick = RwSignal::new(0_u32);
    #[cfg(feature = "hydrate")]
    if let Ok(handle) = set_interval_with_handle(
        move || tick.update(|t| *t += 1),
        std::time::Duration::from_secs(30),
    ) {
        on_cleanup(move || handle.clear());
    }
    let data = SpaceData {
        online: Resource::new(
            move || (slug.get(), connected.get(), tick.get()),
            |(s, _, _)| online_members(s),
        ),
        space: Resource::new(
            move || (slug.get(), actions.membership_version()),
            |(s, _)| get_space(s),
        ),
        requests: Resource::new(
            move || (slug.get(), actions.decide.version().get()),
            |(s, _)| space_requests(s),
        ),
        found: Resource::new(
            move || (slug.get(), q(), actions.invite.version().get()),
            |(s, q, _)| async move {
                if q.trim().is_empty() {
                    Ok(Vec::new())
                } else {
                    invite_candidates(s, q).await
                }
            },
        ),
        members: Resource::new(
            move || (slug.get(), actions.membership_version()),
            |(s, _)| space_members(s),
        ),
        wall: wall_resource(
            Signal::derive(move || WallOf::Space(slug.get())),
            Signal::derive(move || actions.archive.version().get()),
        ),
    };
    provide_context(data);
    view! {
        <RequireSignIn next=format!("/s/{}", slug.get_untracked()) title="Space">
            <SpaceHome/>
        </RequireSignIn>
    }
}

#[component]
fn SpaceHome() -> impl IntoView {
    let space = expect_context::<SpaceData>().space;
    view! {
        <Suspense fallback=|| view! { <p>"Loading the space…"</p> }>
            {move || Suspend::new(async move {
                match space.await {
                    Ok(view) => EitherOf3::A(view! { <SpaceBody view/> }),
                    Err(AppError::NotFound) => EitherOf3::B(view! { <NotFound/> }),
                    Err(e) => EitherOf3::C(view! { <p class="form-alert" role="alert">{e.to_string()}</p> }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SpaceBody(view: SpaceView) -> impl IntoView {
    let s = view.summary.clone();
    let members = match s.member_count {
        1 => "1 member".to_owned(),
        n => format!("{n} members"),
    };
    let moderates = s.my_role.is_some_and(SpaceRole::moderates);
    let wall = expect_context::<SpaceData>().wall;
    let slug = s.slug.clone();
    let content = if view.can_read {
        Either::Left(view! {
            <div class="space-columns">
                <div class="space-main">
                    {moderates.then(|| view! {
                        <RequestsPanel slug=slug.clone()/>
                        <InvitePanel slug=slug.clone()/>
                    })}
                    <Wall of=WallOf::Space(slug.clone()) page=wall/>
                </div>
                <div class="space-aside">
                    <aside aria-label="Online now">
                        <OnlineNow/>
                    </aside>
                    <aside aria-label="Members">
                        <MemberList slug=slug.clone() my_role=s.my_role/>
                    </aside>
                </div>
            </div>
        })
    } else {
        Either::Right(view! {
            <p class="card empty">
                "This space is private: its posts and members are for members only."
            </p>
        })
    };
    view! {
        <Title text=format!("{} · Cohort", s.name)/>
        <nav class="breadcrumb" aria-label="Breadcrumb">
            <a href="/spaces">"Spaces"</a>
            {view
                .breadcrumb
                .iter()
                .map(|(slug, name)| view! { " › " <a href=format!("/s/{slug}")>{name.clone()}</a> })
                .collect_view()}
            " › "
            <span aria-current="page">{s.name.clone()}</span>
        </nav>
        <header class="card space-head">
            {s.cover.clone().map(|src| view! { <img class="cover" src=src alt="" width="1200" height="400"/> })}
            <h1>{s.name.clone()}</h1>
            {(!s.description.is_empty()).then(|| view! { <p>{s.description.clone()}</p> })}
            <p class="meta">
                <span class="badge">{s.visibility.badge()}</span>
                <span>{members}</span>
                {view.archived.then(|| view! { <span class="badge">"Archived: read-only"</span> })}
                {view.can_read.then(|| view! {
                    <a href=format!("/s/{}/activity", s.slug)>"Space activity"</a>
                    " · " <a href=format!("/s/{}/forum", s.slug)>"Space forum"</a>
                    " · " <a href=format!("/s/{}/blog", s.slug)>"Space blog"</a>
                    " · " <a href=format!("/questions/ask?space={}", s.slug)>"Ask this space a question"</a>
                })}
            </p>
            <TagLinks tags=s.tags.clone() base="/spaces"/>
            <Membership view=view.clone()/>
        </header>
        {(s.my_role == Some(SpaceRole::Owner)).then(|| {
            view! {
                <ManageSpace
                    name=s.name.clone()
                    slug=s.slug.clone()
                    archived=view.archived
                    tags=s.tags.join(", ")
                    has_cover=s.cover.is_some()
                />
            }
        })}
        {moderates.then(|| view! { <AppointExperts slug=s.slug.clone()/> })}
        {content}
    }
}

/// Moderators appoint experts for a topic: new questions on it are routed to them.
#[component]
fn AppointExperts(slug: String) -> impl IntoView {
    let appoint = ServerAction::<AppointExpert>::new();
    let error = action_error(appoint);
    view! {
        <section class="card manage" aria-labelledby="experts-title">
            <h2 id="experts-title">"Appoint an expert"</h2>
            <p class="meta">"Questions on the topic are routed to the people you appoint, as to those who declare it on their profiles."</p>
            <ActionForm action=appoint attr:novalidate=true>
                <FormAlert error/>
                {move || matches!(appoint.value().get(), Some(Ok(()))).then(|| view! {
                    <p class="form-success" role="status">"Expert appointed."</p>
                })}
                <input type="hidden" name="slug" value=slug/>
                <input type="hidden" name="on" value="true"/>
                <Field label="Expertise topic" name="tag" id="appoint-tag" error/>
                <Field label="Expert's handle" name="handle" id="appoint-handle" hint="Their @handle, for example @ana." error/>
                <button type="submit">"Appoint expert"</button>
            </ActionForm>
        </section>
    }
}

/// Archive or restore, and delete after typing the name (owners).
#[component]
fn ManageSpace(
    name: String,
    slug: String,
    archived: bool,
    tags: String,
    has_cover: bool,
) -> impl IntoView {
    let actions = expect_context::<SpaceActions>();
    let archive_error = action_error(actions.archive);
    let delete_error = action_error(actions.remove_space);
    let tags_error = action_error(actions.tags);
    let archive_slug = slug.clone();
    let (tags_slug, cover_slug, remove_cover_slug) = (slug.clone(), slug.clone(), slug.clone());
    let query = use_query_map();
    let cover_error = move || query.read().get("cover_error");
    let cover_saved = move || query.read().get("cover").is_some();
    view! {
        <section class="card manage" aria-labelledby="manage-title">
            <h2 id="manage-title">"Manage space"</h2>
            <ActionForm action=actions.tags attr:novalidate=true>
                <FormAlert error=tags_error/>
                <input type="hidden" name="slug" value=tags_slug/>
                <Field label="Topics" name="tags" required=false hint="Separated with commas." initial=tags error=tags_error/>
                <button type="submit">"Save topics"</button>
            </ActionForm>
            {move || cover_saved().then(|| view! { <p class="form-success" role="status">"Cover saved."</p> })}
            <form method="post" action="/media/cover" enctype="multipart/form-data">
                <input type="hidden" name="slug" value=cover_slug/>
                <PictureField
                    label="Cover picture"
                    name="cover"
                    id="cover"
                    hint="A wide picture (3:1) in JPEG, PNG, GIF or WebP; photo details are removed."
                    error=Signal::derive(cover_error)
                />
                <button type="submit">"Upload cover"</button>
            </form>
            {has_cover.then(|| view! {
                <form method="post" action="/media/cover" enctype="multipart/form-data">
                    <input type="hidden" name="slug" value=remove_cover_slug/>
                    <input type="hidden" name="remove" value="true"/>
                    <button type="submit" class="link-button danger">"Remove cover"</button>
                </form>
            })}
            <FormAlert error=archive_error/>
            <ActionForm action=actions.archive>
                <input type="hidden" name="slug" value=archive_slug/>
                <input type="hidden" name="archived" value=if archived { "false" } else { "true" }/>
                <button type="submit">{if archived { "Restore space" } else { "Archive space" }}</button>
            </ActionForm>
            <details class="danger-zone">
                <summary>"Delete this space"</summary>
                <ActionForm action=actions.remove_space attr:novalidate=true>
                    <FormAlert error=delete_error/>
                    <input type="hidden" name="slug" value=slug/>
                    <Field
                        label="Type the space's name to confirm"
                        name="confirm_name"
                        hint=format!("Everything in {name} is deleted for good.")
                        error=delete_error
                    />
                    <button type="submit" class="danger-button">"Delete space"</button>
                </ActionForm>
            </details>
        </section>
    }
}

/// Join, request, withdraw or leave, as fits the viewer and the space.
#[component]
fn Membership(view: SpaceView) -> impl IntoView {
    let actions = expect_context::<SpaceActions>();
    let join_error = action_error(actions.join);
    let leave_error = action_error(actions.leave);
    let slug = view.summary.slug.clone();
    let hidden = move || view! { <input type="hidden" name="slug" value=slug.clone()/> };
    let control = match (
        view.summary.my_role,
        view.request_pending,
        view.summary.join_policy,
    ) {
        (Some(role), _, _) => view! {
            <p>
                {match role {
                    SpaceRole::Owner => "You own this space.",
                    SpaceRole::Moderator => "You are a moderator of this space.",
                    SpaceRole::Member => "You are a member of this space.",
                }}
            </p>
            <ActionForm action=actions.leave>
                {hidden()}
                <button type="submit">"Leave space"</button>
            </ActionForm>
        }
        .into_any(),
        (None, _, _) if view.invited => {
            let (accept, decline) = (hidden(), hidden());
            view! {
                <p>"You are invited to join this space."</p>
                <ActionForm action=actions.join>
                    {accept}
                    <button type="submit" class="primary">"Accept invitation"</button>
                </ActionForm>
                <ActionForm action=actions.leave>
                    {decline}
                    <button type="submit">"Decline invitation"</button>
                </ActionForm>
            }
            .into_any()
        }
        (None, true, _) => view! {
            <p>"Your request to join is waiting for a moderator."</p>
            <ActionForm action=actions.leave>
                {hidden()}
                <button type="submit">"Withdraw request"</button>
            </ActionForm>
        }
        .into_any(),
        (None, false, JoinPolicy::Invite) => {
            view! { <p>"Joining is by invitation only."</p> }.into_any()
        }
        (None, false, policy) => view! {
            <ActionForm action=actions.join>
                {hidden()}
                <button type="submit" class="primary">
                    {if policy == JoinPolicy::Open { "Join space" } else { "Request to join" }}
                </button>
            </ActionForm>
        }
        .into_any(),
    };
    view! {
        <div class="membership">
            <FormAlert error=join_error/>
            <FormAlert error=leave_error/>
            {control}
        </div>
    }
}

#[component]
fn RequestsPanel(slug: String) -> impl IntoView {
    let actions = expect_context::<SpaceActions>();
    let error = action_error(actions.decide);
    let waiting = expect_context::<SpaceData>().requests;
    view! {
        <section class="card" aria-labelledby="requests-title">
            <h2 id="requests-title">"Requests to join"</h2>
            <FormAlert error/>
            <Suspense fallback=|| ()>
                {move || {
                    let slug = slug.clone();
                    Suspend::new(async move {
                        let people = waiting.await.unwrap_or_default();
                        if people.is_empty() {
                            return Either::Left(view! { <p class="empty">"Nobody is waiting."</p> });
                        }
                        Either::Right(view! {
                            <ul class="requests">
                                {people
                                    .into_iter()
                                    .map(|p| {
                                        let decide = |decision: &'static str, text: &'static str| {
                                            let slug = slug.clone();
                                            let label = format!("{text} {}", p.display_name);
                                            let user = p.id;
                                            view! {
                                                <ActionForm action=actions.decide>
                                                    <input type="hidden" name="slug" value=slug/>
                                                    <input type="hidden" name="user_id" value=user/>
                                                    <input type="hidden" name="decision" value=decision/>
                                                    <button type="submit" aria-label=label>
                                                        {text}
                                                    </button>
                                                </ActionForm>
                                            }
                                        };
                                        view! {
                                            <li>
                                                <span>{p.display_name.clone()}</span>
                                                {decide("approve", "Approve")}
                                                {decide("decline", "Decline")}
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        })
                    })
                }}
            </Suspense>
        </section>
    }
}

/// Finding people and inviting them (moderators). The search is a plain GET form, so it works
/// without JavaScript too.
#[component]
fn InvitePanel(slug: String) -> impl IntoView {
    let actions = expect_context::<SpaceActions>();
    let error = action_error(actions.invite);
    let query = use_query_map();
    let q = move || query.read().get("invite_q").unwrap_or_default();
    let found = expect_context::<SpaceData>().found;
    let action_path = format!("/s/{slug}");
    view! {
        <section class="card" aria-labelledby="invite-title">
            <h2 id="invite-title">"Invite people"</h2>
            <FormAlert error/>
            <form method="get" action=action_path class="search-row" role="search">
                <div class="field">
                    <label for="invite-q">"Find people to invite"</label>
                    <input id="invite-q" name="invite_q" type="search" value=q/>
                </div>
                <button type="submit">"Find"</button>
            </form>
            <Suspense fallback=|| ()>
                {move || {
                    let slug = slug.clone();
                    Suspend::new(async move {
                        let people = found.await.unwrap_or_default();
                        if people.is_empty() {
                            let text = if q().trim().is_empty() {
                                "Search by name or email, then invite."
                            } else {
                                "Nobody to invite matches that."
                            };
                            return Either::Left(view! { <p class="empty">{text}</p> });
                        }
                        Either::Right(view! {
                            <ul class="requests">
                                {people
                                    .into_iter()
                                    .map(|p| {
                                        let label = format!("Invite {}", p.display_name);
                                        let slug = slug.clone();
                                        view! {
                                            <li>
                                                <span>{p.display_name}</span>
                                                <ActionForm action=actions.invite>
                                                    <input type="hidden" name="slug" value=slug/>
                                                    <input type="hidden" name="user_id" value=p.id/>
                                                    <button type="submit" aria-label=label>"Invite"</button>
                                                </ActionForm>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        })
                    })
                }}
            </Suspense>
        </section>
    }
}

/// Members with the site open now.
#[component]
fn OnlineNow() -> impl IntoView {
    let online = expect_context::<SpaceData>().online;
    view! {
        <section class="card online">
            <h2>"Online now"</h2>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let people = online.await.unwrap_or_default();
                    if people.is_empty() {
                        return view! { <p class="meta">"Nobody is online right now."</p> }.into_any();
                    }
                    view! {
                        <ul class="online-list" aria-label="Members online now">
                            {people.into_iter().map(|p| view! {
                                <li><span class="dot" aria-hidden="true"></span><a href=p.href>{p.text}</a></li>
                            }).collect_view()}
                        </ul>
                    }
                    .into_any()
                })}
            </Transition>
        </section>
    }
}

#[component]
fn MemberList(slug: String, my_role: Option<SpaceRole>) -> impl IntoView {
    let actions = expect_context::<SpaceActions>();
    let session = use_session();
    let role_error = action_error(actions.set_role);
    let remove_error = action_error(actions.remove_member);
    let people = expect_context::<SpaceData>().members;
    view! {
        <section class="card">
            <h2>"Members"</h2>
            <FormAlert error=role_error/>
            <FormAlert error=remove_error/>
            <Suspense fallback=|| ()>
                {move || {
                    let slug = slug.clone();
                    Suspend::new(async move {
                        let me = session.user.await.ok().flatten().map(|u| u.id.0);
                        let members = people.await.unwrap_or_default();
                        view! {
                            <ul class="members">
                                {members
                                    .into_iter()
                                    .map(|m| {
                                        let controls = (Some(m.person.id) != me)
                                            .then(|| view! { <MemberControls slug=slug.clone() member=m.clone() my_role/> });
                                        view! {
                                            <li>
                                                <span>{m.person.display_name.clone()}</span>
                                                {(m.role != SpaceRole::Member).then(|| view! { <span class="badge">{m.role.label()}</span> })}
                                                {controls}
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        }
                    })
                }}
            </Suspense>
        </section>
    }
}

/// Role and removal controls for one member, as far as the viewer's role allows.
#[component]
fn MemberControls(slug: String, member: Member, my_role: Option<SpaceRole>) -> impl IntoView {
    let actions = expect_context::<SpaceActions>();
    let name = member.person.display_name.clone();
    let user = member.person.id;
    let owner = my_role == Some(SpaceRole::Owner);
    let may_remove = match member.role {
        SpaceRole::Member => my_role.is_some_and(SpaceRole::moderates),
        SpaceRole::Moderator => owner,
        SpaceRole::Owner => false,
    };
    let role_form = owner.then(|| {
        let (slug, name) = (slug.clone(), name.clone());
        let select_id = format!("role-{user}");
        view! {
            <ActionForm action=actions.set_role attr:class="member-role">
                <input type="hidden" name="slug" value=slug/>
                <input type="hidden" name="user_id" value=user/>
                <label for=select_id.clone() class="visually-hidden">{format!("Role of {name}")}</label>
                <select id=select_id name="role">
                    {SpaceRole::ALL
                        .iter()
                        .map(|r| view! { <option value=r.as_str() selected=*r == member.role>{r.label()}</option> })
                        .collect_view()}
                </select>
                <button type="submit" aria-label=format!("Save role for {name}")>"Save role"</button>
            </ActionForm>
        }
    });
    let remove_form = may_remove.then(|| view! {
        <ActionForm action=actions.remove_member>
            <input type="hidden" name="slug" value=slug/>
            <input type="hidden" name="user_id" value=user/>
            <button type="submit" class="link-button danger" aria-label=format!("Remove {name}")>"Remove"</button>
        </ActionForm>
    });
    view! { {role_form} {remove_form} }
}
