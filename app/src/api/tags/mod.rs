//! Tags: suggestions while typing, and tag pages.

mod suggest_tags;
mod tag_page;

pub use suggest_tags::{suggest_tags, SuggestTags};
pub use tag_page::{tag_page, GetTagPage};
