//! A blog's page and the article form.

use crate::domain::discussion::{
    article_cover_url, ArticleForm, ArticleStatus, BlogView, TopicKind,
};
use crate::domain::ids::TopicId;
use crate::domain::time::format_input;
use crate::error::{AppError, AppResult};
use crate::server::infra::db::{now, Db};
use crate::server::policy::blogs::{article_blog, blog_at, BlogOf, BlogStanding};
use crate::server::policy::Viewer;
use crate::server::topics::{self, ListQuery};

fn list_of(blog: &BlogStanding, after: &str) -> ListQuery {
    ListQuery {
        kind: Some(TopicKind::Article),
        space: match blog.space {
            Some(_) => blog.key.strip_prefix("s:").map(str::to_owned),
            None => None,
        },
        blog_of: blog.owner.map(i64::from),
        drafts: blog.may_write,
        after: after.to_owned(),
        ..Default::default()
    }
}

/// A blog and a page of its articles, newest first; its writers see their drafts too.
pub async fn blog(db: &Db, viewer: Viewer, of: BlogOf<'_>, after: &str) -> AppResult<BlogView> {
    let blog = blog_at(db, viewer, of).await?;
    let articles = topics::list(db, viewer, &list_of(&blog, after)).await?;
    Ok(BlogView {
        feed: blog
            .may_be_public
            .then(|| format!("{}/feed.xml", blog.href)),
        title: blog.title,
        key: blog.key,
        href: blog.href,
        may_write: blog.may_write,
        articles,
    })
}

/// The editor's form for a new article on a blog the viewer writes.
pub async fn new_form(db: &Db, viewer: Viewer, of: BlogOf<'_>) -> AppResult<ArticleForm> {
    let blog = blog_at(db, viewer, of).await?;
    if !blog.may_write {
        return Err(AppError::Forbidden);
    }
    Ok(ArticleForm {
        id: TopicId(0),
        blog: blog.key,
        blog_title: blog.title,
        blog_href: blog.href,
        title: String::new(),
        body: String::new(),
        tags: String::new(),
        status: ArticleStatus::Draft,
        publish_at: format_input(now() + 3600),
        public: false,
        may_be_public: blog.may_be_public,
        cover_url: None,
    })
}

/// The editor's form for an article the viewer may change.
pub async fn edit_form(db: &Db, viewer: Viewer, id: TopicId) -> AppResult<ArticleForm> {
    let blog = article_blog(db, viewer, id).await?;
    type Row = (String, String, String, i64, i64, Option<i64>);
    let (title, body, status, published, public, cover): Row = sqlx::query_as(
        "SELECT title, body_md, status, published_at, public, cover_version FROM topics
         WHERE id = $1",
    )
    .bind(id)
    .fetch_one(&db.pool)
    .await?;
    let mut conn = db.pool.acquire().await?;
    let tags = crate::server::tags::of_in(&mut conn, id).await?.join(", ");
    let status = ArticleStatus::parse(&status).unwrap_or(ArticleStatus::Draft);
    Ok(ArticleForm {
        id,
        blog: blog.key,
        blog_title: blog.title,
        blog_href: blog.href,
        title,
        body,
        tags,
        status,
        publish_at: format_input(if status == ArticleStatus::Scheduled {
            published
        } else {
            now() + 3600
        }),
        public: public == 1,
        may_be_public: blog.may_be_public,
        cover_url: cover.map(|v| article_cover_url(id, 600, v)),
    })
}
