//! Site settings, "Registration": who may register, and invitation links (site admins).

use leptos::prelude::*;

use crate::api::auth::{
    invitations, registration_mode, CreateInvitation, RevokeInvitation, SetRegistrationMode,
};
use crate::components::form::{action_error, Field, FormAlert};
use crate::domain::registration::{Invitation, RegistrationMode};
use crate::domain::time::format_utc;
use crate::error::AppError;

/// The section's actions and data, made by the page before any `Suspense`.
#[derive(Clone, Copy)]
pub struct RegistrationState {
    save: ServerAction<SetRegistrationMode>,
    make: ServerAction<CreateInvitation>,
    revoke: ServerAction<RevokeInvitation>,
    mode: Resource<Result<RegistrationMode, AppError>>,
    links: Resource<Result<Vec<Invitation>, AppError>>,
}

impl RegistrationState {
    /// Made by the page before any `Suspense`.
    pub fn create() -> Self {
        let save = ServerAction::<SetRegistrationMode>::new();
        let make = ServerAction::<CreateInvitation>::new();
        let revoke = ServerAction::<RevokeInvitation>::new();
        let mode = Resource::new(move || save.version().get(), |_| registration_mode());
        let links = Resource::new(
            move || (make.version().get(), revoke.version().get()),
            |_| invitations(),
        );
        Self {
            save,
            make,
            revoke,
            mode,
            links,
        }
    }
}

/// The registration mode and the invitation links; nothing for anyone but site admins (the
/// server answers them 403).
#[component]
pub fn RegistrationSettings(state: RegistrationState) -> impl IntoView {
    let RegistrationState {
        save,
        make,
        revoke,
        mode,
        links,
    } = state;
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                mode.await.ok().map(|current| view! { <Settings current save make revoke links/> })
            })}
        </Suspense>
    }
}

#[component]
fn Settings(
    current: RegistrationMode,
    save: ServerAction<SetRegistrationMode>,
    make: ServerAction<CreateInvitation>,
    revoke: ServerAction<RevokeInvitation>,
    links: Resource<Result<Vec<Invitation>, AppError>>,
) -> impl IntoView {
    let save_error = action_error(save);
    let make_error = action_error(make);
    let revoke_error = action_error(revoke);
    view! {
        <section class="card narrow" aria-labelledby="registration-title">
            <h2 id="registration-title">"Registration"</h2>
                    {view! {
                        <ActionForm action=save>
                            <FormAlert error=save_error/>
                            {move || matches!(save.value().get(), Some(Ok(()))).then(|| view! {
                                <p class="form-success" role="status">"Registration setting saved."</p>
                            })}
                            <div class="field">
                                <label for="registration-mode">"Who can register"</label>
                                <select id="registration-mode" name="mode">
                                    {RegistrationMode::ALL.into_iter().map(|m| view! {
                                        <option value=m.as_str() selected=m == current>{m.label()}</option>
                                    }).collect_view()}
                                </select>
                            </div>
                            <button type="submit">"Save registration setting"</button>
                        </ActionForm>
                    }}
            <h3 id="invitations">"Invitation links"</h3>
            <p class="hint">"Each link makes one account and works for 14 days, while registration is open or by invitation."</p>
            <ActionForm action=make attr:novalidate=true>
                <FormAlert error=make_error/>
                <Field
                    label="Who is it for (optional)"
                    name="note"
                    id="invitation-note"
                    hint="Only admins see this note."
                    error=make_error
                />
                <button type="submit">"Make an invitation link"</button>
            </ActionForm>
            <FormAlert error=revoke_error/>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let rows = links.await.unwrap_or_default();
                    if rows.is_empty() {
                        return leptos::either::Either::Left(view! { <p class="empty">"No invitation links yet."</p> });
                    }
                    leptos::either::Either::Right(view! {
                        <ul class="invitations">
                            {rows.into_iter().map(|i| view! { <InvitationRow i revoke/> }).collect_view()}
                        </ul>
                    })
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn InvitationRow(i: Invitation, revoke: ServerAction<RevokeInvitation>) -> impl IntoView {
    let who = if i.note.is_empty() {
        "Invitation".to_owned()
    } else {
        format!("For {}", i.note)
    };
    let state = match (&i.used_by, i.used_at) {
        (Some(name), Some(at)) => format!("Used by {name} on {}", format_utc(at)),
        (None, Some(at)) => format!("Used on {}", format_utc(at)),
        _ if !i.open => "Expired or revoked".to_owned(),
        _ => format!("Open until {}", format_utc(i.expires_at)),
    };
    let open = i.open;
    let label = format!("Invitation link: {who}");
    view! {
        <li class="invitation">
            <p><strong>{who.clone()}</strong>" · "{state}</p>
            {open.then(|| view! {
                <input class="invitation-link" type="text" readonly value=i.link.clone() aria-label=label/>
                <ActionForm action=revoke>
                    <input type="hidden" name="id" value=i.id/>
                    <button type="submit">"Revoke"</button>
                </ActionForm>
            })}
        </li>
    }
}
