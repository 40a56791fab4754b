//! Forums: a forum's page with its categories, and categories kept by moderators.

mod add_category;
mod get_forum;
mod remove_category;

pub use add_category::{add_category, AddCategory};
pub use get_forum::{get_forum, GetForum};
pub use remove_category::{remove_category, RemoveCategory};
