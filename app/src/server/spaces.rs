//! Spaces: creation, the directory, one space's page, membership and join requests.
//! Every query carries its visibility condition (see [`super::access`]).

use super::access::{space_listed, space_readable, Viewer};
use super::activity::{self, Activity};
use super::cursor;
use super::db::{is_unique_violation, now, Db};
use super::events;
use super::notifications::{self, Notice};
use crate::domain::notification::NotificationKind;
use crate::domain::realtime::{topic, EventBody};
use std::collections::HashMap;

use super::access::placeholders;
use crate::domain::profile::Tags;
use crate::domain::space::{
    check_description, check_name, cover_url, Directory, DirectorySort, JoinPolicy, Member,
    PersonRef, Slug, SpaceRole, SpaceSummary, SpaceView, Visibility,
};
use crate::error::{AppError, AppResult, FormErrors, FORM};

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

/// Whether the site lets only authors (and admins) create spaces.
pub async fn creation_restricted(db: &Db) -> AppResult<bool> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT value FROM site_settings WHERE key = 'space_creation'")
            .fetch_optional(&db.pool)
            .await?;
    Ok(row.is_some_and(|(v,)| v == "authors"))
}

/// Sets who may create spaces (site admins only): `authors` or `everyone`.
pub async fn set_creation_policy(db: &Db, viewer: Viewer, authors_only: bool) -> AppResult<()> {
    if !viewer.admin {
        return Err(AppError::Forbidden);
    }
    let value = if authors_only { "authors" } else { "everyone" };
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM site_settings WHERE key = 'space_creation'")
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO site_settings (key, value) VALUES ('space_creation', $1)")
        .bind(value)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Whether the viewer may create spaces under the site's policy.
pub async fn may_create(db: &Db, viewer: Viewer) -> AppResult<bool> {
    if viewer.admin || !creation_restricted(db).await? {
        return Ok(true);
    }
    let (role,): (String,) = sqlx::query_as("SELECT role FROM users WHERE id = $1")
        .bind(viewer.id)
        .fetch_one(&db.pool)
        .await?;
    Ok(matches!(role.as_str(), "admin" | "author"))
}

/// Whether the viewer may know that the space with this id exists (for its cover picture).
pub async fn is_listed(db: &Db, viewer: Viewer, id: i64) -> AppResult<bool> {
    let sql = format!(
        "SELECT s.id FROM spaces s WHERE s.id = $1 AND {}",
        space_listed("s", 2, 3)
    );
    let row: Option<(i64,)> = sqlx::query_as(&sql)
        .bind(id)
        .bind(viewer.id)
        .bind(viewer.admin_flag())
        .fetch_optional(&db.pool)
        .await?;
    Ok(row.is_some())
}

/// The tags of each of `spaces`.
async fn tags_of(db: &Db, spaces: &[i64]) -> AppResult<HashMap<i64, Vec<String>>> {
    if spaces.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = format!(
        "SELECT space_id, tag FROM space_tags WHERE space_id IN ({}) ORDER BY tag",
        placeholders(1, spaces.len())
    );
    let mut q = sqlx::query_as::<_, (i64, String)>(&sql);
    for id in spaces {
        q = q.bind(*id);
    }
    let mut by_space: HashMap<i64, Vec<String>> = HashMap::new();
    for (space, tag) in q.fetch_all(&db.pool).await? {
        by_space.entry(space).or_default().push(tag);
    }
    Ok(by_space)
}

async fn save_tags(conn: &mut sqlx::AnyConnection, space: i64, tags: &[String]) -> AppResult<()> {
    sqlx::query("DELETE FROM space_tags WHERE space_id = $1")
        .bind(space)
        .execute(&mut *conn)
        .await?;
    for tag in tags {
        sqlx::query("INSERT INTO space_tags (space_id, tag) VALUES ($1, $2)")
            .bind(space)
            .bind(tag)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

/// Replaces a space's topics (its owners and moderators).
pub async fn set_tags(db: &Db, viewer: Viewer, slug: &str, tags: &str) -> AppResult<()> {
    let space = moderated(db, viewer, slug).await?;
    let parsed = Tags::parse(tags)
        .map_err(|m| AppError::Validation(FormErrors::single("tags", m).keep("tags", tags)))?;
    let mut tx = db.begin().await?;
    save_tags(&mut tx, space, &parsed).await?;
    super::search::index_space(&mut tx, space).await?;
    let tagged = Activity::on_space(viewer.id, "tagged", space);
    activity::record(&mut tx, tagged).await?;
    tx.commit().await?;
    Ok(())
}

const PAGE: i64 = 20;

/// Creates a space with its creator as owner; returns its slug.
pub async fn create(db: &Db, viewer: Viewer, input: NewSpace) -> AppResult<String> {
    if !may_create(db, viewer).await? {
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
    let inserted: Result<(i64,), sqlx::Error> = sqlx::query_as(
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
    super::search::index_space(&mut tx, id).await?;
    let created = Activity::on_space(viewer.id, "created", id);
    activity::record(&mut tx, created).await?;
    tx.commit().await?;
    Ok(slug.as_str().to_owned())
}

async fn add_member(
    conn: &mut sqlx::AnyConnection,
    space: i64,
    user: i64,
    role: SpaceRole,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO space_members (space_id, user_id, role, joined_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(space)
    .bind(user)
    .bind(role.as_str())
    .bind(now())
    .execute(conn)
    .await?;
    Ok(())
}

/// The facts about one space the membership rules need, if the viewer may know it exists.
struct SpaceFacts {
    id: i64,
    policy: JoinPolicy,
    archived: bool,
    my_role: Option<SpaceRole>,
}

async fn facts(db: &Db, viewer: Viewer, slug: &str) -> AppResult<SpaceFacts> {
    let sql = format!(
        "SELECT s.id, s.join_policy, s.archived_at,
                (SELECT m.role FROM space_members m WHERE m.space_id = s.id AND m.user_id = $2)
         FROM spaces s WHERE s.slug = $1 AND {}",
        space_listed("s", 2, 3)
    );
    let row: Option<(i64, String, Option<i64>, Option<String>)> = sqlx::query_as(&sql)
        .bind(slug)
        .bind(viewer.id)
        .bind(viewer.admin_flag())
        .fetch_optional(&db.pool)
        .await?;
    let (id, policy, archived, role) = row.ok_or(AppError::NotFound)?;
    Ok(SpaceFacts {
        id,
        policy: JoinPolicy::parse(&policy).unwrap_or(JoinPolicy::Invite),
        archived: archived.is_some(),
        my_role: role.as_deref().and_then(SpaceRole::parse),
    })
}

/// One space as `viewer` sees it; `NotFound` for a secret space they are not in.
pub async fn view(db: &Db, viewer: Viewer, slug: &str) -> AppResult<SpaceView> {
    let sql = format!(
        "SELECT s.id, s.slug, s.name, s.description, s.visibility, s.join_policy, s.member_count,
                s.parent_id, s.archived_at, s.cover_version,
                (SELECT m.role FROM space_members m WHERE m.space_id = s.id AND m.user_id = $2),
                (SELECT r.kind FROM space_requests r WHERE r.space_id = s.id AND r.user_id = $2)
         FROM spaces s WHERE s.slug = $1 AND {}",
        space_listed("s", 2, 3)
    );
    type Row = (
        i64,
        String,
        String,
        String,
        String,
        String,
        i64,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        Option<String>,
        Option<String>,
    );
    let row: Option<Row> = sqlx::query_as(&sql)
        .bind(slug)
        .bind(viewer.id)
        .bind(viewer.admin_flag())
        .fetch_optional(&db.pool)
        .await?;
    let (
        id,
        slug,
        name,
        description,
        visibility,
        policy,
        members,
        parent,
        archived,
        cover,
        role,
        pending,
    ) = row.ok_or(AppError::NotFound)?;
    let visibility = Visibility::parse(&visibility).unwrap_or(Visibility::Secret);
    let my_role = role.as_deref().and_then(SpaceRole::parse);
    Ok(SpaceView {
        breadcrumb: breadcrumb(db, viewer, parent).await?,
        can_read: visibility == Visibility::Public || my_role.is_some() || viewer.admin,
        request_pending: pending.as_deref() == Some("request"),
        invited: pending.as_deref() == Some("invite"),
        archived: archived.is_some(),
        summary: SpaceSummary {
            slug,
            name,
            description,
            visibility,
            join_policy: JoinPolicy::parse(&policy).unwrap_or(JoinPolicy::Invite),
            member_count: members,
            my_role,
            tags: tags_of(db, &[id]).await?.remove(&id).unwrap_or_default(),
            cover: cover_url(id, 1200, cover),
        },
    })
}

/// The ancestors of a space that the viewer may know of, outermost first.
async fn breadcrumb(
    db: &Db,
    viewer: Viewer,
    mut parent: Option<i64>,
) -> AppResult<Vec<(String, String)>> {
    let sql = format!(
        "SELECT s.slug, s.name, s.parent_id FROM spaces s WHERE s.id = $1 AND {}",
        space_listed("s", 2, 3)
    );
    let mut trail = Vec::new();
    // Bounded, in case a cycle ever slipped in.
    while let (Some(id), true) = (parent, trail.len() < 32) {
        let row: Option<(String, String, Option<i64>)> = sqlx::query_as(&sql)
            .bind(id)
            .bind(viewer.id)
            .bind(viewer.admin_flag())
            .fetch_optional(&db.pool)
            .await?;
        let Some((slug, name, up)) = row else { break };
        trail.push((slug, name));
        parent = up;
    }
    trail.reverse();
    Ok(trail)
}

/// What the directory is asked for.
#[derive(Debug, Clone, Copy)]
pub struct DirectoryQuery<'a> {
    /// Words to find in names and descriptions.
    pub text: &'a str,
    /// Only spaces the viewer belongs to.
    pub mine: bool,
    /// Only public spaces.
    pub public_only: bool,
    /// Only spaces with this topic.
    pub tag: &'a str,
    pub sort: DirectorySort,
    /// Cursor of the previous page.
    pub after: &'a str,
}

/// The space directory: searchable, filtered, sorted, keyset-paged.
pub async fn directory(db: &Db, viewer: Viewer, q: DirectoryQuery<'_>) -> AppResult<Directory> {
    let after = cursor::decode(q.after, 2)?;
    let (has_after, after_key, after_id) = match after.as_deref() {
        Some([k, id]) => (1_i64, *k, *id),
        _ => (0, 0, 0),
    };
    let needle = q.text.trim().to_lowercase();
    let pattern = like_pattern(&needle);
    let tag = q.tag.trim().to_lowercase();
    // A fixed column per sort; never text from the request.
    let key = match q.sort {
        DirectorySort::Active => "s.last_activity_at",
        DirectorySort::New => "s.created_at",
        DirectorySort::Members => "s.member_count",
    };
    let sql = format!(
        "SELECT s.slug, s.name, s.description, s.visibility, s.join_policy, s.member_count,
                {key}, s.id, s.cover_version,
                (SELECT m.role FROM space_members m WHERE m.space_id = s.id AND m.user_id = $1)
         FROM spaces s
         WHERE {listed}
           AND ($3 = '' OR LOWER(s.name) LIKE $4 ESCAPE '\\' OR LOWER(s.description) LIKE $4 ESCAPE '\\')
           AND ($5 = 0 OR EXISTS (SELECT 1 FROM space_members mm
                                  WHERE mm.space_id = s.id AND mm.user_id = $1))
           AND ($10 = 0 OR s.visibility = 'public')
           AND ($11 = '' OR EXISTS (SELECT 1 FROM space_tags t WHERE t.space_id = s.id AND t.tag = $11))
           AND ($6 = 0 OR {key} < $7 OR ({key} = $7 AND s.id < $8))
         ORDER BY {key} DESC, s.id DESC
         LIMIT $9",
        listed = space_listed("s", 1, 2)
    );
    type Row = (
        String,
        String,
        String,
        String,
        String,
        i64,
        i64,
        i64,
        Option<i64>,
        Option<String>,
    );
    let mut rows: Vec<Row> = sqlx::query_as(&sql)
        .bind(viewer.id)
        .bind(viewer.admin_flag())
        .bind(&needle)
        .bind(&pattern)
        .bind(i64::from(q.mine))
        .bind(has_after)
        .bind(after_key)
        .bind(after_id)
        .bind(PAGE + 1)
        .bind(i64::from(q.public_only))
        .bind(&tag)
        .fetch_all(&db.pool)
        .await?;
    let next = (rows.len() as i64 > PAGE).then(|| {
        rows.truncate(PAGE as usize);
        rows.last().map(|r| cursor::encode(&[r.6, r.7]))
    });
    let ids: Vec<i64> = rows.iter().map(|r| r.7).collect();
    let mut tags = tags_of(db, &ids).await?;
    let spaces = rows
        .into_iter()
        .map(
            |(slug, name, description, visibility, policy, members, _, id, cover, role)| {
                SpaceSummary {
                    my_role: role.as_deref().and_then(SpaceRole::parse),
                    tags: tags.remove(&id).unwrap_or_default(),
                    cover: cover_url(id, 600, cover),
                    ..listed((slug, name, description, visibility, policy, members))
                }
            },
        )
        .collect();
    Ok(Directory {
        spaces,
        next: next.flatten(),
    })
}

/// What joining did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Joined {
    Member,
    Requested,
}

/// Joins an open space, or asks to join one that takes requests.
pub async fn join(db: &Db, viewer: Viewer, slug: &str) -> AppResult<Joined> {
    let space = facts(db, viewer, slug).await?;
    if space.my_role.is_some() {
        return Ok(Joined::Member);
    }
    if space.archived {
        return Err(AppError::Conflict(FormErrors::single(
            FORM,
            "This space is archived.",
        )));
    }
    // An invitation opens any space, whatever its join policy.
    let accepted = sqlx::query(
        "DELETE FROM space_requests WHERE space_id = $1 AND user_id = $2 AND kind = 'invite'",
    )
    .bind(space.id)
    .bind(viewer.id)
    .execute(&db.pool)
    .await?;
    let policy = if accepted.rows_affected() > 0 {
        JoinPolicy::Open
    } else {
        space.policy
    };
    match policy {
        JoinPolicy::Open => {
            let mut tx = db.begin().await?;
            add_member(&mut tx, space.id, viewer.id, SpaceRole::Member).await?;
            counted(&mut tx, space.id, 1).await?;
            let joined = Activity::on_space(viewer.id, "joined", space.id);
            activity::record(&mut tx, joined).await?;
            tx.commit().await?;
            Ok(Joined::Member)
        }
        JoinPolicy::Request => {
            let mut tx = db.begin().await?;
            let asked = sqlx::query(
                "INSERT INTO space_requests (space_id, user_id, kind, created_at) VALUES ($1, $2, 'request', $3)
                 ON CONFLICT (space_id, user_id) DO NOTHING",
            )
            .bind(space.id)
            .bind(viewer.id)
            .bind(now())
            .execute(&mut *tx)
            .await?;
            if asked.rows_affected() > 0 {
                // Everyone who may approve it hears of it.
                let moderators: Vec<(i64,)> = sqlx::query_as(
                    "SELECT user_id FROM space_members
                     WHERE space_id = $1 AND role IN ('owner', 'moderator')",
                )
                .bind(space.id)
                .fetch_all(&mut *tx)
                .await?;
                for (moderator,) in moderators {
                    let n = space_notice(
                        &mut tx,
                        moderator,
                        NotificationKind::JoinRequest,
                        viewer.id,
                        space.id,
                    )
                    .await?;
                    notifications::notify(&mut tx, n).await?;
                }
            }
            tx.commit().await?;
            Ok(Joined::Requested)
        }
        JoinPolicy::Invite => Err(AppError::Forbidden),
    }
}

async fn counted(conn: &mut sqlx::AnyConnection, space: i64, delta: i64) -> AppResult<()> {
    sqlx::query(
        "UPDATE spaces SET member_count = member_count + $1, last_activity_at = $2 WHERE id = $3",
    )
    .bind(delta)
    .bind(now())
    .bind(space)
    .execute(conn)
    .await?;
    Ok(())
}

/// Leaves a space (or withdraws a pending request). The last owner cannot leave.
pub async fn leave(db: &Db, viewer: Viewer, slug: &str) -> AppResult<()> {
    let space = facts(db, viewer, slug).await?;
    let Some(role) = space.my_role else {
        sqlx::query("DELETE FROM space_requests WHERE space_id = $1 AND user_id = $2")
            .bind(space.id)
            .bind(viewer.id)
            .execute(&db.pool)
            .await?;
        return Ok(());
    };
    if role == SpaceRole::Owner {
        let owners = owner_count(db, space.id).await?;
        if owners <= 1 {
            return Err(AppError::Conflict(FormErrors::single(
                FORM,
                "You are the only owner. Make someone else an owner before you leave.",
            )));
        }
    }
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM space_members WHERE space_id = $1 AND user_id = $2")
        .bind(space.id)
        .bind(viewer.id)
        .execute(&mut *tx)
        .await?;
    counted(&mut tx, space.id, -1).await?;
    let left = Activity::on_space(viewer.id, "left", space.id);
    activity::record(&mut tx, left).await?;
    access_changed(&mut tx, viewer.id).await?;
    tx.commit().await?;
    Ok(())
}

/// The space's id if the viewer moderates it; `NotFound` or `Forbidden` otherwise.
/// The id of a space the viewer moderates (or, as site admin, may manage); `Forbidden` or
/// `NotFound` otherwise.
pub async fn moderated(db: &Db, viewer: Viewer, slug: &str) -> AppResult<i64> {
    let space = facts(db, viewer, slug).await?;
    match space.my_role {
        Some(r) if r.moderates() => Ok(space.id),
        _ if viewer.admin => Ok(space.id),
        _ => Err(AppError::Forbidden),
    }
}

/// People waiting for approval, oldest first (moderators only).
pub async fn requests(db: &Db, viewer: Viewer, slug: &str) -> AppResult<Vec<PersonRef>> {
    let space = moderated(db, viewer, slug).await?;
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT u.id, u.display_name FROM space_requests r JOIN users u ON u.id = r.user_id
         WHERE r.space_id = $1 AND r.kind = 'request' ORDER BY r.created_at, u.id LIMIT 100",
    )
    .bind(space)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, display_name)| PersonRef { id, display_name })
        .collect())
}

/// Approves or declines a join request (moderators only).
pub async fn decide(
    db: &Db,
    viewer: Viewer,
    slug: &str,
    user: i64,
    approve: bool,
) -> AppResult<()> {
    let space = moderated(db, viewer, slug).await?;
    let mut tx = db.begin().await?;
    let removed = sqlx::query(
        "DELETE FROM space_requests WHERE space_id = $1 AND user_id = $2 AND kind = 'request'",
    )
    .bind(space)
    .bind(user)
    .execute(&mut *tx)
    .await?;
    if removed.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    if approve {
        add_member(&mut tx, space, user, SpaceRole::Member).await?;
        counted(&mut tx, space, 1).await?;
        let joined = Activity::on_space(user, "joined", space);
        activity::record(&mut tx, joined).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Members of a space whose content the viewer may read: owners first, then by name.
pub async fn members(db: &Db, viewer: Viewer, slug: &str) -> AppResult<Vec<Member>> {
    let sql = format!(
        "SELECT u.id, u.display_name, m.role FROM spaces s
         JOIN space_members m ON m.space_id = s.id JOIN users u ON u.id = m.user_id
         WHERE s.slug = $1 AND {}
         ORDER BY CASE m.role WHEN 'owner' THEN 0 WHEN 'moderator' THEN 1 ELSE 2 END, u.display_name, u.id
         LIMIT 200",
        space_readable("s", 2, 3)
    );
    let rows: Vec<(i64, String, String)> = sqlx::query_as(&sql)
        .bind(slug)
        .bind(viewer.id)
        .bind(viewer.admin_flag())
        .fetch_all(&db.pool)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, display_name, role)| Member {
            person: PersonRef { id, display_name },
            role: SpaceRole::parse(&role).unwrap_or(SpaceRole::Member),
        })
        .collect())
}

/// The space's id and name if the viewer owns it (or is a site admin).
async fn owned(db: &Db, viewer: Viewer, slug: &str) -> AppResult<(i64, String)> {
    let space = facts(db, viewer, slug).await?;
    if !(space.my_role == Some(SpaceRole::Owner) || viewer.admin) {
        return Err(AppError::Forbidden);
    }
    let (name,): (String,) = sqlx::query_as("SELECT name FROM spaces WHERE id = $1")
        .bind(space.id)
        .fetch_one(&db.pool)
        .await?;
    Ok((space.id, name))
}

/// Archives a space (read-only: no posts, comments, reactions or joins) or brings it back.
pub async fn set_archived(db: &Db, viewer: Viewer, slug: &str, archived: bool) -> AppResult<()> {
    let (id, _) = owned(db, viewer, slug).await?;
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE spaces SET archived_at = $1 WHERE id = $2")
        .bind(archived.then(now))
        .bind(id)
        .execute(&mut *tx)
        .await?;
    let verb = if archived { "archived" } else { "unarchived" };
    let done = Activity::on_space(viewer.id, verb, id);
    activity::record(&mut tx, done).await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes a space with everything on it. The owner types its name to confirm; a space with
/// sub-spaces cannot be deleted until they are.
pub async fn delete(db: &Db, viewer: Viewer, slug: &str, confirm_name: &str) -> AppResult<()> {
    let (id, name) = owned(db, viewer, slug).await?;
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
    let deleted = Activity {
        actor: viewer.id,
        verb: "deleted",
        object_type: "space",
        object_id: id,
        space: None,
        wall: None,
    };
    activity::record(&mut tx, deleted).await?;
    tx.commit().await?;
    Ok(())
}

/// The role `user` holds in space `space`, if they are a member.
async fn role_of(db: &Db, space: i64, user: i64) -> AppResult<Option<SpaceRole>> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT role FROM space_members WHERE space_id = $1 AND user_id = $2")
            .bind(space)
            .bind(user)
            .fetch_optional(&db.pool)
            .await?;
    Ok(row.and_then(|(r,)| SpaceRole::parse(&r)))
}

/// Gives a member another role (owners only). A space always keeps at least one owner.
pub async fn set_role(db: &Db, viewer: Viewer, slug: &str, user: i64, role: &str) -> AppResult<()> {
    let role = SpaceRole::parse(role)
        .ok_or_else(|| AppError::BadRequest(format!("There is no role called {role:?}.")))?;
    let (space, _) = owned(db, viewer, slug).await?;
    let current = role_of(db, space, user).await?.ok_or(AppError::NotFound)?;
    if current == SpaceRole::Owner && role != SpaceRole::Owner {
        let owners = owner_count(db, space).await?;
        if owners <= 1 {
            return Err(AppError::Conflict(FormErrors::single(
                FORM,
                "A space needs an owner. Make someone else an owner first.",
            )));
        }
    }
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE space_members SET role = $1 WHERE space_id = $2 AND user_id = $3")
        .bind(role.as_str())
        .bind(space)
        .bind(user)
        .execute(&mut *tx)
        .await?;
    let changed = Activity::on_person(viewer.id, "changed_role", user, space);
    activity::record(&mut tx, changed).await?;
    tx.commit().await?;
    Ok(())
}

/// Removes someone from a space: moderators remove members; owners also remove moderators.
/// Owners are never removed this way (they leave, or are made members first).
pub async fn remove_member(db: &Db, viewer: Viewer, slug: &str, user: i64) -> AppResult<()> {
    let space = moderated(db, viewer, slug).await?;
    let mine = role_of(db, space, viewer.id).await?;
    let theirs = role_of(db, space, user).await?.ok_or(AppError::NotFound)?;
    let allowed = match theirs {
        SpaceRole::Member => true,
        SpaceRole::Moderator => mine == Some(SpaceRole::Owner) || viewer.admin,
        SpaceRole::Owner => false,
    };
    if !allowed {
        return Err(AppError::Forbidden);
    }
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM space_members WHERE space_id = $1 AND user_id = $2")
        .bind(space)
        .bind(user)
        .execute(&mut *tx)
        .await?;
    counted(&mut tx, space, -1).await?;
    let removed = Activity::on_person(viewer.id, "removed_member", user, space);
    activity::record(&mut tx, removed).await?;
    access_changed(&mut tx, user).await?;
    tx.commit().await?;
    Ok(())
}

/// Invites someone (space moderators). Someone who already asked to join becomes a member.
pub async fn invite(db: &Db, viewer: Viewer, slug: &str, user: i64) -> AppResult<()> {
    let space = moderated(db, viewer, slug).await?;
    if role_of(db, space, user).await?.is_some() {
        return Err(AppError::Conflict(FormErrors::single(
            FORM,
            "They are already a member.",
        )));
    }
    let exists: Option<(i64,)> = sqlx::query_as("SELECT id FROM users WHERE id = $1")
        .bind(user)
        .fetch_optional(&db.pool)
        .await?;
    if exists.is_none() {
        return Err(AppError::NotFound);
    }
    let mut tx = db.begin().await?;
    let asked = sqlx::query(
        "DELETE FROM space_requests WHERE space_id = $1 AND user_id = $2 AND kind = 'request'",
    )
    .bind(space)
    .bind(user)
    .execute(&mut *tx)
    .await?;
    if asked.rows_affected() > 0 {
        add_member(&mut tx, space, user, SpaceRole::Member).await?;
        counted(&mut tx, space, 1).await?;
        activity::record(&mut tx, Activity::on_space(user, "joined", space)).await?;
    } else {
        sqlx::query(
            "INSERT INTO space_requests (space_id, user_id, kind, invited_by, created_at)
             VALUES ($1, $2, 'invite', $3, $4) ON CONFLICT (space_id, user_id) DO NOTHING",
        )
        .bind(space)
        .bind(user)
        .bind(viewer.id)
        .bind(now())
        .execute(&mut *tx)
        .await?;
        let invited = Activity::on_person(viewer.id, "invited", user, space);
        activity::record(&mut tx, invited).await?;
        let n = space_notice(
            &mut tx,
            user,
            NotificationKind::Invitation,
            viewer.id,
            space,
        )
        .await?;
        notifications::notify(&mut tx, n).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The space's id and name if the viewer may read it: `NotFound` when they may not know it
/// exists, `Forbidden` when it is listed but its content is for members.
pub async fn readable(db: &Db, viewer: Viewer, slug: &str) -> AppResult<(i64, String)> {
    let sql = format!(
        "SELECT s.id, s.name, CASE WHEN {} THEN 1 ELSE 0 END FROM spaces s
         WHERE s.slug = $3 AND {}",
        space_readable("s", 1, 2),
        space_listed("s", 1, 2)
    );
    let row: Option<(i64, String, i64)> = sqlx::query_as(&sql)
        .bind(viewer.id)
        .bind(viewer.admin_flag())
        .bind(slug)
        .fetch_optional(&db.pool)
        .await?;
    match row {
        Some((id, name, 1)) => Ok((id, name)),
        Some(_) => Err(AppError::Forbidden),
        None => Err(AppError::NotFound),
    }
}

/// A notification about space `space`, leading to its page.
async fn space_notice(
    conn: &mut sqlx::AnyConnection,
    user: i64,
    kind: NotificationKind,
    actor: i64,
    space: i64,
) -> AppResult<Notice> {
    let (slug, name): (String, String) =
        sqlx::query_as("SELECT slug, name FROM spaces WHERE id = $1")
            .bind(space)
            .fetch_one(&mut *conn)
            .await?;
    Ok(Notice {
        user,
        kind,
        actor,
        object: format!("space:{space}"),
        url: format!("/s/{slug}"),
        context: name,
    })
}

/// Tells the person's open connections to drop topics they may no longer read.
async fn access_changed(conn: &mut sqlx::AnyConnection, user: i64) -> AppResult<()> {
    events::emit(conn, &topic::user(user), &EventBody::AccessChanged).await
}

/// `%text%` for LIKE, with the wildcard characters in `text` escaped (`ESCAPE '\'`).
fn like_pattern(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// People a moderator may invite: matching `query` by name or email, not yet members or invited.
pub async fn invite_candidates(
    db: &Db,
    viewer: Viewer,
    slug: &str,
    query: &str,
) -> AppResult<Vec<PersonRef>> {
    let space = moderated(db, viewer, slug).await?;
    let needle = query.trim().to_lowercase();
    if needle.chars().count() < 2 {
        return Ok(Vec::new());
    }
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT u.id, u.display_name FROM users u
         WHERE (LOWER(u.display_name) LIKE $2 ESCAPE '\\' OR u.email LIKE $2 ESCAPE '\\')
           AND NOT EXISTS (SELECT 1 FROM space_members m WHERE m.space_id = $1 AND m.user_id = u.id)
           AND NOT EXISTS (SELECT 1 FROM space_requests r
                           WHERE r.space_id = $1 AND r.user_id = u.id AND r.kind = 'invite')
         ORDER BY u.display_name, u.id LIMIT 10",
    )
    .bind(space)
    .bind(like_pattern(&needle))
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, display_name)| PersonRef { id, display_name })
        .collect())
}

/// Spaces the viewer is invited to and has not answered.
pub async fn invitations(db: &Db, viewer: Viewer) -> AppResult<Vec<SpaceSummary>> {
    let rows: Vec<(String, String, String, String, String, i64)> = sqlx::query_as(
        "SELECT s.slug, s.name, s.description, s.visibility, s.join_policy, s.member_count
         FROM space_requests r JOIN spaces s ON s.id = r.space_id
         WHERE r.user_id = $1 AND r.kind = 'invite' ORDER BY r.created_at DESC LIMIT 50",
    )
    .bind(viewer.id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().map(listed).collect())
}

/// A space as a list shows it, from (slug, name, description, visibility, join policy,
/// member count); role, topics and cover are for the caller to add.
fn listed(
    (slug, name, description, visibility, policy, members): (
        String,
        String,
        String,
        String,
        String,
        i64,
    ),
) -> SpaceSummary {
    SpaceSummary {
        slug,
        name,
        description,
        visibility: Visibility::parse(&visibility).unwrap_or(Visibility::Secret),
        join_policy: JoinPolicy::parse(&policy).unwrap_or(JoinPolicy::Invite),
        member_count: members,
        my_role: None,
        tags: Vec::new(),
        cover: None,
    }
}

/// How many owners a space has: it must always keep one.
async fn owner_count(db: &Db, space: i64) -> AppResult<i64> {
    let (owners,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM space_members WHERE space_id = $1 AND role = 'owner'")
            .bind(space)
            .fetch_one(&db.pool)
            .await?;
    Ok(owners)
}
