//! Ids of the main nouns, one type each, so a post's id cannot be passed where a space's is
//! meant. Shared by the browser and the server; on the wire and in the database each is the
//! plain number (opaque to clients).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Defines an id type: a number with its own name, read and written as the number.
macro_rules! ids {
    ($( $(#[$doc:meta])* $name:ident ),+ $(,)?) => {$(
        $(#[$doc])*
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
        )]
        #[serde(transparent)]
        #[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(transparent))]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = std::num::ParseIntError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.trim().parse().map($name)
            }
        }

        impl From<$name> for i64 {
            fn from(id: $name) -> i64 {
                id.0
            }
        }

        /// In a form's hidden field or a `data-` attribute, the plain number.
        impl leptos::attr::IntoAttributeValue for $name {
            type Output = i64;
            fn into_attribute_value(self) -> i64 {
                self.0
            }
        }
    )+};
}

ids! {
    /// A person's account.
    UserId,
    /// A space (a community of practice; also a course's wrapper).
    SpaceId,
    /// A post on a wall.
    PostId,
    /// A comment on a wall post.
    CommentId,
    /// A forum thread, a question or a blog article.
    TopicId,
    /// A reply to a topic: a forum reply, an answer or an article's comment.
    ReplyId,
    /// A forum's category.
    CategoryId,
    /// A course.
    CourseId,
    /// A module of a course.
    ModuleId,
    /// A lesson of a course.
    LessonId,
    /// A SCORM package of a lesson.
    PackageId,
    /// A file of a lesson (a video, a download, a picture on its page).
    LessonFileId,
    /// A learning playlist.
    PlaylistId,
    /// A section of a playlist.
    SectionId,
    /// An item of a playlist.
    ItemId,
    /// A notification.
    NotificationId,
    /// A record of the activity log.
    ActivityId,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_read_and_write_as_their_number() -> Result<(), Box<dyn std::error::Error>> {
        let id: PostId = " 42".parse()?;
        assert_eq!(id, PostId(42));
        assert_eq!(id.to_string(), "42");
        assert_eq!(serde_json::to_string(&id)?, "42");
        assert_eq!(serde_json::from_str::<SpaceId>("7")?, SpaceId(7));
        assert!("x".parse::<UserId>().is_err());
        Ok(())
    }
}
