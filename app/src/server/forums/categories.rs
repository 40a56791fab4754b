//! A forum's categories, as topics need them: listed, and checked when a thread picks one.

use crate::domain::discussion::Category;
use crate::domain::ids::{CategoryId, SpaceId};
use crate::error::AppResult;
use crate::server::infra::db::Db;

/// The categories of a space's forum (or the site's), by name.
pub async fn categories_of(db: &Db, space: Option<SpaceId>) -> AppResult<Vec<Category>> {
    let rows: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT id, name, description FROM forum_categories
         WHERE COALESCE(space_id, 0) = $1 ORDER BY name, id",
    )
    .bind(space.map_or(0, i64::from))
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, description)| Category {
            id: CategoryId(id),
            name,
            description,
        })
        .collect())
}

/// Whether `category` belongs to the forum of `space` (or the site's).
pub async fn in_forum(db: &Db, category: CategoryId, space: Option<SpaceId>) -> AppResult<bool> {
    let found: Option<(i64,)> = sqlx::query_as(
        "SELECT id FROM forum_categories WHERE id = $1 AND COALESCE(space_id, 0) = $2",
    )
    .bind(category)
    .bind(space.map_or(0, i64::from))
    .fetch_optional(&db.pool)
    .await?;
    Ok(found.is_some())
}
