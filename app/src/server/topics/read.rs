//! One topic's page: its replies as the viewer may see them, its reactions, unread markers.

use std::collections::HashMap;

use crate::domain::discussion::{Category, ReplyView, TopicKind, TopicView};
use crate::domain::feed::Link;
use crate::domain::ids::{CategoryId, ReplyId, TopicId};
use crate::domain::post::{ReactionCount, ReactionKind};
use crate::error::AppResult;
use crate::server::infra::db::Db;
use crate::server::policy::topics::topic_standing;
use crate::server::policy::Viewer;
use crate::server::topics::experts::{experts_among, reputation_of};
use crate::server::topics::person_link;
use crate::server::topics::replies;

/// The topic with its replies as the viewer may see them; marks it read.
pub async fn view(db: &Db, viewer: Viewer, topic: TopicId) -> AppResult<TopicView> {
    let at = topic_standing(db, viewer, topic).await?;
    type Row = (
        String,
        String,
        String,
        i64,
        String,
        Option<String>,
        i64,
        Option<i64>,
        Option<i64>,
        Option<String>,
        Option<String>,
        i64,
        Option<i64>,
        Option<i64>,
        i64,
    );
    let row: Row = sqlx::query_as(
        "SELECT t.title, t.body_md, t.body_html, t.author_id, u.display_name, u.handle,
                t.published_at, t.edited_at, t.pinned_at, s.slug, s.name, t.last_reply_id,
                t.category_id, t.cover_version, t.public
         FROM topics t JOIN users u ON u.id = t.author_id
         LEFT JOIN spaces s ON s.id = t.space_id WHERE t.id = $1",
    )
    .bind(topic)
    .fetch_one(&db.pool)
    .await?;
    let (title, body_md, body_html, author_id, author, handle, published_at, edited, pinned) = (
        row.0, row.1, row.2, row.3, row.4, row.5, row.6, row.7, row.8,
    );
    let (slug, space_name, last_reply, category_id, cover, public) =
        (row.9, row.10, row.11, row.12, row.13, row.14);
    let mut conn = db.pool.acquire().await?;
    let tags = crate::server::tags::of_in(&mut conn, topic).await?;
    drop(conn);
    let reader: Option<(String, i64)> = sqlx::query_as(
        "SELECT level, last_read_id FROM topic_readers WHERE topic_id = $1 AND user_id = $2",
    )
    .bind(topic)
    .bind(viewer.id)
    .fetch_optional(&db.pool)
    .await?;
    let opened_before = reader.is_some();
    let (level, last_read) = reader.unwrap_or_else(|| ("normal".into(), 0));
    let rows = replies::rows(db, viewer, topic).await?;
    let mut people: Vec<i64> = rows.iter().map(|r| r.author_id).collect();
    people.push(author_id);
    people.sort_unstable();
    people.dedup();
    let reputation = reputation_of(db, &people).await?;
    let experts = experts_among(db, &people, &tags, at.space).await?;
    let names: HashMap<i64, String> = rows.iter().map(|r| (r.id, r.name.clone())).collect();
    let mut replies: Vec<ReplyView> = rows
        .into_iter()
        .map(|r| ReplyView {
            id: ReplyId(r.id),
            author_reputation: reputation.get(&r.author_id).copied().unwrap_or(0),
            expert: experts.contains(&r.author_id),
            parent_author: r.parent_id.and_then(|p| names.get(&p).cloned()),
            accepted: at.accepted == Some(ReplyId(r.id)),
            unread: viewer.is_signed_in() && r.id > last_read && !viewer.is(r.author_id),
            mine: viewer.is(r.author_id),
            may_delete: viewer.is(r.author_id) || at.moderates,
            edited: r.edited_at.is_some(),
            author: person_link(r.name, r.handle, r.author_id),
            body_html: r.body_html,
            body_md: r.body_md,
            parent_id: r.parent_id.map(ReplyId),
            score: r.score,
            my_vote: r.vote.unwrap_or(0),
            at: r.created_at,
        })
        .collect();
    if at.kind == TopicKind::Question {
        // The accepted answer first, then the best voted, then the oldest.
        replies.sort_by_key(|r| (!r.accepted, -r.score, r.id));
    }
    if viewer.is_signed_in() && (last_reply > last_read || !opened_before) {
        sqlx::query(
            "INSERT INTO topic_readers (topic_id, user_id, level, last_read_id)
             VALUES ($1, $2, 'normal', $3)
             ON CONFLICT (topic_id, user_id) DO UPDATE SET last_read_id = excluded.last_read_id",
        )
        .bind(topic)
        .bind(viewer.id)
        .bind(last_reply)
        .execute(&db.pool)
        .await?;
    }
    let forum = if at.kind == TopicKind::Thread {
        crate::server::forums::categories::categories_of(db, at.space).await?
    } else {
        Vec::new()
    };
    let category: Option<Category> =
        category_id.and_then(|c| forum.iter().find(|x| x.id == CategoryId(c)).cloned());
    let blog = match (at.kind, at.blog_of, &slug, &space_name) {
        (TopicKind::Article, Some(_), _, _) => Some(Link {
            text: format!("{author}'s blog"),
            href: format!("/u/{}/blog", handle.clone().unwrap_or_default()),
        }),
        (TopicKind::Article, None, Some(slug), Some(name)) => Some(Link {
            text: format!("Blog of {name}"),
            href: format!("/s/{slug}/blog"),
        }),
        _ => None,
    };
    let reactions = reactions_of(db, viewer, topic).await?;
    let may_change = at.may_change(viewer);
    Ok(TopicView {
        id: topic,
        kind: at.kind,
        title,
        body_html,
        body_md,
        author_reputation: reputation.get(&author_id).copied().unwrap_or(0),
        author: person_link(author, handle, author_id),
        space: slug.zip(space_name).map(|(slug, name)| Link {
            text: name,
            href: format!("/s/{slug}"),
        }),
        blog,
        category,
        categories: if at.moderates { forum } else { Vec::new() },
        tags,
        status: at.status,
        published_at,
        edited: edited.is_some(),
        pinned: pinned.is_some(),
        locked: at.locked,
        solved: at.accepted.is_some(),
        public: public == 1,
        cover_url: cover.map(|v| crate::domain::discussion::article_cover_url(topic, 1200, v)),
        reactions,
        replies,
        may_reply: at.may_reply,
        moderates: at.moderates,
        is_author: viewer.is(author_id),
        may_edit: may_change && viewer.is_signed_in(),
        signed_in: viewer.is_signed_in(),
        level,
    })
}

/// The reactions on a topic (articles), with whether the viewer gave each.
async fn reactions_of(db: &Db, viewer: Viewer, topic: TopicId) -> AppResult<Vec<ReactionCount>> {
    let rows: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT kind, COUNT(*), SUM(CASE WHEN user_id = $2 THEN 1 ELSE 0 END)
         FROM topic_reactions WHERE topic_id = $1 GROUP BY kind",
    )
    .bind(topic)
    .bind(viewer.id)
    .fetch_all(&db.pool)
    .await?;
    Ok(ReactionKind::ALL
        .into_iter()
        .map(|kind| {
            let found = rows.iter().find(|r| r.0 == kind.as_str());
            ReactionCount {
                kind,
                count: found.map_or(0, |r| r.1),
                mine: found.is_some_and(|r| r.2 > 0),
            }
        })
        .collect())
}
