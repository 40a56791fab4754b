use leptos::prelude::*;

use crate::domain::registration::{Invitation, RegistrationMode, RegistrationOffer};
use crate::error::AppError;

/// What the registration page offers, for the tokens of the link it was opened with.
#[server(name = RegistrationOfferFn, endpoint = "auth/registration")]
pub async fn registration_offer(
    invite: Option<String>,
    setup: Option<String>,
) -> Result<RegistrationOffer, AppError> {
    use crate::server::{accounts::registration, infra::state::state};

    let st = state()?;
    registration::offer(&st.db, invite.as_deref(), setup.as_deref()).await
}

/// The registration mode (site admins).
#[server(name = RegistrationModeFn, endpoint = "admin/registration")]
pub async fn registration_mode() -> Result<RegistrationMode, AppError> {
    use crate::server::{accounts, accounts::registration, infra::state::state};

    let st = state()?;
    if !accounts::require_viewer(&st).await?.admin {
        return Err(AppError::Forbidden);
    }
    registration::mode(&st.db).await
}

/// Sets who may register (site admins): `open`, `invitation` or `closed`.
#[server(name = SetRegistrationMode, endpoint = "admin/set_registration")]
pub async fn set_registration_mode(mode: String) -> Result<(), AppError> {
    use crate::server::{accounts, accounts::registration, infra::state::state};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    registration::set_mode(&st.db, viewer, &mode).await?;
    leptos_axum::redirect("/admin?registration=saved");
    Ok(())
}

/// The recent invitation links (site admins).
#[server(name = InvitationsFn, endpoint = "admin/invitations")]
pub async fn invitations() -> Result<Vec<Invitation>, AppError> {
    use crate::server::{accounts, accounts::registration, infra::request, infra::state::state};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    let site = st.origins.site(&request::parts()?);
    registration::invitations(&st.db, viewer, &site).await
}

/// Makes an invitation link for one person (site admins); `note` says who it is for.
#[server(name = CreateInvitation, endpoint = "admin/invite")]
pub async fn create_invitation(note: String) -> Result<Invitation, AppError> {
    use crate::server::{accounts, accounts::registration, infra::request, infra::state::state};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    let site = st.origins.site(&request::parts()?);
    let made = registration::invite(&st.db, viewer, &site, &note).await?;
    leptos_axum::redirect("/admin?invitation=made#invitations");
    Ok(made)
}

/// Ends an unused invitation link (site admins).
#[server(name = RevokeInvitation, endpoint = "admin/revoke_invitation")]
pub async fn revoke_invitation(id: i64) -> Result<(), AppError> {
    use crate::server::{accounts, accounts::registration, infra::state::state};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    registration::revoke(&st.db, viewer, id).await?;
    leptos_axum::redirect("/admin?invitation=revoked#invitations");
    Ok(())
}
