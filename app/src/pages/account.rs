use leptos::either::Either;
use leptos::html::Form;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::components::form::{action_error, reset_on_success, Field, FormAlert};
use crate::components::require::SignInFirst;
use crate::components::session::use_session;
use crate::domain::user::CurrentUser;

/// The signed-in person's account: who they are and a form to change the password.
#[component]
pub fn AccountPage() -> impl IntoView {
    let session = use_session();
    view! {
        <Title text="Your account · Cohort"/>
        <Suspense fallback=|| view! { <p>"Loading your account…"</p> }>
            {move || Suspend::new(async move {
                match session.user.await {
                    Ok(Some(user)) => Either::Left(view! { <AccountDetails user/> }),
                    _ => Either::Right(view! { <SignInFirst next="/account".to_owned() title="Your account"/> }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AccountDetails(user: CurrentUser) -> impl IntoView {
    let action = use_session().change_password;
    let error = action_error(action);
    let query = use_query_map();
    // Said after a change; a later failure (its URL still saying "changed") replaces it.
    let changed = move || match action.value().get() {
        Some(result) => result.is_ok(),
        None => query.read().get("password").as_deref() == Some("changed"),
    };
    let form = NodeRef::<Form>::new();
    reset_on_success(action, form);
    view! {
        <section class="card narrow">
            <h1>"Your account"</h1>
            <dl class="facts">
                <dt>"Name"</dt>
                <dd>{user.display_name}</dd>
                <dt>"Email"</dt>
                <dd>{user.email}</dd>
                <dt>"Site role"</dt>
                <dd>{user.role.label()}</dd>
            </dl>
        </section>
        <section class="card narrow">
            <h2>"Change password"</h2>
            {move || {
                changed()
                    .then(|| {
                        view! {
                            <p class="form-success" role="status">
                                "Your password has been changed. Other devices have been signed out."
                            </p>
                        }
                    })
            }}
            <ActionForm action=action node_ref=form attr:novalidate=true>
                <FormAlert error/>
                <Field
                    label="Current password"
                    name="current_password"
                    kind="password"
                    autocomplete="current-password"
                    error
                />
                <Field
                    label="New password"
                    name="new_password"
                    kind="password"
                    autocomplete="new-password"
                    hint="At least 10 characters."
                    error
                />
                <button type="submit" class="primary" disabled=move || action.pending().get()>
                    "Change password"
                </button>
            </ActionForm>
        </section>
    }
}
