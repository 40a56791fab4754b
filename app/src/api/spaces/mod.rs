//! Spaces: the directory, one space, membership and join requests.

mod archive_space;
mod create_space;
mod decide_request;
mod delete_space;
mod get_space;
mod invite;
mod invite_candidates;
mod join_space;
mod leave_space;
mod list_spaces;
mod my_invitations;
mod remove_member;
mod set_member_role;
mod set_space_creation_policy;
mod set_space_tags;
mod space_creation_policy;
mod space_members;
mod space_requests;

pub use archive_space::{archive_space, ArchiveSpace};
pub use create_space::{create_space, CreateSpace};
pub use decide_request::{decide_request, DecideRequest};
pub use delete_space::{delete_space, DeleteSpace};
pub use get_space::{get_space, GetSpace};
pub use invite::{invite_to_space, InviteToSpace};
pub use invite_candidates::{invite_candidates, InviteCandidates};
pub use join_space::{join_space, JoinSpace};
pub use leave_space::{leave_space, LeaveSpace};
pub use list_spaces::{list_spaces, ListSpaces};
pub use my_invitations::{my_invitations, MyInvitations};
pub use remove_member::{remove_member, RemoveMember};
pub use set_member_role::{set_member_role, SetMemberRole};
pub use set_space_creation_policy::{set_space_creation_policy, SetSpaceCreationPolicy};
pub use set_space_tags::{set_space_tags, SetSpaceTags};
pub use space_creation_policy::{space_creation_policy, SpaceCreationPolicy};
pub use space_members::{space_members, SpaceMembers};
pub use space_requests::{space_requests, SpaceRequests};
