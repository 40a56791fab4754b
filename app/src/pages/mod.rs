//! One component per page.

pub mod account;
pub mod admin;
pub mod feeds;
pub mod home;
pub mod new_space;
pub mod not_found;
pub mod notifications;
pub mod profile;
pub mod profile_edit;
pub mod register;
pub mod sign_in;
pub mod space;
pub mod spaces;
