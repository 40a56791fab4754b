//! The one write pipeline. A write does its own change (a row inserted, a count moved), then
//! describes what happened as a [`Happened`] value: who did what, to what, where, who is
//! mentioned, who is to be told, which search documents change and which live events announce
//! it. [`apply`] writes every side effect of it in the write's own transaction, in one order:
//!
//! 1. the activity record, and the events that put it on feeds ([`activity`]);
//! 2. the live events the write asks for;
//! 3. the search documents ([`index`]);
//! 4. the people mentioned: each told, and the mention recorded ([`mentions`]);
//! 5. notifications ([`notify`]), each sent only to a recipient who may read what it is about,
//!    never to the one who caused it, and not to those who switched its kind off.
//!
//! So a feature cannot forget one of them, or apply the privacy rule in one path and not in
//! another; wikis, files, messages and the learning record store plug in the same way.

pub mod activity;
pub mod index;
pub mod mentions;
pub mod notify;

use sqlx::AnyConnection;

use crate::domain::activity::{ObjectKind, Verb};
use crate::domain::ids::{
    ActivityId, CommentId, CourseId, LessonId, PlaylistId, PostId, ReplyId, SpaceId, TopicId,
    UserId,
};
use crate::domain::realtime::{topic, EventBody};
use crate::error::AppResult;
use crate::server::infra::events;

pub use index::{Doc, Search};
pub use mentions::Mentions;
pub use notify::{About, Notice};

/// What something was done to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Object {
    pub kind: ObjectKind,
    pub id: i64,
}

impl Object {
    pub fn space(id: SpaceId) -> Object {
        Object::of(ObjectKind::Space, id.0)
    }
    pub fn user(id: UserId) -> Object {
        Object::of(ObjectKind::User, id.0)
    }
    /// A person's profile (what they say of themselves).
    pub fn profile(id: UserId) -> Object {
        Object::of(ObjectKind::Profile, id.0)
    }
    pub fn post(id: PostId) -> Object {
        Object::of(ObjectKind::Post, id.0)
    }
    pub fn comment(id: CommentId) -> Object {
        Object::of(ObjectKind::Comment, id.0)
    }
    pub fn topic(id: TopicId) -> Object {
        Object::of(ObjectKind::Topic, id.0)
    }
    pub fn reply(id: ReplyId) -> Object {
        Object::of(ObjectKind::Reply, id.0)
    }
    pub fn course(id: CourseId) -> Object {
        Object::of(ObjectKind::Course, id.0)
    }
    pub fn lesson(id: LessonId) -> Object {
        Object::of(ObjectKind::Lesson, id.0)
    }
    pub fn playlist(id: PlaylistId) -> Object {
        Object::of(ObjectKind::Playlist, id.0)
    }
    fn of(kind: ObjectKind, id: i64) -> Object {
        Object { kind, id }
    }
}

/// Where something happened: in a space, on a person's wall, both (never yet), or neither
/// (the site: a site-wide question, a follow).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Place {
    pub space: Option<SpaceId>,
    /// Whose wall, for posts on a person's wall and what is done to them.
    pub wall: Option<UserId>,
}

/// What a write did, as the pipeline needs it. Built with [`Happened::new`] (recorded in the
/// activity log) or [`Happened::unlogged`], then the builder methods; applied with [`apply`].
#[derive(Debug)]
#[must_use = "a Happened does nothing until it is applied"]
pub struct Happened {
    actor: UserId,
    place: Place,
    logged: Option<(Verb, Object)>,
    /// Topics that also get the activity's own event (a person's wall gets its posts').
    activity_on: Vec<String>,
    events: Vec<(String, EventBody)>,
    search: Vec<Search>,
    mentions: Option<Mentions>,
    notices: Vec<Notice>,
}

impl Happened {
    /// `actor` did `verb` to `object`: recorded in the activity log (and on the feeds of those
    /// who may read it, for the verbs feeds show).
    pub fn new(actor: UserId, verb: Verb, object: Object) -> Happened {
        Happened {
            logged: Some((verb, object)),
            ..Happened::unlogged(actor)
        }
    }

    /// `actor` did `verb` to space `space` itself (created, joined, archived it...).
    pub fn to_space(actor: UserId, verb: Verb, space: SpaceId) -> Happened {
        Happened::new(actor, verb, Object::space(space)).in_space(Some(space))
    }

    /// `actor` did `verb` to `member` within space `space` (invited, changed their role...).
    pub fn to_member(actor: UserId, verb: Verb, member: UserId, space: SpaceId) -> Happened {
        Happened::new(actor, verb, Object::user(member)).in_space(Some(space))
    }

    /// A change by `actor` that the activity log does not keep (an edit of a thread, a vote),
    /// with side effects all the same.
    pub fn unlogged(actor: UserId) -> Happened {
        Happened {
            actor,
            place: Place::default(),
            logged: None,
            activity_on: Vec::new(),
            events: Vec::new(),
            search: Vec::new(),
            mentions: None,
            notices: Vec::new(),
        }
    }

    /// In a space (or, with `None`, not in one).
    pub fn in_space(mut self, space: Option<SpaceId>) -> Happened {
        self.place.space = space;
        self
    }

    /// On a person's wall (or, with `None`, not on one).
    pub fn on_wall(mut self, owner: Option<UserId>) -> Happened {
        self.place.wall = owner;
        self
    }

    /// At `place`.
    pub fn at(mut self, place: Place) -> Happened {
        self.place = place;
        self
    }

    /// The activity's own event goes to `topic` too.
    pub fn announce_activity_on(mut self, topic: String) -> Happened {
        self.activity_on.push(topic);
        self
    }

    /// A live event on `topic`.
    pub fn announce(mut self, topic: impl Into<String>, body: EventBody) -> Happened {
        self.events.push((topic.into(), body));
        self
    }

    /// Tells `user`'s open tabs to check again which topics they may listen to.
    pub fn access_changed(self, user: UserId) -> Happened {
        self.announce(topic::user(user), EventBody::AccessChanged)
    }

    /// A search document changes.
    pub fn index(mut self, change: Search) -> Happened {
        self.search.push(change);
        self
    }

    /// `people` were mentioned in the text `context`, shown at `url`.
    pub fn mentioning(mut self, people: Vec<UserId>, url: &str, context: &str) -> Happened {
        self.mentions = Some(Mentions {
            people,
            url: url.to_owned(),
            context: context.to_owned(),
        });
        self
    }

    /// Someone is to be told.
    pub fn notify(mut self, notice: Notice) -> Happened {
        self.notices.push(notice);
        self
    }

    /// Each of `notices` is to be sent.
    pub fn notify_all(mut self, notices: impl IntoIterator<Item = Notice>) -> Happened {
        self.notices.extend(notices);
        self
    }
}

/// Writes every side effect of `happened` in the caller's transaction; returns the activity's
/// id when it was logged.
pub async fn apply(conn: &mut AnyConnection, happened: Happened) -> AppResult<Option<ActivityId>> {
    let Happened {
        actor,
        place,
        logged,
        activity_on,
        events,
        search,
        mentions,
        notices,
    } = happened;
    let mut recorded = None;
    if let Some((verb, object)) = logged {
        let id = activity::record(conn, actor, verb, object, place).await?;
        if !activity_on.is_empty() {
            let body = activity::event(id, actor, verb, object);
            let topics: Vec<&str> = activity_on.iter().map(String::as_str).collect();
            events::emit_many(conn, &topics, &body).await?;
        }
        recorded = Some(id);
    }
    for (topic, body) in &events {
        events::emit(conn, topic, body).await?;
    }
    for change in search {
        index::apply(conn, change).await?;
    }
    if let Some(m) = mentions {
        mentions::tell(conn, actor, place, m).await?;
    }
    for notice in notices {
        notify::send(conn, actor, place, notice).await?;
    }
    Ok(recorded)
}
