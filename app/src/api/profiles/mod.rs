//! Profiles, status updates and follows.

mod follow;
mod follow_list;
mod get_profile;
mod profile_form;
mod set_status;
mod update_profile;

pub use follow::{follow, Follow};
pub use follow_list::{follow_list, FollowList};
pub use get_profile::{get_profile, GetProfile};
pub use profile_form::{profile_form, ProfileFormData};
pub use set_status::{set_status, SetStatus};
pub use update_profile::{update_profile, UpdateProfile};
