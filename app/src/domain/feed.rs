//! Activity feeds: the home feed, a space's, a person's and the site-wide "what's new".

use serde::{Deserialize, Serialize};

use super::activity::Verb;
use super::ids::ActivityId;

/// Which kinds of activity a feed shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum FeedFilter {
    #[default]
    All,
    Posts,
    Questions,
    Learning,
}

impl FeedFilter {
    pub const ALL: [FeedFilter; 4] = [
        FeedFilter::All,
        FeedFilter::Posts,
        FeedFilter::Questions,
        FeedFilter::Learning,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FeedFilter::All => "all",
            FeedFilter::Posts => "posts",
            FeedFilter::Questions => "questions",
            FeedFilter::Learning => "learning",
        }
    }

    /// Unknown or empty words mean "all".
    pub fn parse(s: &str) -> FeedFilter {
        Self::ALL
            .into_iter()
            .find(|f| f.as_str() == s)
            .unwrap_or_default()
    }

    pub fn label(self) -> &'static str {
        match self {
            FeedFilter::All => "All",
            FeedFilter::Posts => "Posts",
            FeedFilter::Questions => "Questions",
            FeedFilter::Learning => "Learning",
        }
    }

    /// The activity verbs shown. Questions and learning fill in as forums and courses land.
    pub fn verbs(self) -> &'static [Verb] {
        match self {
            FeedFilter::All => &[
                Verb::Posted,
                Verb::Commented,
                Verb::Status,
                Verb::Created,
                Verb::Joined,
                Verb::Followed,
                Verb::Asked,
                Verb::Answered,
                Verb::Accepted,
                Verb::Started,
                Verb::Replied,
                Verb::Published,
                Verb::Enrolled,
                Verb::Completed,
            ],
            FeedFilter::Posts => &[
                Verb::Posted,
                Verb::Commented,
                Verb::Status,
                Verb::Started,
                Verb::Replied,
                Verb::Published,
            ],
            FeedFilter::Questions => &[Verb::Asked, Verb::Answered, Verb::Accepted],
            FeedFilter::Learning => &[Verb::Enrolled, Verb::Completed],
        }
    }

    /// What an empty feed says.
    pub fn empty_text(self) -> &'static str {
        match self {
            FeedFilter::All | FeedFilter::Posts => {
                "Nothing here yet. Join spaces and follow people to fill your feed."
            }
            FeedFilter::Questions => "No questions yet.",
            FeedFilter::Learning => "No learning activity yet.",
        }
    }
}

/// A link with its words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    pub text: String,
    pub href: String,
}

/// One line of a feed: one activity, or several of the same kind on the same thing grouped
/// ("Ana and 3 others commented on ...").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedItem {
    /// The newest activity's id.
    pub id: ActivityId,
    /// The newest actor.
    pub actor: Link,
    /// How many other people did the same.
    pub others: i64,
    /// "posted in", "commented on a post in", ...
    pub action: String,
    /// What it was done to or in, if it can be linked.
    pub target: Option<Link>,
    /// A plain-text excerpt of the post or comment.
    pub excerpt: Option<String>,
    pub at: i64,
}

/// One page of a feed, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedPage {
    pub items: Vec<FeedItem>,
    /// Cursor of the next (older) page, if there is one.
    pub next: Option<String>,
    /// The topics whose events announce new items of this feed.
    pub topics: Vec<String>,
    /// A heading for the feed ("Design Guild", "Ana Lima"...).
    pub title: String,
}

/// Cuts text to at most `max` characters, at a word boundary, with an ellipsis.
pub fn excerpt(text: &str, max: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let cut: String = flat.chars().take(max).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > max / 2 => &cut[..i],
        _ => cut.as_str(),
    };
    format!("{}…", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_parse_and_default_to_all() {
        for f in FeedFilter::ALL {
            assert_eq!(FeedFilter::parse(f.as_str()), f);
        }
        assert_eq!(FeedFilter::parse("nonsense"), FeedFilter::All);
    }

    #[test]
    fn excerpts_cut_at_words() {
        assert_eq!(excerpt("short  text\n", 20), "short text");
        assert_eq!(excerpt("one two three four five", 12), "one two…");
        assert_eq!(excerpt("ééééé", 3), "ééé…");
    }
}
