//! `server create-admin`: an admin account from the command line.

use app::domain::user::{DisplayName, Email, NewPassword, Role};
use app::server::accounts::users::{self, NewRole};
use app::server::infra::passwords::hash_password;

use crate::config::Config;
use crate::startup::build_state;

/// Creates the admin, or promotes the existing account with that email.
pub async fn create_admin(config: &Config, email: &str, name: &str) -> Result<String, String> {
    let email = Email::parse(email).map_err(|m| format!("email: {m}"))?;
    let name = DisplayName::parse(name).map_err(|m| format!("name: {m}"))?;
    let state = build_state(config).await?;
    if users::set_role(&state.db, &email, Role::Admin)
        .await
        .map_err(|e| e.to_string())?
    {
        return Ok(format!("{} is now a site admin.", email.as_str()));
    }
    let raw = match std::env::var("COHORT_ADMIN_PASSWORD") {
        Ok(p) => p,
        Err(_) => {
            eprintln!(
                "Password for {} (at least {} characters):",
                email.as_str(),
                NewPassword::MIN
            );
            let mut line = String::new();
            std::io::stdin()
                .read_line(&mut line)
                .map_err(|e| e.to_string())?;
            line.trim_end_matches(['\r', '\n']).to_owned()
        }
    };
    let password = NewPassword::parse(&raw, &[email.as_str(), name.as_str()])
        .map_err(|m| format!("password: {m}"))?;
    let hash = hash_password(password.expose().to_owned())
        .await
        .map_err(|e| e.to_string())?;
    users::create(&state.db, &name, &email, &hash, NewRole::Fixed(Role::Admin))
        .await
        .map_err(|e| e.to_string())?;
    state.db.pool.close().await;
    Ok(format!("Created site admin {}.", email.as_str()))
}
