//! Who may do what: one place for every "may this person ..." check, named for what it
//! allows (`require_space_moderator`, `may_create_space`, ...), and the visibility conditions
//! that every query touching spaces includes, so a check cannot be forgotten in one screen and
//! leak through another.

pub mod blogs;
pub mod courses;
pub mod forums;
pub mod playlists;
pub mod spaces;
pub mod topics;
pub mod visibility;
pub mod walls;

pub use visibility::{space_listed, space_readable, Who};

use crate::domain::ids::UserId;
use crate::domain::user::{CurrentUser, Role};

/// The person asking, as the queries need them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Viewer {
    pub id: UserId,
    /// Site admins see every space, for moderation.
    pub admin: bool,
}

impl Viewer {
    /// Nobody signed in: they read only what is public (public articles and their covers).
    pub const SIGNED_OUT: Viewer = Viewer {
        id: UserId(0),
        admin: false,
    };

    pub fn signed_in(id: UserId, admin: bool) -> Viewer {
        Viewer { id, admin }
    }

    /// Whether `user` (an id from a row) is the viewer.
    pub fn is(self, user: impl Into<i64>) -> bool {
        let user: i64 = user.into();
        self.is_signed_in() && self.id.0 == user
    }

    /// Whether someone is signed in.
    pub fn is_signed_in(self) -> bool {
        self != Viewer::SIGNED_OUT && self.id.0 != 0
    }

    /// The admin flag as bound in SQL (`$n = 1`).
    pub fn admin_flag(self) -> i64 {
        i64::from(self.admin)
    }
}

impl From<&CurrentUser> for Viewer {
    fn from(u: &CurrentUser) -> Self {
        Viewer {
            id: u.id,
            admin: u.role == Role::Admin,
        }
    }
}
