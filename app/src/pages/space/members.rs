//! Joining, leaving, requests, invitations and the member list with its role controls.

use leptos::either::Either;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use crate::components::form::{action_error, FormAlert};
use crate::components::session::use_session;
use crate::domain::space::{JoinPolicy, Member, SpaceRole, SpaceView};
use crate::pages::space::{SpaceActions, SpaceData};

/// Join, request, withdraw or leave, as fits the viewer and the space.
#[component]
pub(crate) fn Membership(view: SpaceView) -> impl IntoView {
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
pub(crate) fn RequestsPanel(slug: String) -> impl IntoView {
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
pub(crate) fn InvitePanel(slug: String) -> impl IntoView {
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

#[component]
pub(crate) fn MemberList(slug: String, my_role: Option<SpaceRole>) -> impl IntoView {
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
                        let me = session.user.await.ok().flatten().map(|u| u.id);
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
