//! Forums: the site's and each space's, with categories that moderators set. A forum's
//! threads are topics (see [`crate::server::topics`]); this is the forum around them.

pub mod categories;

use crate::domain::ids::CategoryId;
use crate::server::policy::forums::forum_place;

use crate::domain::discussion::{ForumView, TopicKind};
use crate::error::{AppError, AppResult, FormErrors};
use crate::server::forums::categories::categories_of;
use crate::server::infra::db::{is_unique_violation, now, Db};
use crate::server::policy::Viewer;
use crate::server::topics::{self, ListQuery};

/// What a forum page asks for.
#[derive(Debug, Clone, Default)]
pub struct ForumQuery {
    /// The space's address; empty for the site forum.
    pub slug: String,
    pub category: Option<i64>,
    pub tag: String,
    pub after: String,
}

/// A forum as its reader sees it: its categories and a page of threads.
pub async fn forum(db: &Db, viewer: Viewer, q: &ForumQuery) -> AppResult<ForumView> {
    let at = forum_place(db, viewer, &q.slug).await?;
    let categories = categories_of(db, at.space).await?;
    if let Some(c) = q.category {
        if !categories.iter().any(|x| x.id == CategoryId(c)) {
            return Err(AppError::NotFound);
        }
    }
    let list = ListQuery {
        kind: Some(TopicKind::Thread),
        space: Some(at.slug.clone()),
        category: q.category,
        tag: q.tag.clone(),
        after: q.after.clone(),
        ..Default::default()
    };
    Ok(ForumView {
        title: if at.space.is_some() {
            format!("Forum of {}", at.name)
        } else {
            "Site forum".to_owned()
        },
        slug: at.slug,
        categories,
        category: q.category.map(CategoryId),
        may_post: at.member && !at.archived,
        moderates: at.moderates,
        topics: topics::list(db, viewer, &list).await?,
    })
}

/// Adds a category to a forum: its moderators (the site's: admins).
pub async fn add_category(
    db: &Db,
    viewer: Viewer,
    slug: &str,
    name: &str,
    description: &str,
) -> AppResult<()> {
    let at = forum_place(db, viewer, slug).await?;
    if !at.moderates {
        return Err(AppError::Forbidden);
    }
    let clean = name.split_whitespace().collect::<Vec<_>>().join(" ");
    let description = description.trim();
    let invalid = |field: &str, message: String| {
        FormErrors::single(field, message)
            .keep("name", name)
            .keep("description", description)
    };
    let n = clean.chars().count();
    if !(2..=60).contains(&n) {
        let msg = "A category's name has 2 to 60 characters.".to_owned();
        return Err(AppError::Validation(invalid("name", msg)));
    }
    if description.chars().count() > 300 {
        let msg = "Keep the description under 300 characters.".to_owned();
        return Err(AppError::Validation(invalid("description", msg)));
    }
    let added = sqlx::query(
        "INSERT INTO forum_categories (space_id, name, description, created_at)
         VALUES ($1, $2, $3, $4)",
    )
    .bind(at.space)
    .bind(&clean)
    .bind(description)
    .bind(now())
    .execute(&db.pool)
    .await;
    match added {
        Ok(_) => Ok(()),
        Err(e) if is_unique_violation(&e) => Err(AppError::Conflict(invalid(
            "name",
            format!("This forum already has a category called “{clean}”."),
        ))),
        Err(e) => Err(e.into()),
    }
}

/// Removes a category; its threads stay, uncategorised. Its forum's moderators.
pub async fn remove_category(db: &Db, viewer: Viewer, category: i64) -> AppResult<()> {
    let row: Option<(Option<String>,)> = sqlx::query_as(
        "SELECT s.slug FROM forum_categories c LEFT JOIN spaces s ON s.id = c.space_id
         WHERE c.id = $1",
    )
    .bind(category)
    .fetch_optional(&db.pool)
    .await?;
    let (slug,) = row.ok_or(AppError::NotFound)?;
    let at = forum_place(db, viewer, slug.as_deref().unwrap_or_default()).await?;
    if !at.moderates {
        return Err(AppError::Forbidden);
    }
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE topics SET category_id = NULL WHERE category_id = $1")
        .bind(category)
        .execute(&mut *tx)
        .await?;
    sqlx::query("DELETE FROM forum_categories WHERE id = $1")
        .bind(category)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}
