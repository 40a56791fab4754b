//! Infrastructure: what every feature stands on and that knows nothing of them.

pub mod blob_store;
pub mod cursor;
pub mod db;
pub mod events;
pub mod hub;
pub mod images;
pub mod markdown;
pub mod origins;
pub mod pace;
pub mod passwords;
pub mod rate_limit;
pub mod request;
pub mod sessions;
pub mod settings;
pub mod sql;
pub mod state;
pub mod uploads;
