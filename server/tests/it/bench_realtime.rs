//! Benchmarks (not run by the test command) for feeds and real-time delivery:
//! - fan-out: the latency from posting until each of 1,000 and 10,000 WebSocket subscribers has
//!   the event, p50/p95/p99, and how many were delivered;
//! - the home feed page with 10,000 people and 1,000,000 activities.
//!
//! Run with `ulimit -n 65536; cargo test --release -p server --test bench_realtime -- --ignored
//! --nocapture --test-threads 1`; figures go to BENCHMARKS.md. Nothing here asserts a timing.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::common::{session_pair, Backend, TestApp, TestResult};
use app::domain::realtime::{ClientMsg, EventBody, ServerMsg};
use app::domain::user::UserId;
use futures_util::{SinkExt, StreamExt};
use tokio::sync::Mutex;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Deterministic pseudo-random numbers (a 64-bit LCG), so every run seeds the same data.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

/// Where the fan-out benchmark's server runs: in this process (a [`TestApp`]), or, with
/// `BENCH_SEPARATE_SERVER=1`, as the release binary in a process of its own, so the server's
/// sockets and the subscribers' do not share one limit on open files.
struct Target {
    base: String,
    addr: std::net::SocketAddr,
    app: Option<TestApp>,
    child: Option<std::process::Child>,
    db: Option<crate::common::TestDb>,
}

impl Target {
    async fn start(b: Backend) -> Result<Option<Target>, Box<dyn std::error::Error + Send + Sync>> {
        if std::env::var("BENCH_SEPARATE_SERVER").as_deref() != Ok("1") {
            let Some(app) = TestApp::spawn(b, |s| s.database_max_connections = Some(20)).await?
            else {
                return Ok(None);
            };
            return Ok(Some(Target {
                base: app.base.clone(),
                addr: app.addr,
                app: Some(app),
                child: None,
                db: None,
            }));
        }
        let Some(db) = crate::common::TestDb::create(b).await? else {
            return Ok(None);
        };
        let port = std::net::TcpListener::bind("127.0.0.1:0")?
            .local_addr()?
            .port();
        let addr: std::net::SocketAddr = format!("127.0.0.1:{port}").parse()?;
        let child = std::process::Command::new("../target/release/server")
            .env("COHORT_ADDR", addr.to_string())
            .env("COHORT_DATABASE_URL", db.url())
            .env("COHORT_DATABASE_MAX_CONNECTIONS", "20")
            .env("COHORT_CONFIG", "/nonexistent/cohort.toml")
            .env("RUST_LOG", "warn")
            .spawn()?;
        let base = format!("http://{addr}");
        let probe = reqwest::Client::new();
        for _ in 0..200 {
            if probe.get(format!("{base}/healthz")).send().await.is_ok() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Ok(Some(Target {
            base,
            addr,
            app: None,
            child: Some(child),
            db: Some(db),
        }))
    }

    fn client(&self) -> reqwest::Result<reqwest::Client> {
        let mut headers = reqwest::header::HeaderMap::new();
        if let Ok(origin) = self.base.parse() {
            headers.insert(reqwest::header::ORIGIN, origin);
        }
        reqwest::Client::builder()
            .cookie_store(true)
            .default_headers(headers)
            .build()
    }

    async fn call(
        &self,
        c: &reqwest::Client,
        endpoint: &str,
        form: &[(&str, &str)],
    ) -> reqwest::Result<reqwest::Response> {
        c.post(format!("{}/api/{endpoint}", self.base))
            .form(form)
            .send()
            .await
    }

    async fn finish(mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
        if let Some(app) = self.app.take() {
            app.finish().await;
        }
        if let Some(db) = self.db.take() {
            db.drop_db().await;
        }
    }
}

async fn fan_out(b: Backend, subscribers: usize) -> TestResult {
    let Some(app) = Target::start(b).await? else {
        return Ok(());
    };
    let poster = app.client()?;
    let res = app
        .call(
            &poster,
            "auth/register",
            &[
                ("display_name", "Poster"),
                ("email", "poster@example.com"),
                ("password", "correct horse battery"),
            ],
        )
        .await?;
    let cookie = session_pair(&res);
    let form = [
        ("name", "Town hall"),
        ("slug", "town-hall"),
        ("description", ""),
        ("visibility", "public"),
        ("join_policy", "open"),
        ("parent", ""),
    ];
    assert_eq!(
        app.call(&poster, "spaces/create", &form).await?.status(),
        200
    );
    let wall: serde_json::Value = poster
        .get(format!("{}/api/walls/space", app.base))
        .query(&[("slug", "town-hall"), ("before", "")])
        .send()
        .await?
        .json()
        .await?;
    let topic = wall["topic"].as_str().unwrap_or_default().to_owned();

    // Each subscriber records when it heard of each post.
    let heard: Arc<Mutex<Vec<(i64, Instant)>>> = Arc::new(Mutex::new(Vec::new()));
    let (ready_tx, mut ready_rx) = tokio::sync::mpsc::channel::<()>(subscribers);
    let started = Instant::now();
    let mut tasks = Vec::new();
    let gate = Arc::new(tokio::sync::Semaphore::new(200));
    for _ in 0..subscribers {
        let url = format!("ws://{}/ws", app.addr);
        let (origin, cookie, topic) = (app.base.clone(), cookie.clone(), topic.clone());
        let (heard, ready, gate) = (heard.clone(), ready_tx.clone(), gate.clone());
        tasks.push(tokio::spawn(async move {
            let permit = gate.acquire_owned().await;
            let mut req = url.into_client_request().ok()?;
            req.headers_mut().insert("origin", origin.parse().ok()?);
            req.headers_mut().insert("cookie", cookie.parse().ok()?);
            let (mut ws, _) = tokio_tungstenite::connect_async(req).await.ok()?;
            let Some(Ok(Message::Text(hello))) = ws.next().await else {
                return None;
            };
            let Ok(ServerMsg::Hello { last }) = serde_json::from_str(hello.as_str()) else {
                return None;
            };
            let sub = ClientMsg::Subscribe {
                topics: vec![topic],
                since: Some(last),
            };
            ws.send(Message::Text(serde_json::to_string(&sub).ok()?.into()))
                .await
                .ok()?;
            drop(permit);
            let _ = ready.send(()).await;
            // Only those still connecting hold a sender: the count below ends when they are done.
            drop(ready);
            while let Some(Ok(msg)) = ws.next().await {
                if let Message::Text(text) = msg {
                    if let Ok(ServerMsg::Event {
                        body: EventBody::Activity { object, verb, .. },
                        ..
                    }) = serde_json::from_str(text.as_str())
                    {
                        if verb == app::domain::activity::Verb::Posted {
                            heard.lock().await.push((object, Instant::now()));
                        }
                    }
                }
            }
            Some(())
        }));
    }
    drop(ready_tx);
    let mut connected = 0;
    while connected < subscribers && ready_rx.recv().await.is_some() {
        connected += 1;
    }
    println!(
        "{b:?}: {connected} of {subscribers} sockets connected and subscribed in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    // Let the subscriptions land before the first post.
    tokio::time::sleep(Duration::from_millis(500)).await;

    let mut latencies = Vec::new();
    let mut delivered = 0;
    let posts = 5;
    for k in 0..posts {
        let t0 = Instant::now();
        let res = app
            .call(
                &poster,
                "walls/post",
                &[("slug", "town-hall"), ("body", &format!("News {k}"))],
            )
            .await?;
        let id: i64 = res.json().await?;
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let n = heard.lock().await.iter().filter(|(o, _)| *o == id).count();
            if n >= connected || Instant::now() > deadline {
                break;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        let got: Vec<Duration> = heard
            .lock()
            .await
            .iter()
            .filter(|(o, _)| *o == id)
            .map(|(_, at)| at.duration_since(t0))
            .collect();
        delivered += got.len();
        latencies.extend(got);
    }
    latencies.sort();
    println!(
        "{b:?} fan-out to {connected} subscribers, {posts} posts: p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, max {:.1} ms; delivered {delivered} of {} ({:.1} %)",
        ms(percentile(&latencies, 0.5)),
        ms(percentile(&latencies, 0.95)),
        ms(percentile(&latencies, 0.99)),
        ms(latencies.last().copied().unwrap_or_default()),
        connected * posts,
        100.0 * delivered as f64 / (connected * posts).max(1) as f64
    );
    for t in tasks {
        t.abort();
    }
    app.finish().await;
    Ok(())
}

/// Inserts rows `values` (already formatted) into `table (columns)` in batches of 1,000.
async fn insert_batched(
    app: &TestApp,
    table: &str,
    columns: &str,
    values: impl Iterator<Item = String>,
) -> TestResult {
    let mut tx = app.state.db.pool.begin().await?;
    let mut batch = Vec::with_capacity(1000);
    let flush = |batch: &mut Vec<String>| {
        let sql = format!(
            "INSERT INTO {table} ({columns}) VALUES {}",
            batch.join(", ")
        );
        batch.clear();
        sql
    };
    for v in values {
        batch.push(v);
        if batch.len() == 1000 {
            let sql = flush(&mut batch);
            sqlx::query(&sql).execute(&mut *tx).await?;
        }
    }
    if !batch.is_empty() {
        let sql = flush(&mut batch);
        sqlx::query(&sql).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(())
}

async fn home_feed(b: Backend) -> TestResult {
    let Some(app) = TestApp::spawn(b, |_| {}).await? else {
        return Ok(());
    };
    let (users, spaces, activities) = (10_000_u64, 1_000_u64, 1_000_000_u64);
    let mut rng = Lcg(42);
    let t = Instant::now();
    insert_batched(
        &app,
        "users",
        "email, display_name, password_hash, role, created_at, updated_at, handle",
        (1..=users)
            .map(|i| format!("('u{i}@example.com', 'Person {i}', 'x', 'member', 0, 0, 'u{i}')")),
    )
    .await?;
    let vis = ["public", "private", "secret"];
    let space_rows: Vec<String> = (1..=spaces)
        .map(|i| {
            let v = vis[(i % 3) as usize];
            format!(
                "('s{i}', 'Space {i}', '{v}', 'open', {}, 0, 0)",
                1 + i % users
            )
        })
        .collect();
    insert_batched(
        &app,
        "spaces",
        "slug, name, visibility, join_policy, created_by, created_at, last_activity_at",
        space_rows.into_iter(),
    )
    .await?;
    // Five spaces and twenty people per person.
    let mut members = std::collections::HashSet::new();
    let mut follows = std::collections::HashSet::new();
    for u in 1..=users {
        for _ in 0..5 {
            members.insert((1 + rng.below(spaces), u));
        }
        for _ in 0..20 {
            let f = 1 + rng.below(users);
            if f != u {
                follows.insert((u, f));
            }
        }
    }
    insert_batched(
        &app,
        "space_members",
        "space_id, user_id, role, joined_at",
        members
            .iter()
            .map(|(s, u)| format!("({s}, {u}, 'member', 0)")),
    )
    .await?;
    insert_batched(
        &app,
        "follows",
        "follower_id, followee_id, created_at",
        follows.iter().map(|(a, b)| format!("({a}, {b}, 0)")),
    )
    .await?;
    // Posts and their activities: four in five in a space, the rest on the author's own wall.
    let mut wall = Vec::with_capacity(activities as usize);
    for i in 1..=activities {
        let author = 1 + rng.below(users);
        let space = (rng.below(5) > 0).then(|| 1 + rng.below(spaces));
        wall.push((i, author, space));
    }
    // The table is empty, so the posts get ids 1, 2, 3 ... in this order on both backends.
    insert_batched(
        &app,
        "posts",
        "author_id, space_id, profile_id, body_md, body_html, created_at",
        wall.iter().map(|(i, a, s)| match s {
            Some(s) => format!("({a}, {s}, NULL, 'Post {i}', '<p>Post {i}</p>', {i})"),
            None => format!("({a}, NULL, {a}, 'Post {i}', '<p>Post {i}</p>', {i})"),
        }),
    )
    .await?;
    insert_batched(
        &app,
        "activities",
        "actor_id, verb, object_type, object_id, space_id, created_at",
        wall.iter().map(|(i, a, s)| {
            let s = s.map_or("NULL".to_owned(), |s| s.to_string());
            format!("({a}, 'posted', 'post', {i}, {s}, {i})")
        }),
    )
    .await?;
    // As autovacuum (or SQLite's optimize) would on a live server.
    sqlx::query("ANALYZE").execute(&app.state.db.pool).await?;
    println!(
        "{b:?}: seeded {users} people, {spaces} spaces, {} memberships, {} follows, {activities} posts and activities in {:.1} s",
        members.len(),
        follows.len(),
        t.elapsed().as_secs_f64()
    );

    // 300 first pages and 100 second pages for people picked at random.
    let mut first = Vec::new();
    let mut second = Vec::new();
    for k in 0..400 {
        let user = 1 + rng.below(users) as i64;
        let token = app::server::infra::sessions::create(&app.state.db, UserId(user), 3600).await?;
        let client = app.new_client()?;
        let cookie = format!("{}={token}", app::server::infra::sessions::COOKIE);
        let get = |before: String| {
            client
                .get(app.url("/api/feed/get"))
                .header("cookie", cookie.clone())
                .query(&[
                    ("of", "home"),
                    ("key", ""),
                    ("filter", "all"),
                    ("before", &before),
                ])
                .send()
        };
        let t0 = Instant::now();
        let page: serde_json::Value = get(String::new()).await?.json().await?;
        let took = t0.elapsed();
        if k < 300 {
            first.push(took);
            continue;
        }
        if let Some(next) = page["next"].as_str() {
            let t0 = Instant::now();
            let res = get(next.to_owned()).await?;
            assert_eq!(res.status(), 200);
            let _ = res.bytes().await?;
            second.push(t0.elapsed());
        }
    }
    for (what, mut times) in [("first page", first), ("second page", second)] {
        times.sort();
        println!(
            "{b:?} home feed {what} (10,000 people, 1,000,000 activities, one client): p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms ({} requests)",
            ms(percentile(&times, 0.5)),
            ms(percentile(&times, 0.95)),
            ms(percentile(&times, 0.99)),
            times.len()
        );
    }
    app.finish().await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: run by hand, figures in BENCHMARKS.md"]
async fn fan_out_sqlite() -> TestResult {
    for n in subscriber_counts() {
        fan_out(Backend::Sqlite, n).await?;
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: run by hand, figures in BENCHMARKS.md"]
async fn fan_out_postgres() -> TestResult {
    for n in subscriber_counts() {
        fan_out(Backend::Postgres, n).await?;
    }
    Ok(())
}

/// `BENCH_SUBSCRIBERS` (comma-separated), default 1,000 and 10,000. Each socket takes two file
/// descriptors in this one process, so 10,000 need `ulimit -n` above 20,000.
fn subscriber_counts() -> Vec<usize> {
    std::env::var("BENCH_SUBSCRIBERS")
        .unwrap_or_else(|_| "1000,10000".into())
        .split(',')
        .filter_map(|n| n.trim().parse().ok())
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: run by hand, figures in BENCHMARKS.md"]
async fn home_feed_sqlite() -> TestResult {
    home_feed(Backend::Sqlite).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: run by hand, figures in BENCHMARKS.md"]
async fn home_feed_postgres() -> TestResult {
    home_feed(Backend::Postgres).await
}
