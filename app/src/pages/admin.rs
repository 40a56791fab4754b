//! Site settings for admins.

use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::search::missed_searches;
use crate::api::spaces::{space_creation_policy, SetSpaceCreationPolicy};
use crate::components::form::{action_error, FormAlert};
use crate::components::require::RequireSignIn;
use crate::components::session::use_session;
use crate::domain::search::MissedSearch;
use crate::domain::time::format_utc;
use crate::domain::user::Role;
use crate::error::AppError;

#[component]
pub fn AdminPage() -> impl IntoView {
    // Made before any `Suspense` (see `crate::components::wall::wall_resource`).
    let save = ServerAction::<SetSpaceCreationPolicy>::new();
    let policy = Resource::new(move || save.version().get(), |_| space_creation_policy());
    let missed = Resource::new(|| (), |_| missed_searches());
    view! {
        <Title text="Site settings · Cohort"/>
        <RequireSignIn next="/admin".to_owned() title="Site settings">
            <AdminSettings save policy/>
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
