use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::domain::user::CurrentUser;
use crate::error::AppError;

/// The signed-in person, or `None`.
#[server(name = CurrentUserFn, endpoint = "auth/me", input = GetUrl)]
pub async fn current_user() -> Result<Option<CurrentUser>, AppError> {
    use crate::server::{accounts, infra::state::state};

    accounts::current_user(&state()?).await
}
