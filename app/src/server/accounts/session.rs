//! The session a request carries: the one way every server fn and HTTP handler finds out who
//! is asking, looked up once per request.

use crate::domain::user::CurrentUser;
use crate::error::{AppError, AppResult};
use crate::server::infra::request::{self};
use crate::server::infra::sessions;
use crate::server::infra::state::AppState;

/// The session token the current request carries.
pub fn session_token() -> AppResult<Option<String>> {
    Ok(token_in(&request::parts()?))
}

fn token_in(parts: &http::request::Parts) -> Option<String> {
    request::cookie(parts, sessions::COOKIE).filter(|t| !t.is_empty())
}

/// The person signed in on the current request, if any.
pub async fn current_user(st: &AppState) -> AppResult<Option<CurrentUser>> {
    user_of_request(st, &request::parts()?).await
}

/// The person whose session cookie the request `parts` carry, if any: the one session lookup
/// of server fns and plain HTTP handlers alike, made once per request (see
/// [`request::SessionCache`]). A database that fails is an error, not "signed out".
pub async fn user_of_request(
    st: &AppState,
    parts: &http::request::Parts,
) -> AppResult<Option<CurrentUser>> {
    let Some(token) = token_in(parts) else {
        return Ok(None);
    };
    let look_up = sessions::user_for_token(&st.db, &token);
    match parts.extensions.get::<request::SessionCache>() {
        Some(cache) => cache.get_or_look_up(look_up).await,
        None => look_up.await,
    }
}

/// The person signed in on the current request, or `Unauthorized`.
pub async fn require_user(st: &AppState) -> AppResult<CurrentUser> {
    current_user(st)
        .await?
        .ok_or_else(AppError::sign_in_required)
}

/// The signed-in person as the space and wall queries need them, or `Unauthorized`.
pub async fn require_viewer(st: &AppState) -> AppResult<crate::server::policy::Viewer> {
    Ok(crate::server::policy::Viewer::from(
        &require_user(st).await?,
    ))
}

/// Ends the current session, if there is one.
pub async fn sign_out(st: &AppState) -> AppResult<()> {
    if let Some(token) = session_token()? {
        sessions::delete(&st.db, &token).await?;
    }
    Ok(())
}

/// Puts the session cookie on the response (or clears it when `token` is `None`).
pub fn set_session_cookie(st: &AppState, token: Option<&str>) -> AppResult<()> {
    let parts = request::parts()?;
    if let Some(cache) = parts.extensions.get::<request::SessionCache>() {
        cache.forget();
    }
    let https = request::client_info(&parts).https;
    let value = match token {
        Some(t) => sessions::cookie_header(t, st.auth.session_ttl_secs, https),
        None => sessions::clear_cookie_header(https),
    };
    let header = http::HeaderValue::from_str(&value).map_err(AppError::internal)?;
    request::response()?.append_header(http::header::SET_COOKIE, header);
    Ok(())
}
