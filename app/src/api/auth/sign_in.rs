use leptos::prelude::*;

use crate::domain::user::CurrentUser;
use crate::error::AppError;

/// Signs in with email and password; then goes to `next` (a local path) or home.
#[server(name = SignIn, endpoint = "auth/sign_in")]
pub async fn sign_in(
    email: String,
    password: String,
    next: Option<String>,
) -> Result<CurrentUser, AppError> {
    use crate::server::{accounts, infra::request, infra::state::state};

    let st = state()?;
    let client = request::client_info(&request::parts()?);
    let (user, token) = accounts::sign_in(&st, client, &email, password).await?;
    accounts::set_session_cookie(&st, Some(&token))?;
    leptos_axum::redirect(&crate::domain::nav::safe_next(next.as_deref()));
    Ok(user)
}
