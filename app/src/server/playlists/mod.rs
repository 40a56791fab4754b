//! Learning playlists: the editor's changes (with one level of undo), publishing, following,
//! progress, forking, sharing to a space's wall, and the catalog. The editor's changes are in
//! [`edit`] and [`items`], their undo in [`undo`]; a learner's side in [`learners`]; pages and
//! lists in [`read`] and [`catalog`]. Who may do what: [`crate::server::policy::playlists`].

mod catalog;
mod edit;
mod items;
mod learners;
mod read;
mod undo;

pub use crate::server::policy::playlists::{
    curation_open, may_curate, require_playlist_owner, require_playlist_readable,
};
pub use catalog::{catalog, find};
pub use edit::{add_section, create, save_details, set_curation, set_published, Details};
pub use items::{add_item, add_link, move_item, remove_item, NewLink};
pub use learners::{follow, fork, mark_done, share};
pub use read::view;
pub use undo::undo;
