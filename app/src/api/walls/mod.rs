//! Walls: posts, comments and reactions.

mod add_comment;
mod create_post;
mod delete_post;
mod edit_post;
mod get_post;
mod person_wall;
mod pin_post;
mod post_live;
mod post_on_profile;
mod post_with_picture;
mod space_wall;
mod toggle_reaction;

pub use add_comment::{add_comment, AddComment};
pub use create_post::{create_post, CreatePost};
pub use delete_post::{delete_post, DeletePost};
pub use edit_post::{edit_post, EditPost};
pub use get_post::{get_post, GetPost};
pub use person_wall::{person_wall, PersonWall};
pub use pin_post::{pin_post, PinPost};
pub use post_live::{post_live, GetPostLive};
pub use post_on_profile::{post_on_profile, PostOnProfile};
pub use post_with_picture::{post_with_picture, PostWithPicture};
pub use space_wall::{space_wall, SpaceWall};
pub use toggle_reaction::{toggle_reaction, ToggleReaction};
