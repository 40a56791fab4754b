//! Who may read and write on a blog, and edit an article.

use crate::domain::discussion::TopicKind;
use crate::domain::ids::{SpaceId, TopicId, UserId};
use crate::error::{AppError, AppResult};
use crate::server::infra::db::Db;
use crate::server::policy::forums::forum_place;
use crate::server::policy::topics::topic_standing;
use crate::server::policy::Viewer;
use crate::server::profiles;

/// Which blog: a person's (by handle) or a space's (by slug).
#[derive(Debug, Clone, Copy)]
pub enum BlogOf<'a> {
    Person(&'a str),
    Space(&'a str),
}

impl<'a> BlogOf<'a> {
    /// From the key forms carry: `u:handle` or `s:slug`.
    pub fn parse(key: &'a str) -> Option<BlogOf<'a>> {
        match key.split_once(':') {
            Some(("u", h)) if !h.is_empty() => Some(BlogOf::Person(h)),
            Some(("s", s)) if !s.is_empty() => Some(BlogOf::Space(s)),
            _ => None,
        }
    }
}

/// A blog as the viewer stands on it.
pub struct BlogStanding {
    pub owner: Option<UserId>,
    pub space: Option<SpaceId>,
    pub key: String,
    pub title: String,
    pub href: String,
    /// The person themselves; a space's moderators.
    pub may_write: bool,
    /// Articles here may be public (person blogs, public spaces).
    pub may_be_public: bool,
}

/// Where the viewer stands on the blog `of`.
pub async fn blog_at(db: &Db, viewer: Viewer, of: BlogOf<'_>) -> AppResult<BlogStanding> {
    Ok(match of {
        BlogOf::Person(handle) => {
            let (id, name, handle) = profiles::by_handle(db, handle).await?;
            BlogStanding {
                owner: Some(id),
                space: None,
                key: format!("u:{handle}"),
                title: format!("{name}'s blog"),
                href: format!("/u/{handle}/blog"),
                may_write: viewer.is(id),
                may_be_public: true,
            }
        }
        BlogOf::Space(slug) => {
            let at = forum_place(db, viewer, slug).await?;
            BlogStanding {
                owner: None,
                space: at.space,
                key: format!("s:{}", at.slug),
                title: format!("Blog of {}", at.name),
                href: format!("/s/{}/blog", at.slug),
                may_write: at.moderates && !at.archived && viewer.is_signed_in(),
                may_be_public: at.public,
            }
        }
    })
}

/// The blog of article `id`, if the viewer may change the article (its author; the space's
/// moderators; the blog's owner).
pub async fn article_blog(db: &Db, viewer: Viewer, id: TopicId) -> AppResult<BlogStanding> {
    let at = topic_standing(db, viewer, id).await?;
    if at.kind != TopicKind::Article {
        return Err(AppError::NotFound);
    }
    if !at.may_change(viewer) || !viewer.is_signed_in() {
        return Err(AppError::Forbidden);
    }
    let row: (Option<String>, Option<String>) = sqlx::query_as(
        "SELECT u.handle, s.slug FROM topics t LEFT JOIN users u ON u.id = t.blog_of
         LEFT JOIN spaces s ON s.id = t.space_id WHERE t.id = $1",
    )
    .bind(id)
    .fetch_one(&db.pool)
    .await?;
    let mut blog = match row {
        (_, Some(slug)) => blog_at(db, viewer, BlogOf::Space(&slug)).await?,
        (Some(handle), None) => blog_at(db, viewer, BlogOf::Person(&handle)).await?,
        (None, None) => return Err(AppError::NotFound),
    };
    // The author keeps editing what they wrote, as do moderators.
    blog.may_write = true;
    Ok(blog)
}

/// The article's cover may be changed by the viewer: its id back, or why not.
pub async fn require_article_editable(db: &Db, viewer: Viewer, id: TopicId) -> AppResult<TopicId> {
    article_blog(db, viewer, id).await.map(|_| id)
}
