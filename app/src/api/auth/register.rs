use leptos::prelude::*;

use crate::domain::user::CurrentUser;
use crate::error::AppError;

/// Creates an account (as the registration mode allows: `invite` and `setup` are the tokens of
/// an invitation link and of the setup link) and signs it in; then goes to `next` (a local path) or home.
#[server(name = Register, endpoint = "auth/register")]
pub async fn register(
    display_name: String,
    email: String,
    password: String,
    next: Option<String>,
    #[server(default)] invite: Option<String>,
    #[server(default)] setup: Option<String>,
) -> Result<CurrentUser, AppError> {
    use crate::server::{accounts, infra::request, infra::state::state};

    let st = state()?;
    let client = request::client_info(&request::parts()?);
    let input = accounts::Registration {
        display_name,
        email,
        password,
        invite,
        setup,
    };
    let (user, token) = accounts::register(&st, client, input).await?;
    accounts::set_session_cookie(&st, Some(&token))?;
    leptos_axum::redirect(&crate::domain::nav::safe_next(next.as_deref()));
    Ok(user)
}
