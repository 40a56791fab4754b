//! A blog's Atom feed of its public articles.

use crate::domain::time::format_rfc3339;
use crate::error::{AppError, AppResult};
use crate::server::infra::db::Db;
use crate::server::policy::blogs::{blog_at, BlogOf};
use crate::server::policy::Viewer;

/// The blog's Atom feed: its public articles, newest first. `base` is the site's address
/// (`https://learn.example.com`), for the absolute links feeds need.
pub async fn atom(db: &Db, of: BlogOf<'_>, base: &str) -> AppResult<String> {
    let blog = blog_at(db, Viewer::SIGNED_OUT, of)
        .await
        .map_err(|e| match e {
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
        .bind(blog.owner.map(i64::from).or(blog.space.map(i64::from)))
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

/// Text escaped for XML (the same entities as for HTML).
use crate::domain::markup::escape as xml;

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
