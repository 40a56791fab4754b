//! Accounts: registering, signing in and out, changing one's password; the session a request
//! carries ([`session`]) and the account rows ([`users`]).

pub mod registration;
pub mod session;
pub mod users;

pub use session::{
    current_user, require_user, require_viewer, set_session_cookie, sign_out, user_of_request,
};

use crate::domain::user::{CurrentUser, DisplayName, Email, NewPassword};
use crate::error::{AppError, AppResult, FormErrors, FORM};
use crate::server::accounts::session::session_token;
use crate::server::infra::passwords::{hash_password, verify_password};
use crate::server::infra::request::ClientInfo;
use crate::server::infra::state::AppState;
use crate::server::{infra::rate_limit, infra::sessions};

/// What the registration form sends.
pub struct Registration {
    pub display_name: String,
    pub email: String,
    pub password: String,
    /// The token of an invitation link, if the page was opened with one.
    pub invite: Option<String>,
    /// The token of the setup link that creates the site admin, if the page was opened with it.
    pub setup: Option<String>,
}

/// Creates an account, as the site's registration mode allows, and signs it in: a member, or
/// the site admin through the setup link. Returns the person and the new session token.
pub async fn register(
    st: &AppState,
    client: ClientInfo,
    input: Registration,
) -> AppResult<(CurrentUser, String)> {
    // Whatever stops it, what was typed (not the password) comes back to the form.
    let (name, email) = (input.display_name.clone(), input.email.clone());
    register_as_allowed(st, client, input)
        .await
        .map_err(|e| e.keeping("display_name", &name).keeping("email", &email))
}

async fn register_as_allowed(
    st: &AppState,
    client: ClientInfo,
    input: Registration,
) -> AppResult<(CurrentUser, String)> {
    let limits = &st.auth.limits;
    let ip_bucket = format!("register:ip:{}", client.rate_key());
    rate_limit::hit(
        &st.db,
        &ip_bucket,
        limits.register_per_ip,
        limits.window_secs,
    )
    .await?;
    let role = registration::admit(&st.db, input.invite.as_deref(), input.setup.as_deref()).await?;

    let mut errors = FormErrors::new();
    let name = DisplayName::parse(&input.display_name)
        .map_err(|m| errors.add("display_name", m))
        .ok();
    let email = Email::parse(&input.email)
        .map_err(|m| errors.add("email", m))
        .ok();
    let password = NewPassword::parse(&input.password, &[&input.email, &input.display_name])
        .map_err(|m| errors.add("password", m))
        .ok();
    let (Some(name), Some(email), Some(password)) = (name, email, password) else {
        return Err(AppError::Validation(errors));
    };
    let account_bucket = format!("register:account:{}", email.as_str());
    rate_limit::hit(
        &st.db,
        &account_bucket,
        limits.sign_in_per_account,
        limits.window_secs,
    )
    .await?;

    let hash = hash_password(password.expose().to_owned()).await?;
    let user = users::create(&st.db, &name, &email, &hash, role).await?;
    let token = sessions::create(&st.db, user.id, st.auth.session_ttl_secs).await?;
    tracing::info!(
        user = user.id.0,
        role = user.role.as_str(),
        "account registered"
    );
    Ok((user, token))
}

/// Checks credentials and starts a session. Unknown email and wrong password fail alike.
pub async fn sign_in(
    st: &AppState,
    client: ClientInfo,
    email_raw: &str,
    password: String,
) -> AppResult<(CurrentUser, String)> {
    let limits = &st.auth.limits;
    let ip_bucket = format!("sign_in:ip:{}", client.rate_key());
    rate_limit::hit(
        &st.db,
        &ip_bucket,
        limits.sign_in_per_ip,
        limits.window_secs,
    )
    .await?;

    let mut errors = FormErrors::new();
    let email = Email::parse(email_raw)
        .map_err(|m| errors.add("email", m))
        .ok();
    if password.is_empty() {
        errors.add("password", "Enter your password.");
    }
    let Some(email) = email.filter(|_| errors.is_empty()) else {
        return Err(AppError::Validation(errors.keep("email", email_raw)));
    };
    // Failures in a row slow the account's next attempts down (never a lock-out); a right
    // password starts the count again.
    let account_key = email.as_str().to_owned();
    rate_limit::take_turn(&st.db, &account_key, &limits.sign_in_throttle()).await?;

    let creds = users::credentials_by_email(&st.db, &email).await?;
    let (id, hash) = match creds {
        Some((id, hash)) => (Some(id), Some(hash)),
        None => (None, None),
    };
    let ok = verify_password(password, hash).await?;
    let Some(id) = id.filter(|_| ok) else {
        return Err(AppError::Unauthorized(
            FormErrors::single(FORM, "Email or password is incorrect.").keep("email", email_raw),
        ));
    };
    rate_limit::clear(&st.db, &account_key).await?;
    // Signing in over an old session replaces it.
    if let Some(old) = session_token()? {
        sessions::delete(&st.db, &old).await?;
    }
    let token = sessions::create(&st.db, id, st.auth.session_ttl_secs).await?;
    let user = sessions::user_for_token(&st.db, &token)
        .await?
        .ok_or_else(|| AppError::internal("a new session has no user"))?;
    tracing::info!(user = user.id.0, "signed in");
    Ok((user, token))
}

/// Changes the signed-in person's password, ends all their sessions and starts a new one for
/// this browser; returns its token.
pub async fn change_password(
    st: &AppState,
    user: &CurrentUser,
    current: String,
    new: String,
) -> AppResult<String> {
    let limits = &st.auth.limits;
    rate_limit::take_turn(&st.db, &user.email, &limits.sign_in_throttle()).await?;

    let mut errors = FormErrors::new();
    if current.is_empty() {
        errors.add("current_password", "Enter your current password.");
    }
    match NewPassword::parse(&new, &[&user.email, &user.display_name]) {
        Ok(_) if new == current => {
            errors.add("new_password", "Choose a password you have not been using.")
        }
        Ok(_) => {}
        Err(m) => errors.add("new_password", m),
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let stored = users::password_hash(&st.db, user.id).await?;
    if !verify_password(current, stored).await? {
        return Err(AppError::Validation(FormErrors::single(
            "current_password",
            "Your current password is not correct.",
        )));
    }
    let hash = hash_password(new).await?;
    users::set_password_hash(&st.db, user.id, &hash).await?;
    let token = sessions::create(&st.db, user.id, st.auth.session_ttl_secs).await?;
    sessions::delete_others(&st.db, user.id, &token).await?;
    rate_limit::clear(&st.db, &user.email).await?;
    tracing::info!(user = user.id.0, "password changed");
    Ok(token)
}
