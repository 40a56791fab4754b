//! The page's side of real-time delivery: one WebSocket per tab, shared by every component that
//! listens to a topic.
//!
//! Components call [`use_live`] with their topics and a handler. The socket opens when the first
//! topic is wanted, re-subscribes when the set changes, and on any drop (network, sleep, server
//! restart) reconnects with exponential backoff and jitter, sending the last event id it saw so
//! the server replays what was missed. When too much was missed, handlers get [`Live::Refetch`]
//! and reload what they show. On the server this renders nothing and opens nothing.

use leptos::prelude::*;

use crate::domain::realtime::EventBody;

/// What a listener hears.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Live {
    /// An event on one of its topics.
    Event {
        id: i64,
        topic: String,
        body: EventBody,
    },
    /// Events were missed that cannot be replayed: reload.
    Refetch,
}

#[derive(Clone)]
struct Listener {
    id: u64,
    topics: Vec<String>,
    on: Callback<Live>,
}

/// The real-time context.
#[derive(Clone, Copy)]
pub struct Realtime {
    listeners: StoredValue<Vec<Listener>>,
    next: StoredValue<u64>,
    /// Changes whenever the union of wanted topics may have changed.
    topics_changed: RwSignal<u64>,
    /// The socket is open.
    pub connected: RwSignal<bool>,
}

impl Realtime {
    /// Every topic some listener wants, sorted, without repeats.
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    fn topics(&self) -> Vec<String> {
        let mut all: Vec<String> = self
            .listeners
            .with_value(|ls| ls.iter().flat_map(|l| l.topics.clone()).collect());
        all.sort();
        all.dedup();
        all
    }

    /// Hands `live` to the listeners of its topic (all listeners for a refetch).
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    fn dispatch(&self, live: Live) {
        let targets: Vec<Callback<Live>> = self.listeners.with_value(|ls| {
            ls.iter()
                .filter(|l| match &live {
                    Live::Event { topic, .. } => l.topics.contains(topic),
                    Live::Refetch => true,
                })
                .map(|l| l.on)
                .collect()
        });
        for on in targets {
            on.run(live.clone());
        }
    }
}

/// Creates the context; call once, high in the tree.
pub fn provide_realtime() {
    let rt = Realtime {
        listeners: StoredValue::new(Vec::new()),
        next: StoredValue::new(0),
        topics_changed: RwSignal::new(0),
        connected: RwSignal::new(false),
    };
    provide_context(rt);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        rt.topics_changed.track();
        socket::topics_changed(rt);
    });
}

pub fn use_realtime() -> Realtime {
    expect_context::<Realtime>()
}

/// Listens to `topics` for as long as the calling component lives.
pub fn use_live(topics: Signal<Vec<String>>, on: impl Fn(Live) + Send + Sync + 'static) {
    let rt = use_realtime();
    let id = rt.next.with_value(|n| *n);
    rt.next.update_value(|n| *n += 1);
    let on = Callback::new(on);
    rt.listeners.update_value(|ls| {
        ls.push(Listener {
            id,
            topics: Vec::new(),
            on,
        })
    });
    Effect::new(move |_| {
        let wanted = topics.get();
        rt.listeners.update_value(|ls| {
            if let Some(l) = ls.iter_mut().find(|l| l.id == id) {
                l.topics = wanted;
            }
        });
        rt.topics_changed.update(|n| *n += 1);
    });
    on_cleanup(move || {
        rt.listeners.update_value(|ls| ls.retain(|l| l.id != id));
        rt.topics_changed.update(|n| *n += 1);
    });
}

/// "Show 3 new posts": the button that brings in what arrived while the reader was further
/// down, then takes them to the top. Announced politely to screen readers.
#[component]
pub fn NewItemsBar(
    #[prop(into)] count: Signal<usize>,
    /// What is new, singular ("post", "item").
    noun: &'static str,
    on_show: Callback<()>,
) -> impl IntoView {
    view! {
        <div class="feed-live" aria-live="polite">
            {move || {
                let n = count.get();
                (n > 0).then(|| {
                    let text = if n == 1 { format!("Show 1 new {noun}") } else { format!("Show {n} new {noun}s") };
                    view! {
                        <button type="button" class="primary new-items" on:click=move |_| {
                            on_show.run(());
                            window().scroll_to_with_x_and_y(0.0, 0.0);
                        }>{text}</button>
                    }
                })
            }}
        </div>
    }
}

/// Whether the page is scrolled to (near) its top, where new items may appear without moving
/// what someone is reading.
pub fn at_top() -> bool {
    #[cfg(feature = "hydrate")]
    {
        web_sys::window()
            .and_then(|w| w.scroll_y().ok())
            .is_none_or(|y| y < 120.0)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        true
    }
}

#[cfg(feature = "hydrate")]
mod socket {
    use std::cell::RefCell;
    use std::time::Duration;

    use leptos::prelude::*;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{CloseEvent, MessageEvent, WebSocket};

    use super::{Live, Realtime};
    use crate::domain::realtime::{ClientMsg, ServerMsg};

    #[derive(Default)]
    struct State {
        ws: Option<WebSocket>,
        open: bool,
        /// The newest event id seen; sent on reconnecting.
        last: Option<i64>,
        /// Failed attempts since the last open, for the backoff.
        attempts: u32,
        /// A reconnect is scheduled.
        waiting: bool,
        /// What the server was last told.
        sent: Vec<String>,
        handlers_installed: bool,
    }

    thread_local! {
        static STATE: RefCell<State> = RefCell::new(State::default());
    }

    /// Opens, re-subscribes or leaves the socket as the wanted topics require.
    pub fn topics_changed(rt: Realtime) {
        install_window_handlers(rt);
        let topics = rt.topics();
        let (open, has_ws, waiting) = STATE.with_borrow(|s| (s.open, s.ws.is_some(), s.waiting));
        if topics.is_empty() {
            return;
        }
        if open {
            subscribe(topics, false);
        } else if !has_ws && !waiting {
            connect(rt);
        }
    }

    /// Tells the server the topics, always with the last id seen: events the new topics had
    /// meanwhile are replayed, and those already seen are dropped below by their id.
    fn subscribe(topics: Vec<String>, force: bool) {
        STATE.with_borrow_mut(|s| {
            if !force && s.sent == topics {
                return;
            }
            let msg = ClientMsg::Subscribe {
                topics: topics.clone(),
                since: s.last,
            };
            if let (Some(ws), Ok(text)) = (&s.ws, serde_json::to_string(&msg)) {
                if ws.send_with_str(&text).is_ok() {
                    s.sent = topics;
                }
            }
        });
    }

    fn connect(rt: Realtime) {
        let Some(location) = web_sys::window().map(|w| w.location()) else {
            return;
        };
        let scheme = match location.protocol().as_deref() {
            Ok("https:") => "wss",
            _ => "ws",
        };
        let Ok(host) = location.host() else {
            return;
        };
        let Ok(ws) = WebSocket::new(&format!("{scheme}://{host}/ws")) else {
            schedule_reconnect(rt);
            return;
        };
        let onopen = Closure::<dyn FnMut()>::new(move || {
            STATE.with_borrow_mut(|s| {
                s.open = true;
                s.attempts = 0;
                s.sent.clear();
            });
        });
        let onmessage = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            let Some(text) = e.data().as_string() else {
                return;
            };
            let Ok(msg) = serde_json::from_str::<ServerMsg>(&text) else {
                return;
            };
            match msg {
                // Subscribes once greeted, from the last id seen (on a first connection, the
                // server's): whatever came meanwhile is replayed, nothing falls in between.
                ServerMsg::Hello { last } => {
                    STATE.with_borrow_mut(|s| {
                        s.last.get_or_insert(last);
                    });
                    // The server has recorded this person as online by now.
                    rt.connected.set(true);
                    subscribe(rt.topics(), true);
                }
                ServerMsg::Event { id, topic, body } => {
                    let fresh = STATE.with_borrow_mut(|s| {
                        let fresh = s.last.is_none_or(|l| id > l);
                        if fresh {
                            s.last = Some(id);
                        }
                        fresh
                    });
                    if fresh {
                        rt.dispatch(Live::Event { id, topic, body });
                    }
                }
                ServerMsg::Refetch { last } => {
                    STATE.with_borrow_mut(|s| s.last = Some(last));
                    rt.dispatch(Live::Refetch);
                }
                ServerMsg::Denied { .. } => {}
            }
        });
        let onclose = Closure::<dyn FnMut(CloseEvent)>::new(move |_: CloseEvent| {
            STATE.with_borrow_mut(|s| {
                s.ws = None;
                s.open = false;
            });
            rt.connected.set(false);
            schedule_reconnect(rt);
        });
        ws.set_onopen(Some(onopen.as_ref().unchecked_ref()));
        ws.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
        ws.set_onclose(Some(onclose.as_ref().unchecked_ref()));
        // The socket keeps calling these for as long as it lives.
        onopen.forget();
        onmessage.forget();
        onclose.forget();
        STATE.with_borrow_mut(|s| s.ws = Some(ws));
    }

    /// Tries again after 0.5 s, 1 s, 2 s ... up to 30 s, each with ±50 % jitter, so a restarted
    /// server is not hit by every tab at once.
    fn schedule_reconnect(rt: Realtime) {
        let attempts = STATE.with_borrow_mut(|s| {
            s.waiting = true;
            s.attempts += 1;
            s.attempts
        });
        let base = (500.0 * 2f64.powi(attempts.min(6) as i32 - 1)).min(30_000.0);
        let delay = base * (0.5 + js_sys::Math::random());
        set_timeout(
            move || {
                STATE.with_borrow_mut(|s| s.waiting = false);
                if !rt.topics().is_empty() && STATE.with_borrow(|s| s.ws.is_none()) {
                    connect(rt);
                }
            },
            Duration::from_millis(delay as u64),
        );
    }

    /// Going offline closes the socket at once (it would otherwise linger half-open); coming
    /// back online reconnects without waiting for the backoff.
    fn install_window_handlers(rt: Realtime) {
        if STATE.with_borrow(|s| s.handlers_installed) {
            return;
        }
        STATE.with_borrow_mut(|s| s.handlers_installed = true);
        let offline = window_event_listener(leptos::ev::offline, move |_| {
            if let Some(ws) = STATE.with_borrow(|s| s.ws.clone()) {
                let _ = ws.close();
            }
        });
        let online = window_event_listener(leptos::ev::online, move |_| {
            STATE.with_borrow_mut(|s| s.attempts = 0);
            if !rt.topics().is_empty() && STATE.with_borrow(|s| s.ws.is_none()) {
                connect(rt);
            }
        });
        // For the life of the tab.
        std::mem::forget(offline);
        std::mem::forget(online);
    }
}
