//! Saving articles, and publishing scheduled ones when their time comes.

use crate::domain::discussion::{check_title, ArticleStatus, TopicKind};
use crate::domain::ids::{SpaceId, TopicId, UserId};
use crate::domain::profile::Tags;
use crate::domain::time::parse_input;
use crate::error::{AppError, AppResult, FormErrors};
use crate::server::blogs::MAX_ARTICLE;
use crate::server::effects::{self, mentions, Happened, Object, Search};
use crate::server::infra::db::{now, Db};
use crate::server::policy::blogs::{article_blog, blog_at, BlogOf};
use crate::server::policy::Viewer;
use crate::server::topics::{self};

/// An article as typed in the editor.
#[derive(Debug, Clone, Default)]
pub struct ArticleInput {
    /// 0 for a new article.
    pub id: i64,
    /// `u:handle` or `s:slug`, for a new article.
    pub blog: String,
    pub title: String,
    pub body: String,
    pub tags: String,
    /// `draft`, `scheduled` or `published`.
    pub status: String,
    /// For scheduled articles: `2026-12-01T09:00`, UTC.
    pub publish_at: String,
    pub public: bool,
}

impl ArticleInput {
    fn invalid(&self, f: FormErrors) -> AppError {
        AppError::Validation(
            f.keep("title", &self.title)
                .keep("body", &self.body)
                .keep("tags", &self.tags)
                .keep("status", &self.status)
                .keep("publish_at", &self.publish_at)
                .keep("public", if self.public { "on" } else { "" }),
        )
    }
}

/// Writes a new article or saves an existing one; returns its id. An article that becomes
/// published now is announced in its readers' feeds.
pub async fn save(db: &Db, viewer: Viewer, input: ArticleInput) -> AppResult<TopicId> {
    let blog = if input.id == 0 {
        let of = BlogOf::parse(&input.blog)
            .ok_or_else(|| AppError::BadRequest("Say which blog to write on.".into()))?;
        let blog = blog_at(db, viewer, of).await?;
        if !blog.may_write {
            return Err(AppError::Forbidden);
        }
        blog
    } else {
        article_blog(db, viewer, TopicId(input.id)).await?
    };
    let mut f = FormErrors::new();
    let title = check_title(&input.title)
        .map_err(|m| f.add("title", m))
        .unwrap_or_default();
    let body = input.body.trim().to_owned();
    let n = body.chars().count();
    if n == 0 {
        f.add("body", "Write the article first.");
    } else if n > MAX_ARTICLE {
        f.add(
            "body",
            format!("Articles can be at most {MAX_ARTICLE} characters; this one has {n}."),
        );
    }
    let tags = Tags::parse(&input.tags)
        .map_err(|m| f.add("tags", m))
        .unwrap_or_default();
    let status = ArticleStatus::parse(&input.status);
    let now = now();
    let published_at = match status {
        None => {
            f.add("status", "Choose draft, scheduled or published.");
            now
        }
        Some(ArticleStatus::Scheduled) => match parse_input(&input.publish_at) {
            Some(t) if t > now => t,
            Some(_) => {
                f.add("publish_at", "Choose a time in the future, or publish now.");
                now
            }
            None => {
                f.add(
                    "publish_at",
                    "Give the date and time (UTC) to publish it, like 2026-12-24T09:00.",
                );
                now
            }
        },
        Some(_) => now,
    };
    if input.public && !blog.may_be_public {
        f.add(
            "public",
            "Only articles on a person's blog or a public space's can be public.",
        );
    }
    if !f.is_empty() {
        return Err(input.invalid(f));
    }
    let status = status.unwrap_or(ArticleStatus::Draft);
    let (html, _) = mentions::render_mentions(db, &body).await?;
    let mut tx = db.begin().await?;
    let (id, was_published) = if input.id == 0 {
        let (id,): (TopicId,) = sqlx::query_as(
            "INSERT INTO topics (kind, space_id, blog_of, author_id, title, body_md, body_html,
                                 status, published_at, public, created_at, last_activity_at)
             VALUES ('article', $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
        )
        .bind(blog.space)
        .bind(blog.owner)
        .bind(viewer.id)
        .bind(&title)
        .bind(&body)
        .bind(&html)
        .bind(status.as_str())
        .bind(published_at)
        .bind(i64::from(input.public))
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        (id, false)
    } else {
        let (old, old_at): (String, i64) =
            sqlx::query_as("SELECT status, published_at FROM topics WHERE id = $1")
                .bind(input.id)
                .fetch_one(&mut *tx)
                .await?;
        let was = old == "published";
        // A published article keeps its date; one published now gets today's.
        let at = if was && status == ArticleStatus::Published {
            old_at
        } else {
            published_at
        };
        sqlx::query(
            "UPDATE topics SET title = $1, body_md = $2, body_html = $3, status = $4,
                    published_at = $5, public = $6, edited_at = $7 WHERE id = $8",
        )
        .bind(&title)
        .bind(&body)
        .bind(&html)
        .bind(status.as_str())
        .bind(at)
        .bind(i64::from(input.public))
        .bind(if was { Some(now) } else { None })
        .bind(input.id)
        .execute(&mut *tx)
        .await?;
        (TopicId(input.id), was)
    };
    topics::set_tags(&mut tx, id, &tags).await?;
    let saved = if status == ArticleStatus::Published && !was_published {
        published(id, viewer.id, blog.space)
    } else {
        Happened::unlogged(viewer.id)
    };
    let saved = topics::announced(saved.index(Search::Topic(id)), id, viewer.id);
    effects::apply(&mut tx, saved).await?;
    tx.commit().await?;
    Ok(id)
}

/// An article published now: its readers' feeds hear of it.
fn published(id: TopicId, author: UserId, space: Option<SpaceId>) -> Happened {
    Happened::new(author, TopicKind::Article.created_verb(), Object::topic(id)).in_space(space)
}

/// Publishes the scheduled articles whose time has come; returns how many. Safe to run on
/// several instances at once: each article is taken by one `UPDATE`.
pub async fn publish_due(db: &Db) -> AppResult<usize> {
    let due: Vec<(TopicId,)> = sqlx::query_as(
        "SELECT id FROM topics WHERE status = 'scheduled' AND published_at <= $1 ORDER BY id LIMIT 100",
    )
    .bind(now())
    .fetch_all(&db.pool)
    .await?;
    let mut done = 0;
    for (id,) in due {
        let mut tx = db.begin().await?;
        let taken: Option<(UserId, Option<SpaceId>)> = sqlx::query_as(
            "UPDATE topics SET status = 'published' WHERE id = $1 AND status = 'scheduled'
             RETURNING author_id, space_id",
        )
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some((author, space)) = taken {
            let out = published(id, author, space).index(Search::Topic(id));
            effects::apply(&mut tx, out).await?;
            done += 1;
        }
        tx.commit().await?;
    }
    Ok(done)
}
