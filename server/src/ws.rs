//! `/ws`: one authenticated WebSocket per tab. The upgrade checks the session and the `Origin`;
//! the connection then sends the events on the topics the page asked for, first what it missed
//! (by the last event id it saw), then live ones, in id order and without gaps.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use app::domain::realtime::{topic, ClientMsg, ServerMsg};
use app::server::accounts;
use app::server::infra::events::{self, CatchUp};
use app::server::infra::hub::{self, Hub};
use app::server::infra::state::AppState;
use app::server::live;
use app::server::policy::Viewer;
use axum::extract::ws::{Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use http::request::Parts;
use http::StatusCode;
use tokio::sync::broadcast::error::RecvError;

use crate::middleware::{from_this_site, HttpSettings};

/// The most events replayed to a reconnecting client; further behind, it refetches.
const CATCH_UP_LIMIT: i64 = 500;
/// Each connection's read and write buffers.
const WS_BUFFER: usize = 4 * 1024;
/// Queued output beyond this fails the send (the connection is then closed): backpressure.
const WS_MAX_WRITE_BUFFER: usize = 1024 * 1024;
/// The largest message a browser may send (a subscription to a few hundred topics).
const WS_MAX_MESSAGE: usize = 64 * 1024;
/// How often an open connection marks its person online and pings the browser.
const HEARTBEAT: Duration = Duration::from_secs(30);

/// The most connections one person may have open on this instance (tabs and devices).
pub const MOST_SOCKETS_PER_PERSON: usize = 20;

/// Messages from the browser: a burst of this many, then ten a second. Past it the connection
/// is closed (the browser reconnects, with backoff). A page sends one or two when it changes,
/// so even fast clicking through pages stays well inside; a flood costs at most this rate of
/// bounded subscriptions.
const MESSAGE_BURST: f64 = 120.0;
const MESSAGES_PER_SEC: f64 = 10.0;

#[derive(Clone)]
struct WsState {
    app: AppState,
    http: Arc<HttpSettings>,
}

pub fn routes(app: AppState, http: Arc<HttpSettings>) -> Router {
    Router::new()
        .route("/ws", get(upgrade))
        .with_state(WsState { app, http })
}

async fn upgrade(State(st): State<WsState>, parts: Parts, ws: WebSocketUpgrade) -> Response {
    let (headers, uri) = (&parts.headers, &parts.uri);
    // Browsers always send `Origin` on WebSocket requests; another site's page must not ride on
    // the visitor's cookie.
    if !from_this_site(&st.http, headers, uri) {
        return (
            StatusCode::FORBIDDEN,
            "This connection did not come from this site.",
        )
            .into_response();
    }
    // The same session lookup as server fns and every other handler.
    let user = match accounts::user_of_request(&st.app, &parts).await {
        Ok(Some(u)) => u,
        Ok(None) => return (StatusCode::UNAUTHORIZED, "Sign in first.").into_response(),
        Err(_) => return StatusCode::SERVICE_UNAVAILABLE.into_response(),
    };
    let viewer = Viewer::from(&user);
    let hub = st.app.hub.clone();
    if hub.connections_of(viewer.id) >= MOST_SOCKETS_PER_PERSON {
        return (
            StatusCode::TOO_MANY_REQUESTS,
            [(http::header::RETRY_AFTER, "30")],
            "Too many open connections: close some tabs.",
        )
            .into_response();
    }
    // Small buffers: a connection mostly waits, and the defaults (128 KiB each way) made 1,000
    // open connections cost over 250 MB. The browser only ever sends its list of topics.
    ws.read_buffer_size(WS_BUFFER)
        .write_buffer_size(WS_BUFFER)
        .max_write_buffer_size(WS_MAX_WRITE_BUFFER)
        .max_message_size(WS_MAX_MESSAGE)
        .max_frame_size(WS_MAX_MESSAGE)
        .on_upgrade(move |socket| async move {
            if hub.connected(viewer.id).await.is_err() {
                tracing::warn!("could not record presence");
            }
            Connection::new(hub.clone(), viewer).run(socket).await;
            let _ = hub.disconnected(viewer.id).await;
        })
}

struct Connection {
    hub: Hub,
    viewer: Viewer,
    topics: HashSet<String>,
    /// The newest event id this connection has dealt with (sent or skipped).
    last: i64,
    /// Messages the browser may still send now, and when that was counted.
    allowance: f64,
    counted: tokio::time::Instant,
}

impl Connection {
    fn new(hub: Hub, viewer: Viewer) -> Self {
        Connection {
            hub,
            viewer,
            topics: HashSet::new(),
            last: 0,
            allowance: MESSAGE_BURST,
            counted: tokio::time::Instant::now(),
        }
    }

    async fn run(mut self, mut socket: WebSocket) {
        // Subscribe first, then read `last`: nothing can fall between the two.
        let mut rx = self.hub.subscribe();
        self.last = self.hub.last();
        let mut heartbeat = tokio::time::interval(HEARTBEAT);
        heartbeat.tick().await;
        if send(&mut socket, &ServerMsg::Hello { last: self.last })
            .await
            .is_err()
        {
            return;
        }
        let own = topic::user(self.viewer.id);
        loop {
            let ok = tokio::select! {
                msg = socket.recv() => match msg {
                    Some(Ok(Message::Text(text))) => self.on_message(&mut socket, &text).await,
                    Some(Ok(Message::Close(_))) | None | Some(Err(_)) => false,
                    Some(Ok(_)) => true,
                },
                ev = rx.recv() => match ev {
                    Ok(env) => {
                        if env.id <= self.last {
                            continue;
                        }
                        self.last = env.id;
                        let mut ok = true;
                        if self.topics.contains(&env.topic) {
                            ok = socket.send(Message::Text(env.text.clone())).await.is_ok();
                        }
                        if ok && env.access_changed && env.topic == own {
                            self.recheck_topics().await;
                        }
                        ok
                    }
                    // Too slow for the broadcast buffer: catch up from the database instead of
                    // losing what was dropped.
                    Err(RecvError::Lagged(_)) => {
                        let upto = self.hub.last();
                        let since = self.last;
                        self.replay(&mut socket, since, upto).await
                    }
                    Err(RecvError::Closed) => false,
                },
                _ = heartbeat.tick() => {
                    let _ = hub::touch(self.hub.db(), self.viewer.id).await;
                    socket.send(Message::Ping(Default::default())).await.is_ok()
                }
            };
            if !ok {
                return;
            }
        }
    }

    /// Counts a message from the browser; false once it sends faster than it may.
    fn within_rate(&mut self) -> bool {
        let now = tokio::time::Instant::now();
        let earned = now.duration_since(self.counted).as_secs_f64() * MESSAGES_PER_SEC;
        self.counted = now;
        self.allowance = (self.allowance + earned).min(MESSAGE_BURST) - 1.0;
        self.allowance >= 0.0
    }

    /// Handles a message from the browser; false when the connection should close.
    async fn on_message(&mut self, socket: &mut WebSocket, text: &Utf8Bytes) -> bool {
        if !self.within_rate() {
            let _ = socket
                .send(Message::Close(Some(axum::extract::ws::CloseFrame {
                    code: 1008,
                    reason: "Too many messages".into(),
                })))
                .await;
            return false;
        }
        let Ok(ClientMsg::Subscribe { topics, since }) = serde_json::from_str(text.as_str()) else {
            // Not ours to guess at; keep the connection.
            return true;
        };
        let Ok((allowed, denied)) = live::authorise(self.hub.db(), self.viewer, &topics).await
        else {
            return false;
        };
        self.topics = allowed.into_iter().collect();
        if !denied.is_empty()
            && send(socket, &ServerMsg::Denied { topics: denied })
                .await
                .is_err()
        {
            return false;
        }
        match since {
            Some(since) if since < self.last => {
                let upto = self.last;
                self.replay(socket, since, upto).await
            }
            _ => true,
        }
    }

    /// Sends the events on this connection's topics in `(since, upto]`, or tells the browser to
    /// refetch when they are too many or no longer kept.
    async fn replay(&mut self, socket: &mut WebSocket, since: i64, upto: i64) -> bool {
        let topics: Vec<String> = self.topics.iter().cloned().collect();
        let missed = events::missed(self.hub.db(), &topics, since, upto, CATCH_UP_LIMIT).await;
        self.last = self.last.max(upto);
        match missed {
            Ok(CatchUp::Events(list)) => {
                for e in list {
                    let Some(env) = hub::Envelope::from_stored(e) else {
                        continue;
                    };
                    if socket.send(Message::Text(env.text)).await.is_err() {
                        return false;
                    }
                }
                true
            }
            Ok(CatchUp::TooFar) | Err(_) => send(socket, &ServerMsg::Refetch { last: upto })
                .await
                .is_ok(),
        }
    }

    /// After the person left a space or was removed, drops the topics they may no longer read.
    async fn recheck_topics(&mut self) {
        let wanted: Vec<String> = self.topics.iter().cloned().collect();
        if let Ok((allowed, _)) = live::authorise(self.hub.db(), self.viewer, &wanted).await {
            self.topics = allowed.into_iter().collect();
        }
    }
}

async fn send(socket: &mut WebSocket, msg: &ServerMsg) -> Result<(), ()> {
    let text = serde_json::to_string(msg).map_err(|_| ())?;
    socket
        .send(Message::Text(text.into()))
        .await
        .map_err(|_| ())
}
