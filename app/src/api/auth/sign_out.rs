use leptos::prelude::*;

use crate::error::AppError;

/// Ends the current session and goes home.
#[server(name = SignOut, endpoint = "auth/sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    use crate::server::{accounts, infra::state::state};

    let st = state()?;
    accounts::sign_out(&st).await?;
    accounts::set_session_cookie(&st, None)?;
    leptos_axum::redirect("/");
    Ok(())
}
