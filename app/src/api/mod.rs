//! Server fns, one per file, grouped by feature. Each authorises, parses, calls one service and
//! returns. Endpoints have fixed names under `/api/` so older installed clients keep working.

pub mod auth;
pub mod blogs;
pub mod courses;
pub mod feed;
pub mod forums;
pub mod notifications;
pub mod playlists;
pub mod profiles;
pub mod search;
pub mod spaces;
pub mod tags;
pub mod topics;
pub mod walls;
