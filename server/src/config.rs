//! Configuration: built-in defaults, then an optional `cohort.toml`, then `COHORT_*` environment
//! variables, then command-line flags. `server --help` lists every setting.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use app::server::infra::state::{AuthSettings, MediaSettings, RateLimits};
use clap::{Args, Parser, Subcommand, ValueEnum};
use serde::Deserialize;

/// Cohort, the social learning platform: one server for pages, API and database.
#[derive(Debug, Parser)]
#[command(name = "server", version)]
pub struct Cli {
    /// An optional TOML file with any of the settings below (names in snake_case).
    #[arg(long, env = "COHORT_CONFIG", default_value = "cohort.toml")]
    pub config: PathBuf,

    #[command(flatten)]
    pub settings: Settings,

    /// On a database with no accounts yet, load a small demo organisation first (people,
    /// spaces, posts, threads, questions, a course) to look around in. Never touches a
    /// database that has accounts.
    #[arg(long, env = "COHORT_DEMO")]
    pub demo: bool,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the server (what happens with no command).
    Serve,
    /// Create a site admin, or make an existing account one. The password is read from
    /// COHORT_ADMIN_PASSWORD or, when that is unset, from the first line of standard input.
    CreateAdmin {
        /// The admin's email address.
        #[arg(long)]
        email: String,
        /// The admin's display name (for a new account).
        #[arg(long, default_value = "Site admin")]
        name: String,
    },
    /// Copy the SQLite database, consistently, into a new file PATH while Cohort runs (for
    /// PostgreSQL, use pg_dump). To restore, stop Cohort and put the copy in the database's place.
    Backup {
        /// The new file to write.
        path: PathBuf,
    },
    /// Fill an empty database with a generated organisation, the same for the same seed:
    /// `demo` (40 people), `small` (200 people, 2,000 posts) or `large` (10,000 people,
    /// 1,000 spaces, 1,000,000 posts and comments). Refuses a database that has accounts.
    Seed {
        #[arg(long, default_value = "demo")]
        scale: String,
        #[arg(long, default_value_t = 42)]
        seed: u64,
    },
}

/// Output format of the logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

/// Every setting, each optional here so the layers can be merged.
#[derive(Debug, Default, Clone, Args, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    /// Address to listen on [default: 127.0.0.1:3000]
    #[arg(long, env = "COHORT_ADDR")]
    pub addr: Option<SocketAddr>,
    /// sqlite:PATH or postgres://USER@HOST/DB [default: sqlite:data/cohort.db]
    #[arg(long, env = "COHORT_DATABASE_URL")]
    pub database_url: Option<String>,
    /// Largest number of database connections [default: 10 on PostgreSQL; on SQLite the
    /// number of CPU cores plus 2]
    #[arg(long, env = "COHORT_DATABASE_MAX_CONNECTIONS")]
    pub database_max_connections: Option<u32>,
    /// Most SQLite transactions committed together; 1 commits each alone [default: 64]
    #[arg(long, env = "COHORT_SQLITE_BATCH")]
    pub sqlite_batch: Option<usize>,
    /// The address people use, e.g. https://learn.example.com; accepted as Origin, and https
    /// here makes cookies Secure [default: none]
    #[arg(long, env = "COHORT_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Address the content listener (SCORM package files, on an origin of their own) listens
    /// on [default: the address's host, its port plus 1; another free port if that is taken]
    #[arg(long, env = "COHORT_CONTENT_ADDR")]
    pub content_addr: Option<SocketAddr>,
    /// The address people's browsers reach the content listener at, e.g.
    /// https://learn-content.example.com: use another host name than public_url's in
    /// production [default: the site's scheme and host, the content listener's port;
    /// 127.0.0.1 and localhost swapped, so content is another site to the browser]
    #[arg(long, env = "COHORT_CONTENT_URL")]
    pub content_url: Option<String>,
    /// Trust X-Forwarded-For/-Proto/-Host from a reverse proxy [default: false]
    #[arg(long, env = "COHORT_TRUST_PROXY")]
    pub trust_proxy: Option<bool>,
    /// How long a sign-in lasts, in hours [default: 720]
    #[arg(long, env = "COHORT_SESSION_TTL_HOURS")]
    pub session_ttl_hours: Option<i64>,
    /// Length of the rate-limit window, in seconds [default: 900]
    #[arg(long, env = "COHORT_RATE_LIMIT_WINDOW_SECS")]
    pub rate_limit_window_secs: Option<i64>,
    /// Failed sign-ins in a row on one account before each further attempt is slowed down
    /// (never locked out) [default: 10]
    #[arg(long, env = "COHORT_SIGN_IN_LIMIT_PER_ACCOUNT")]
    pub sign_in_limit_per_account: Option<i64>,
    /// The first wait, in milliseconds, of an account's attempts past that; each next one
    /// doubles, up to 16 times this; an attempt that would wait longer than 16 times this is
    /// answered 429 with Retry-After [default: 1000]
    #[arg(long, env = "COHORT_SIGN_IN_DELAY_MS")]
    pub sign_in_delay_ms: Option<i64>,
    /// Sign-in attempts per client address per window [default: 50]
    #[arg(long, env = "COHORT_SIGN_IN_LIMIT_PER_IP")]
    pub sign_in_limit_per_ip: Option<i64>,
    /// Registrations per client address per window [default: 20]
    #[arg(long, env = "COHORT_REGISTER_LIMIT_PER_IP")]
    pub register_limit_per_ip: Option<i64>,
    /// Posts, comments, replies, questions, answers and status updates one person may send
    /// per minute, on each instance (a burst of this many, then one every 60/this seconds)
    /// [default: 30]
    #[arg(long, env = "COHORT_WRITE_LIMIT_PER_MINUTE")]
    pub write_limit_per_minute: Option<u32>,
    /// Searches (the search page and its API) one person may run per minute on each instance
    /// [default: 60]
    #[arg(long, env = "COHORT_SEARCH_LIMIT_PER_MINUTE")]
    pub search_limit_per_minute: Option<u32>,
    /// Uploads (pictures, files, packages) one person may send per minute on each instance
    /// [default: 20]
    #[arg(long, env = "COHORT_UPLOAD_LIMIT_PER_MINUTE")]
    pub upload_limit_per_minute: Option<u32>,
    /// The token of the setup link that creates the first site admin, printed at start while
    /// the site has none [default: a random one, kept in the database until an admin exists]
    #[arg(long, env = "COHORT_SETUP_TOKEN")]
    pub setup_token: Option<String>,
    /// The folder of the blob store, where uploaded files live [default: `blobs` beside a
    /// SQLite database file; `data/blobs` with PostgreSQL]
    #[arg(long, env = "COHORT_BLOB_DIR")]
    pub blob_dir: Option<PathBuf>,
    /// Log format [default: text]
    #[arg(long, env = "COHORT_LOG_FORMAT")]
    pub log_format: Option<LogFormat>,
    /// Largest image upload (avatars, covers), in KiB [default: 5120]
    #[arg(long, env = "COHORT_MAX_IMAGE_KB")]
    pub max_image_kb: Option<usize>,
    /// Largest SCORM package upload (the zip), in MiB [default: 200]
    #[arg(long, env = "COHORT_MAX_PACKAGE_MB")]
    pub max_package_mb: Option<usize>,
}

/// The settings in force, every layer applied.
#[derive(Debug, Clone)]
pub struct Config {
    pub addr: SocketAddr,
    pub database_url: String,
    pub database_max_connections: u32,
    pub sqlite_batch: usize,
    pub public_url: Option<String>,
    /// Where the content listener binds, and whether that was asked for (a default that is
    /// taken gives way to a free port).
    pub content_addr: SocketAddr,
    pub content_addr_configured: bool,
    pub content_url: Option<String>,
    pub trust_proxy: bool,
    pub auth: Arc<AuthSettings>,
    pub log_format: LogFormat,
    pub media: Arc<MediaSettings>,
    pub setup_token: Option<String>,
    pub blob_dir: PathBuf,
}

impl Config {
    /// Merges `over` (environment and flags) on top of the file at `file`, if it exists, on top
    /// of the defaults.
    pub fn load(file: &Path, over: &Settings) -> Result<Config, String> {
        let from_file = match std::fs::read_to_string(file) {
            Ok(text) => {
                toml::from_str::<Settings>(&text).map_err(|e| format!("{}: {e}", file.display()))?
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Settings::default(),
            Err(e) => return Err(format!("{}: {e}", file.display())),
        };
        Config::from_settings(&over.clone().or(from_file))
    }

    /// Applies the defaults to whatever `s` leaves unset and checks the result.
    pub fn from_settings(s: &Settings) -> Result<Config, String> {
        let d = AuthSettings::default();
        let limits = RateLimits {
            window_secs: s.rate_limit_window_secs.unwrap_or(d.limits.window_secs),
            sign_in_per_account: s
                .sign_in_limit_per_account
                .unwrap_or(d.limits.sign_in_per_account),
            sign_in_delay_ms: s.sign_in_delay_ms.unwrap_or(d.limits.sign_in_delay_ms),
            sign_in_per_ip: s.sign_in_limit_per_ip.unwrap_or(d.limits.sign_in_per_ip),
            register_per_ip: s.register_limit_per_ip.unwrap_or(d.limits.register_per_ip),
            writes_per_minute: s
                .write_limit_per_minute
                .unwrap_or(d.limits.writes_per_minute),
            searches_per_minute: s
                .search_limit_per_minute
                .unwrap_or(d.limits.searches_per_minute),
            uploads_per_minute: s
                .upload_limit_per_minute
                .unwrap_or(d.limits.uploads_per_minute),
        };
        if [
            limits.writes_per_minute,
            limits.searches_per_minute,
            limits.uploads_per_minute,
        ]
        .contains(&0)
        {
            return Err(
                "write_limit_per_minute, search_limit_per_minute and upload_limit_per_minute must be positive"
                    .into(),
            );
        }
        let session_ttl_secs = s
            .session_ttl_hours
            .map(|h| h * 3600)
            .unwrap_or(d.session_ttl_secs);
        if session_ttl_secs <= 0 || limits.window_secs <= 0 || limits.sign_in_delay_ms <= 0 {
            return Err(
                "session_ttl_hours, rate_limit_window_secs and sign_in_delay_ms must be positive"
                    .into(),
            );
        }
        let public_url = web_url("public_url", &s.public_url)?;
        let content_url = web_url("content_url", &s.content_url)?;
        let addr = s.addr.unwrap_or(SocketAddr::from(([127, 0, 0, 1], 3000)));
        let content_addr = s.content_addr.unwrap_or_else(|| {
            let port = if addr.port() == 0 {
                0
            } else {
                addr.port().saturating_add(1)
            };
            SocketAddr::new(addr.ip(), port)
        });
        let database_url = s
            .database_url
            .clone()
            .unwrap_or_else(|| "sqlite:data/cohort.db".into());
        let blob_dir = s
            .blob_dir
            .clone()
            .unwrap_or_else(|| default_blob_dir(&database_url));
        Ok(Config {
            addr,
            content_addr,
            content_addr_configured: s.content_addr.is_some(),
            content_url,
            database_max_connections: s
                .database_max_connections
                .unwrap_or_else(|| default_max_connections(&database_url)),
            database_url,
            sqlite_batch: match s.sqlite_batch {
                Some(0) => return Err("sqlite_batch must be positive".into()),
                Some(n) => n,
                None => app::server::infra::db::MOST_IN_A_BATCH,
            },
            public_url,
            trust_proxy: s.trust_proxy.unwrap_or(false),
            auth: Arc::new(AuthSettings {
                session_ttl_secs,
                limits,
            }),
            log_format: s.log_format.unwrap_or(LogFormat::Text),
            setup_token: s.setup_token.clone().filter(|t| !t.trim().is_empty()),
            blob_dir,
            media: Arc::new(MediaSettings {
                max_image_bytes: match s.max_image_kb {
                    Some(0) => return Err("max_image_kb must be positive".into()),
                    Some(kb) => kb.saturating_mul(1024),
                    None => MediaSettings::default().max_image_bytes,
                },
                max_package_bytes: match s.max_package_mb {
                    Some(0) => return Err("max_package_mb must be positive".into()),
                    Some(mb) => mb.saturating_mul(1024 * 1024),
                    None => MediaSettings::default().max_package_bytes,
                },
                ..MediaSettings::default()
            }),
        })
    }
}

/// The URL setting `name`, without a trailing slash, if it is an http(s) URL.
fn web_url(name: &str, value: &Option<String>) -> Result<Option<String>, String> {
    let url = value.as_ref().map(|u| u.trim_end_matches('/').to_owned());
    match &url {
        Some(u) if !(u.starts_with("http://") || u.starts_with("https://")) => Err(format!(
            "{name} must start with http:// or https://, not {u}"
        )),
        _ => Ok(url),
    }
}

/// Beside a SQLite file (`sqlite:data/cohort.db` gives `data/blobs`); `data/blobs` otherwise.
fn default_blob_dir(database_url: &str) -> PathBuf {
    let file = database_url
        .strip_prefix("sqlite://")
        .or_else(|| database_url.strip_prefix("sqlite:"))
        .map(|rest| rest.split('?').next().unwrap_or(rest))
        .filter(|f| !f.is_empty() && *f != ":memory:");
    match file.and_then(|f| Path::new(f).parent()) {
        Some(dir) if dir.as_os_str().is_empty() => PathBuf::from("blobs"),
        Some(dir) => dir.join("blobs"),
        None => PathBuf::from("data/blobs"),
    }
}

/// How many database connections, when not set. PostgreSQL serves several app instances and
/// keeps its own processes: 10. SQLite runs each connection's statements on a thread of the
/// app's own, so past the cores they only take turns: the cores plus 2 (one is the writer).
/// On 2 cores, 4 connections served about 5 % more home feeds and 7 % more posts a second
/// than 10 (BENCHMARKS.md, 2026-12-07).
fn default_max_connections(database_url: &str) -> u32 {
    if database_url.starts_with("postgres") {
        return 10;
    }
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    u32::try_from(cores + 2).unwrap_or(10).max(3)
}

impl Settings {
    /// Each setting of `self`, or of `lower` where `self` has none.
    fn or(self, lower: Settings) -> Settings {
        Settings {
            addr: self.addr.or(lower.addr),
            database_url: self.database_url.or(lower.database_url),
            database_max_connections: self
                .database_max_connections
                .or(lower.database_max_connections),
            sqlite_batch: self.sqlite_batch.or(lower.sqlite_batch),
            public_url: self.public_url.or(lower.public_url),
            content_addr: self.content_addr.or(lower.content_addr),
            content_url: self.content_url.or(lower.content_url),
            trust_proxy: self.trust_proxy.or(lower.trust_proxy),
            session_ttl_hours: self.session_ttl_hours.or(lower.session_ttl_hours),
            rate_limit_window_secs: self.rate_limit_window_secs.or(lower.rate_limit_window_secs),
            sign_in_limit_per_account: self
                .sign_in_limit_per_account
                .or(lower.sign_in_limit_per_account),
            sign_in_delay_ms: self.sign_in_delay_ms.or(lower.sign_in_delay_ms),
            sign_in_limit_per_ip: self.sign_in_limit_per_ip.or(lower.sign_in_limit_per_ip),
            register_limit_per_ip: self.register_limit_per_ip.or(lower.register_limit_per_ip),
            write_limit_per_minute: self.write_limit_per_minute.or(lower.write_limit_per_minute),
            search_limit_per_minute: self
                .search_limit_per_minute
                .or(lower.search_limit_per_minute),
            upload_limit_per_minute: self
                .upload_limit_per_minute
                .or(lower.upload_limit_per_minute),
            setup_token: self.setup_token.or(lower.setup_token),
            blob_dir: self.blob_dir.or(lower.blob_dir),
            log_format: self.log_format.or(lower.log_format),
            max_image_kb: self.max_image_kb.or(lower.max_image_kb),
            max_package_mb: self.max_package_mb.or(lower.max_package_mb),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layers_apply_in_order() -> Result<(), String> {
        let dir = std::env::temp_dir().join(format!("cohort-config-{}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        let file = dir.join("cohort.toml");
        std::fs::write(
            &file,
            "database_url = \"sqlite:file.db\"\nsession_ttl_hours = 2\n",
        )
        .map_err(|e| e.to_string())?;
        let env = Settings {
            session_ttl_hours: Some(3),
            ..Settings::default()
        };
        let c = Config::load(&file, &env)?;
        assert_eq!(c.database_url, "sqlite:file.db");
        assert_eq!(c.auth.session_ttl_secs, 3 * 3600);
        assert_eq!(c.addr.to_string(), "127.0.0.1:3000");

        std::fs::write(&file, "no_such_setting = 1\n").map_err(|e| e.to_string())?;
        assert!(Config::load(&file, &env).is_err());
        let missing = Config::load(&dir.join("absent.toml"), &Settings::default())?;
        assert_eq!(missing.database_url, "sqlite:data/cohort.db");
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get()) as u32;
        assert_eq!(missing.database_max_connections, (cores + 2).max(3));
        assert_eq!(missing.blob_dir, PathBuf::from("data/blobs"));
        for (url, dir) in [
            ("sqlite:/srv/cohort/site.db", "/srv/cohort/blobs"),
            ("sqlite://rel/site.db?mode=rwc", "rel/blobs"),
            ("sqlite:site.db", "blobs"),
            ("postgres://localhost/cohort", "data/blobs"),
        ] {
            assert_eq!(default_blob_dir(url), PathBuf::from(dir), "{url}");
        }
        let postgres = Settings {
            database_url: Some("postgres://localhost/cohort".into()),
            ..Settings::default()
        };
        assert_eq!(
            Config::from_settings(&postgres)?.database_max_connections,
            10
        );
        Ok(())
    }

    #[test]
    fn bad_values_fail_fast() {
        let s = Settings {
            public_url: Some("learn.example.com".into()),
            ..Settings::default()
        };
        assert!(Config::from_settings(&s).is_err());
        let s = Settings {
            session_ttl_hours: Some(0),
            ..Settings::default()
        };
        assert!(Config::from_settings(&s).is_err());
    }
}
