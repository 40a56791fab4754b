use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::auth::registration_offer;
use crate::components::form::{action_error, Field, FormAlert};
use crate::components::session::use_session;
use crate::domain::registration::RegistrationOffer;

#[component]
pub fn RegisterPage() -> impl IntoView {
    let query = use_query_map();
    let link = move || {
        let q = query.read();
        (q.get("invite"), q.get("setup"))
    };
    let offer = Resource::new(link, |(invite, setup)| registration_offer(invite, setup));
    view! {
        <Title text="Register · Cohort"/>
        <Suspense fallback=|| view! { <p>"Loading…"</p> }>
            {move || Suspend::new(async move {
                match offer.await {
                    Ok(o) if o.allows() => Either::Left(view! { <RegisterForm offer=o/> }),
                    Ok(o) => Either::Right(refused(o.refusal().unwrap_or_default().to_owned())),
                    Err(e) => Either::Right(refused(e.to_string())),
                }
            })}
        </Suspense>
    }
}

/// No form: why, with a real status (403).
fn refused(text: String) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::FORBIDDEN);
    }
    view! {
        <section class="card narrow">
            <h1>"Create your account"</h1>
            <p class="form-alert" role="alert">{text}</p>
            <p>"Already have an account? " <a href="/sign-in">"Sign in"</a></p>
        </section>
    }
}

#[component]
fn RegisterForm(offer: RegistrationOffer) -> impl IntoView {
    let action = use_session().register;
    let error = action_error(action);
    let query = use_query_map();
    let param = move |name: &'static str| move || query.read().get(name).unwrap_or_default();
    let (heading, intro) = match offer {
        RegistrationOffer::SiteAdmin => (
            "Create the site admin account",
            Some("This setup link makes the account you create here the site's admin. It works until the site has an admin."),
        ),
        RegistrationOffer::Invited => ("Create your account", Some("You were invited to join.")),
        _ => ("Create your account", None),
    };
    view! {
        <section class="card narrow">
            <h1>{heading}</h1>
            {intro.map(|t| view! { <p>{t}</p> })}
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
                <input type="hidden" name="next" value=param("next")/>
                <input type="hidden" name="invite" value=param("invite")/>
                <input type="hidden" name="setup" value=param("setup")/>
                <button type="submit" class="primary" disabled=move || action.pending().get()>
                    "Register"
                </button>
            </ActionForm>
            <p>"Already have an account? " <a href="/sign-in">"Sign in"</a></p>
        </section>
    }
}
