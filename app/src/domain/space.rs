//! Spaces: communities of practice with their own wall, members and rules.

use serde::{Deserialize, Serialize};

use super::ids::{SpaceId, UserId};

/// Who may see a space and its content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Visibility {
    /// Everyone signed in sees the space and its content.
    Public,
    /// Listed for everyone signed in; content for members only.
    Private,
    /// Invisible to non-members, even by direct address.
    Secret,
}

/// How people become members.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum JoinPolicy {
    Open,
    /// Moderators approve each request.
    Request,
    /// Only by invitation.
    Invite,
}

/// A member's role inside one space.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum SpaceRole {
    Member,
    Moderator,
    Owner,
}

macro_rules! stored_enum {
    ($ty:ident { $($variant:ident => $text:literal, $label:literal;)* }) => {
        impl $ty {
            pub const ALL: &'static [$ty] = &[$($ty::$variant),*];

            /// The value stored in the database and sent in forms.
            pub fn as_str(self) -> &'static str {
                match self { $($ty::$variant => $text),* }
            }

            pub fn parse(s: &str) -> Option<$ty> {
                Self::ALL.iter().copied().find(|v| v.as_str() == s)
            }

            /// How it is named to people.
            pub fn label(self) -> &'static str {
                match self { $($ty::$variant => $label),* }
            }
        }
    };
}

stored_enum!(Visibility {
    Public => "public", "Public: everyone signed in sees it";
    Private => "private", "Private: listed, content for members";
    Secret => "secret", "Secret: only members know it exists";
});

stored_enum!(JoinPolicy {
    Open => "open", "Open: anyone may join";
    Request => "request", "By request: moderators approve";
    Invite => "invite", "Invite only";
});

stored_enum!(SpaceRole {
    Member => "member", "Member";
    Moderator => "moderator", "Moderator";
    Owner => "owner", "Owner";
});

impl Visibility {
    /// One word for a badge.
    pub fn badge(self) -> &'static str {
        match self {
            Visibility::Public => "Public",
            Visibility::Private => "Private",
            Visibility::Secret => "Secret",
        }
    }
}

impl SpaceRole {
    /// Moderators and owners approve requests and remove posts.
    pub fn moderates(self) -> bool {
        self >= SpaceRole::Moderator
    }
}

/// The address of a space: `/s/{slug}`. 3 to 60 of a-z, 0-9 and single hyphens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slug(String);

impl Slug {
    pub fn parse(raw: &str) -> Result<Slug, String> {
        let s = raw.trim();
        let n = s.chars().count();
        if !(3..=60).contains(&n) {
            return Err("Use 3 to 60 characters.".into());
        }
        let allowed = s
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !allowed || s.starts_with('-') || s.ends_with('-') || s.contains("--") {
            return Err(
                "Use lower-case letters, digits and single hyphens, like data-science.".into(),
            );
        }
        Ok(Slug(s.to_owned()))
    }

    /// A slug suggested from a name ("Data & AI guild" -> "data-ai-guild").
    pub fn suggest(name: &str) -> String {
        let mut out = String::new();
        for c in name.trim().to_lowercase().chars() {
            if c.is_ascii_alphanumeric() {
                out.push(c);
            } else if !out.ends_with('-') && !out.is_empty() {
                out.push('-');
            }
        }
        out.trim_end_matches('-').chars().take(60).collect()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Checks a space's name (3 to 80 characters) and description (up to 2,000).
pub fn check_name(raw: &str) -> Result<String, String> {
    let s = raw.trim();
    match s.chars().count() {
        0 => Err("Give the space a name.".into()),
        1..=2 => Err("Use at least 3 characters.".into()),
        81.. => Err("Use at most 80 characters.".into()),
        _ => Ok(s.to_owned()),
    }
}

pub fn check_description(raw: &str) -> Result<String, String> {
    let s = raw.trim();
    if s.chars().count() > 2_000 {
        return Err("Use at most 2,000 characters.".into());
    }
    Ok(s.to_owned())
}

/// A space as a list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpaceSummary {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub visibility: Visibility,
    pub join_policy: JoinPolicy,
    pub member_count: i64,
    pub my_role: Option<SpaceRole>,
    /// Topics, lowercase.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Address of the wide cover picture, if any.
    #[serde(default)]
    pub cover: Option<String>,
}

/// How the directory is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DirectorySort {
    /// Most recently active first.
    Active,
    /// Newest first.
    New,
    /// Most members first.
    Members,
}

stored_enum!(DirectorySort {
    Active => "active", "Recently active";
    New => "new", "Newest";
    Members => "members", "Most members";
});

/// Where a space's cover is served; `version` changes with each upload.
pub fn cover_url(space: SpaceId, width: u32, version: Option<i64>) -> Option<String> {
    version.map(|v| format!("/media/cover/{space}/{width}?v={v}"))
}

/// A space as its home page shows it to one viewer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SpaceView {
    pub summary: SpaceSummary,
    /// Ancestors, outermost first: (slug, name).
    pub breadcrumb: Vec<(String, String)>,
    /// The viewer may read the wall and the member list.
    pub can_read: bool,
    /// The viewer asked to join and waits for a moderator.
    pub request_pending: bool,
    /// The viewer was invited and has not answered yet.
    pub invited: bool,
    pub archived: bool,
}

/// One page of the space directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Directory {
    pub spaces: Vec<SpaceSummary>,
    /// Cursor of the next page, if there is one.
    pub next: Option<String>,
}

/// A person in a list (members, requests).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonRef {
    pub id: UserId,
    pub display_name: String,
}

impl From<(i64, String)> for PersonRef {
    /// A person read as `(id, display_name)`.
    fn from((id, display_name): (i64, String)) -> Self {
        PersonRef {
            id: UserId(id),
            display_name,
        }
    }
}

/// A member with their role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub person: PersonRef,
    pub role: SpaceRole,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_checked_and_suggested() {
        assert!(Slug::parse("data-science").is_ok());
        for bad in [
            "ab",
            "Data",
            "a_b_c",
            "-abc",
            "abc-",
            "a--b",
            "spa ce",
            &"x".repeat(61),
        ] {
            assert!(Slug::parse(bad).is_err(), "{bad:?}");
        }
        assert_eq!(Slug::suggest(" Data & AI guild! "), "data-ai-guild");
    }

    #[test]
    fn enums_round_trip_and_roles_order() {
        for v in Visibility::ALL {
            assert_eq!(Visibility::parse(v.as_str()), Some(*v));
        }
        assert_eq!(JoinPolicy::parse("invite"), Some(JoinPolicy::Invite));
        assert!(SpaceRole::Owner.moderates() && SpaceRole::Moderator.moderates());
        assert!(!SpaceRole::Member.moderates());
    }

    #[test]
    fn names_and_descriptions_are_bounded() {
        assert!(check_name("  ").is_err());
        assert!(check_name("ab").is_err());
        assert_eq!(check_name(" Data guild "), Ok("Data guild".into()));
        assert!(check_description(&"x".repeat(2_001)).is_err());
    }
}
