//! Ambient server state, provided to every render and server fn as a Leptos context.

use std::sync::Arc;

use leptos::prelude::use_context;

use crate::error::{AppError, AppResult};
use crate::server::infra::db::Db;
use crate::server::infra::hub::Hub;
use crate::server::infra::origins::Origins;

/// Limits on sign-in and registration attempts within one window.
#[derive(Debug, Clone)]
pub struct RateLimits {
    pub window_secs: i64,
    /// Failed sign-ins in a row on one account before each further attempt waits its turn.
    pub sign_in_per_account: i64,
    /// The first such wait, in milliseconds; each next one doubles, up to 16 times this.
    pub sign_in_delay_ms: i64,
    pub sign_in_per_ip: i64,
    pub register_per_ip: i64,
    /// Posts, comments, replies and the like per person per minute (see `infra::pace`).
    pub writes_per_minute: u32,
    /// Searches per person per minute.
    pub searches_per_minute: u32,
    /// Uploads per person per minute.
    pub uploads_per_minute: u32,
}

impl RateLimits {
    /// How sign-ins on one account are slowed down.
    pub fn sign_in_throttle(&self) -> crate::server::infra::rate_limit::Throttle {
        crate::server::infra::rate_limit::Throttle {
            free: self.sign_in_per_account,
            delay_ms: self.sign_in_delay_ms,
            window_secs: self.window_secs,
        }
    }
}

impl Default for RateLimits {
    fn default() -> Self {
        Self {
            window_secs: 15 * 60,
            sign_in_per_account: 10,
            sign_in_delay_ms: 1000,
            sign_in_per_ip: 50,
            register_per_ip: 20,
            writes_per_minute: 30,
            searches_per_minute: 60,
            uploads_per_minute: 20,
        }
    }
}

/// Settings the account features need.
#[derive(Debug, Clone)]
pub struct AuthSettings {
    pub session_ttl_secs: i64,
    pub limits: RateLimits,
}

impl Default for AuthSettings {
    fn default() -> Self {
        Self {
            session_ttl_secs: 30 * 24 * 3600,
            limits: RateLimits::default(),
        }
    }
}

/// Limits on uploads.
#[derive(Debug, Clone)]
pub struct MediaSettings {
    /// The largest image file accepted, in bytes.
    pub max_image_bytes: usize,
    /// The largest SCORM package (the zip) accepted, in bytes.
    pub max_package_bytes: usize,
    /// What a SCORM package may unpack to.
    pub package_limits: crate::server::packages::Limits,
}

impl Default for MediaSettings {
    fn default() -> Self {
        Self {
            max_image_bytes: 5 * 1024 * 1024,
            max_package_bytes: 200 * 1024 * 1024,
            package_limits: crate::server::packages::Limits::default(),
        }
    }
}

/// What every request may use. Cheap to clone.
#[derive(Clone, Debug)]
pub struct AppState {
    pub db: Db,
    pub auth: Arc<AuthSettings>,
    pub media: Arc<MediaSettings>,
    /// Real-time delivery of events to this instance's WebSockets.
    pub hub: Hub,
    /// The site's origin and the origin package content is served from.
    pub origins: Arc<Origins>,
    /// How fast each person may post, search and upload, on this instance.
    pub pace: Arc<crate::server::infra::pace::Pace>,
    /// Where uploaded files' bytes live.
    pub blobs: crate::server::infra::blob_store::BlobStore,
}

/// The state of the running server; an internal error if the router did not provide it.
pub fn state() -> AppResult<AppState> {
    use_context::<AppState>().ok_or_else(|| AppError::internal("AppState is not in context"))
}
