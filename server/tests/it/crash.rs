//! Data safety: the server process is killed (`kill -9`) in the middle of a burst of writes,
//! and nothing it had acknowledged is lost, on SQLite and on PostgreSQL.

use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::common::{ok_json, Backend, TestApp, TestDb, TestResult};
use crate::courses::{course, good_package, launch, player, publish, sco_of, upload};

type Res<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// The real server binary, in a process of its own, on `db`.
struct Process {
    child: Child,
    base: String,
    content_port: u16,
}

fn free_port() -> Res<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

impl Process {
    async fn start(db: &TestDb) -> Res<Process> {
        let (port, content_port) = (free_port()?, free_port()?);
        let child = Command::new(env!("CARGO_BIN_EXE_server"))
            .env("COHORT_ADDR", format!("127.0.0.1:{port}"))
            .env("COHORT_CONTENT_ADDR", format!("127.0.0.1:{content_port}"))
            .env("COHORT_DATABASE_URL", db.url())
            .env("COHORT_BLOB_DIR", db.blob_dir())
            .env("COHORT_CONFIG", "/nonexistent/cohort.toml")
            .env("COHORT_WRITE_LIMIT_PER_MINUTE", "1000000")
            .env("RUST_LOG", "error")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()?;
        let process = Process {
            child,
            base: format!("http://127.0.0.1:{port}"),
            content_port,
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        let probe = reqwest::Client::new();
        loop {
            let up = probe
                .get(format!("{}/healthz", process.base))
                .send()
                .await
                .is_ok_and(|r| r.status().is_success());
            if up {
                return Ok(process);
            }
            if Instant::now() > deadline {
                return Err("the server process did not start within 30 s".into());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// `kill -9`: no shutdown, no flush, nothing finished.
    fn kill(mut self) -> Res<()> {
        self.child.kill()?;
        self.child.wait()?;
        Ok(())
    }
}

/// Sends write 1, 2, ... (the form `form(n)`, to `url`) as soon as the last one is answered,
/// until the server is gone; `acked(n, form's "body")` notes each acknowledged (2xx) one.
async fn write_until_gone(
    client: reqwest::Client,
    url: String,
    origin: Option<String>,
    form: impl Fn(usize) -> Vec<(&'static str, String)>,
    acked: impl Fn(usize, String),
) {
    for n in 1.. {
        let fields = form(n);
        let mut req = client.post(&url).header("accept", "application/json");
        if let Some(o) = &origin {
            req = req.header("origin", o);
        }
        let answered = req.form(&fields).send().await;
        if !answered.is_ok_and(|res| res.status().is_success()) {
            break;
        }
        let body = fields
            .into_iter()
            .find(|(k, _)| *k == "body")
            .map(|(_, v)| v)
            .unwrap_or_default();
        acked(n, body);
    }
}

/// What the server acknowledged (a 2xx answer) before it died.
#[derive(Default)]
struct Acked {
    posts: Vec<String>,
    replies: Vec<String>,
    /// The highest commit number acknowledged.
    commit: usize,
}

async fn nothing_acknowledged_is_lost_when_the_server_is_killed(b: Backend) -> TestResult {
    let Some(db) = TestDb::create(b).await? else {
        return Ok(());
    };
    // Set up in-process: people, a space, a thread, a course with a package and a launch.
    let mut app = TestApp::spawn_on(db.clone(), |_| {}).await?;
    let author = app.person("Ada Author").await?;
    let learner = app.person("Lee Learner").await?;
    ok_json(
        app.create_space(&author, "welding", "public", "open")
            .await?,
    )
    .await?;
    ok_json(
        app.call(&learner, "spaces/join", &[("slug", "welding")])
            .await?,
    )
    .await?;
    let thread = [
        ("kind", "thread"),
        ("space", "welding"),
        ("title", "Where do we store the masks?"),
        ("body", "Asking for the new starters."),
    ];
    let topic = ok_json(app.call(&author, "topics/create", &thread).await?)
        .await?
        .to_string();
    let (slug, _, package) = course(&app, &author, "Lifting at work", "open").await?;
    ok_json(upload(&app, &author, package, good_package()?).await?).await?;
    ok_json(publish(&app, &author, &slug).await?).await?;
    ok_json(
        app.call(&learner, "courses/enrol", &[("slug", &slug)])
            .await?,
    )
    .await?;
    let sco = sco_of(&app, &learner, package).await?;
    let (_, start) = player(&app, &learner, package, sco).await?;
    let commit_path = start["commit_url"].as_str().unwrap_or_default().to_owned();
    app.stop_server().await;

    let server = Process::start(&db).await?;
    let base = server.base.clone();
    let commit_url = format!("http://localhost:{}{commit_path}", server.content_port);
    let acked = Arc::new(Mutex::new(Acked::default()));
    let note = |f: fn(&mut Acked, usize, String)| {
        let acked = acked.clone();
        move |n: usize, body: String| {
            acked.lock().map(|mut a| f(&mut a, n, body)).ok();
        }
    };
    // Three writers, each sending its next write as soon as the last is answered, until the
    // server is gone.
    let topic_id = topic.clone();
    let writers = vec![
        tokio::spawn(write_until_gone(
            author.clone(),
            format!("{base}/api/walls/post"),
            Some(base.clone()),
            |n| {
                vec![
                    ("slug", "welding".into()),
                    ("body", format!("Post {n} before the crash")),
                ]
            },
            note(|a, _, body| a.posts.push(body)),
        )),
        tokio::spawn(write_until_gone(
            learner.clone(),
            format!("{base}/api/topics/reply"),
            Some(base.clone()),
            move |n| {
                vec![
                    ("topic", topic_id.clone()),
                    ("body", format!("Reply {n} before the crash")),
                    ("parent", String::new()),
                ]
            },
            note(|a, _, body| a.replies.push(body)),
        )),
        tokio::spawn(write_until_gone(
            reqwest::Client::new(),
            commit_url,
            None,
            |n| {
                let data = serde_json::json!({
                    "cmi.core.lesson_status": "incomplete",
                    "cmi.suspend_data": n.to_string(),
                    "cmi.core.session_time": "0000:00:01.00",
                });
                vec![("session", "crash".into()), ("data", data.to_string())]
            },
            note(|a, n, _| a.commit = n),
        )),
    ];
    // Kill it once every kind of write has been acknowledged a good number of times, with a
    // write of each kind in flight.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let enough = acked
            .lock()
            .map(|a| a.posts.len() >= 30 && a.replies.len() >= 30 && a.commit >= 30)
            .unwrap_or(false);
        if enough {
            break;
        }
        if Instant::now() > deadline {
            return Err("the burst did not get 30 writes of each kind through in a minute".into());
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    server.kill()?;
    for w in writers {
        w.await?;
    }
    let acked = std::mem::take(&mut *acked.lock().map_err(|e| e.to_string())?);
    eprintln!(
        "acknowledged before the kill: {} posts, {} replies, commit {}",
        acked.posts.len(),
        acked.replies.len(),
        acked.commit
    );

    // Start again on the same database: everything acknowledged is there.
    let app = TestApp::spawn_on(db.clone(), |_| {}).await?;
    let posts: Vec<(String,)> = sqlx::query_as("SELECT body_md FROM posts")
        .fetch_all(&app.state.db.pool)
        .await?;
    let posts: std::collections::HashSet<String> = posts.into_iter().map(|(b,)| b).collect();
    let lost: Vec<&String> = acked.posts.iter().filter(|p| !posts.contains(*p)).collect();
    assert!(lost.is_empty(), "acknowledged posts lost: {lost:?}");
    let replies: Vec<(String,)> = sqlx::query_as("SELECT body_md FROM replies")
        .fetch_all(&app.state.db.pool)
        .await?;
    let replies: std::collections::HashSet<String> = replies.into_iter().map(|(b,)| b).collect();
    let lost: Vec<&String> = acked
        .replies
        .iter()
        .filter(|r| !replies.contains(*r))
        .collect();
    assert!(lost.is_empty(), "acknowledged replies lost: {lost:?}");
    let resumed = launch(&app, &learner, package, sco).await?;
    let stored: usize = resumed["stored"]["cmi.suspend_data"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .unwrap_or_default();
    assert!(
        stored >= acked.commit,
        "the last acknowledged commit was {}, the stored one is {stored}",
        acked.commit
    );
    app.finish().await;
    Ok(())
}

crate::on_both_backends!(nothing_acknowledged_is_lost_when_the_server_is_killed);
