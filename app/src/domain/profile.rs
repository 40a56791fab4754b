//! People's profiles: handles, details, tags, links and status updates, with their rules.

use serde::{Deserialize, Serialize};

use super::ids::UserId;

/// `@handle`: 3 to 30 of `a-z`, `0-9` and `_`, starting with a letter; unique, case-insensitive.
pub struct Handle;

impl Handle {
    pub const MIN: usize = 3;
    pub const MAX: usize = 30;
    /// Addresses under `/u/` that are pages, not people.
    const RESERVED: [&'static str; 6] = ["edit", "admin", "me", "new", "settings", "api"];

    /// The handle as stored (lowercase, without `@`), or what is wrong with it.
    pub fn parse(raw: &str) -> Result<String, String> {
        let s = raw.trim().trim_start_matches('@').to_lowercase();
        let n = s.chars().count();
        if !(Self::MIN..=Self::MAX).contains(&n) {
            return Err(format!(
                "Use {} to {} characters; this has {n}.",
                Self::MIN,
                Self::MAX
            ));
        }
        if !s
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            return Err("Use only letters a to z, digits and underscores.".into());
        }
        if !s.starts_with(|c: char| c.is_ascii_lowercase()) {
            return Err("Start with a letter.".into());
        }
        if Self::RESERVED.contains(&s.as_str()) {
            return Err(format!("@{s} is reserved; choose another."));
        }
        Ok(s)
    }

    /// Handles to try, in order, for a new account called `name` with id `id`: one made from
    /// the name, then that name with the id, then `member` with the id.
    pub fn candidates(name: &str, id: i64) -> Vec<String> {
        let mut base = String::new();
        for c in name.trim().to_lowercase().chars() {
            if c.is_ascii_lowercase() || c.is_ascii_digit() {
                base.push(c);
            } else if (c.is_whitespace() || "-._".contains(c)) && !base.ends_with('_') {
                base.push('_');
            }
        }
        let base: String = base.trim_matches('_').chars().take(20).collect();
        let base = base.trim_end_matches('_');
        [
            base.to_owned(),
            format!("{base}{id}"),
            format!("{base}_{id}"),
            format!("member{id}"),
            format!("member_{id}_{}", id.wrapping_mul(7919) % 10_000),
        ]
        .into_iter()
        .filter_map(|c| Self::parse(&c).ok())
        .fold(Vec::new(), |mut v, c| {
            if !v.contains(&c) {
                v.push(c);
            }
            v
        })
    }

    /// The `@handle`s written in a text, lowercased, each once, in order.
    pub fn mentioned_in(text: &str) -> Vec<String> {
        let mut found: Vec<String> = Vec::new();
        let bytes: Vec<char> = text.chars().collect();
        let mut i = 0;
        while i < bytes.len() {
            let starts = bytes[i] == '@'
                && (i == 0 || !(bytes[i - 1].is_alphanumeric() || bytes[i - 1] == '_'));
            if starts {
                let word: String = bytes[i + 1..]
                    .iter()
                    .take_while(|c| c.is_ascii_alphanumeric() || **c == '_')
                    .collect();
                i += word.chars().count();
                if let Ok(h) = Self::parse(&word) {
                    if !found.contains(&h) {
                        found.push(h);
                    }
                }
            }
            i += 1;
        }
        found
    }
}

/// A one-line detail (job title, department, location): at most 100 characters.
pub fn check_detail(raw: &str) -> Result<String, String> {
    let s = raw.trim();
    if s.chars().count() > 100 {
        return Err("Use at most 100 characters.".into());
    }
    if s.chars().any(char::is_control) {
        return Err("Use letters, numbers, spaces and punctuation only.".into());
    }
    Ok(s.to_owned())
}

/// The bio, in Markdown: at most 5,000 characters.
pub fn check_bio(raw: &str) -> Result<String, String> {
    let s = raw.trim();
    let n = s.chars().count();
    if n > 5_000 {
        return Err(format!(
            "The bio can be at most 5,000 characters; this one has {n}."
        ));
    }
    Ok(s.to_owned())
}

/// A status update: 1 to 280 characters on one line (empty clears it).
pub fn check_status(raw: &str) -> Result<String, String> {
    let s = raw.trim();
    let n = s.chars().count();
    if n > 280 {
        return Err(format!(
            "A status can be at most 280 characters; this one has {n}."
        ));
    }
    if s.chars().any(char::is_control) {
        return Err("Keep the status to one line.".into());
    }
    Ok(s.to_owned())
}

/// Free tags (skills, expertise topics, space topics) typed as a comma-separated list.
pub struct Tags;

impl Tags {
    pub const MAX_COUNT: usize = 20;
    pub const MAX_LEN: usize = 40;

    /// Lowercased, trimmed, each once; letters, digits, spaces and `- + . #` only.
    pub fn parse(raw: &str) -> Result<Vec<String>, String> {
        let mut tags: Vec<String> = Vec::new();
        for part in raw.split(',') {
            let tag = part.split_whitespace().collect::<Vec<_>>().join(" ");
            let tag = tag.to_lowercase();
            if tag.is_empty() {
                continue;
            }
            if tag.chars().count() > Self::MAX_LEN {
                return Err(format!(
                    "“{tag}” is too long: a tag has at most {} characters.",
                    Self::MAX_LEN
                ));
            }
            if !tag
                .chars()
                .all(|c| c.is_alphanumeric() || " -+.#".contains(c))
            {
                return Err(format!(
                    "“{tag}”: use letters, digits, spaces and - + . # only; separate tags with commas."
                ));
            }
            if !tags.contains(&tag) {
                tags.push(tag);
            }
        }
        if tags.len() > Self::MAX_COUNT {
            return Err(format!("Use at most {} tags.", Self::MAX_COUNT));
        }
        Ok(tags)
    }
}

/// Links on a profile, typed one per line as `Label https://address` or just the address.
pub struct Links;

impl Links {
    pub const MAX_COUNT: usize = 10;

    pub fn parse(raw: &str) -> Result<Vec<ProfileLink>, String> {
        let mut links = Vec::new();
        for line in raw.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let (label, url) = match line.rsplit_once(char::is_whitespace) {
                Some((label, url)) => (label.trim().to_owned(), url.trim()),
                None => (String::new(), line),
            };
            let lower = url.to_ascii_lowercase();
            let scheme_ok = lower.starts_with("https://") || lower.starts_with("http://");
            let host_ok = url
                .split_once("://")
                .map(|(_, rest)| rest.split('/').next().unwrap_or_default())
                .is_some_and(|h| !h.is_empty() && !h.contains(['<', '>', '"', ' ']));
            if !scheme_ok || !host_ok || url.chars().count() > 500 {
                return Err(format!(
                    "“{line}” is not a link: end each line with an address starting https://."
                ));
            }
            let label = if label.is_empty() {
                url.split_once("://")
                    .map(|(_, rest)| rest.trim_end_matches('/').to_owned())
                    .unwrap_or_else(|| url.to_owned())
            } else {
                label.chars().take(80).collect()
            };
            links.push(ProfileLink {
                label,
                url: url.to_owned(),
            });
        }
        if links.len() > Self::MAX_COUNT {
            return Err(format!("Use at most {} links.", Self::MAX_COUNT));
        }
        Ok(links)
    }

    /// The lines the edit form shows for saved links.
    pub fn to_lines(links: &[ProfileLink]) -> String {
        links
            .iter()
            .map(|l| format!("{} {}", l.label, l.url))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileLink {
    pub label: String,
    pub url: String,
}

/// A person as shown in lists: followers, members, authors.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonCard {
    pub id: UserId,
    pub display_name: String,
    pub handle: String,
    pub job_title: String,
    /// Address of the small avatar, if they uploaded one.
    pub avatar: Option<String>,
}

/// One line of a person's recent activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityLine {
    /// "Posted in", "Joined", "Followed", ...
    pub text: String,
    /// What it was done in or to, with its address.
    pub target: Option<(String, String)>,
    pub at: i64,
}

/// Everything a profile page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileView {
    pub person: PersonCard,
    pub department: String,
    pub location: String,
    pub bio_html: String,
    pub status: Option<(String, i64)>,
    /// Address of the large avatar, if any.
    pub avatar_large: Option<String>,
    pub skills: Vec<String>,
    pub expertise: Vec<String>,
    pub links: Vec<ProfileLink>,
    pub followers: i64,
    pub following: i64,
    /// The viewer follows this person.
    pub followed: bool,
    /// The viewer is this person.
    pub is_me: bool,
    /// Spaces of theirs the viewer may see: (slug, name).
    pub spaces: Vec<(String, String)>,
    pub activity: Vec<ActivityLine>,
    /// Points for accepted answers and votes on answers.
    pub reputation: i64,
}

/// The saved profile, as the edit form shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileForm {
    pub display_name: String,
    pub handle: String,
    pub job_title: String,
    pub department: String,
    pub location: String,
    pub bio: String,
    pub skills: String,
    pub expertise: String,
    pub links: String,
    pub status: String,
    pub avatar: Option<String>,
}

/// A page of someone's followers or of whom they follow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowPage {
    /// Whose list it is.
    pub name: String,
    pub handle: String,
    pub people: Vec<PersonCard>,
    /// Cursor of the next page, if any.
    pub next: Option<String>,
}

/// Where avatars are served, by size in pixels; `version` changes with each upload.
pub fn avatar_url(user: UserId, size: u32, version: Option<i64>) -> Option<String> {
    version.map(|v| format!("/media/avatar/{user}/{size}?v={v}"))
}

/// The sizes avatars are stored in.
pub const AVATAR_SIZES: [u32; 2] = [256, 64];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handles_follow_the_rules() {
        assert_eq!(Handle::parse("@Ana_Lima"), Ok("ana_lima".into()));
        assert!(Handle::parse("ab").is_err());
        assert!(Handle::parse("1abc").is_err_and(|m| m.contains("letter")));
        assert!(Handle::parse("ana-lima").is_err());
        assert!(Handle::parse("edit").is_err_and(|m| m.contains("reserved")));
        assert!(Handle::parse(&"a".repeat(31)).is_err());
    }

    #[test]
    fn handles_are_made_from_names() {
        assert_eq!(
            Handle::candidates("Ana Lima", 7)[..2],
            ["ana_lima", "ana_lima7"]
        );
        assert_eq!(
            Handle::candidates("  Jean-Luc O'Neil ", 7)[0],
            "jean_luc_oneil"
        );
        assert_eq!(Handle::candidates("李", 3)[0], "member3");
        assert_eq!(Handle::candidates("42", 3)[0], "member3");
        assert_eq!(Handle::candidates("Bo", 12)[0], "bo12");
    }

    #[test]
    fn mentions_are_found_once_and_not_in_emails() {
        assert_eq!(
            Handle::mentioned_in("Hi @Ana and @bo_x, @ana again; mail a@b.c or @1x"),
            vec!["ana".to_owned(), "bo_x".to_owned()]
        );
    }

    #[test]
    fn tags_links_and_texts_are_checked() {
        assert_eq!(
            Tags::parse(" Rust, sql ,, rust, C++ "),
            Ok(vec!["rust".into(), "sql".into(), "c++".into()])
        );
        assert!(Tags::parse("a<b").is_err());
        let many: Vec<String> = (0..21).map(|i| format!("t{i}")).collect();
        assert!(Tags::parse(&many.join(",")).is_err_and(|m| m.contains("20")));
        let links =
            Links::parse("Blog https://ana.example/\nhttps://git.example/ana").unwrap_or_default();
        assert_eq!(links.len(), 2);
        assert_eq!(links[1].label, "git.example/ana");
        assert!(Links::parse("javascript:alert(1)").is_err());
        assert!(check_status(&"x".repeat(281)).is_err());
        assert!(check_bio(&"x".repeat(5_001)).is_err());
    }
}
