//! What a page shows when its data could not be had.

use leptos::prelude::*;

use crate::components::not_found::NotFound;
use crate::components::require::SignInFirst;
use crate::error::AppError;

/// What a page shows when its data could not be had: not found (404), sign in first, or the
/// problem in words, with its status.
pub fn problem_view(e: AppError, next: String, title: &'static str) -> AnyView {
    match e {
        AppError::NotFound => view! { <NotFound/> }.into_any(),
        AppError::Unauthorized(_) => view! { <SignInFirst next title/> }.into_any(),
        other => {
            #[cfg(feature = "ssr")]
            if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
                if let Ok(code) = http::StatusCode::from_u16(other.status()) {
                    res.set_status(code);
                }
            }
            let text = match &other {
                AppError::Forbidden => {
                    "This is for the course's learners and authors. Enrol in the course first."
                        .to_owned()
                }
                e => e.to_string(),
            };
            view! {
                <section class="card narrow">
                    <h1>{title}</h1>
                    <p class="form-alert" role="alert">{text}</p>
                </section>
            }
            .into_any()
        }
    }
}
