//! Compiled for the server only: state, database access and services the server fns call.

pub mod access;
pub mod accounts;
pub mod activity;
pub mod auth;
pub mod blogs;
pub mod cursor;
pub mod db;
pub mod events;
pub mod feed;
pub mod forums;
pub mod hub;
pub mod images;
pub mod live;
pub mod markdown;
pub mod notifications;
pub mod profiles;
pub mod rate_limit;
pub mod request;
pub mod search;
pub mod sessions;
pub mod spaces;
pub mod state;
pub mod tags;
pub mod topics;
pub mod users;
pub mod walls;
