//! Visibility conditions written into queries: who may know a space exists, and who may read
//! what is in it. Each is given [`Who`] it is for: a viewer bound as a statement's arguments
//! (their places numbered by [`Args`]), or people named by a column (the recipients of a
//! notification).

use crate::server::infra::sql::Args;
use crate::server::policy::Viewer;

/// Whom a condition is for, as SQL: their id, and whether they are a site admin.
#[derive(Debug, Clone)]
pub struct Who {
    /// An expression for their id: `$2`, `u.id`.
    pub id: String,
    /// A condition true for site admins: `$3 = 1`, `u.role = 'admin'`.
    pub admin: String,
}

impl Who {
    /// The viewer, bound as the next two of `args`.
    pub fn viewer(args: &mut Args<'_>, viewer: Viewer) -> Who {
        let id = args.add(viewer.id);
        let admin = args.add(viewer.admin_flag());
        Who {
            id,
            admin: format!("{admin} = 1"),
        }
    }

    /// The person in `users` aliased `u`.
    pub fn user_row(u: &str) -> Who {
        Who {
            id: format!("{u}.id"),
            admin: format!("{u}.role = 'admin'"),
        }
    }
}

/// The space aliased `s` may be *listed* for `who`: public and private spaces are, secret ones
/// only for members and people invited to them (and site admins).
pub fn space_listed(s: &str, who: &Who) -> String {
    let Who { id, admin } = who;
    format!(
        "({s}.visibility <> 'secret' OR {admin} OR EXISTS (SELECT 1 FROM space_members vm \
         WHERE vm.space_id = {s}.id AND vm.user_id = {id}) OR EXISTS (SELECT 1 FROM \
         space_requests vi WHERE vi.space_id = {s}.id AND vi.user_id = {id} AND vi.kind = 'invite'))"
    )
}

/// The *content* of space `s` (wall, members) may be read by `who`: public spaces by everyone
/// signed in, private and secret ones by members (and site admins).
pub fn space_readable(s: &str, who: &Who) -> String {
    let Who { id, admin } = who;
    format!(
        "({s}.visibility = 'public' OR {admin} OR EXISTS (SELECT 1 FROM space_members vm \
         WHERE vm.space_id = {s}.id AND vm.user_id = {id}))"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_use_the_places_their_viewer_was_bound_at() {
        let mut args = Args::new();
        let slug = args.add("welding");
        let who = Who::viewer(
            &mut args,
            Viewer::signed_in(crate::domain::ids::UserId(4), false),
        );
        assert_eq!(slug, "$1");
        let listed = space_listed("s", &who);
        assert!(listed.contains("vm.user_id = $2"), "{listed}");
        assert!(listed.contains("$3 = 1"), "{listed}");
        let rows = space_readable("sp", &Who::user_row("u"));
        assert!(rows.contains("vm.user_id = u.id") && rows.contains("u.role = 'admin'"));
    }
}
