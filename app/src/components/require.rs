//! Pages for signed-in people only.

use leptos::either::Either;
use leptos::prelude::*;

use super::session::use_session;

/// Shown to a signed-out visitor: the server answers with a redirect to sign-in (coming back
/// to `next` afterwards); a browser that just signed out sees a link instead of a second,
/// racing navigation.
#[component]
pub fn SignInFirst(next: String, title: &'static str) -> impl IntoView {
    // A path from the address (a handle, a tag) may hold anything, line breaks included, and a
    // Location header may not: such a path goes percent-encoded.
    let next = match crate::domain::nav::local_path(&next) {
        Some(path) => path.to_owned(),
        None => crate::domain::nav::encode_query(&next),
    };
    let href = format!("/sign-in?next={next}");
    #[cfg(feature = "ssr")]
    leptos_axum::redirect(&href);
    view! {
        <section class="card narrow">
            <h1>{title}</h1>
            <p>"You are signed out. " <a href=href>"Sign in"</a> " to continue."</p>
        </section>
    }
}

/// Shows `children` to a signed-in person; anyone else is sent to sign in, coming back to
/// `next` afterwards.
#[component]
pub fn RequireSignIn(next: String, title: &'static str, children: ChildrenFn) -> impl IntoView {
    let session = use_session();
    let children = StoredValue::new(children);
    let next = StoredValue::new(next);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match session.user.await {
                    Ok(Some(_)) => Either::Left(children.with_value(|c| c())),
                    _ => Either::Right(view! { <SignInFirst next=next.get_value() title/> }),
                }
            })}
        </Suspense>
    }
}
