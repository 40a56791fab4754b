//! Creating a space.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::spaces::CreateSpace;
use crate::components::form::{action_error, Field, FormAlert, SelectField};
use crate::components::require::RequireSignIn;
use crate::domain::space::{JoinPolicy, Visibility};

#[component]
pub fn NewSpacePage() -> impl IntoView {
    view! {
        <Title text="Create a space · Cohort"/>
        <RequireSignIn next="/spaces/new".to_owned() title="Create a space">
            <NewSpaceForm/>
        </RequireSignIn>
    }
}

#[component]
fn NewSpaceForm() -> impl IntoView {
    let action = ServerAction::<CreateSpace>::new();
    let error = action_error(action);
    let visibility = Visibility::ALL
        .iter()
        .map(|v| (v.as_str(), v.label()))
        .collect::<Vec<_>>();
    let policies = JoinPolicy::ALL
        .iter()
        .map(|p| (p.as_str(), p.label()))
        .collect::<Vec<_>>();
    view! {
        <section class="card narrow">
            <h1>"Create a space"</h1>
            <ActionForm action=action attr:novalidate=true>
                <FormAlert error/>
                <Field label="Name" name="name" error/>
                <Field
                    label="Address"
                    name="slug"
                    required=false
                    hint="Lower-case letters, digits and hyphens; the space lives at /s/address. Leave it empty to make one from the name."
                    error
                />
                <Field label="Description" name="description" kind="textarea" required=false error/>
                <Field
                    label="Topics"
                    name="tags"
                    required=false
                    hint="Optional, separated with commas, for example: leadership, onboarding."
                    error
                />
                <SelectField label="Who can see it" name="visibility" options=visibility error/>
                <SelectField label="How people join" name="join_policy" options=policies error/>
                <Field
                    label="Parent space address"
                    name="parent"
                    required=false
                    hint="Optional: makes this a sub-space of a space you belong to."
                    error
                />
                <button type="submit" class="primary" disabled=move || action.pending().get()>
                    "Create space"
                </button>
            </ActionForm>
        </section>
    }
}
