//! Suggestions while typing (tags in use, similar questions): fetched in the browser as the
//! text changes, newest answer wins. Nothing of this runs on the server, so a page that
//! shows suggestions renders completely without JavaScript.

use std::future::Future;

use leptos::prelude::*;

/// A function to call with what is typed: it asks `fetch` for suggestions and puts the
/// answer to the latest text in `out` (an answer to older text is dropped).
pub fn as_typed<T, F, Fut>(out: RwSignal<Vec<T>>, fetch: F) -> impl Fn(String) + Clone + 'static
where
    T: Send + Sync + 'static,
    F: Fn(String) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Vec<T>> + 'static,
{
    let latest = StoredValue::new(0_u64);
    move |typed: String| {
        latest.update_value(|n| *n += 1);
        let asked = latest.get_value();
        let fut = fetch(typed);
        leptos::task::spawn_local(async move {
            let found = fut.await;
            // The field may be gone by now (its form drawn again): then nobody wants the answer.
            if latest.try_get_value() == Some(asked) {
                out.try_set(found);
            }
        });
    }
}
