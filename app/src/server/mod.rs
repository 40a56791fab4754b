//! Compiled for the server only. Four kinds of module, each depending only on those above it:
//!
//! - [`infra`]: the database and its writer, the event log and the hub, sessions, rate limits,
//!   the request context, Markdown and pictures. Knows nothing of features.
//! - [`policy`]: who may do what. Every "may this person..." check, and the visibility
//!   conditions written into queries.
//! - [`effects`]: the one write pipeline. A write describes what happened as a value and
//!   [`effects::apply`] writes its side effects (activity, notifications, search, events).
//! - one module per feature (spaces, walls, topics, courses, playlists, ...), with its read
//!   models (pages, lists) apart from its writes.

pub mod effects;
pub mod infra;
pub mod policy;

pub mod accounts;
pub mod blogs;
pub mod courses;
pub mod feed;
pub mod forums;
pub mod live;
pub mod notifications;
pub mod packages;
pub mod pictures;
pub mod playlists;
pub mod profiles;
pub mod reactions;
pub mod search;
pub mod spaces;
pub mod tags;
pub mod topics;
pub mod walls;
