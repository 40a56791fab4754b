//! Learning playlists: the editor, following and progress, forking, sharing, the catalog.

mod add_link;
mod add_playlist_item;
mod add_section;
mod create_playlist;
mod curation_open;
mod find_items;
mod follow_playlist;
mod fork_playlist;
mod get_playlist;
mod list_playlists;
mod mark_item_done;
mod move_item;
mod publish_playlist;
mod remove_item;
mod save_playlist;
mod set_curation;
mod share_playlist;
mod undo_playlist;

pub use add_link::*;
pub use add_playlist_item::*;
pub use add_section::*;
pub use create_playlist::*;
pub use curation_open::*;
pub use find_items::*;
pub use follow_playlist::*;
pub use fork_playlist::*;
pub use get_playlist::*;
pub use list_playlists::*;
pub use mark_item_done::*;
pub use move_item::*;
pub use publish_playlist::*;
pub use remove_item::*;
pub use save_playlist::*;
pub use set_curation::*;
pub use share_playlist::*;
pub use undo_playlist::*;
