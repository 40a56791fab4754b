use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::components::form::{action_error, Field, FormAlert};
use crate::components::session::use_session;

#[component]
pub fn RegisterPage() -> impl IntoView {
    let action = use_session().register;
    let error = action_error(action);
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    view! {
        <Title text="Register · Cohort"/>
        <section class="card narrow">
            <h1>"Create your account"</h1>
            <ActionForm action=action attr:novalidate=true>
                <FormAlert error/>
                <Field label="Display name" name="display_name" autocomplete="name" error/>
                <Field label="Email" name="email" kind="email" autocomplete="email" error/>
                <Field
                    label="Password"
                    name="password"
                    kind="password"
                    autocomplete="new-password"
                    hint="At least 10 characters. A few words you will remember work well."
                    error
                />
                <input type="hidden" name="next" value=next/>
                <button type="submit" class="primary" disabled=move || action.pending().get()>
                    "Register"
                </button>
            </ActionForm>
            <p>"Already have an account? " <a href="/sign-in">"Sign in"</a></p>
        </section>
    }
}
