//! The real-time protocol: small typed messages shared by the server and the browser.
//!
//! One WebSocket per tab at `/ws`. The browser says which topics it wants (and, after a
//! reconnect, the last event id it saw); the server sends the events on those topics, in id
//! order, first the missed ones, then live ones. Events carry ids and counts, never content:
//! the browser fetches what it shows through the server fns, which check permissions.

use serde::{Deserialize, Serialize};

use super::activity::Verb;
use super::ids::{ActivityId, PostId, SpaceId, TopicId, UserId};

/// What an event says happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EventBody {
    /// An activity was recorded (a new feed item).
    Activity {
        activity: ActivityId,
        actor: UserId,
        verb: Verb,
        /// What it was done to (for `posted`, the post).
        object: i64,
    },
    /// A post's comments or reactions changed.
    PostChanged { post: PostId },
    /// A thread's, question's or article's replies, votes or state changed.
    TopicChanged { topic: TopicId, actor: UserId },
    /// The person's notifications changed; `unread` is the new count.
    Notifications { unread: i64 },
    /// The person's access changed (left or was removed from a space): re-check topics.
    AccessChanged,
}

/// What the browser sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "t", rename_all = "snake_case")]
pub enum ClientMsg {
    /// Replaces the set of topics. With `since`, first sends the events on them after that id.
    Subscribe {
        topics: Vec<String>,
        #[serde(default)]
        since: Option<i64>,
    },
}

/// What the server sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "t", rename_all = "snake_case")]
pub enum ServerMsg {
    /// Sent once on connecting: the newest event id, where a new client starts.
    Hello { last: i64 },
    /// One event on a subscribed topic.
    Event {
        id: i64,
        topic: String,
        body: EventBody,
    },
    /// Too much was missed to replay: reload what is shown. `last` is where to go on from.
    Refetch { last: i64 },
    /// Topics the server refused (not found, or not readable by this person).
    Denied { topics: Vec<String> },
}

/// Topic names. Who may subscribe to which is checked on the server.
pub mod topic {
    /// A person's private topic: notifications, access changes.
    pub fn user(id: super::UserId) -> String {
        format!("user:{id}")
    }
    /// A space's activity and its wall.
    pub fn space(id: super::SpaceId) -> String {
        format!("space:{id}")
    }
    /// A person's wall (posts on it, their comments and reactions).
    pub fn profile(id: super::UserId) -> String {
        format!("profile:{id}")
    }
    /// What a person does that everyone signed in may see (outside non-public spaces).
    pub fn person(id: super::UserId) -> String {
        format!("person:{id}")
    }
    /// One thread, question or article: its replies, votes and state.
    pub fn thread(id: super::TopicId) -> String {
        format!("topic:{id}")
    }
    /// Activity in public spaces: the site-wide "what's new".
    pub const SITE: &str = "site";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_round_trip_as_json() -> Result<(), serde_json::Error> {
        let ev = ServerMsg::Event {
            id: 7,
            topic: topic::space(SpaceId(3)),
            body: EventBody::Activity {
                activity: ActivityId(9),
                actor: UserId(1),
                verb: Verb::Posted,
                object: 4,
            },
        };
        let text = serde_json::to_string(&ev)?;
        assert!(text.contains(r#""t":"event""#) && text.contains(r#""kind":"activity""#));
        assert!(text.contains(r#""verb":"posted""#), "{text}");
        assert_eq!(serde_json::from_str::<ServerMsg>(&text)?, ev);
        let sub: ClientMsg = serde_json::from_str(r#"{"t":"subscribe","topics":["site"]}"#)?;
        assert_eq!(
            sub,
            ClientMsg::Subscribe {
                topics: vec!["site".into()],
                since: None
            }
        );
        Ok(())
    }
}
