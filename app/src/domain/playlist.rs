//! Learning playlists: curated pathways of courses, lessons, discussions and external links.

use serde::{Deserialize, Serialize};

use super::feed::Link;
use super::ids::{ItemId, PlaylistId, SectionId};

/// Who may see a published playlist.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PlaylistVisibility {
    /// Everyone signed in.
    Public,
    /// The members of one space.
    Space,
    /// Its owner only.
    Private,
}

impl PlaylistVisibility {
    pub const ALL: [PlaylistVisibility; 3] = [
        PlaylistVisibility::Public,
        PlaylistVisibility::Space,
        PlaylistVisibility::Private,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PlaylistVisibility::Public => "public",
            PlaylistVisibility::Space => "space",
            PlaylistVisibility::Private => "private",
        }
    }

    pub fn parse(s: &str) -> Option<PlaylistVisibility> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            PlaylistVisibility::Public => "Everyone signed in",
            PlaylistVisibility::Space => "Members of one space",
            PlaylistVisibility::Private => "Only me",
        }
    }
}

/// What an item points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ItemKind {
    Course,
    Lesson,
    /// A forum thread, a question or a blog article.
    Topic,
    /// A page elsewhere on the web.
    Link,
}

impl ItemKind {
    pub const ALL: [ItemKind; 4] = [
        ItemKind::Course,
        ItemKind::Lesson,
        ItemKind::Topic,
        ItemKind::Link,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Course => "course",
            ItemKind::Lesson => "lesson",
            ItemKind::Topic => "topic",
            ItemKind::Link => "link",
        }
    }

    pub fn parse(s: &str) -> Option<ItemKind> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            ItemKind::Course => "Course",
            ItemKind::Lesson => "Lesson",
            ItemKind::Topic => "Discussion",
            ItemKind::Link => "Link",
        }
    }
}

/// A playlist title: 3 to 200 characters.
pub fn check_playlist_title(raw: &str) -> Result<String, String> {
    super::discussion::check_title(raw)
}

/// A description: at most 2,000 characters.
pub fn check_description(raw: &str) -> Result<String, String> {
    super::course::check_summary(raw)
}

/// An external link's address: `https://` or `http://`.
pub fn check_link(raw: &str) -> Result<String, String> {
    super::course::check_video_url(raw)
        .map_err(|_| "Give a web address starting with https://.".into())
}

/// Estimated minutes: empty, or a whole number from 1 to 10,000.
pub fn check_minutes(raw: &str) -> Result<Option<i64>, String> {
    match raw.trim() {
        "" => Ok(None),
        t => match t.parse::<i64>() {
            Ok(n) if (1..=10_000).contains(&n) => Ok(Some(n)),
            _ => Err("Give the minutes as a whole number, like 15.".into()),
        },
    }
}

/// One item of a playlist, with the reader's progress on it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemView {
    pub id: ItemId,
    pub kind: ItemKind,
    pub title: String,
    pub description: String,
    /// Where it opens.
    pub href: String,
    pub minutes: Option<i64>,
    pub done: bool,
    /// Marked done by hand (links and discussions); courses and lessons complete themselves.
    pub manual: bool,
    /// The item points at something the reader may not see (or that is gone).
    pub unavailable: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionView {
    pub id: SectionId,
    pub title: String,
    pub items: Vec<ItemView>,
}

/// A playlist as its reader (or its owner, editing) sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaylistView {
    pub id: PlaylistId,
    pub title: String,
    pub description: String,
    pub tags: Vec<String>,
    /// The wide (1200) cover.
    pub cover: Option<String>,
    pub visibility: PlaylistVisibility,
    /// The space of a space-only playlist.
    pub space: Option<(String, String)>,
    pub owner: Link,
    pub published: bool,
    pub mine: bool,
    pub following: bool,
    pub follower_count: i64,
    pub forked_from: Option<Link>,
    pub sections: Vec<SectionView>,
    pub done_count: i64,
    pub item_count: i64,
    /// What "Undo" would take back, if anything (owners).
    pub undo_label: Option<String>,
    /// Spaces the reader may post in, to share the playlist (slug, name).
    pub my_spaces: Vec<(String, String)>,
    pub may_curate: bool,
}

impl PlaylistView {
    pub fn completed(&self) -> bool {
        self.item_count > 0 && self.done_count >= self.item_count
    }

    pub fn minutes(&self) -> i64 {
        self.sections
            .iter()
            .flat_map(|s| s.items.iter())
            .filter_map(|i| i.minutes)
            .sum()
    }
}

/// A playlist in the catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaylistCard {
    pub id: PlaylistId,
    pub title: String,
    pub description: String,
    pub tags: Vec<String>,
    /// The small (600 wide) cover.
    pub cover: Option<String>,
    pub owner: Link,
    pub item_count: i64,
    pub follower_count: i64,
    pub published: bool,
    pub following: bool,
}

/// The address of a playlist's cover picture of `width` (1200 or 600), if it has one.
pub fn playlist_cover_url(
    playlist: PlaylistId,
    width: u32,
    version: Option<i64>,
) -> Option<String> {
    version.map(|v| format!("/media/playlist/{playlist}/{width}?v={v}"))
}

/// Something an inline search found to add to a playlist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FoundItem {
    pub kind: ItemKind,
    pub ref_id: i64,
    pub title: String,
    /// Where it comes from ("Course", "Lesson in Safety basics", "Question").
    pub context: String,
}

/// The catalog: playlists, and what is popular in the reader's spaces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaylistCatalog {
    pub playlists: Vec<PlaylistCard>,
    pub popular: Vec<PlaylistCard>,
    pub may_curate: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minutes_are_whole_and_bounded() {
        assert_eq!(check_minutes(""), Ok(None));
        assert_eq!(check_minutes(" 15 "), Ok(Some(15)));
        assert!(check_minutes("0").is_err());
        assert!(check_minutes("ten").is_err());
        assert!(check_link("ftp://x").is_err());
    }
}
