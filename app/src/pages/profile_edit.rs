//! Editing one's own profile: details, bio, skills and expertise, links, and the picture.

use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::profiles::{profile_form, UpdateProfile};
use crate::components::avatar::Avatar;
use crate::components::form::{action_error, Field, FormAlert, PictureField};
use crate::components::require::RequireSignIn;
use crate::domain::profile::ProfileForm;
use crate::error::AppError;

#[component]
pub fn ProfileEditPage() -> impl IntoView {
    // Made before any `Suspense` (see `crate::components::wall::wall_resource`).
    let save = ServerAction::<UpdateProfile>::new();
    let saved = Resource::new(move || save.version().get(), |_| profile_form());
    view! {
        <Title text="Edit your profile · Cohort"/>
        <RequireSignIn next="/profile/edit".to_owned() title="Edit your profile">
            <ProfileEditor save saved/>
        </RequireSignIn>
    }
}

#[component]
fn ProfileEditor(
    save: ServerAction<UpdateProfile>,
    saved: Resource<Result<ProfileForm, AppError>>,
) -> impl IntoView {
    view! {
        <Suspense fallback=|| view! { <p>"Loading your profile…"</p> }>
            {move || Suspend::new(async move {
                match saved.await {
                    Ok(form) => Either::Left(view! { <EditForms form save/> }),
                    Err(e) => Either::Right(view! { <p class="form-alert" role="alert">{e.to_string()}</p> }),
                }
            })}
        </Suspense>
    }
}

#[component]
fn EditForms(form: ProfileForm, save: ServerAction<UpdateProfile>) -> impl IntoView {
    let error = action_error(save);
    let done = move || matches!(save.value().get(), Some(Ok(())));
    let query = use_query_map();
    let avatar_error = move || query.read().get("avatar_error");
    let avatar_saved = move || query.read().get("avatar").is_some();
    let handle = form.handle.clone();
    let (name, avatar) = (form.display_name.clone(), form.avatar.clone());
    view! {
        <section class="card narrow">
            <h1>"Edit your profile"</h1>
            <p><a href=format!("/u/{handle}")>"View your profile"</a></p>
            <ActionForm action=save attr:novalidate=true attr:class="stack">
                <FormAlert error/>
                {move || done().then(|| view! { <p class="form-success" role="status">"Profile saved."</p> })}
                <Field label="Display name" name="display_name" autocomplete="name" initial=form.display_name error/>
                <Field label="Handle" name="handle" hint="Your @name and the address of your profile: 3 to 30 letters, digits or underscores." initial=form.handle error/>
                <Field label="Job title" name="job_title" required=false autocomplete="organization-title" initial=form.job_title error/>
                <Field label="Department" name="department" required=false initial=form.department error/>
                <Field label="Location" name="location" required=false initial=form.location error/>
                <Field label="Bio" name="bio" kind="textarea" required=false hint="Markdown works." initial=form.bio error/>
                <Field label="Skills" name="skills" required=false hint="Separate with commas, for example: facilitation, SQL, coaching." initial=form.skills error/>
                <Field label="Expertise topics" name="expertise" required=false hint="Topics people may ask you about, separated with commas." initial=form.expertise error/>
                <Field label="Links" name="links" kind="textarea" required=false hint="One per line: a label, then the address, for example: Blog https://example.com" initial=form.links error/>
                <button type="submit" class="primary">"Save profile"</button>
            </ActionForm>
        </section>
        <section class="card narrow" aria-labelledby="picture-title">
            <h2 id="picture-title">"Profile picture"</h2>
            <Avatar name url=avatar.clone() size="large"/>
            {move || avatar_saved().then(|| view! { <p class="form-success" role="status">"Picture saved."</p> })}
            <form method="post" action="/media/avatar" enctype="multipart/form-data" class="stack">
                <PictureField
                    label="Picture file"
                    name="avatar"
                    id="avatar"
                    hint="JPEG, PNG, GIF or WebP. It is cropped square and resized; photo details such as location are removed."
                    error=Signal::derive(avatar_error)
                />
                <button type="submit">"Upload picture"</button>
            </form>
            {avatar.is_some().then(|| view! {
                <form method="post" action="/media/avatar" enctype="multipart/form-data">
                    <input type="hidden" name="remove" value="true"/>
                    <button type="submit" class="link-button danger">"Remove picture"</button>
                </form>
            })}
        </section>
    }
}
