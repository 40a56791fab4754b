use leptos::prelude::*;

use crate::error::AppError;

/// Changes the signed-in person's password; all their other sessions end.
#[server(name = ChangePassword, endpoint = "auth/change_password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
) -> Result<(), AppError> {
    use crate::server::{accounts, infra::state::state};

    let st = state()?;
    let user = accounts::require_user(&st).await?;
    let token = accounts::change_password(&st, &user, current_password, new_password).await?;
    accounts::set_session_cookie(&st, Some(&token))?;
    leptos_axum::redirect("/account?password=changed");
    Ok(())
}
