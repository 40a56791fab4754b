//! Who may see what, as SQL conditions that every query touching spaces includes, so a check
//! cannot be forgotten in one screen and leak through another.

use crate::domain::user::{CurrentUser, Role};

/// The person asking, as the queries need them.
#[derive(Debug, Clone, Copy)]
pub struct Viewer {
    pub id: i64,
    /// Site admins see every space, for moderation.
    pub admin: bool,
}

impl Viewer {
    /// The admin flag as bound in SQL (`$n = 1`).
    pub fn admin_flag(self) -> i64 {
        i64::from(self.admin)
    }
}

impl From<&CurrentUser> for Viewer {
    fn from(u: &CurrentUser) -> Self {
        Viewer {
            id: u.id.0,
            admin: u.role == Role::Admin,
        }
    }
}

/// The space aliased `s` may be *listed* for the viewer bound at `$user` / `$admin`:
/// public and private spaces are, secret ones only for members and people invited to them.
pub fn space_listed(s: &str, user: usize, admin: usize) -> String {
    format!(
        "({s}.visibility <> 'secret' OR ${admin} = 1 OR EXISTS (SELECT 1 FROM space_members vm \
         WHERE vm.space_id = {s}.id AND vm.user_id = ${user}) OR EXISTS (SELECT 1 FROM \
         space_requests vi WHERE vi.space_id = {s}.id AND vi.user_id = ${user} AND vi.kind = 'invite'))"
    )
}

/// The *content* of space `s` (wall, members) may be read: public spaces by everyone signed in,
/// private and secret ones by members.
pub fn space_readable(s: &str, user: usize, admin: usize) -> String {
    format!(
        "({s}.visibility = 'public' OR ${admin} = 1 OR EXISTS (SELECT 1 FROM space_members vm \
         WHERE vm.space_id = {s}.id AND vm.user_id = ${user}))"
    )
}

/// `$start, $start+1, ...` for an `IN (...)` list of `n` values.
pub fn placeholders(start: usize, n: usize) -> String {
    rows_of(start, n, |place| place)
}

/// `n` rows of a multi-row `VALUES`, or any list, each made by `row` from its own place
/// (`$start`, `$start + 1`, ...), joined with commas: one statement for several rows.
pub fn rows_of(start: usize, n: usize, row: impl Fn(String) -> String) -> String {
    (start..start + n)
        .map(|i| row(format!("${i}")))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_bind_the_given_parameters() {
        assert!(space_listed("s", 2, 3).contains("vm.user_id = $2"));
        assert!(space_readable("sp", 4, 5).contains("$5 = 1"));
        assert_eq!(placeholders(3, 3), "$3, $4, $5");
        let rows = rows_of(3, 2, |tag| format!("($1, {tag})"));
        assert_eq!(rows, "($1, $3), ($1, $4)");
        assert_eq!(rows_of(3, 0, |p| p), "");
    }
}
