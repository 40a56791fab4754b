//! Who may register: the site's registration mode, invitation links, and the setup link that
//! creates the first site admin.

use serde::{Deserialize, Serialize};

/// Who may create an account (an admin's choice under "Site settings").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RegistrationMode {
    /// Anyone who opens the registration page.
    Open,
    /// Only people with an unused invitation link from an admin.
    Invitation,
    /// No one, not even with an invitation link.
    Closed,
}

impl RegistrationMode {
    pub const ALL: [RegistrationMode; 3] = [
        RegistrationMode::Open,
        RegistrationMode::Invitation,
        RegistrationMode::Closed,
    ];

    /// The value stored in the site settings and sent by the settings form.
    pub fn as_str(self) -> &'static str {
        match self {
            RegistrationMode::Open => "open",
            RegistrationMode::Invitation => "invitation",
            RegistrationMode::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<RegistrationMode> {
        RegistrationMode::ALL.into_iter().find(|m| m.as_str() == s)
    }

    /// How the choice is named in the settings form.
    pub fn label(self) -> &'static str {
        match self {
            RegistrationMode::Open => "Anyone can register",
            RegistrationMode::Invitation => "Only people with an invitation link",
            RegistrationMode::Closed => "No one: registration is closed",
        }
    }
}

/// What the registration page offers to the person who opened it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RegistrationOffer {
    /// The form, for a member account.
    Open,
    /// The form, with a valid invitation link.
    Invited,
    /// The form that creates the site admin (the setup link printed at start-up).
    SiteAdmin,
    /// No form: registration needs an invitation link and none (or a spent one) was given.
    InvitationNeeded { spent: bool },
    /// No form: registration is closed.
    Closed,
}

impl RegistrationOffer {
    /// Whether the page shows the form.
    pub fn allows(self) -> bool {
        matches!(
            self,
            RegistrationOffer::Open | RegistrationOffer::Invited | RegistrationOffer::SiteAdmin
        )
    }

    /// Why there is no form, in the words the page and a refused registration use.
    pub fn refusal(self) -> Option<&'static str> {
        match self {
            RegistrationOffer::InvitationNeeded { spent: false } => Some(
                "Registration is by invitation only. Ask a site admin for an invitation link.",
            ),
            RegistrationOffer::InvitationNeeded { spent: true } => Some(
                "This invitation link has been used or has expired. Ask a site admin for a new one.",
            ),
            RegistrationOffer::Closed => {
                Some("Registration is closed. Ask a site admin if you need an account.")
            }
            _ => None,
        }
    }
}

/// An invitation link, as admins see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invitation {
    pub id: i64,
    /// The whole address to send to the person.
    pub link: String,
    /// Who it is for, in the admin's words.
    pub note: String,
    pub created_by: Option<String>,
    pub created_at: i64,
    pub expires_at: i64,
    /// The name of the person who registered with it.
    pub used_by: Option<String>,
    pub used_at: Option<i64>,
    /// Unused and not expired: it still makes an account.
    pub open: bool,
}

/// How long an invitation link works.
pub const INVITATION_DAYS: i64 = 14;

/// The longest note on an invitation.
pub const MOST_NOTE_CHARS: usize = 200;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_round_trip_and_refusals_name_the_way_in() {
        for m in RegistrationMode::ALL {
            assert_eq!(RegistrationMode::parse(m.as_str()), Some(m));
        }
        assert_eq!(RegistrationMode::parse("Open"), None);
        assert!(RegistrationOffer::SiteAdmin.allows());
        assert!(!RegistrationOffer::Closed.allows());
        assert!(RegistrationOffer::InvitationNeeded { spent: false }
            .refusal()
            .is_some_and(|r| r.contains("invitation")));
        assert_eq!(RegistrationOffer::Invited.refusal(), None);
    }
}
