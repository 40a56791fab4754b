//! One component per page.

pub mod account;
pub mod admin;
pub mod admin_registration;
pub mod blog;
pub mod course_edit;
pub mod courses;
pub mod feeds;
pub mod forum;
pub mod home;
pub mod learning;
pub mod lesson;
pub mod new_space;
pub mod notifications;
pub mod playlists;
pub mod profile;
pub mod profile_edit;
pub mod questions;
pub mod register;
pub mod search;
pub mod sign_in;
pub mod space;
pub mod spaces;
pub mod tag;
pub mod topic;
pub mod topic_edit;
