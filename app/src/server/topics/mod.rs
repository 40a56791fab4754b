//! Forum threads, Ask-the-Expert questions and blog articles ("topics"): starting, reading
//! (with unread markers), editing, deleting, watching and moderating them. A topic's page is
//! read in [`read`], changes made in [`write`]; replies, Q&A, experts and lists are in their own
//! modules; blogs' own rules in [`crate::server::blogs`]. Who may see a topic is decided in
//! every query, as for walls ([`crate::server::policy::topics`]).

mod experts;
mod list;
mod qa;
mod read;
mod replies;
mod write;

pub use crate::server::policy::topics::topic_readable;
pub use experts::{appoint, expert_forum, queue, reputation, reputation_of, similar};
pub use list::{list, ListQuery};
pub use qa::{accept, vote};
pub use read::view;
pub use replies::{delete_reply, edit_reply, reply};
pub use write::{create, delete, edit, moderate, move_to, react, set_level, NewTopic, TopicEdit};

use sqlx::AnyConnection;

use crate::domain::feed::Link;
use crate::domain::ids::{TopicId, UserId};
use crate::domain::realtime::{topic as rt, EventBody};
use crate::error::AppResult;
use crate::server::effects::Happened;

/// The realtime topic of one thread, question or article: its replies and votes.
pub fn live_topic(topic: TopicId) -> String {
    rt::thread(topic)
}

/// `happened`, with the live event that tells a topic's readers its replies, votes or state
/// changed (`actor` made the change).
pub(crate) fn announced(happened: Happened, topic: TopicId, actor: UserId) -> Happened {
    let body = EventBody::TopicChanged { topic, actor };
    happened.announce(live_topic(topic), body)
}

/// A change by `actor` that only the topic's readers hear of (a vote, a pin, a move).
pub(crate) fn changed(topic: TopicId, actor: UserId) -> Happened {
    announced(Happened::unlogged(actor), topic, actor)
}

/// Replaces a topic's tags.
pub(crate) async fn set_tags(
    conn: &mut AnyConnection,
    topic: TopicId,
    tags: &[String],
) -> AppResult<()> {
    crate::server::tags::replace(conn, topic, tags).await
}

pub(crate) fn person_link(name: String, handle: Option<String>, id: i64) -> Link {
    Link {
        text: name,
        href: format!("/u/{}", handle.unwrap_or_else(|| format!("user{id}"))),
    }
}
