//! What the activity log records: who did what (a [`Verb`]) to what (an [`ObjectKind`] and its
//! id), and where. Shared by the browser (feeds, live events) and the server (the log, the
//! write pipeline), and stored as the words `as_str` gives.

use serde::{Deserialize, Serialize};

/// Defines a closed set of words: an enum, its stored word, and parsing it back.
macro_rules! words {
    ($(#[$doc:meta])* $name:ident { $( $(#[$vdoc:meta])* $variant:ident = $word:literal ),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name {
            $( $(#[$vdoc])* #[serde(rename = $word)] $variant, )+
        }

        impl $name {
            /// Every one, in the order defined.
            pub const ALL: &'static [$name] = &[$( $name::$variant, )+];

            /// The word stored and sent.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( $name::$variant => $word, )+
                }
            }

            /// The value of a stored word.
            pub fn parse(word: &str) -> Option<$name> {
                match word {
                    $( $word => Some($name::$variant), )+
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

words! {
    /// What was done.
    Verb {
        Created = "created",
        Joined = "joined",
        Left = "left",
        Invited = "invited",
        ChangedRole = "changed_role",
        RemovedMember = "removed_member",
        Archived = "archived",
        Unarchived = "unarchived",
        Tagged = "tagged",
        Deleted = "deleted",
        Posted = "posted",
        Edited = "edited",
        Pinned = "pinned",
        Unpinned = "unpinned",
        Commented = "commented",
        Reacted = "reacted",
        Mentioned = "mentioned",
        Status = "status",
        Updated = "updated",
        Followed = "followed",
        Unfollowed = "unfollowed",
        Started = "started",
        Replied = "replied",
        Asked = "asked",
        Answered = "answered",
        Accepted = "accepted",
        Published = "published",
        Enrolled = "enrolled",
        Completed = "completed",
    }
}

words! {
    /// What it was done to.
    ObjectKind {
        Space = "space",
        User = "user",
        Profile = "profile",
        Post = "post",
        Comment = "comment",
        Topic = "topic",
        Reply = "reply",
        Course = "course",
        Lesson = "lesson",
        Playlist = "playlist",
    }
}

words! {
    /// What a search document is: the kinds a result can be.
    DocKind {
        Post = "post",
        Thread = "thread",
        Reply = "reply",
        Question = "question",
        Answer = "answer",
        Article = "article",
        Comment = "comment",
        Space = "space",
        Person = "person",
    }
}

impl DocKind {
    /// What it is called in a result.
    pub fn label(self) -> &'static str {
        match self {
            DocKind::Post => "Post",
            DocKind::Thread => "Forum thread",
            DocKind::Reply => "Reply",
            DocKind::Question => "Question",
            DocKind::Answer => "Answer",
            DocKind::Article => "Article",
            DocKind::Comment => "Comment",
            DocKind::Space => "Space",
            DocKind::Person => "Person",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_read_back_and_travel_as_themselves() -> Result<(), serde_json::Error> {
        for v in Verb::ALL {
            assert_eq!(Verb::parse(v.as_str()), Some(*v));
            assert_eq!(serde_json::to_string(v)?, format!("\"{v}\""));
        }
        for k in ObjectKind::ALL {
            assert_eq!(ObjectKind::parse(k.as_str()), Some(*k));
        }
        for k in DocKind::ALL {
            assert_eq!(DocKind::parse(k.as_str()), Some(*k));
        }
        assert_eq!(Verb::parse("nonsense"), None);
        Ok(())
    }
}
