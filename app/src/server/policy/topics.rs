//! Who may read, reply to, change and moderate a topic, and post in a space's forum.

use crate::domain::discussion::{ArticleStatus, TopicKind};
use crate::domain::ids::{ReplyId, SpaceId, TopicId, UserId};
use crate::domain::space::SpaceRole;
use crate::error::{AppError, AppResult};
use crate::server::infra::db::Db;
use crate::server::infra::sql::Args;
use crate::server::policy::{space_listed, space_readable, Viewer, Who};

/// Where the viewer stands on one topic.
pub struct TopicStanding {
    pub kind: TopicKind,
    pub space: Option<SpaceId>,
    /// The person whose blog an article is on.
    pub blog_of: Option<UserId>,
    pub author: UserId,
    pub title: String,
    pub status: ArticleStatus,
    pub locked: bool,
    pub accepted: Option<ReplyId>,
    /// The viewer may reply, answer or comment.
    pub may_reply: bool,
    /// Space moderators and site admins; for an article on a person's blog, its owner.
    pub moderates: bool,
}

impl TopicStanding {
    /// The author and the moderators edit and delete a topic.
    pub fn may_change(&self, viewer: Viewer) -> bool {
        viewer.is(self.author) || self.moderates
    }
}

/// The topic if the viewer may read it; `NotFound` otherwise, so guessed ids reveal nothing.
/// Drafts and scheduled articles are their author's only; signed out
/// ([`Viewer::SIGNED_OUT`]), only public articles are read.
pub async fn topic_standing(db: &Db, viewer: Viewer, topic: TopicId) -> AppResult<TopicStanding> {
    let mut args = Args::new();
    let topic = args.add(topic);
    let who = Who::viewer(&mut args, viewer);
    let me = &who.id;
    let sql = format!(
        "SELECT t.kind, t.space_id, t.author_id, t.title, t.locked_at, t.accepted_reply_id,
                m.role, s.archived_at, t.status, t.blog_of
         FROM topics t LEFT JOIN spaces s ON s.id = t.space_id
         LEFT JOIN space_members m ON m.space_id = t.space_id AND m.user_id = {me}
         WHERE t.id = {topic} AND (t.status = 'published' OR t.author_id = {me})
           AND ({me} <> 0 OR (t.public = 1 AND t.status = 'published'))
           AND (t.space_id IS NULL OR {})",
        space_readable("s", &who)
    );
    type Row = (
        String,
        Option<SpaceId>,
        UserId,
        String,
        Option<i64>,
        Option<ReplyId>,
        Option<String>,
        Option<i64>,
        String,
        Option<UserId>,
    );
    let row: Option<Row> = sqlx::query_as_with(&sql, args)
        .fetch_optional(&db.pool)
        .await?;
    let (kind, space, author, title, locked, accepted, role, archived, status, blog_of) =
        row.ok_or(AppError::NotFound)?;
    let role = role.as_deref().and_then(SpaceRole::parse);
    let moderates = viewer.admin
        || role.is_some_and(SpaceRole::moderates)
        || (blog_of.is_some() && blog_of == Some(viewer.id));
    let member = viewer.is_signed_in() && (space.is_none() || role.is_some());
    let status = ArticleStatus::parse(&status).unwrap_or(ArticleStatus::Published);
    Ok(TopicStanding {
        kind: TopicKind::parse(&kind).unwrap_or(TopicKind::Thread),
        space,
        blog_of,
        author,
        title,
        status,
        locked: locked.is_some(),
        accepted,
        may_reply: member
            && archived.is_none()
            && status == ArticleStatus::Published
            && (locked.is_none() || moderates),
        moderates,
    })
}

/// Whether the viewer may read the topic.
pub async fn topic_readable(db: &Db, viewer: Viewer, topic: TopicId) -> AppResult<bool> {
    match topic_standing(db, viewer, topic).await {
        Ok(_) => Ok(true),
        Err(AppError::NotFound) => Ok(false),
        Err(e) => Err(e),
    }
}

/// The space (by its address) the viewer may post in: `Ok(None)` for site-wide, an error
/// message for the `space` field otherwise.
pub async fn space_to_post_in(
    db: &Db,
    viewer: Viewer,
    space: &str,
) -> AppResult<Result<Option<SpaceId>, String>> {
    let slug = space.trim().trim_start_matches("/s/").to_owned();
    if slug.is_empty() {
        return Ok(Ok(None));
    }
    let mut args = Args::new();
    let at = args.add(slug.as_str());
    let who = Who::viewer(&mut args, viewer);
    let sql = format!(
        "SELECT s.id, m.role, s.archived_at FROM spaces s
         LEFT JOIN space_members m ON m.space_id = s.id AND m.user_id = {}
         WHERE s.slug = {at} AND {}",
        who.id,
        space_listed("s", &who)
    );
    let row: Option<(SpaceId, Option<String>, Option<i64>)> = sqlx::query_as_with(&sql, args)
        .fetch_optional(&db.pool)
        .await?;
    Ok(match row {
        None => Err(format!("There is no space at /s/{slug}.")),
        Some((_, None, _)) => Err("Join the space first to post in it.".into()),
        Some((_, _, Some(_))) => Err("That space is archived.".into()),
        Some((id, Some(_), None)) => Ok(Some(id)),
    })
}

/// The topic a reply belongs to, with the reply's author, if the viewer may read it.
pub async fn reply_standing(
    db: &Db,
    viewer: Viewer,
    reply: ReplyId,
) -> AppResult<(TopicId, UserId, TopicStanding)> {
    let row: Option<(TopicId, UserId)> =
        sqlx::query_as("SELECT topic_id, author_id FROM replies WHERE id = $1")
            .bind(reply)
            .fetch_optional(&db.pool)
            .await?;
    let (topic, author) = row.ok_or(AppError::NotFound)?;
    let at = topic_standing(db, viewer, topic).await?;
    Ok((topic, author, at))
}
