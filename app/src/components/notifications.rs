//! The unread-notification count: fetched with the page, kept live over the socket, shown on the
//! bell in the top bar and in the browser tab's title.

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

use leptos::prelude::*;
use leptos_meta::Title;

use super::realtime::{use_live, Live};
use super::session::use_session;
use crate::api::notifications::{unread_count, MarkAllRead, MarkRead};
use crate::domain::realtime::{topic, EventBody};
use crate::error::AppError;

/// The count and the actions that change it.
#[derive(Clone, Copy)]
pub struct Unread {
    fetched: Resource<Result<i64, AppError>>,
    /// The newest count the socket brought, if any since the last fetch.
    live: RwSignal<Option<i64>>,
    pub mark_read: ServerAction<MarkRead>,
    pub mark_all: ServerAction<MarkAllRead>,
}

impl Unread {
    /// Waits for the first count, so a page rendered on the server carries it.
    pub async fn loaded(&self) {
        let _ = self.fetched.await;
        if let Some(rendered) = use_context::<RenderedCount>() {
            let count = self
                .live
                .get_untracked()
                .or_else(|| self.fetched.get_untracked().and_then(Result::ok))
                .unwrap_or(0);
            rendered.0.store(count, Ordering::Relaxed);
        }
    }

    /// The current count, if known (0 when signed out).
    pub fn get(&self) -> i64 {
        self.live
            .get()
            .or_else(|| self.fetched.get().and_then(Result::ok))
            .unwrap_or(0)
    }
}

/// The count as the page rendered it: a plain value, readable where signals are not.
#[derive(Clone, Default)]
struct RenderedCount(Arc<AtomicI64>);

/// Creates the context (after the session) and keeps the count live.
pub fn provide_unread() {
    provide_context(RenderedCount::default());
    let session = use_session();
    let mark_read = ServerAction::<MarkRead>::new();
    let mark_all = ServerAction::<MarkAllRead>::new();
    let live = RwSignal::new(None);
    let fetched = Resource::new(
        move || {
            (
                session.sign_in.version().get(),
                session.sign_out.version().get(),
                session.register.version().get(),
                mark_read.version().get(),
                mark_all.version().get(),
            )
        },
        move |_| {
            live.set(None);
            unread_count()
        },
    );
    let unread = Unread {
        fetched,
        live,
        mark_read,
        mark_all,
    };
    provide_context(unread);
    let topics = Signal::derive(move || {
        session
            .user
            .get()
            .and_then(Result::ok)
            .flatten()
            .map(|u| vec![topic::user(u.id)])
            .unwrap_or_default()
    });
    use_live(topics, move |ev| match ev {
        Live::Event {
            body: EventBody::Notifications { unread },
            ..
        } => live.set(Some(unread)),
        Live::Refetch => fetched.refetch(),
        Live::Event { .. } => {}
    });
}

pub fn use_unread() -> Unread {
    expect_context::<Unread>()
}

/// The tab title gets "(3) " in front while there are unread notifications. Every page's title
/// goes through this formatter (the only one), which also escapes it for the server's `<title>`.
#[component]
pub fn CountedTitle() -> impl IntoView {
    let unread = use_unread();
    let rendered = expect_context::<RenderedCount>();
    let formatter = move |text: String| {
        // The server writes the title into the head after the body is rendered, outside the
        // request's reactive scope, where reading a signal can find it disposed (under load,
        // about 1 % of signed-in pages died that way): it reads the count the body showed. The
        // browser reads the signal, so the title follows the count live.
        let count = if cfg!(feature = "ssr") {
            rendered.0.load(Ordering::Relaxed)
        } else {
            unread.get()
        };
        let text = crate::domain::markup::raw_text(text);
        match count {
            0 => text,
            n => format!("({n}) {text}"),
        }
    };
    view! { <Title formatter/> }
}

/// The title of a page that follows its address (a search, a tag). The server takes the text
/// once, as the page renders: it writes the head after the body, where a signal may not be read
/// (see [`CountedTitle`]). In the browser the title follows the address live.
pub fn address_title(
    text: impl Fn() -> String + Send + Sync + 'static,
) -> leptos::text_prop::TextProp {
    if cfg!(feature = "ssr") {
        untrack(text).into()
    } else {
        text.into()
    }
}

/// The bell: a link to the notifications with the unread count.
#[component]
pub fn Bell() -> impl IntoView {
    let unread = use_unread();
    let label = move || match unread.get() {
        0 => "Notifications".to_owned(),
        1 => "Notifications, 1 unread".to_owned(),
        n => format!("Notifications, {n} unread"),
    };
    view! {
        <a class="bell" href="/notifications" aria-label=label title=label>
            <span aria-hidden="true">"🔔"</span>
            <span class="bell-word" aria-hidden="true">"Notifications"</span>
            {move || {
                let n = unread.get();
                (n > 0).then(|| view! { <span class="count" aria-hidden="true">{n}</span> })
            }}
        </a>
    }
}
