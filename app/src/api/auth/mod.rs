//! Accounts and sessions.

mod change_password;
mod current_user;
mod register;
mod registration;
mod set_site_role;
mod sign_in;
mod sign_out;

pub use change_password::{change_password, ChangePassword};
pub use current_user::{current_user, CurrentUserFn};
pub use register::{register, Register};
pub use registration::{
    create_invitation, invitations, registration_mode, registration_offer, revoke_invitation,
    set_registration_mode, CreateInvitation, InvitationsFn, RegistrationModeFn,
    RegistrationOfferFn, RevokeInvitation, SetRegistrationMode,
};
pub use set_site_role::{set_site_role, SetSiteRole};
pub use sign_in::{sign_in, SignIn};
pub use sign_out::{sign_out, SignOut};
