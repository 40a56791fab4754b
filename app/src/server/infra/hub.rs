//! The real-time hub of one instance: reads new events from the database in id order and
//! broadcasts them to this instance's WebSocket connections, which filter by topic.
//!
//! What wakes it is the bus, with one interface and two implementations: in-process (a request
//! that wrote something wakes it when it is done) and, on PostgreSQL, `LISTEN`, so that a write
//! through another instance wakes it too. Because it always reads from the database, events
//! come out in id order on every instance and none is skipped; a one-second tick covers writes
//! nobody announced.

use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::ws::Utf8Bytes;
use tokio::sync::{broadcast, Notify};

use crate::domain::ids::UserId;
use crate::domain::realtime::{EventBody, ServerMsg};
use crate::error::AppResult;
use crate::server::infra::db::{now, Backend, Db};
use crate::server::infra::events::{self, Stored};

/// How many events a connection may fall behind before it catches up from the database.
const BUFFER: usize = 4096;
/// How many events one read takes.
const BATCH: i64 = 1000;
/// Seen within this many seconds counts as online.
pub const ONLINE_SECS: i64 = 75;

/// One event as every connection receives it, serialised once.
#[derive(Debug)]
pub struct Envelope {
    pub id: i64,
    pub topic: String,
    /// The whole [`ServerMsg::Event`], ready to send.
    pub text: Utf8Bytes,
    /// The event tells its person to re-check their topics.
    pub access_changed: bool,
}

impl Envelope {
    pub fn from_stored(e: Stored) -> Option<Envelope> {
        let body: EventBody = serde_json::from_str(&e.body).ok()?;
        let access_changed = body == EventBody::AccessChanged;
        let msg = ServerMsg::Event {
            id: e.id,
            topic: e.topic.clone(),
            body,
        };
        let text = serde_json::to_string(&msg).ok()?;
        Some(Envelope {
            id: e.id,
            topic: e.topic,
            text: text.into(),
            access_changed,
        })
    }
}

struct Inner {
    db: Db,
    sender: broadcast::Sender<Arc<Envelope>>,
    /// The newest event id handed to the broadcast.
    last: AtomicI64,
    wake: Notify,
    /// This instance's open connections per person, for presence.
    connections: Mutex<HashMap<UserId, usize>>,
}

/// The hub. Cheap to clone.
#[derive(Clone)]
pub struct Hub {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Hub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Hub")
            .field("last", &self.last())
            .finish_non_exhaustive()
    }
}

impl Hub {
    /// Starts the hub's tasks; `database_url` is for `LISTEN` on PostgreSQL.
    pub async fn start(db: Db, database_url: &str) -> AppResult<Hub> {
        let last = events::last_id(&db).await?;
        let (sender, _) = broadcast::channel(BUFFER);
        let hub = Hub {
            inner: Arc::new(Inner {
                db: db.clone(),
                sender,
                last: AtomicI64::new(last),
                wake: Notify::new(),
                connections: Mutex::new(HashMap::new()),
            }),
        };
        tokio::spawn(hub.clone().dispatch());
        if db.backend == Backend::Postgres {
            tokio::spawn(hub.clone().listen(database_url.to_owned()));
        }
        Ok(hub)
    }

    /// The in-process bus: something was written; read the new events now.
    pub fn wake(&self) {
        self.inner.wake.notify_one();
    }

    /// The newest event id this instance has broadcast.
    pub fn last(&self) -> i64 {
        self.inner.last.load(Ordering::SeqCst)
    }

    /// A receiver of every event broadcast from now on. Subscribe before reading [`Hub::last`]:
    /// events up to `last` are then in the database, those after it in the receiver.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Envelope>> {
        self.inner.sender.subscribe()
    }

    pub fn db(&self) -> &Db {
        &self.inner.db
    }

    async fn dispatch(self) {
        let mut prune = tokio::time::interval(Duration::from_secs(3600));
        loop {
            tokio::select! {
                () = self.inner.wake.notified() => {}
                () = tokio::time::sleep(Duration::from_secs(1)) => {}
                _ = prune.tick() => {
                    if let Err(e) = events::prune(&self.inner.db).await {
                        tracing::warn!(error = %e, "pruning events");
                    }
                }
            }
            if self.inner.db.pool.is_closed() {
                return;
            }
            if let Err(e) = self.drain().await {
                tracing::warn!(error = %e, "reading new events");
            }
        }
    }

    /// Broadcasts every event after the last one broadcast.
    async fn drain(&self) -> AppResult<()> {
        loop {
            let batch = events::after(&self.inner.db, self.last(), BATCH).await?;
            let full = batch.len() as i64 == BATCH;
            for e in batch {
                // `last` moves before the send: whoever reads it after subscribing either gets
                // this event from the receiver or finds it at or below `last` in the database.
                self.inner.last.store(e.id, Ordering::SeqCst);
                if let Some(env) = Envelope::from_stored(e) {
                    // No receivers is not an error.
                    let _ = self.inner.sender.send(Arc::new(env));
                }
            }
            if !full {
                return Ok(());
            }
        }
    }

    /// PostgreSQL's `LISTEN`: writes through any instance wake this one.
    async fn listen(self, url: String) {
        loop {
            if self.inner.db.pool.is_closed() {
                return;
            }
            match sqlx::postgres::PgListener::connect(&url).await {
                Ok(mut listener) => {
                    if let Err(e) = listener.listen(events::CHANNEL).await {
                        tracing::warn!(error = %e, "LISTEN failed");
                    } else {
                        // Whatever came while not listening.
                        self.wake();
                        loop {
                            match listener.try_recv().await {
                                Ok(Some(_)) => self.wake(),
                                // The connection dropped; reconnect.
                                Ok(None) | Err(_) => break,
                            }
                            if self.inner.db.pool.is_closed() {
                                return;
                            }
                        }
                    }
                }
                Err(e) => tracing::warn!(error = %e, "connecting the event listener"),
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    }

    /// A connection of `user` opened: they are online.
    /// How many live connections `user` has on this instance.
    pub fn connections_of(&self, user: UserId) -> usize {
        self.inner
            .connections
            .lock()
            .map(|c| c.get(&user).copied().unwrap_or(0))
            .unwrap_or(0)
    }

    pub async fn connected(&self, user: UserId) -> AppResult<()> {
        if let Ok(mut c) = self.inner.connections.lock() {
            *c.entry(user).or_default() += 1;
        }
        touch(&self.inner.db, user).await
    }

    /// A connection of `user` closed; with no other here, they are offline (another instance
    /// that still has one marks them online again at its next heartbeat).
    pub async fn disconnected(&self, user: UserId) -> AppResult<()> {
        let last = match self.inner.connections.lock() {
            Ok(mut c) => {
                let n = c.entry(user).or_default();
                *n = n.saturating_sub(1);
                let last = *n == 0;
                if last {
                    c.remove(&user);
                }
                last
            }
            Err(_) => false,
        };
        if last {
            sqlx::query("DELETE FROM presence WHERE user_id = $1")
                .bind(user)
                .execute(&self.inner.db.pool)
                .await?;
        }
        Ok(())
    }
}

/// Marks `user` as seen now.
pub async fn touch(db: &Db, user: UserId) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO presence (user_id, seen_at) VALUES ($1, $2)
         ON CONFLICT (user_id) DO UPDATE SET seen_at = excluded.seen_at",
    )
    .bind(user)
    .bind(now())
    .execute(&db.pool)
    .await?;
    Ok(())
}
