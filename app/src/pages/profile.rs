//! A person's profile: who they are, what they know, their status, wall, spaces and activity;
//! and the lists of their followers and of whom they follow.

use leptos::either::{Either, EitherOf3};
use leptos::html::Form;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::profiles::{follow_list, get_profile, Follow, SetStatus};
use crate::components::avatar::Avatar;
use crate::components::form::{action_error, reset_on_success, Field, FormAlert};
use crate::components::not_found::NotFound;
use crate::components::require::RequireSignIn;
use crate::components::wall::{wall_resource, Wall, WallActions, WallOf, WallResource};
use crate::domain::nav::encode_query;
use crate::domain::profile::{PersonCard, ProfileView};
use crate::domain::time::format_utc;
use crate::error::AppError;

#[derive(Clone, Copy)]
struct ProfileActions {
    follow: ServerAction<Follow>,
    status: ServerAction<SetStatus>,
}

fn handle_param() -> Signal<String> {
    let params = use_params_map();
    Signal::derive(move || params.read().get("handle").unwrap_or_default())
}

/// The profile page creates all its resources here, before any `Suspense` (see
/// [`crate::components::wall::wall_resource`]).
#[component]
pub fn ProfilePage() -> impl IntoView {
    let handle = handle_param();
    let actions = ProfileActions {
        follow: ServerAction::new(),
        status: ServerAction::new(),
    };
    provide_context(actions);
    WallActions::provide();
    let profile = Resource::new(
        move || {
            (
                handle.get(),
                actions.follow.version().get(),
                actions.status.version().get(),
            )
        },
        |(h, _, _)| get_profile(h),
    );
    let wall = wall_resource(
        Signal::derive(move || WallOf::Person(handle.get())),
        Signal::derive(|| 0),
    );
    provide_context(wall);
    view! {
        <RequireSignIn next=format!("/u/{}", handle.get_untracked()) title="Profile">
            <ProfileHome profile/>
        </RequireSignIn>
    }
}

#[component]
fn ProfileHome(profile: Resource<Result<ProfileView, AppError>>) -> impl IntoView {
    view! {
        <Suspense fallback=|| view! { <p>"Loading the profile…"</p> }>
            {move || Suspend::new(async move {
                match profile.await {
                    Ok(p) => EitherOf3::A(view! { <ProfileBody p/> }),
                    Err(AppError::NotFound) => EitherOf3::B(view! { <NotFound/> }),
                    Err(e) => EitherOf3::C(view! { <p class="form-alert" role="alert">{e.to_string()}</p> }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ProfileBody(p: ProfileView) -> impl IntoView {
    let actions = expect_context::<ProfileActions>();
    let follow_error = action_error(actions.follow);
    let wall = expect_context::<WallResource>();
    let person = p.person.clone();
    let handle = person.handle.clone();
    let details: Vec<String> = [
        person.job_title.clone(),
        p.department.clone(),
        p.location.clone(),
    ]
    .into_iter()
    .filter(|d| !d.is_empty())
    .collect();
    let follow = (!p.is_me).then(|| {
        let (handle, name) = (handle.clone(), person.display_name.clone());
        let label = if p.followed { "Unfollow" } else { "Follow" };
        view! {
            <ActionForm action=actions.follow>
                <input type="hidden" name="handle" value=handle/>
                <input type="hidden" name="follow" value=if p.followed { "false" } else { "true" }/>
                <button type="submit" class:primary=!p.followed aria-label=format!("{label} {name}")>{label}</button>
            </ActionForm>
        }
    });
    let tags = |title: &'static str, tags: Vec<String>| {
        (!tags.is_empty()).then(|| {
            view! {
                <h2>{title}</h2>
                <ul class="tags" aria-label=title>
                    {tags.into_iter().map(|t| if title == "Expertise" {
                        // An expertise topic leads to its Ask-the-Expert forum.
                        let href = format!("/ask/{}", crate::domain::nav::encode_query(&t));
                        Either::Left(view! { <li class="tag"><a href=href>{t}</a></li> })
                    } else {
                        Either::Right(view! { <li class="tag">{t}</li> })
                    }).collect_view()}
                </ul>
            }
        })
    };
    view! {
        <Title text=format!("{} (@{}) · Cohort", person.display_name, handle)/>
        <header class="card profile-head">
            <Avatar name=person.display_name.clone() url=p.avatar_large.clone() size="large"/>
            <div class="profile-who">
                <h1>{person.display_name.clone()}</h1>
                <p class="handle">{format!("@{handle}")}</p>
                {(!details.is_empty()).then(|| view! { <p class="meta">{details.join(" · ")}</p> })}
                {p.status.clone().map(|(text, at)| view! {
                    <p class="status" aria-label="Status">
                        <span>{text}</span>
                        " "
                        <time class="meta">{format_utc(at)}</time>
                    </p>
                })}
                <p class="meta">
                    <a href=format!("/u/{handle}/followers")>{if p.followers == 1 { "1 follower".to_owned() } else { format!("{} followers", p.followers) }}</a>
                    " · "
                    <a href=format!("/u/{handle}/following")>{format!("{} following", p.following)}</a>
                    " · "
                    <a href=format!("/u/{handle}/blog")>"Blog"</a>
                </p>
                <FormAlert error=follow_error/>
                {follow}
                {p.is_me.then(|| view! { <p><a class="button" href="/profile/edit">"Edit profile"</a></p> })}
            </div>
        </header>
        {p.is_me.then(|| view! { <StatusForm/> })}
        <div class="space-columns">
            <div class="space-main">
                <Wall of=WallOf::Person(handle.clone()) page=wall/>
            </div>
            <aside class="space-aside" aria-label="About">
                <section class="card">
                    <h2>"About"</h2>
                    {if p.bio_html.is_empty() {
                        Either::Left(view! { <p class="empty">"No bio yet."</p> })
                    } else {
                        Either::Right(view! { <div class="bio" inner_html=p.bio_html.clone()></div> })
                    }}
                    {tags("Skills", p.skills.clone())}
                    {tags("Expertise", p.expertise.clone())}
                    <p class="reputation">"Reputation: " <strong>{p.reputation}</strong> " points"</p>
                    {(!p.links.is_empty()).then(|| view! {
                        <h2>"Links"</h2>
                        <ul class="links">
                            {p.links.clone().into_iter().map(|l| view! {
                                <li><a href=l.url rel="nofollow noopener me">{l.label}</a></li>
                            }).collect_view()}
                        </ul>
                    })}
                </section>
                <section class="card">
                    <h2>"Spaces"</h2>
                    {if p.spaces.is_empty() {
                        Either::Left(view! { <p class="empty">"No spaces to show."</p> })
                    } else {
                        Either::Right(view! {
                            <ul class="links">
                                {p.spaces.clone().into_iter().map(|(slug, name)| view! {
                                    <li><a href=format!("/s/{slug}")>{name}</a></li>
                                }).collect_view()}
                            </ul>
                        })
                    }}
                </section>
                <section class="card">
                    <h2>"Recent activity"</h2>
                    {if p.activity.is_empty() {
                        Either::Left(view! { <p class="empty">"Nothing yet."</p> })
                    } else {
                        Either::Right(view! {
                            <ul class="activity">
                                {p.activity.clone().into_iter().map(|a| view! {
                                    <li>
                                        {a.text}
                                        {a.target.map(|(name, href)| view! { " " <a href=href>{name}</a> })}
                                        " "
                                        <time class="meta">{format_utc(a.at)}</time>
                                    </li>
                                }).collect_view()}
                            </ul>
                        })
                    }}
                    <p><a href=format!("/u/{}/activity", handle)>"All activity"</a></p>
                </section>
            </aside>
        </div>
    }
}

/// The owner's status update form.
#[component]
fn StatusForm() -> impl IntoView {
    let actions = expect_context::<ProfileActions>();
    let error = action_error(actions.status);
    let form = NodeRef::<Form>::new();
    reset_on_success(actions.status, form);
    view! {
        <ActionForm action=actions.status node_ref=form attr:novalidate=true attr:class="card compose status-form">
            <FormAlert error/>
            <Field label="Status update" name="status" required=false hint="A short line at the top of your profile (280 characters); leave empty to clear it." error/>
            <button type="submit">"Update status"</button>
        </ActionForm>
    }
}

/// `/u/:handle/followers` and `/u/:handle/following`.
#[component]
pub fn FollowersPage() -> impl IntoView {
    view! { <FollowsPage list="followers"/> }
}

#[component]
pub fn FollowingPage() -> impl IntoView {
    view! { <FollowsPage list="following"/> }
}

#[component]
fn FollowsPage(list: &'static str) -> impl IntoView {
    let handle = handle_param();
    let query = use_query_map();
    let after = move || query.read().get("after").unwrap_or_default();
    let page = Resource::new(
        move || (handle.get(), after()),
        move |(h, a)| follow_list(h, list.to_owned(), a),
    );
    let title = if list == "followers" {
        "Followers"
    } else {
        "Following"
    };
    view! {
        <RequireSignIn next=format!("/u/{}/{list}", handle.get_untracked()) title>
            <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(p) => {
                            let heading = if list == "followers" {
                                format!("People following {}", p.name)
                            } else {
                                format!("People {} follows", p.name)
                            };
                            let more = p.next.map(|c| view! {
                                <p><a class="button" href=format!("/u/{}/{list}?after={}", p.handle, encode_query(&c))>"More people"</a></p>
                            });
                            let empty = p.people.is_empty().then(|| view! { <p class="empty">"Nobody yet."</p> });
                            EitherOf3::A(view! {
                                <Title text=format!("{heading} · Cohort")/>
                                <nav class="breadcrumb" aria-label="Breadcrumb">
                                    <a href=format!("/u/{}", p.handle)>{p.name.clone()}</a>
                                    " › "
                                    <span aria-current="page">{title}</span>
                                </nav>
                                <section class="card">
                                    <h1>{heading}</h1>
                                    {empty}
                                    <ul class="people">
                                        {p.people.into_iter().map(|c| view! { <PersonItem card=c/> }).collect_view()}
                                    </ul>
                                    {more}
                                </section>
                            })
                        }
                        Err(AppError::NotFound) => EitherOf3::B(view! { <NotFound/> }),
                        Err(e) => EitherOf3::C(view! { <p class="form-alert" role="alert">{e.to_string()}</p> }),
                    }
                })}
            </Suspense>
        </RequireSignIn>
    }
}

/// A person in a list, linking to their profile.
#[component]
pub fn PersonItem(card: PersonCard) -> impl IntoView {
    view! {
        <li class="person">
            <Avatar name=card.display_name.clone() url=card.avatar.clone()/>
            <a href=format!("/u/{}", card.handle)>{card.display_name.clone()}</a>
            <span class="meta">{format!("@{}", card.handle)}</span>
            {(!card.job_title.is_empty()).then(|| view! { <span class="meta">{card.job_title.clone()}</span> })}
        </li>
    }
}
