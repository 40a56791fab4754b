//! People: ids, roles and the parsed values of the account forms.

use serde::{Deserialize, Serialize};

pub use super::ids::UserId;

/// The one site-wide role a person has (roles inside spaces come with spaces).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    Admin,
    LdManager,
    Author,
    Member,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Admin, Role::LdManager, Role::Author, Role::Member];

    /// The value stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::LdManager => "ld_manager",
            Role::Author => "author",
            Role::Member => "member",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// How the role is named to people.
    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Site admin",
            Role::LdManager => "L&D manager",
            Role::Author => "Author",
            Role::Member => "Member",
        }
    }
}

/// What the browser knows about the signed-in person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: UserId,
    pub display_name: String,
    pub email: String,
    pub role: Role,
    /// `@handle`, the address of their profile.
    pub handle: String,
}

/// A name shown to others: 1 to 80 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisplayName(String);

impl DisplayName {
    pub const MAX: usize = 80;

    pub fn parse(raw: &str) -> Result<Self, String> {
        let s = raw.trim();
        if s.is_empty() {
            return Err("Enter your name.".into());
        }
        if s.chars().count() > Self::MAX {
            return Err(format!("Use at most {} characters.", Self::MAX));
        }
        if s.chars().any(char::is_control) {
            return Err("Use letters, numbers, spaces and punctuation only.".into());
        }
        Ok(Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An email address, trimmed and lower-cased so each address has one account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub const MAX: usize = 254;

    pub fn parse(raw: &str) -> Result<Self, String> {
        let s = raw.trim().to_lowercase();
        if s.is_empty() {
            return Err("Enter your email address.".into());
        }
        let invalid = || "Enter an email address like name@example.com.".to_string();
        if s.len() > Self::MAX || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(invalid());
        }
        let (local, domain) = s.split_once('@').ok_or_else(invalid)?;
        let domain_ok = !domain.contains('@')
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..");
        if local.is_empty() || !domain_ok {
            return Err(invalid());
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A new password that meets the policy. Never logged, never echoed back into a form.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(<redacted>)")
    }
}

/// Passwords people pick first; a policy that allows them protects nobody.
const COMMON_PASSWORDS: &[&str] = &[
    "password",
    "password1",
    "password12",
    "password123",
    "password1234",
    "passw0rd",
    "1234567890",
    "12345678910",
    "0123456789",
    "qwertyuiop",
    "qwerty1234",
    "qwerty12345",
    "iloveyou12",
    "letmein123",
    "welcome123",
    "welcome1234",
    "administrator",
    "changeme123",
    "football123",
    "baseball123",
    "abcdefghij",
    "abc1234567",
    "trustno1234",
    "sunshine123",
    "princess123",
    "dragon12345",
    "monkey12345",
    "superman123",
    "starwars123",
    "1q2w3e4r5t",
    "zaq12wsxcde",
    "asdfghjkl1",
    "aaaaaaaaaa",
    "cohort1234",
    "cohortcohort",
];

impl NewPassword {
    pub const MIN: usize = 10;
    /// Long enough for any passphrase, short enough that hashing stays cheap.
    pub const MAX: usize = 256;

    /// Checks the policy; `personal` holds words the password must not simply repeat
    /// (the person's email and name).
    pub fn parse(raw: &str, personal: &[&str]) -> Result<Self, String> {
        let count = raw.chars().count();
        if count == 0 {
            return Err("Enter a password.".into());
        }
        if count < Self::MIN {
            return Err(format!("Use at least {} characters.", Self::MIN));
        }
        if count > Self::MAX {
            return Err(format!("Use at most {} characters.", Self::MAX));
        }
        let lower = raw.to_lowercase();
        let mut chars = lower.chars();
        let first = chars.next();
        if COMMON_PASSWORDS.contains(&lower.as_str()) || chars.all(|c| Some(c) == first) {
            return Err("This password is too easy to guess. Choose another.".into());
        }
        let repeats_personal = personal.iter().any(|p| {
            let p = p.trim().to_lowercase();
            let local = p.split('@').next().unwrap_or_default().to_string();
            !p.is_empty() && (lower == p || (local.len() >= 4 && lower.contains(&local)))
        });
        if repeats_personal {
            return Err("Don't base your password on your name or email.".into());
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            Email::parse("  Ana@Example.COM ").map(|e| e.0),
            Ok("ana@example.com".into())
        );
        for bad in [
            "",
            "ana",
            "ana@",
            "@example.com",
            "ana@example",
            "a b@example.com",
            "a@b@c.d",
            "a@.com",
            "a@x..com",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn display_names_are_trimmed_and_bounded() {
        assert_eq!(
            DisplayName::parse("  Ana Lima ").map(|n| n.0),
            Ok("Ana Lima".into())
        );
        assert!(DisplayName::parse("   ").is_err());
        assert!(DisplayName::parse(&"x".repeat(81)).is_err());
        assert!(DisplayName::parse("a\u{7}b").is_err());
    }

    #[test]
    fn weak_passwords_are_refused_with_a_reason() {
        assert_eq!(
            NewPassword::parse("short", &[]).err(),
            Some("Use at least 10 characters.".into())
        );
        assert!(NewPassword::parse("Password123", &[]).is_err());
        assert!(NewPassword::parse("zzzzzzzzzzzz", &[]).is_err());
        assert!(NewPassword::parse("anacarolina-2024", &["anacarolina@example.com"]).is_err());
        assert!(NewPassword::parse(&"x1".repeat(200), &[]).is_err());
        assert!(NewPassword::parse("correct horse battery", &["ana@example.com"]).is_ok());
    }

    #[test]
    fn roles_round_trip_through_storage() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("root"), None);
    }

    #[test]
    fn passwords_do_not_leak_through_debug() {
        let p = NewPassword::parse("correct horse battery", &[]).map(|p| format!("{p:?}"));
        assert_eq!(p.as_deref(), Ok("NewPassword(<redacted>)"));
    }
}
