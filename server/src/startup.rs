//! Start-up and shutdown: open and migrate the database, bind, serve until SIGTERM or Ctrl-C.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use app::server::infra::blob_store::BlobStore;
use app::server::infra::db::Db;
use app::server::infra::hub::Hub;
use app::server::infra::origins::Origins;
use app::server::infra::pace::Pace;
use app::server::infra::state::AppState;
use axum::Router;
use leptos::config::LeptosOptions;
use tokio::net::TcpListener;

use crate::config::Config;
use crate::middleware::HttpSettings;
use crate::router::router;

/// Opens the database, applies migrations and checks the settings; fails fast on any problem.
pub async fn build_state(config: &Config) -> Result<AppState, String> {
    let db = Db::connect(&config.database_url, config.database_max_connections)
        .await
        .map_err(|e| e.to_string())?;
    db.set_sqlite_batch(config.sqlite_batch).await;
    db.migrate().await.map_err(|e| e.to_string())?;
    let hub = Hub::start(db.clone(), &config.database_url)
        .await
        .map_err(|e| e.to_string())?;
    tokio::spawn(publish_scheduled(db.clone(), hub.clone()));
    let pace = Arc::new(Pace::new(&config.auth.limits));
    tokio::spawn(forget_rested(pace.clone()));
    let blobs = BlobStore::local(&config.blob_dir)
        .map_err(|e| format!("blob_dir {}: {e}", config.blob_dir.display()))?;
    tokio::spawn(move_blobs_out(db.clone(), blobs.clone()));
    Ok(AppState {
        pace,
        blobs,
        db,
        hub,
        auth: config.auth.clone(),
        media: config.media.clone(),
        origins: Arc::new(Origins::new(
            config.public_url.clone(),
            config.content_url.clone(),
        )),
    })
}

/// Moves files' bytes that an older version kept in the database into the blob store, one
/// file at a time (a restart resumes where this stopped); then, every hour, deletes the
/// objects and staging files that nothing names any more and are over six hours old.
async fn move_blobs_out(db: Db, blobs: BlobStore) {
    use app::server::courses::stored;
    match stored::move_out(&db, &blobs).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(files = n, "moved files from the database to the blob store"),
        Err(e) => {
            tracing::warn!(error = %e, "moving files to the blob store stopped; the next start resumes it")
        }
    }
    let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        match stored::sweep(&db, &blobs, std::time::Duration::from_secs(6 * 3600)).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(objects = n, "deleted files nothing names any more"),
            Err(e) => tracing::warn!(error = %e, "sweeping the blob store failed"),
        }
    }
}

/// Lets the rate limiters forget people back at their full allowance, every minute.
async fn forget_rested(pace: Arc<Pace>) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(60));
    loop {
        every.tick().await;
        pace.forget_rested();
    }
}

/// Publishes scheduled blog articles when their time comes: a look every 20 seconds. With
/// several instances each looks; an article is published by one.
async fn publish_scheduled(db: Db, hub: Hub) {
    let mut every = tokio::time::interval(std::time::Duration::from_secs(20));
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        match app::server::blogs::publish_due(&db).await {
            Ok(0) => {}
            Ok(n) => {
                tracing::info!(articles = n, "published scheduled articles");
                hub.wake();
            }
            Err(e) => tracing::warn!(error = %e, "publishing scheduled articles failed"),
        }
    }
}

/// Leptos's settings for the site files (`LEPTOS_SITE_ROOT`, default `target/site`), as set by
/// cargo-leptos at build time or by the environment.
pub fn leptos_options(addr: SocketAddr) -> LeptosOptions {
    let built_by_cargo_leptos = option_env!("LEPTOS_OUTPUT_NAME").is_some()
        || std::env::var_os("LEPTOS_OUTPUT_NAME").is_some();
    let configured = built_by_cargo_leptos
        .then(|| leptos::config::get_configuration(None).ok())
        .flatten();
    match configured {
        Some(conf) => {
            let mut options = conf.leptos_options;
            options.site_addr = addr;
            // cargo-leptos's hashed file names, listed beside the binary.
            options.hash_files |= hash_file_beside_binary(&options.hash_file);
            options
        }
        // Builds made without cargo-leptos (tests) know no output name; use ours.
        None => LeptosOptions::builder()
            .output_name("cohort")
            .site_root(std::env::var("LEPTOS_SITE_ROOT").unwrap_or_else(|_| "target/site".into()))
            .site_addr(addr)
            .build(),
    }
}

/// Whether cargo-leptos wrote the list of hashed file names next to this binary.
fn hash_file_beside_binary(name: &str) -> bool {
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join(name)))
        .is_some_and(|path| path.is_file())
}

/// The router for a configuration and its state.
pub fn app_router(config: &Config, state: AppState) -> Router {
    let http = HttpSettings {
        public_url: config.public_url.clone(),
        trust_proxy: config.trust_proxy,
    };
    router(state, leptos_options(config.addr), http)
}

/// The content listener's router (SCORM package files and their player, on an origin of their
/// own) for a configuration and its state.
pub fn content_router(config: &Config, state: AppState) -> Router {
    crate::content::router(state, leptos_options(config.addr))
}

/// Binds the content listener: the configured address, or the default one, or, when the
/// default is taken, a free port beside it. Records the port in `state`.
pub async fn bind_content(config: &Config, state: &AppState) -> Result<TcpListener, String> {
    let listener = match TcpListener::bind(config.content_addr).await {
        Ok(l) => l,
        Err(e) if !config.content_addr_configured => {
            tracing::warn!(address = %config.content_addr, error = %e, "the content listener's default port is taken; using a free one");
            TcpListener::bind(SocketAddr::new(config.content_addr.ip(), 0))
                .await
                .map_err(|e| format!("cannot listen for content: {e}"))?
        }
        Err(e) => return Err(format!("cannot listen on {}: {e}", config.content_addr)),
    };
    let port = listener.local_addr().map_err(|e| e.to_string())?.port();
    state.origins.set_content_port(port);
    Ok(listener)
}

/// Serves `app` on `listener` until `shutdown` completes, then finishes the requests in flight.
pub async fn run(
    listener: TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

/// Completes on SIGTERM or Ctrl-C.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}

/// While the site has no admin, prints the setup link that creates one (the first account
/// registered without it is a member like any other).
pub async fn announce_setup_link(config: &Config, state: &AppState) -> Result<(), String> {
    let token =
        app::server::accounts::registration::setup_token(&state.db, config.setup_token.as_deref())
            .await
            .map_err(|e| e.to_string())?;
    if let Some(token) = token {
        let site = config
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", config.addr));
        tracing::warn!(
            "This site has no admin yet. To create the admin account, open {site}/register?setup={token} (or run `server create-admin`)."
        );
    }
    Ok(())
}

/// The `serve` command.
pub async fn serve(config: Config, demo: bool) -> Result<(), String> {
    let state = build_state(&config).await?;
    if demo {
        crate::seed::load_demo(&state.db).await?;
    }
    let version = state
        .db
        .migration_version()
        .await
        .map_err(|e| e.to_string())?;
    let listener = TcpListener::bind(config.addr)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", config.addr))?;
    let content_listener = bind_content(&config, &state).await?;
    let content_addr = content_listener.local_addr().map_err(|e| e.to_string())?;
    if config.content_url.is_none()
        && config
            .public_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"))
    {
        tracing::warn!("public_url is https but content_url is not set: set content_url to an https address of the content listener (another host name), or SCORM lessons will not open");
    }
    tracing::info!(
        address = %format!("http://{}", config.addr),
        content = %format!("http://{content_addr}"),
        database = state.db.backend.name(),
        migration_version = version,
        "Cohort is running"
    );
    announce_setup_link(&config, &state).await?;
    // One signal stops both listeners.
    let (stop, stopping) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        shutdown_signal().await;
        let _ = stop.send(true);
    });
    let until_stopped = move || {
        let mut stopping = stopping.clone();
        async move {
            let _ = stopping.wait_for(|s| *s).await;
        }
    };
    let app = app_router(&config, state.clone());
    let content = content_router(&config, state.clone());
    let (served, content_served) = tokio::join!(
        run(listener, app, until_stopped()),
        run(content_listener, content, until_stopped())
    );
    state.db.pool.close().await;
    served.and(content_served).map_err(|e| e.to_string())
}
