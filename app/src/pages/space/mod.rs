//! A space's page: its wall, who is online, its experts and its settings; membership and the
//! member list are in [`members`].

mod members;

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
use crate::components::not_found::NotFound;
use crate::components::realtime::use_realtime;
use crate::components::require::RequireSignIn;
use crate::components::tags::TagLinks;
use crate::components::wall::{wall_resource, Wall, WallActions, WallOf, WallResource};
use crate::domain::feed::Link;
use crate::domain::space::{Member, PersonRef, SpaceRole, SpaceView};
use crate::error::AppError;
use crate::pages::space::members::{InvitePanel, MemberList, Membership, RequestsPanel};

/// The actions of a space page; their versions tell the page's data when to reload.
#[derive(Clone, Copy)]
pub(crate) struct SpaceActions {
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
pub(crate) struct SpaceData {
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
