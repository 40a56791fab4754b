//! Types and validation shared by the browser and the server: the same rules run in the form
//! and in the server fn.

pub mod activity;
pub mod course;
pub mod discussion;
pub mod feed;
pub mod ids;
pub mod markup;
pub mod nav;
pub mod notification;
pub mod playlist;
pub mod post;
pub mod profile;
pub mod realtime;
pub mod registration;
pub mod scorm;
pub mod search;
pub mod space;
pub mod time;
pub mod user;
