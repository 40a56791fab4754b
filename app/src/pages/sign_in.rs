use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::components::form::{action_error, Field, FormAlert};
use crate::components::session::use_session;

#[component]
pub fn SignInPage() -> impl IntoView {
    let action = use_session().sign_in;
    let error = action_error(action);
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    view! {
        <Title text="Sign in · Cohort"/>
        <section class="card narrow">
            <h1>"Sign in"</h1>
            <ActionForm action=action attr:novalidate=true>
                <FormAlert error/>
                <Field label="Email" name="email" kind="email" autocomplete="email" error/>
                <Field
                    label="Password"
                    name="password"
                    kind="password"
                    autocomplete="current-password"
                    error
                />
                <input type="hidden" name="next" value=next/>
                <button type="submit" class="primary" disabled=move || action.pending().get()>
                    "Sign in"
                </button>
            </ActionForm>
            <p>"New here? " <a href="/register">"Create an account"</a></p>
        </section>
    }
}
