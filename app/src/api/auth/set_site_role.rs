use leptos::prelude::*;

use crate::error::AppError;

/// Gives the account with `email` a site role (site admins only): `admin`, `ld_manager`,
/// `author` or `member`.
#[server(name = SetSiteRole, endpoint = "admin/set_role")]
pub async fn set_site_role(email: String, role: String) -> Result<(), AppError> {
    use crate::domain::user::{Email, Role};
    use crate::error::FormErrors;
    use crate::server::{accounts, accounts::users, infra::state::state};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    if !viewer.admin {
        return Err(AppError::Forbidden);
    }
    let keep = |f: FormErrors| f.keep("email", &email).keep("role", &role);
    let parsed = Email::parse(&email)
        .map_err(|m| AppError::Validation(keep(FormErrors::single("email", m))))?;
    let role = Role::parse(&role)
        .ok_or_else(|| AppError::Validation(keep(FormErrors::single("role", "Choose a role."))))?;
    if !users::set_role(&st.db, &parsed, role).await? {
        return Err(AppError::Validation(keep(FormErrors::single(
            "email",
            "No account has that e-mail address.",
        ))));
    }
    leptos_axum::redirect("/admin?role=saved");
    Ok(())
}
