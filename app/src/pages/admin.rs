//! Site settings for admins.

use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::auth::SetSiteRole;
use crate::api::playlists::{curation_open, SetPlaylistCuration};
use crate::api::search::missed_searches;
use crate::api::spaces::{space_creation_policy, SetSpaceCreationPolicy};
use crate::components::form::{action_error, FormAlert};
use crate::components::form::{Field, SelectField};
use crate::components::require::RequireSignIn;
use crate::components::session::use_session;
use crate::domain::search::MissedSearch;
use crate::domain::time::format_utc;
use crate::domain::user::Role;
use crate::error::AppError;
use crate::pages::admin_registration::{RegistrationSettings, RegistrationState};

#[component]
pub fn AdminPage() -> impl IntoView {
    // Made before any `Suspense` (see `crate::components::wall::wall_resource`).
    let save = ServerAction::<SetSpaceCreationPolicy>::new();
    let policy = Resource::new(move || save.version().get(), |_| space_creation_policy());
    let missed = Resource::new(|| (), |_| missed_searches());
    let curation = ServerAction::<SetPlaylistCuration>::new();
    let open = Resource::new(move || curation.version().get(), |_| curation_open());
    let role = ServerAction::<SetSiteRole>::new();
    let registration = RegistrationState::create();
    view! {
        <Title text="Site settings · Cohort"/>
        <RequireSignIn next="/admin".to_owned() title="Site settings">
            <AdminSettings save policy/>
            <AdminMore curation open role/>
            <RegistrationSettings state=registration/>
            <MissedSearches missed/>
        </RequireSignIn>
    }
}

#[component]
fn AdminSettings(
    save: ServerAction<SetSpaceCreationPolicy>,
    policy: Resource<Result<(bool, bool), AppError>>,
) -> impl IntoView {
    let session = use_session();
    let error = action_error(save);
    view! {
        <Suspense fallback=|| view! { <p>"Loading the settings…"</p> }>
            {move || Suspend::new(async move {
                let admin = matches!(session.user.await, Ok(Some(u)) if u.role == Role::Admin);
                if !admin {
                    // A real status for people who may not be here.
                    #[cfg(feature = "ssr")]
                    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
                        res.set_status(http::StatusCode::FORBIDDEN);
                    }
                }
                match (admin, policy.await) {
                    (false, _) => EitherOf3::A(view! {
                        <section class="card narrow">
                            <h1>"Site settings"</h1>
                            <p>"Only site admins can change these settings."</p>
                        </section>
                    }),
                    (true, Ok((_, authors_only))) => EitherOf3::B(view! {
                        <section class="card narrow">
                            <h1>"Site settings"</h1>
                            <ActionForm action=save>
                                <FormAlert error/>
                                {move || matches!(save.value().get(), Some(Ok(()))).then(|| view! {
                                    <p class="form-success" role="status">"Settings saved."</p>
                                })}
                                <div class="field">
                                    <label for="authors-only">"Who can create spaces"</label>
                                    <select id="authors-only" name="authors_only">
                                        <option value="false" selected=!authors_only>"Every member"</option>
                                        <option value="true" selected=authors_only>"Authors and admins only"</option>
                                    </select>
                                </div>
                                <button type="submit" class="primary">"Save settings"</button>
                            </ActionForm>
                        </section>
                    }),
                    (true, Err(e)) => EitherOf3::C(view! { <p class="form-alert" role="alert">{e.to_string()}</p> }),
                }
            })}
        </Suspense>
    }
}

/// Who builds playlists, and people's site roles (admins only; the server checks).
#[component]
fn AdminMore(
    curation: ServerAction<SetPlaylistCuration>,
    open: Resource<Result<bool, AppError>>,
    role: ServerAction<SetSiteRole>,
) -> impl IntoView {
    let session = use_session();
    let curation_error = action_error(curation);
    let role_error = action_error(role);
    let roles: Vec<(&'static str, &'static str)> = Role::ALL
        .into_iter()
        .rev()
        .map(|r| (r.as_str(), r.label()))
        .collect();
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let roles = roles.clone();
                Suspend::new(async move {
                let admin = matches!(session.user.await, Ok(Some(u)) if u.role == Role::Admin);
                let everyone = matches!(open.await, Ok(true));
                admin.then(|| view! {
                    <section class="card narrow" aria-labelledby="curation-title">
                        <h2 id="curation-title">"Learning playlists"</h2>
                        <ActionForm action=curation>
                            <FormAlert error=curation_error/>
                            <div class="field">
                                <label for="curation">"Who can build playlists"</label>
                                <select id="curation" name="everyone">
                                    <option value="false" selected=!everyone>"Authors, L&D managers and admins"</option>
                                    <option value="true" selected=everyone>"Every member"</option>
                                </select>
                            </div>
                            <button type="submit">"Save playlist setting"</button>
                        </ActionForm>
                    </section>
                    <section class="card narrow" aria-labelledby="roles-title">
                        <h2 id="roles-title">"Site roles"</h2>
                        <p class="hint">"Authors write courses and build playlists; L&D managers also assign courses."</p>
                        <ActionForm action=role attr:novalidate=true>
                            <FormAlert error=role_error/>
                            {move || matches!(role.value().get(), Some(Ok(()))).then(|| view! {
                                <p class="form-success" role="status">"Role saved."</p>
                            })}
                            <Field label="Person's e-mail" name="email" kind="email" id="role-email" error=role_error/>
                            <SelectField label="Site role" name="role" options=roles error=role_error/>
                            <button type="submit">"Give role"</button>
                        </ActionForm>
                    </section>
                })
            })}}
        </Suspense>
    }
    .into_any()
}

/// The searches that found nothing: what people look for and the site does not answer yet.
#[component]
fn MissedSearches(missed: Resource<Result<Vec<MissedSearch>, AppError>>) -> impl IntoView {
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                missed.await.ok().map(|rows| view! {
                    <section class="card narrow" aria-labelledby="missed-title">
                        <h2 id="missed-title">"Searches that found nothing"</h2>
                        {if rows.is_empty() {
                            leptos::either::Either::Left(view! { <p class="empty">"None yet."</p> })
                        } else {
                            leptos::either::Either::Right(view! {
                                <table>
                                    <thead><tr><th scope="col">"Search"</th><th scope="col">"Times"</th><th scope="col">"Last"</th></tr></thead>
                                    <tbody>
                                        {rows.into_iter().map(|m| view! {
                                            <tr><td>{m.term}</td><td>{m.times}</td><td>{format_utc(m.last_at)}</td></tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            })
                        }}
                    </section>
                })
            })}
        </Suspense>
    }
}
