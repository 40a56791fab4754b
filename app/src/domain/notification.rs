//! Notifications: their kinds, how a person sees them and their preferences.

use serde::{Deserialize, Serialize};

use super::ids::NotificationId;

/// What a notification is about. Later features add kinds here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum NotificationKind {
    Mention,
    Comment,
    Reply,
    Reaction,
    Follow,
    JoinRequest,
    Invitation,
    /// A question in a topic the person is an expert of.
    Question,
    /// An answer to the person's question.
    Answer,
    /// The person's answer was accepted.
    Accepted,
    /// A reply in a forum thread the person started or watches.
    ForumReply,
    /// Someone enrolled the person in a course.
    CourseAssigned,
    /// Someone asks to enrol in a course the person writes.
    EnrolRequest,
}

impl NotificationKind {
    pub const ALL: [NotificationKind; 13] = [
        NotificationKind::Mention,
        NotificationKind::Comment,
        NotificationKind::Reply,
        NotificationKind::Reaction,
        NotificationKind::Follow,
        NotificationKind::JoinRequest,
        NotificationKind::Invitation,
        NotificationKind::Question,
        NotificationKind::Answer,
        NotificationKind::Accepted,
        NotificationKind::ForumReply,
        NotificationKind::CourseAssigned,
        NotificationKind::EnrolRequest,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NotificationKind::Mention => "mention",
            NotificationKind::Comment => "comment",
            NotificationKind::Reply => "reply",
            NotificationKind::Reaction => "reaction",
            NotificationKind::Follow => "follow",
            NotificationKind::JoinRequest => "join_request",
            NotificationKind::Invitation => "invitation",
            NotificationKind::Question => "question",
            NotificationKind::Answer => "answer",
            NotificationKind::Accepted => "accepted",
            NotificationKind::ForumReply => "forum_reply",
            NotificationKind::CourseAssigned => "course_assigned",
            NotificationKind::EnrolRequest => "enrol_request",
        }
    }

    pub fn parse(s: &str) -> Option<NotificationKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// The words after the actor's name ("Ana mentioned you").
    pub fn action(self) -> &'static str {
        match self {
            NotificationKind::Mention => "mentioned you",
            NotificationKind::Comment => "commented on your post",
            NotificationKind::Reply => "replied to your comment",
            NotificationKind::Reaction => "reacted to your post",
            NotificationKind::Follow => "started following you",
            NotificationKind::JoinRequest => "asked to join",
            NotificationKind::Invitation => "invited you to join",
            NotificationKind::Question => "asked a question in your area of expertise",
            NotificationKind::Answer => "answered your question",
            NotificationKind::Accepted => "accepted your answer",
            NotificationKind::ForumReply => "replied in a thread you follow",
            NotificationKind::CourseAssigned => "enrolled you in a course",
            NotificationKind::EnrolRequest => "asked to enrol in your course",
        }
    }

    /// What e-mail digests would tell of ("new followers").
    pub fn digest_label(self) -> &'static str {
        match self {
            NotificationKind::Mention => "E-mail about mentions",
            NotificationKind::Comment => "E-mail about comments on my posts",
            NotificationKind::Reply => "E-mail about replies to my comments",
            NotificationKind::Reaction => "E-mail about reactions to my posts",
            NotificationKind::Follow => "E-mail about new followers",
            NotificationKind::JoinRequest => "E-mail about join requests",
            NotificationKind::Invitation => "E-mail about invitations",
            NotificationKind::Question => "E-mail about questions for experts",
            NotificationKind::Answer => "E-mail about answers to my questions",
            NotificationKind::Accepted => "E-mail about accepted answers",
            NotificationKind::ForumReply => "E-mail about replies in threads I follow",
            NotificationKind::CourseAssigned => "E-mail about courses assigned to me",
            NotificationKind::EnrolRequest => "E-mail about requests to enrol in my courses",
        }
    }

    /// The preference's label.
    pub fn label(self) -> &'static str {
        match self {
            NotificationKind::Mention => "Someone mentions me",
            NotificationKind::Comment => "Someone comments on my post",
            NotificationKind::Reply => "Someone replies to my comment",
            NotificationKind::Reaction => "Someone reacts to my post",
            NotificationKind::Follow => "Someone follows me",
            NotificationKind::JoinRequest => "Someone asks to join a space I moderate",
            NotificationKind::Invitation => "I am invited to a space",
            NotificationKind::Question => "Someone asks a question in my area of expertise",
            NotificationKind::Answer => "Someone answers my question",
            NotificationKind::Accepted => "My answer is accepted",
            NotificationKind::ForumReply => "Someone replies in a thread I started or watch",
            NotificationKind::CourseAssigned => "I am enrolled in a course",
            NotificationKind::EnrolRequest => "Someone asks to enrol in a course I write",
        }
    }
}

/// One notification as its recipient sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationView {
    pub id: NotificationId,
    pub kind: NotificationKind,
    /// Who did it (the latest of them).
    pub actor: String,
    pub actor_handle: String,
    /// How many others did the same (batched reactions).
    pub others: i64,
    /// Where it leads.
    pub url: String,
    /// A few words of what it is about (a post's start, a space's name).
    pub context: String,
    pub at: i64,
    pub read: bool,
}

impl NotificationView {
    /// "Ana and 2 others reacted to your post".
    pub fn sentence(&self) -> String {
        let who = match self.others {
            0 => self.actor.clone(),
            1 => format!("{} and 1 other", self.actor),
            n => format!("{} and {n} others", self.actor),
        };
        format!("{who} {}", self.kind.action())
    }
}

/// One page of notifications, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationPage {
    pub items: Vec<NotificationView>,
    pub next: Option<String>,
    pub unread: i64,
}

/// How often e-mail digests are wanted (stored now; the digest comes later).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum EmailDigest {
    Off,
    Daily,
    Weekly,
}

impl EmailDigest {
    pub const ALL: [EmailDigest; 3] = [EmailDigest::Off, EmailDigest::Daily, EmailDigest::Weekly];

    pub fn as_str(self) -> &'static str {
        match self {
            EmailDigest::Off => "off",
            EmailDigest::Daily => "daily",
            EmailDigest::Weekly => "weekly",
        }
    }

    pub fn parse(s: &str) -> Option<EmailDigest> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            EmailDigest::Off => "No e-mail",
            EmailDigest::Daily => "Daily digest",
            EmailDigest::Weekly => "Weekly digest",
        }
    }
}

/// The preference for one kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationPref {
    pub kind: NotificationKind,
    pub in_app: bool,
    pub email: EmailDigest,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_and_sentences_count_others() {
        for k in NotificationKind::ALL {
            assert_eq!(NotificationKind::parse(k.as_str()), Some(k));
        }
        let mut n = NotificationView {
            id: NotificationId(1),
            kind: NotificationKind::Reaction,
            actor: "Ana".into(),
            actor_handle: "ana".into(),
            others: 2,
            url: "/".into(),
            context: String::new(),
            at: 0,
            read: false,
        };
        assert_eq!(n.sentence(), "Ana and 2 others reacted to your post");
        n.others = 0;
        assert_eq!(n.sentence(), "Ana reacted to your post");
    }
}
