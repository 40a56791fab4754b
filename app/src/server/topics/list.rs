//! Lists of topics the viewer may read: a forum (by category), the questions, a blog, a tag.
//! Newest first by a keyset cursor; pinned threads head the first page of a forum.

use std::collections::HashMap;

use crate::domain::discussion::{ArticleStatus, TopicKind, TopicList, TopicSummary};
use crate::domain::feed::{excerpt, Link};
use crate::domain::ids::TopicId;
use crate::error::AppResult;
use crate::server::infra::cursor;
use crate::server::infra::db::Db;
use crate::server::infra::sql::Args;
use crate::server::policy::{space_readable, Viewer, Who};

const PAGE: i64 = 30;

/// Which topics a list shows.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    pub kind: Option<TopicKind>,
    /// A space's address; `Some("")` for the site-wide forum and Q&A only (no space, no
    /// blog); `None` for everywhere the viewer may read.
    pub space: Option<String>,
    /// Articles on this person's blog.
    pub blog_of: Option<i64>,
    /// A forum category's id.
    pub category: Option<i64>,
    pub tag: String,
    /// `unanswered`, `solved` or empty.
    pub filter: String,
    /// Include the viewer's own drafts and scheduled articles.
    pub drafts: bool,
    pub after: String,
}

/// A topic as a list shows it.
#[derive(sqlx::FromRow)]
pub(super) struct SummaryRow {
    id: i64,
    kind: String,
    title: String,
    author_id: i64,
    name: String,
    handle: Option<String>,
    space_name: Option<String>,
    slug: Option<String>,
    category: Option<String>,
    reply_count: i64,
    accepted_reply_id: Option<i64>,
    pinned_at: Option<i64>,
    locked_at: Option<i64>,
    body_md: String,
    last_activity_at: i64,
    last_reply_id: i64,
    last_read_id: Option<i64>,
    status: String,
    published_at: i64,
    cover_version: Option<i64>,
}

/// The columns of a [`SummaryRow`] and the visibility condition for `who`. With `drafts`, the
/// viewer's own unpublished articles count too.
pub(super) fn summary_select(who: &Who, drafts: bool) -> String {
    let me = &who.id;
    let published = if drafts {
        format!("(t.status = 'published' OR t.author_id = {me})")
    } else {
        "t.status = 'published'".to_owned()
    };
    format!(
        "SELECT t.id, t.kind, t.title, t.author_id, u.display_name AS name, u.handle,
                s.name AS space_name, s.slug, c.name AS category, t.reply_count,
                t.accepted_reply_id, t.pinned_at, t.locked_at, t.body_md, t.last_activity_at,
                t.last_reply_id, tr.last_read_id, t.status, t.published_at, t.cover_version
         FROM topics t JOIN users u ON u.id = t.author_id
         LEFT JOIN spaces s ON s.id = t.space_id
         LEFT JOIN forum_categories c ON c.id = t.category_id
         LEFT JOIN topic_readers tr ON tr.topic_id = t.id AND tr.user_id = {me}
         WHERE {published} AND (t.space_id IS NULL OR {})",
        space_readable("s", who)
    )
}

/// The topics `q` asks for that the viewer may read, unordered: the select and its filters,
/// their values bound into `args`.
fn filtered<'q>(args: &mut Args<'q>, viewer: Viewer, q: &'q ListQuery) -> String {
    let who = Who::viewer(args, viewer);
    let mut sql = summary_select(&who, q.drafts);
    if let Some(kind) = q.kind {
        sql.push_str(&format!(" AND t.kind = {}", args.add(kind.as_str())));
    }
    match q.space.as_deref() {
        None => {}
        Some("") => sql.push_str(" AND t.space_id IS NULL AND t.blog_of IS NULL"),
        Some(slug) => sql.push_str(&format!(" AND s.slug = {}", args.add(slug))),
    }
    if !q.tag.is_empty() {
        let tag = args.add(q.tag.trim().to_lowercase());
        sql.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM tags tg WHERE tg.target_kind = 'topic'
                  AND tg.target_id = t.id AND tg.tag = {tag})"
        ));
    }
    if let Some(owner) = q.blog_of {
        sql.push_str(&format!(" AND t.blog_of = {}", args.add(owner)));
    }
    if let Some(c) = q.category {
        sql.push_str(&format!(" AND t.category_id = {}", args.add(c)));
    }
    match q.filter.as_str() {
        "unanswered" => sql.push_str(" AND t.reply_count = 0 AND t.accepted_reply_id IS NULL"),
        "solved" => sql.push_str(" AND t.accepted_reply_id IS NOT NULL"),
        _ => {}
    }
    sql
}

/// One page of topics the viewer may read.
pub async fn list(db: &Db, viewer: Viewer, q: &ListQuery) -> AppResult<TopicList> {
    // Questions newest asked first, articles newest published, threads latest active.
    let key = match q.kind {
        Some(TopicKind::Question) => "t.id",
        Some(TopicKind::Article) => "t.published_at",
        _ => "t.last_activity_at",
    };
    let after = cursor::decode(&q.after, 2)?;
    let threads = q.kind == Some(TopicKind::Thread);
    let mut rows: Vec<SummaryRow> = Vec::new();
    if threads && after.is_none() {
        // Pinned threads (a moderator's few) head the first page, newest pinned first.
        let mut args = Args::new();
        let base = filtered(&mut args, viewer, q);
        let limit = args.add(100_i64);
        let sql =
            format!("{base} AND t.pinned_at IS NOT NULL ORDER BY t.pinned_at DESC LIMIT {limit}");
        rows = sqlx::query_as_with(&sql, args).fetch_all(&db.pool).await?;
    }
    let mut args = Args::new();
    let mut sql = filtered(&mut args, viewer, q);
    if threads {
        sql.push_str(" AND t.pinned_at IS NULL");
    }
    if let Some([k, id]) = after.as_deref() {
        let (k, id) = (args.add(*k), args.add(*id));
        sql.push_str(&format!(
            " AND ({key} < {k} OR ({key} = {k} AND t.id < {id}))"
        ));
    }
    let limit = args.add(PAGE + 1);
    sql.push_str(&format!(" ORDER BY {key} DESC, t.id DESC LIMIT {limit}"));
    let mut page: Vec<SummaryRow> = sqlx::query_as_with(&sql, args).fetch_all(&db.pool).await?;
    let next = (page.len() as i64 > PAGE).then(|| {
        page.truncate(PAGE as usize);
        page.last().map_or_else(String::new, |last| {
            let k = match q.kind {
                Some(TopicKind::Question) => last.id,
                Some(TopicKind::Article) => last.published_at,
                _ => last.last_activity_at,
            };
            cursor::encode(&[k, last.id])
        })
    });
    rows.extend(page);
    Ok(TopicList {
        items: summaries(db, rows).await?,
        next,
    })
}

/// Turns rows into list lines, with each topic's tags (one query for all).
pub(super) async fn summaries(db: &Db, rows: Vec<SummaryRow>) -> AppResult<Vec<TopicSummary>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let mut tags: HashMap<i64, Vec<String>> = HashMap::new();
    if !ids.is_empty() {
        let mut args = Args::new();
        let sql = format!(
            "SELECT target_id, tag FROM tags WHERE target_kind = 'topic' AND target_id IN ({})
             ORDER BY tag",
            args.list(ids.iter().copied())
        );
        let found: Vec<(i64, String)> = sqlx::query_as_with(&sql, args).fetch_all(&db.pool).await?;
        for (id, tag) in found {
            tags.entry(id).or_default().push(tag);
        }
    }
    Ok(rows
        .into_iter()
        .map(|r| {
            let unread = match r.last_read_id {
                Some(read) if r.last_reply_id > read => 1,
                _ => 0,
            };
            let kind = TopicKind::parse(&r.kind).unwrap_or(TopicKind::Thread);
            TopicSummary {
                id: TopicId(r.id),
                kind,
                author: crate::server::topics::person_link(r.name, r.handle, r.author_id),
                space: r.space_name.zip(r.slug).map(|(text, slug)| Link {
                    text,
                    href: format!("/s/{slug}"),
                }),
                category: r.category,
                tags: tags.remove(&r.id).unwrap_or_default(),
                replies: r.reply_count,
                unread,
                // Articles are read, not followed: no "new" marker on a blog.
                new: r.last_read_id.is_none() && kind != TopicKind::Article,
                solved: r.accepted_reply_id.is_some(),
                pinned: r.pinned_at.is_some(),
                locked: r.locked_at.is_some(),
                status: ArticleStatus::parse(&r.status).unwrap_or(ArticleStatus::Published),
                excerpt: excerpt(&r.body_md, 160),
                at: if kind == TopicKind::Article {
                    r.published_at
                } else {
                    r.last_activity_at
                },
                cover_url: r
                    .cover_version
                    .map(|v| crate::domain::discussion::article_cover_url(TopicId(r.id), 600, v)),
                title: r.title,
            }
        })
        .collect())
}
