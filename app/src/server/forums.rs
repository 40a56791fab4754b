//! Forums: the site's and each space's, with categories that moderators set. A forum's
//! threads are topics (see [`super::topics`]); this is the forum around them.

use super::access::{space_listed, space_readable, Viewer};
use super::db::{is_unique_violation, now, Db};
use super::topics::{self, ListQuery};
use crate::domain::discussion::{Category, ForumView, TopicKind};
use crate::domain::space::{SpaceRole, Visibility};
use crate::error::{AppError, AppResult, FormErrors};

/// A space (or, with an empty address, the site) as a place to post in.
pub(crate) struct Place {
    pub space: Option<i64>,
    pub slug: String,
    /// The space's name; empty for the site.
    pub name: String,
    /// A public space (everyone signed in reads it), or the site.
    pub public: bool,
    /// Members post (everyone signed in, on the site); archived spaces are read-only.
    pub member: bool,
    pub archived: bool,
    /// Space moderators and site admins (the site's forum: admins).
    pub moderates: bool,
}

/// The place at `slug` if the viewer may read it: `NotFound` for what they may not know of,
/// `Forbidden` for a private space they are not in.
pub(crate) async fn place(db: &Db, viewer: Viewer, slug: &str) -> AppResult<Place> {
    let slug = slug.trim();
    if slug.is_empty() {
        return Ok(Place {
            space: None,
            slug: String::new(),
            name: String::new(),
            public: true,
            member: viewer.id != 0,
            archived: false,
            moderates: viewer.admin,
        });
    }
    let sql = format!(
        "SELECT s.id, s.name, s.visibility, s.archived_at, m.role,
                CASE WHEN {} THEN 1 ELSE 0 END
         FROM spaces s LEFT JOIN space_members m ON m.space_id = s.id AND m.user_id = $2
         WHERE s.slug = $1 AND {}",
        space_readable("s", 2, 3),
        space_listed("s", 2, 3)
    );
    type Row = (i64, String, String, Option<i64>, Option<String>, i64);
    let row: Option<Row> = sqlx::query_as(&sql)
        .bind(slug)
        .bind(viewer.id)
        .bind(viewer.admin_flag())
        .fetch_optional(&db.pool)
        .await?;
    let (id, name, visibility, archived, role, readable) = row.ok_or(AppError::NotFound)?;
    if readable == 0 {
        return Err(AppError::Forbidden);
    }
    let role = role.as_deref().and_then(SpaceRole::parse);
    Ok(Place {
        space: Some(id),
        slug: slug.to_owned(),
        name,
        public: Visibility::parse(&visibility) == Some(Visibility::Public),
        member: role.is_some(),
        archived: archived.is_some(),
        moderates: viewer.admin || role.is_some_and(SpaceRole::moderates),
    })
}

/// The categories of a space's forum (or the site's), by name.
pub async fn categories_of(db: &Db, space: Option<i64>) -> AppResult<Vec<Category>> {
    let rows: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT id, name, description FROM forum_categories
         WHERE COALESCE(space_id, 0) = $1 ORDER BY name, id",
    )
    .bind(space.unwrap_or(0))
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, description)| Category {
            id,
            name,
            description,
        })
        .collect())
}

/// Whether `category` belongs to the forum of `space` (or the site's).
pub async fn in_forum(db: &Db, category: i64, space: Option<i64>) -> AppResult<bool> {
    let found: Option<(i64,)> = sqlx::query_as(
        "SELECT id FROM forum_categories WHERE id = $1 AND COALESCE(space_id, 0) = $2",
    )
    .bind(category)
    .bind(space.unwrap_or(0))
    .fetch_optional(&db.pool)
    .await?;
    Ok(found.is_some())
}

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
    let at = place(db, viewer, &q.slug).await?;
    let categories = categories_of(db, at.space).await?;
    if let Some(c) = q.category {
        if !categories.iter().any(|x| x.id == c) {
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
        category: q.category,
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
    let at = place(db, viewer, slug).await?;
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
    let at = place(db, viewer, slug.as_deref().unwrap_or_default()).await?;
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
