//! Test harness: a real server on port 0 with its own database, on SQLite or PostgreSQL.
//!
//! PostgreSQL tests use `COHORT_TEST_POSTGRES_URL` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`) and create a fresh database per test. When it
//! cannot be reached they are skipped with a line saying so, unless `CI=true`, where they fail.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU32, Ordering};

use app::server::infra::state::AppState;
use server::config::{Config, Settings};
use server::startup::{app_router, bind_content, build_state, content_router, run};
use sqlx::{Connection, Executor};
use tokio::sync::oneshot;

pub type TestResult = Result<(), Box<dyn std::error::Error + Send + Sync>>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Where a test's database lives, so it can be removed afterwards.
#[derive(Debug, Clone)]
pub enum TestDb {
    Sqlite {
        dir: std::path::PathBuf,
        url: String,
    },
    Postgres {
        admin_url: String,
        name: String,
        url: String,
    },
}

impl TestDb {
    pub fn url(&self) -> &str {
        match self {
            TestDb::Sqlite { url, .. } | TestDb::Postgres { url, .. } => url,
        }
    }

    /// A new, empty database; `None` when PostgreSQL is not there and that is allowed.
    pub async fn create(backend: Backend) -> Result<Option<TestDb>, String> {
        static N: AtomicU32 = AtomicU32::new(0);
        let unique = format!(
            "{}_{}_{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.subsec_nanos())
                .unwrap_or_default()
        );
        match backend {
            Backend::Sqlite => {
                let dir = std::env::temp_dir().join(format!("cohort_test_{unique}"));
                let url = format!("sqlite:{}/cohort.db", dir.display());
                Ok(Some(TestDb::Sqlite { dir, url }))
            }
            Backend::Postgres => {
                let admin_url = std::env::var("COHORT_TEST_POSTGRES_URL")
                    .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
                let mut conn = match sqlx::PgConnection::connect(&admin_url).await {
                    Ok(c) => c,
                    Err(e) if std::env::var("CI").as_deref() != Ok("true") => {
                        eprintln!("SKIPPED: PostgreSQL test: cannot connect to {admin_url}: {e}");
                        return Ok(None);
                    }
                    Err(e) => return Err(format!("PostgreSQL is required under CI=true: {e}")),
                };
                let name = format!("cohort_test_{unique}");
                conn.execute(format!("CREATE DATABASE {name}").as_str())
                    .await
                    .map_err(|e| e.to_string())?;
                let base = admin_url.split('?').next().unwrap_or(&admin_url);
                let prefix = base.rsplit_once('/').map(|(p, _)| p).unwrap_or(base);
                let url = format!("{prefix}/{name}");
                Ok(Some(TestDb::Postgres {
                    admin_url,
                    name,
                    url,
                }))
            }
        }
    }

    /// The blob store's folder for this database (removed with it).
    pub fn blob_dir(&self) -> std::path::PathBuf {
        match self {
            TestDb::Sqlite { dir, .. } => dir.join("blobs"),
            TestDb::Postgres { name, .. } => std::env::temp_dir().join(format!("{name}_blobs")),
        }
    }

    pub async fn drop_db(&self) {
        let _ = std::fs::remove_dir_all(self.blob_dir());
        match self {
            TestDb::Sqlite { dir, .. } => {
                let _ = std::fs::remove_dir_all(dir);
            }
            TestDb::Postgres {
                admin_url, name, ..
            } => {
                if let Ok(mut conn) = sqlx::PgConnection::connect(admin_url).await {
                    let _ = conn
                        .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                        .await;
                }
            }
        }
    }
}

/// The setup link's token in tests: [`TestApp::register`] sends it, so the first person each
/// test registers is the site admin, as on a site set up through that link.
pub const SETUP_TOKEN: &str = "test-setup-token";

/// A running server and a browser-like client (cookies kept, same-origin `Origin` sent).
pub struct TestApp {
    pub addr: SocketAddr,
    pub base: String,
    pub client: reqwest::Client,
    pub state: AppState,
    pub config: Config,
    pub db: TestDb,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
    /// The content listener (SCORM package files), stopped with the server.
    content_task: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

impl TestApp {
    /// Starts a server on a new database; `None` if the backend is skipped.
    pub async fn spawn(
        backend: Backend,
        tweak: impl FnOnce(&mut Settings),
    ) -> Result<Option<TestApp>, String> {
        let Some(db) = TestDb::create(backend).await? else {
            return Ok(None);
        };
        TestApp::spawn_on(db, tweak).await.map(Some)
    }

    /// Starts a server on an existing database (a second instance, say).
    pub async fn spawn_on(
        db: TestDb,
        tweak: impl FnOnce(&mut Settings),
    ) -> Result<TestApp, String> {
        let mut settings = Settings {
            database_url: Some(db.url().to_owned()),
            database_max_connections: Some(5),
            content_addr: Some("127.0.0.1:0".parse().map_err(|e| format!("{e}"))?),
            setup_token: Some(SETUP_TOKEN.to_owned()),
            blob_dir: Some(db.blob_dir()),
            // Tests post, search and upload faster than people; the limits have tests of their own.
            write_limit_per_minute: Some(100_000),
            search_limit_per_minute: Some(100_000),
            upload_limit_per_minute: Some(100_000),
            ..Settings::default()
        };
        tweak(&mut settings);
        let config = Config::from_settings(&settings)?;
        let state = build_state(&config).await?;
        server::startup::announce_setup_link(&config, &state).await?;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .map_err(|e| e.to_string())?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        let (stop, stopped) = oneshot::channel::<()>();
        let router = app_router(&config, state.clone());
        let task = tokio::spawn(run(listener, router, async {
            let _ = stopped.await;
        }));
        let content_listener = bind_content(&config, &state).await?;
        let content = content_router(&config, state.clone());
        let content_task = tokio::spawn(run(content_listener, content, std::future::pending()));
        let base = format!("http://{addr}");
        Ok(TestApp {
            addr,
            client: client_for(&base)?,
            base,
            state,
            config,
            db,
            stop: Some(stop),
            task: Some(task),
            content_task: Some(content_task),
        })
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A second browser on the same server, with its own cookies.
    pub fn new_client(&self) -> Result<reqwest::Client, String> {
        client_for(&self.base)
    }

    /// Calls a server fn the way the hydrated app does (form-encoded body).
    pub async fn call(
        &self,
        client: &reqwest::Client,
        endpoint: &str,
        form: &[(&str, &str)],
    ) -> Result<reqwest::Response, reqwest::Error> {
        client
            .post(self.url(&format!("/api/{endpoint}")))
            .form(form)
            .send()
            .await
    }

    /// Creates a top-level space named "Space {slug}" through the server fn.
    pub async fn create_space(
        &self,
        client: &reqwest::Client,
        slug: &str,
        visibility: &str,
        join_policy: &str,
    ) -> Result<reqwest::Response, reqwest::Error> {
        let name = format!("Space {slug}");
        let form = [
            ("name", name.as_str()),
            ("slug", slug),
            ("description", "Where we learn about things"),
            ("visibility", visibility),
            ("join_policy", join_policy),
            ("parent", ""),
        ];
        self.call(client, "spaces/create", &form).await
    }

    pub async fn register(
        &self,
        client: &reqwest::Client,
        name: &str,
        email: &str,
        password: &str,
    ) -> Result<reqwest::Response, reqwest::Error> {
        self.call(
            client,
            "auth/register",
            &[
                ("display_name", name),
                ("email", email),
                ("password", password),
                ("setup", SETUP_TOKEN),
            ],
        )
        .await
    }

    pub async fn sign_in(
        &self,
        client: &reqwest::Client,
        email: &str,
        password: &str,
    ) -> Result<reqwest::Response, reqwest::Error> {
        self.call(
            client,
            "auth/sign_in",
            &[("email", email), ("password", password)],
        )
        .await
    }

    /// A new browser with a freshly registered person signed in.
    pub async fn person(&self, name: &str) -> Result<reqwest::Client, String> {
        let client = self.new_client()?;
        let email = format!("{}@example.com", name.to_lowercase().replace(' ', "."));
        let res = self
            .register(&client, name, &email, "correct horse battery")
            .await
            .map_err(|e| e.to_string())?;
        if res.status() != 200 {
            return Err(format!("registering {name}: {}", res.status()));
        }
        Ok(client)
    }

    /// Calls a `GetUrl` server fn with query parameters.
    pub async fn get(
        &self,
        client: &reqwest::Client,
        endpoint: &str,
        query: &[(&str, &str)],
    ) -> Result<reqwest::Response, reqwest::Error> {
        client
            .get(self.url(&format!("/api/{endpoint}")))
            .query(query)
            .send()
            .await
    }

    /// Who the server thinks `client` is (`Null` when signed out).
    pub async fn me(&self, client: &reqwest::Client) -> Result<serde_json::Value, reqwest::Error> {
        client
            .get(self.url("/api/auth/me"))
            .send()
            .await?
            .json()
            .await
    }

    /// Stops the server and removes its database.
    pub async fn finish(mut self) {
        self.stop_server().await;
        self.db.drop_db().await;
    }

    /// Stops the server but keeps the database (other instances may use it).
    pub async fn stop_server(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
        if let Some(task) = self.content_task.take() {
            task.abort();
        }
        self.state.db.pool.close().await;
    }
}

/// The message an error body gives for one form field (`""` is the form-level message).
/// The JSON of a response that must have succeeded (`Null` when it has no body).
pub async fn ok_json(
    res: reqwest::Response,
) -> Result<serde_json::Value, Box<dyn std::error::Error + Send + Sync>> {
    let status = res.status();
    let url = res.url().to_string();
    let text = res.text().await?;
    assert!(status.is_success(), "{url}: {status}: {text}");
    Ok(serde_json::from_str(&text).unwrap_or(serde_json::Value::Null))
}

/// The `title` of each item of a JSON list.
/// The query of a search (`/api/search`) for `q`, of `kind` and with `tag` ("" for any), with
/// no other filter, first page.
pub fn search_query<'a>(q: &'a str, kind: &'a str, tag: &'a str) -> [(&'static str, &'a str); 7] {
    [
        ("q", q),
        ("kind", kind),
        ("space", ""),
        ("author", ""),
        ("tag", tag),
        ("days", "0"),
        ("offset", "0"),
    ]
}

pub fn titles(items: &serde_json::Value) -> Vec<String> {
    items
        .as_array()
        .map(|a| {
            a.iter()
                .map(|t| t["title"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

pub fn field_message(body: &serde_json::Value, field: &str) -> Option<String> {
    let errors = body
        .get("Validation")
        .or_else(|| body.get("Conflict"))
        .or_else(|| body.get("Unauthorized"))
        .or_else(|| body.get("Refused"))?;
    errors["fields"]
        .as_array()?
        .iter()
        .find(|e| e["field"] == field)
        .and_then(|e| e["message"].as_str().map(str::to_owned))
}

/// The typed value an error body keeps for one form field.
pub fn field_value(body: &serde_json::Value, field: &str) -> Option<String> {
    let errors = body
        .get("Validation")
        .or_else(|| body.get("Conflict"))
        .or_else(|| body.get("RateLimited").map(|r| &r["kept"]))?;
    errors["values"]
        .as_array()?
        .iter()
        .find(|pair| pair[0] == field)
        .and_then(|pair| pair[1].as_str().map(str::to_owned))
}

/// The `Set-Cookie` header of a response ("" when there is none).
pub fn set_cookie(res: &reqwest::Response) -> String {
    res.headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// `name=value` of the session cookie a response sets, to replay as a `Cookie` header.
pub fn session_pair(res: &reqwest::Response) -> String {
    set_cookie(res)
        .split(';')
        .next()
        .unwrap_or_default()
        .to_owned()
}

fn client_for(base: &str) -> Result<reqwest::Client, String> {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        reqwest::header::ORIGIN,
        reqwest::header::HeaderValue::from_str(base).map_err(|e| e.to_string())?,
    );
    reqwest::Client::builder()
        .cookie_store(true)
        .default_headers(headers)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(20))
        .build()
        .map_err(|e| e.to_string())
}

/// Fails a scenario that has not finished in two minutes, so a hang names itself instead of
/// stalling the whole run.
pub async fn within_limit(scenario: impl std::future::Future<Output = TestResult>) -> TestResult {
    match tokio::time::timeout(std::time::Duration::from_secs(120), scenario).await {
        Ok(result) => result,
        Err(_) => Err("the scenario did not finish within 120 s".into()),
    }
}

/// Runs each listed scenario as one test on SQLite and one on PostgreSQL.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test]
                async fn $name() -> $crate::common::TestResult {
                    $crate::common::within_limit(super::$name($crate::common::Backend::Sqlite)).await
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test]
                async fn $name() -> $crate::common::TestResult {
                    $crate::common::within_limit(super::$name($crate::common::Backend::Postgres)).await
                }
            )*
        }
    };
}

/// A draft course by `author` (tagged `safety, health`) with a module "Basics" and a page
/// lesson "Why it matters": (slug, module id, lesson id).
pub async fn course_with_page(
    app: &TestApp,
    author: &reqwest::Client,
    title: &str,
    policy: &str,
) -> Result<(String, String, i64), Box<dyn std::error::Error + Send + Sync>> {
    let form = [
        ("title", title),
        ("summary", "Lift without hurting your back."),
        ("tags", "safety, health"),
        ("policy", policy),
    ];
    let slug = ok_json(app.call(author, "courses/create", &form).await?).await?;
    let slug = slug.as_str().unwrap_or_default().to_owned();
    let module_form = [("slug", slug.as_str()), ("module_title", "Basics")];
    let module = ok_json(app.call(author, "courses/add_module", &module_form).await?).await?;
    let module = module.as_i64().unwrap_or_default().to_string();
    let page = [
        ("slug", slug.as_str()),
        ("module", module.as_str()),
        ("title", "Why it matters"),
        ("kind", "page"),
        ("body", "Most injuries at work come from **lifting**."),
    ];
    let page = ok_json(app.call(author, "courses/add_lesson", &page).await?).await?;
    Ok((slug, module, page.as_i64().unwrap_or_default()))
}

/// A `w` by `h` PNG picture.
pub fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_pixel(w, h, image::Rgb([30, 160, 90]));
    let mut out = std::io::Cursor::new(Vec::new());
    let _ = img.write_to(&mut out, image::ImageFormat::Png);
    out.into_inner()
}

/// A small PNG whose header claims `w` by `h` pixels (its data is that of a 1 by 1 picture), as
/// a decompression bomb would.
pub fn png_claiming(w: u32, h: u32) -> Vec<u8> {
    let mut bytes = png(1, 1);
    // The IHDR chunk: length (4), "IHDR" (4), width (4), height (4), 5 more bytes, then its CRC.
    bytes[16..20].copy_from_slice(&w.to_be_bytes());
    bytes[20..24].copy_from_slice(&h.to_be_bytes());
    let mut crc = 0xFFFF_FFFFu32;
    for b in &bytes[12..29] {
        crc ^= u32::from(*b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    bytes[29..33].copy_from_slice(&(!crc).to_be_bytes());
    bytes
}
