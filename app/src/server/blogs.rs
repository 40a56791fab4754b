//! Blogs: one per person and one per space. Articles are topics of kind `article` with a
//! title, Markdown body, cover, tags, and a state: draft (its author's only), scheduled (the
//! server publishes it at its time) or published. Comments and reactions are the topics'.
//! Public articles (person blogs and public spaces' only) are readable signed out and fill
//! the blog's Atom feed.

use super::access::Viewer;
use super::activity::{self, Activity};
use super::db::{now, Db};
use super::forums;
use super::profiles;
use super::topics::{self, ListQuery};
use crate::domain::discussion::{
    article_cover_url, check_title, ArticleForm, ArticleStatus, BlogView, TopicKind,
};
use crate::domain::profile::Tags;
use crate::domain::time::{format_input, format_rfc3339, parse_input};
use crate::error::{AppError, AppResult, FormErrors};

/// The longest article, in characters.
pub const MAX_ARTICLE: usize = 100_000;

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
struct Blog {
    owner: Option<i64>,
    space: Option<i64>,
    key: String,
    title: String,
    href: String,
    /// The person themselves; a space's moderators.
    may_write: bool,
    /// Articles here may be public (person blogs, public spaces).
    may_be_public: bool,
}

async fn blog_at(db: &Db, viewer: Viewer, of: BlogOf<'_>) -> AppResult<Blog> {
    Ok(match of {
        BlogOf::Person(handle) => {
            let (id, name, handle) = profiles::by_handle(db, handle).await?;
            Blog {
                owner: Some(id),
                space: None,
                key: format!("u:{handle}"),
                title: format!("{name}'s blog"),
                href: format!("/u/{handle}/blog"),
                may_write: id == viewer.id,
                may_be_public: true,
            }
        }
        BlogOf::Space(slug) => {
            let at = forums::place(db, viewer, slug).await?;
            Blog {
                owner: None,
                space: at.space,
                key: format!("s:{}", at.slug),
                title: format!("Blog of {}", at.name),
                href: format!("/s/{}/blog", at.slug),
                may_write: at.moderates && !at.archived && viewer.id != 0,
                may_be_public: at.public,
            }
        }
    })
}

fn list_of(blog: &Blog, after: &str) -> ListQuery {
    ListQuery {
        kind: Some(TopicKind::Article),
        space: match blog.space {
            Some(_) => blog.key.strip_prefix("s:").map(str::to_owned),
            None => None,
        },
        blog_of: blog.owner,
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
        id: 0,
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
pub async fn edit_form(db: &Db, viewer: Viewer, id: i64) -> AppResult<ArticleForm> {
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
    let tags = topics::tags_of(&mut conn, id).await?.join(", ");
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

/// The blog of article `id`, if the viewer may change the article (its author; the space's
/// moderators; the blog's owner).
async fn article_blog(db: &Db, viewer: Viewer, id: i64) -> AppResult<Blog> {
    let at = topics::standing(db, viewer, id).await?;
    if at.kind != TopicKind::Article {
        return Err(AppError::NotFound);
    }
    if !at.may_change(viewer) || viewer.id == 0 {
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
pub async fn save(db: &Db, viewer: Viewer, input: ArticleInput) -> AppResult<i64> {
    let blog = if input.id == 0 {
        let of = BlogOf::parse(&input.blog)
            .ok_or_else(|| AppError::BadRequest("Say which blog to write on.".into()))?;
        let blog = blog_at(db, viewer, of).await?;
        if !blog.may_write {
            return Err(AppError::Forbidden);
        }
        blog
    } else {
        article_blog(db, viewer, input.id).await?
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
    let (html, _) = profiles::render_mentions(db, &body).await?;
    let mut tx = db.begin().await?;
    let (id, was_published) = if input.id == 0 {
        let (id,): (i64,) = sqlx::query_as(
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
        (input.id, was)
    };
    topics::set_tags(&mut tx, id, &tags).await?;
    topics::index(&mut tx, id).await?;
    if status == ArticleStatus::Published && !was_published {
        announce_published(&mut tx, id, viewer.id, blog.space).await?;
    }
    topics::announce(&mut tx, id, viewer.id).await?;
    tx.commit().await?;
    Ok(id)
}

async fn announce_published(
    tx: &mut sqlx::AnyConnection,
    id: i64,
    author: i64,
    space: Option<i64>,
) -> AppResult<()> {
    let act = Activity {
        actor: author,
        verb: TopicKind::Article.created_verb(),
        object_type: "topic",
        object_id: id,
        space,
        wall: None,
    };
    activity::record(tx, act).await?;
    Ok(())
}

/// Publishes the scheduled articles whose time has come; returns how many. Safe to run on
/// several instances at once: each article is taken by one `UPDATE`.
pub async fn publish_due(db: &Db) -> AppResult<usize> {
    let due: Vec<(i64,)> = sqlx::query_as(
        "SELECT id FROM topics WHERE status = 'scheduled' AND published_at <= $1 ORDER BY id LIMIT 100",
    )
    .bind(now())
    .fetch_all(&db.pool)
    .await?;
    let mut done = 0;
    for (id,) in due {
        let mut tx = db.begin().await?;
        let taken: Option<(i64, Option<i64>)> = sqlx::query_as(
            "UPDATE topics SET status = 'published' WHERE id = $1 AND status = 'scheduled'
             RETURNING author_id, space_id",
        )
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some((author, space)) = taken {
            topics::index(&mut tx, id).await?;
            announce_published(&mut tx, id, author, space).await?;
            done += 1;
        }
        tx.commit().await?;
    }
    Ok(done)
}

/// The blog's Atom feed: its public articles, newest first. `base` is the site's address
/// (`https://learn.example.com`), for the absolute links feeds need.
pub async fn atom(db: &Db, of: BlogOf<'_>, base: &str) -> AppResult<String> {
    let anonymous = Viewer {
        id: 0,
        admin: false,
    };
    let blog = blog_at(db, anonymous, of).await.map_err(|e| match e {
        AppError::Forbidden => AppError::NotFound,
        e => e,
    })?;
    if !blog.may_be_public {
        return Err(AppError::NotFound);
    }
    let sql =
        format!(
        "SELECT t.id, t.title, t.body_html, t.published_at, COALESCE(t.edited_at, t.published_at),
                u.display_name
         FROM topics t JOIN users u ON u.id = t.author_id
         WHERE t.kind = 'article' AND t.status = 'published' AND t.public = 1 AND {}
         ORDER BY t.published_at DESC, t.id DESC LIMIT 30",
        if blog.owner.is_some() { "t.blog_of = $1" } else { "t.space_id = $1" }
    );
    let rows: Vec<(i64, String, String, i64, i64, String)> = sqlx::query_as(&sql)
        .bind(blog.owner.or(blog.space).unwrap_or(0))
        .fetch_all(&db.pool)
        .await?;
    let base = base.trim_end_matches('/');
    let updated = rows.iter().map(|r| r.4).max().unwrap_or(0);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    out.push_str(&format!(
        "  <title>{}</title>\n  <id>{base}{}</id>\n  <link rel=\"alternate\" href=\"{base}{}\"/>\n  <link rel=\"self\" href=\"{base}{}/feed.xml\"/>\n  <updated>{}</updated>\n",
        xml(&blog.title),
        blog.href,
        blog.href,
        blog.href,
        format_rfc3339(updated)
    ));
    for (id, title, html, published, edited, author) in rows {
        out.push_str(&format!(
            "  <entry>\n    <title>{}</title>\n    <id>{base}/t/{id}</id>\n    <link rel=\"alternate\" href=\"{base}/t/{id}\"/>\n    <published>{}</published>\n    <updated>{}</updated>\n    <author><name>{}</name></author>\n    <content type=\"html\">{}</content>\n  </entry>\n",
            xml(&title),
            format_rfc3339(published),
            format_rfc3339(edited),
            xml(&author),
            xml(&html)
        ));
    }
    out.push_str("</feed>\n");
    Ok(out)
}

/// Text escaped for XML.
fn xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The article's cover may be changed by the viewer: its id back, or why not.
pub async fn require_editable(db: &Db, viewer: Viewer, id: i64) -> AppResult<i64> {
    article_blog(db, viewer, id).await.map(|_| id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blog_keys_name_a_person_or_a_space() {
        assert!(matches!(
            BlogOf::parse("u:ana"),
            Some(BlogOf::Person("ana"))
        ));
        assert!(matches!(
            BlogOf::parse("s:rust"),
            Some(BlogOf::Space("rust"))
        ));
        assert!(BlogOf::parse("x:y").is_none() && BlogOf::parse("u:").is_none());
    }

    #[test]
    fn feed_text_is_escaped() {
        assert_eq!(
            xml("<b>\"R&D\"</b>"),
            "&lt;b&gt;&quot;R&amp;D&quot;&lt;/b&gt;"
        );
    }
}
