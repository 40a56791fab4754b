//! Activity feeds.

mod get_feed;

pub use get_feed::{get_feed, GetFeed};
