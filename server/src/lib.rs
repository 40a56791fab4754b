//! The Cohort server process: configuration, router, middleware, start-up and shutdown.

pub mod admin;
pub mod backup;
pub mod blobs;
pub mod blog_feeds;
pub mod config;
pub mod content;
pub mod handlers;
pub mod lesson_files;
pub mod media;
pub mod middleware;
pub mod packages;
pub mod router;
pub mod seed;
pub mod startup;
pub mod ws;

/// Sets up structured logs; the level comes from `RUST_LOG` (default `info`).
pub fn init_tracing(format: config::LogFormat) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    let _ = match format {
        config::LogFormat::Json => builder.json().try_init(),
        config::LogFormat::Text => builder.try_init(),
    };
}
