//! Types and validation shared by the browser and the server: the same rules run in the form
//! and in the server fn.

pub mod nav;
pub mod post;
pub mod profile;
pub mod space;
pub mod time;
pub mod user;
