//! Creating a space, its topics, the site's creation policy, archiving and deleting.

use crate::domain::activity::Verb;
use crate::domain::ids::SpaceId;
use crate::server::effects::{self, Happened, Search};
use crate::server::infra::db::{is_unique_violation, now, Db};
use crate::server::policy::Viewer;

use crate::domain::profile::Tags;
use crate::domain::space::{
    check_description, check_name, JoinPolicy, Slug, SpaceRole, Visibility,
};
use crate::error::{AppError, AppResult, FormErrors};
use crate::server::policy::spaces::{
    may_create_space, require_space_moderator, require_space_owner,
};
use crate::server::spaces::{add_member, save_tags};

/// What the "new space" form sends.
#[derive(Debug, Default)]
pub struct NewSpace {
    pub name: String,
    pub slug: String,
    pub description: String,
    pub visibility: String,
    pub join_policy: String,
    /// Slug of the parent space, or empty.
    pub parent: String,
    /// Topics, comma-separated.
    pub tags: String,
}

/// Sets who may create spaces (site admins only): `authors` or `everyone`.
pub async fn set_creation_policy(db: &Db, viewer: Viewer, authors_only: bool) -> AppResult<()> {
    if !viewer.admin {
        return Err(AppError::Forbidden);
    }
    let value = if authors_only { "authors" } else { "everyone" };
    crate::server::infra::settings::set(db, "space_creation", value).await
}

/// Replaces a space's topics (its owners and moderators).
pub async fn set_tags(db: &Db, viewer: Viewer, slug: &str, tags: &str) -> AppResult<()> {
    let space = require_space_moderator(db, viewer, slug).await?;
    let parsed = Tags::parse(tags)
        .map_err(|m| AppError::Validation(FormErrors::single("tags", m).keep("tags", tags)))?;
    let mut tx = db.begin().await?;
    save_tags(&mut tx, space, &parsed).await?;
    let tagged = Happened::to_space(viewer.id, Verb::Tagged, space).index(Search::Space(space));
    effects::apply(&mut tx, tagged).await?;
    tx.commit().await?;
    Ok(())
}

/// Creates a space with its creator as owner; returns its slug.
pub async fn create(db: &Db, viewer: Viewer, input: NewSpace) -> AppResult<String> {
    if !may_create_space(db, viewer).await? {
        return Err(AppError::Forbidden);
    }
    let mut errors = FormErrors::new();
    let tags = Tags::parse(&input.tags)
        .map_err(|m| errors.add("tags", m))
        .unwrap_or_default();
    let name = check_name(&input.name)
        .map_err(|m| errors.add("name", m))
        .ok();
    let slug_text = if input.slug.trim().is_empty() {
        Slug::suggest(&input.name)
    } else {
        input.slug.clone()
    };
    let slug = Slug::parse(&slug_text)
        .map_err(|m| errors.add("slug", m))
        .ok();
    let description = check_description(&input.description)
        .map_err(|m| errors.add("description", m))
        .ok();
    let visibility = Visibility::parse(&input.visibility);
    if visibility.is_none() {
        errors.add("visibility", "Choose who can see the space.");
    }
    let policy = JoinPolicy::parse(&input.join_policy);
    if policy.is_none() {
        errors.add("join_policy", "Choose how people join.");
    }
    let parent = match input.parent.trim() {
        "" => None,
        p => {
            let found: Option<(i64,)> = sqlx::query_as(
                "SELECT s.id FROM spaces s WHERE s.slug = $1 AND ($3 = 1 OR EXISTS (
                   SELECT 1 FROM space_members m WHERE m.space_id = s.id AND m.user_id = $2))",
            )
            .bind(p)
            .bind(viewer.id)
            .bind(viewer.admin_flag())
            .fetch_optional(&db.pool)
            .await?;
            if found.is_none() {
                errors.add(
                    "parent",
                    "Sub-spaces can only be made inside spaces you belong to.",
                );
            }
            found.map(|(id,)| id)
        }
    };
    let keep = |e: FormErrors| {
        e.keep("name", &input.name)
            .keep("slug", &input.slug)
            .keep("description", &input.description)
            .keep("visibility", &input.visibility)
            .keep("join_policy", &input.join_policy)
            .keep("parent", &input.parent)
            .keep("tags", &input.tags)
    };
    let (Some(name), Some(slug), Some(description), Some(visibility), Some(policy)) =
        (name, slug, description, visibility, policy)
    else {
        return Err(AppError::Validation(keep(errors)));
    };
    if !errors.is_empty() {
        return Err(AppError::Validation(keep(errors)));
    }

    let now = now();
    let mut tx = db.begin().await?;
    let inserted: Result<(SpaceId,), sqlx::Error> = sqlx::query_as(
        "INSERT INTO spaces (slug, name, description, visibility, join_policy, parent_id,
                             created_by, created_at, last_activity_at, member_count)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, 1) RETURNING id",
    )
    .bind(slug.as_str())
    .bind(&name)
    .bind(&description)
    .bind(visibility.as_str())
    .bind(policy.as_str())
    .bind(parent)
    .bind(viewer.id)
    .bind(now)
    .fetch_one(&mut *tx)
    .await;
    let id = match inserted {
        Ok((id,)) => id,
        Err(e) if is_unique_violation(&e) => {
            return Err(AppError::Conflict(keep(FormErrors::single(
                "slug",
                "That address is taken. Try another.",
            ))))
        }
        Err(e) => return Err(e.into()),
    };
    add_member(&mut tx, id, viewer.id, SpaceRole::Owner).await?;
    save_tags(&mut tx, id, &tags).await?;
    let created = Happened::to_space(viewer.id, Verb::Created, id).index(Search::Space(id));
    effects::apply(&mut tx, created).await?;
    tx.commit().await?;
    Ok(slug.as_str().to_owned())
}

/// Archives a space (read-only: no posts, comments, reactions or joins) or brings it back.
pub async fn set_archived(db: &Db, viewer: Viewer, slug: &str, archived: bool) -> AppResult<()> {
    let (id, _) = require_space_owner(db, viewer, slug).await?;
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE spaces SET archived_at = $1 WHERE id = $2")
        .bind(archived.then(now))
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let verb = if archived {
        Verb::Archived
    } else {
        Verb::Unarchived
    };
    effects::apply(&mut tx, Happened::to_space(viewer.id, verb, id)).await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes a space with everything on it. The owner types its name to confirm; a space with
/// sub-spaces cannot be deleted until they are.
pub async fn delete(db: &Db, viewer: Viewer, slug: &str, confirm_name: &str) -> AppResult<()> {
    let (id, name) = require_space_owner(db, viewer, slug).await?;
    if confirm_name.trim() != name {
        return Err(AppError::Validation(FormErrors::single(
            "confirm_name",
            format!("Type the space's name, {name}, exactly to delete it."),
        )));
    }
    let (children,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM spaces WHERE parent_id = $1")
        .bind(id)
        .fetch_one(&db.pool)
        .await?;
    if children > 0 {
        return Err(AppError::Conflict(FormErrors::single(
            "confirm_name",
            "This space has sub-spaces. Delete them first.",
        )));
    }
    let mut tx = db.begin().await?;
    // The space's rows go with it, its activity records too: they would point at nothing.
    sqlx::query("DELETE FROM spaces WHERE id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    // Recorded outside the space, which is gone with its activity.
    let deleted = Happened::new(viewer.id, Verb::Deleted, effects::Object::space(id));
    effects::apply(&mut tx, deleted).await?;
    tx.commit().await?;
    Ok(())
}
