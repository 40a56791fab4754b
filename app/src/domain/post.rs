//! Wall posts, comments and reactions.

use serde::{Deserialize, Serialize};

use super::ids::{CommentId, PostId};

/// The fixed set of reactions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReactionKind {
    Like,
    Celebrate,
    Insightful,
    Support,
    Curious,
}

impl ReactionKind {
    pub const ALL: [ReactionKind; 5] = [
        ReactionKind::Like,
        ReactionKind::Celebrate,
        ReactionKind::Insightful,
        ReactionKind::Support,
        ReactionKind::Curious,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReactionKind::Like => "like",
            ReactionKind::Celebrate => "celebrate",
            ReactionKind::Insightful => "insightful",
            ReactionKind::Support => "support",
            ReactionKind::Curious => "curious",
        }
    }

    pub fn parse(s: &str) -> Option<ReactionKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The button's words.
    pub fn label(self) -> &'static str {
        match self {
            ReactionKind::Like => "Like",
            ReactionKind::Celebrate => "Celebrate",
            ReactionKind::Insightful => "Insightful",
            ReactionKind::Support => "Support",
            ReactionKind::Curious => "Curious",
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            ReactionKind::Like => "👍",
            ReactionKind::Celebrate => "🎉",
            ReactionKind::Insightful => "💡",
            ReactionKind::Support => "🤝",
            ReactionKind::Curious => "🤔",
        }
    }
}

/// The Markdown of a post or comment: not empty, at most [`PostBody::MAX`] characters and
/// [`PostBody::MOST_MENTIONS`] @mentions.
pub struct PostBody;

impl PostBody {
    pub const MAX: usize = 20_000;
    /// The most people one post, comment or reply may mention (each is notified).
    pub const MOST_MENTIONS: usize = 20;

    pub fn check(raw: &str) -> Result<String, String> {
        let s = raw.trim();
        let n = s.chars().count();
        if n == 0 {
            return Err("Write something first.".into());
        }
        if n > Self::MAX {
            return Err(format!(
                "Posts can be at most {} characters; this one has {n}.",
                Self::MAX
            ));
        }
        let mentioned = crate::domain::profile::Handle::mentioned_in(s).len();
        if mentioned > Self::MOST_MENTIONS {
            return Err(format!(
                "Mention at most {} people in one post; this one mentions {mentioned}.",
                Self::MOST_MENTIONS
            ));
        }
        Ok(s.to_owned())
    }
}

/// How many of one reaction a post has, and whether the viewer gave it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReactionCount {
    pub kind: ReactionKind,
    pub count: i64,
    pub mine: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentView {
    pub id: CommentId,
    pub parent_id: Option<CommentId>,
    pub author: String,
    pub author_handle: String,
    /// Sanitised HTML rendered on the server.
    pub body_html: String,
    pub created_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostView {
    pub id: PostId,
    pub author: String,
    pub author_handle: String,
    /// Sanitised HTML rendered on the server.
    pub body_html: String,
    pub created_at: i64,
    pub edited: bool,
    /// Pinned to the top of its space's wall.
    pub pinned: bool,
    /// The Markdown source, for the author's edit form (absent for everyone else).
    pub body_md: Option<String>,
    /// The viewer may pin or unpin it (space moderators).
    pub can_pin: bool,
    pub reactions: Vec<ReactionCount>,
    pub comments: Vec<CommentView>,
    /// Comments older than those shown (a post shows its latest ones).
    #[serde(default)]
    pub earlier_comments: i64,
    /// The viewer may delete it (author, space moderator, site admin).
    pub can_delete: bool,
    /// Address of the post's picture, if it has one.
    #[serde(default)]
    pub picture: Option<String>,
}

/// Where a post's picture is served; `version` changes if it is replaced.
pub fn picture_url(post: PostId, version: Option<i64>) -> Option<String> {
    version.map(|v| format!("/media/post/{post}/1600?v={v}"))
}

/// One page of a wall, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WallPage {
    pub posts: Vec<PostView>,
    /// Cursor of the next (older) page, if there is one.
    pub next: Option<String>,
    /// The viewer may post here.
    pub can_post: bool,
    /// The real-time topic announcing changes to this wall.
    #[serde(default)]
    pub topic: String,
}

/// The parts of a post that change while it is on screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostLive {
    pub reactions: Vec<ReactionCount>,
    pub comments: Vec<CommentView>,
    #[serde(default)]
    pub earlier_comments: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_are_bounded() {
        assert_eq!(PostBody::check("  "), Err("Write something first.".into()));
        assert!(PostBody::check(&"x".repeat(100_000)).is_err_and(|m| m.contains("100000")));
        assert_eq!(PostBody::check(" hi "), Ok("hi".into()));
        let many: String = (0..21).map(|i| format!("@person{i} ")).collect();
        assert!(PostBody::check(&many).is_err_and(|m| m.contains("at most 20 people")));
        let twenty_twice: String = (0..40).map(|i| format!("@person{} ", i % 20)).collect();
        assert!(PostBody::check(&twenty_twice).is_ok());
    }

    #[test]
    fn reactions_round_trip() {
        for k in ReactionKind::ALL {
            assert_eq!(ReactionKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(ReactionKind::parse("angry"), None);
    }
}
