//! Learning playlists: the editor's changes (with one level of undo), publishing, following,
//! progress, forking, sharing to a space's wall, and the catalog.

use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;

use super::access::{space_readable, Viewer};
use super::db::{now, Db, Tx};
use super::tags;
use super::walls::{self, WallOf};
use crate::domain::feed::Link;
use crate::domain::playlist::{
    check_description, check_link, check_minutes, check_playlist_title, playlist_cover_url,
    FoundItem, ItemKind, ItemView, PlaylistCard, PlaylistCatalog, PlaylistView, PlaylistVisibility,
    SectionView,
};
use crate::domain::profile::Tags;
use crate::error::{AppError, AppResult, FormErrors, FORM};

/// Whether the viewer may build playlists: authors, L&D and admins, and everyone when the
/// site lets members curate.
pub async fn may_curate(db: &Db, viewer: Viewer) -> AppResult<bool> {
    if super::courses::may_author(db, viewer).await? {
        return Ok(true);
    }
    let row: Option<(String,)> =
        sqlx::query_as("SELECT value FROM site_settings WHERE key = 'playlist_curation'")
            .fetch_optional(&db.pool)
            .await?;
    Ok(viewer.id != 0 && row.is_some_and(|(v,)| v == "everyone"))
}

/// Sets who may build playlists (site admins): everyone, or authors only.
pub async fn set_curation(db: &Db, viewer: Viewer, everyone: bool) -> AppResult<()> {
    if !viewer.admin {
        return Err(AppError::Forbidden);
    }
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM site_settings WHERE key = 'playlist_curation'")
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO site_settings (key, value) VALUES ('playlist_curation', $1)")
        .bind(if everyone { "everyone" } else { "authors" })
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Who may read a playlist: its owner always; others once it is published, by visibility.
fn readable_sql(p: &str, user: usize, admin: usize) -> String {
    format!(
        "({p}.owner_id = ${user} OR ${admin} = 1 OR ({p}.published_at IS NOT NULL AND (
            {p}.visibility = 'public' OR ({p}.visibility = 'space' AND EXISTS (
              SELECT 1 FROM space_members pm WHERE pm.space_id = {p}.space_id AND pm.user_id = ${user})))))"
    )
}

/// Creates an empty draft playlist with one section; returns it.
pub async fn create(db: &Db, viewer: Viewer, title: &str) -> AppResult<i64> {
    if !may_curate(db, viewer).await? {
        return Err(AppError::Forbidden);
    }
    let title = check_playlist_title(title)
        .map_err(|m| AppError::Validation(FormErrors::single("title", m).keep("title", title)))?;
    let now = now();
    let mut tx = db.begin().await?;
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO playlists (owner_id, title, visibility, created_at, updated_at)
         VALUES ($1, $2, 'public', $3, $3) RETURNING id",
    )
    .bind(viewer.id)
    .bind(&title)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO playlist_sections (playlist_id, title, position) VALUES ($1, 'Start here', 1)",
    )
    .bind(id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The owner's playlist (or an admin's view of it), for a change.
async fn owned(conn: &mut AnyConnection, viewer: Viewer, playlist: i64) -> AppResult<()> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT owner_id FROM playlists WHERE id = $1")
        .bind(playlist)
        .fetch_optional(&mut *conn)
        .await?;
    match row {
        None => Err(AppError::NotFound),
        Some((owner,)) if owner == viewer.id || viewer.admin => Ok(()),
        Some(_) => Err(AppError::Forbidden),
    }
}

/// Refuses anyone but the playlist's owner (and admins), for its cover picture.
pub async fn require_owner(db: &Db, viewer: Viewer, playlist: i64) -> AppResult<()> {
    let mut conn = db.pool.acquire().await?;
    owned(&mut conn, viewer, playlist).await
}

/// Everything undo puts back.
#[derive(Debug, Serialize, Deserialize)]
struct Snapshot {
    title: String,
    description: String,
    visibility: String,
    space: Option<i64>,
    #[serde(default)]
    tags: Vec<String>,
    sections: Vec<(i64, String, i64)>,
    items: Vec<SnapItem>,
}

#[derive(Debug, Serialize, Deserialize)]
struct SnapItem {
    id: i64,
    section: i64,
    position: i64,
    kind: String,
    ref_id: Option<i64>,
    url: String,
    title: String,
    description: String,
    minutes: Option<i64>,
}

type ItemRow = (
    i64,
    i64,
    i64,
    String,
    Option<i64>,
    String,
    String,
    String,
    Option<i64>,
);

async fn snapshot(conn: &mut AnyConnection, playlist: i64) -> AppResult<Snapshot> {
    let (title, description, visibility, space): (String, String, String, Option<i64>) =
        sqlx::query_as(
            "SELECT title, description, visibility, space_id FROM playlists WHERE id = $1",
        )
        .bind(playlist)
        .fetch_one(&mut *conn)
        .await?;
    let sections: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT id, title, position FROM playlist_sections WHERE playlist_id = $1 ORDER BY position, id",
    )
    .bind(playlist)
    .fetch_all(&mut *conn)
    .await?;
    let items: Vec<ItemRow> = sqlx::query_as(
        "SELECT id, section_id, position, kind, ref_id, url, title, description, minutes
         FROM playlist_items WHERE playlist_id = $1 ORDER BY position, id",
    )
    .bind(playlist)
    .fetch_all(&mut *conn)
    .await?;
    let tags = tags::of_in(conn, "playlist", playlist).await?;
    Ok(Snapshot {
        title,
        description,
        visibility,
        space,
        tags,
        sections,
        items: items
            .into_iter()
            .map(
                |(id, section, position, kind, ref_id, url, title, description, minutes)| {
                    SnapItem {
                        id,
                        section,
                        position,
                        kind,
                        ref_id,
                        url,
                        title,
                        description,
                        minutes,
                    }
                },
            )
            .collect(),
    })
}

/// Opens a change: checks ownership, keeps the state before it for undo, under `label`.
async fn begin_change(db: &Db, viewer: Viewer, playlist: i64, label: &str) -> AppResult<Tx> {
    let mut tx = db.begin().await?;
    owned(&mut tx, viewer, playlist).await?;
    let before = snapshot(&mut tx, playlist).await?;
    let json = serde_json::to_string(&before).map_err(AppError::internal)?;
    sqlx::query(
        "UPDATE playlists SET undo_state = $1, undo_label = $2, updated_at = $3 WHERE id = $4",
    )
    .bind(json)
    .bind(label)
    .bind(now())
    .bind(playlist)
    .execute(&mut *tx)
    .await?;
    Ok(tx)
}

/// Takes back the last change.
pub async fn undo(db: &Db, viewer: Viewer, playlist: i64) -> AppResult<()> {
    let mut tx = db.begin().await?;
    owned(&mut tx, viewer, playlist).await?;
    let (state,): (Option<String>,) =
        sqlx::query_as("SELECT undo_state FROM playlists WHERE id = $1")
            .bind(playlist)
            .fetch_one(&mut *tx)
            .await?;
    let Some(state) = state else {
        return Err(AppError::Conflict(FormErrors::single(
            FORM,
            "There is nothing to undo.",
        )));
    };
    let s: Snapshot = serde_json::from_str(&state).map_err(AppError::internal)?;
    sqlx::query(
        "UPDATE playlists SET title = $1, description = $2, visibility = $3, space_id = $4,
                undo_state = NULL, undo_label = NULL, updated_at = $5 WHERE id = $6",
    )
    .bind(&s.title)
    .bind(&s.description)
    .bind(&s.visibility)
    .bind(s.space)
    .bind(now())
    .bind(playlist)
    .execute(&mut *tx)
    .await?;
    tags::replace(&mut tx, "playlist", playlist, &s.tags).await?;
    // Rows are put back as they were: same ids, so learners' done marks (kept when an item
    // is removed) count again.
    for (id, title, position) in &s.sections {
        sqlx::query(
            "INSERT INTO playlist_sections (id, playlist_id, title, position) VALUES ($1, $2, $3, $4)
             ON CONFLICT (id) DO UPDATE SET title = excluded.title, position = excluded.position",
        )
        .bind(id)
        .bind(playlist)
        .bind(title)
        .bind(position)
        .execute(&mut *tx)
        .await?;
    }
    for i in &s.items {
        sqlx::query(
            "INSERT INTO playlist_items (id, playlist_id, section_id, position, kind, ref_id, url, title, description, minutes)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
             ON CONFLICT (id) DO UPDATE SET section_id = excluded.section_id, position = excluded.position,
                 title = excluded.title, description = excluded.description, url = excluded.url,
                 minutes = excluded.minutes",
        )
        .bind(i.id)
        .bind(playlist)
        .bind(i.section)
        .bind(i.position)
        .bind(&i.kind)
        .bind(i.ref_id)
        .bind(&i.url)
        .bind(&i.title)
        .bind(&i.description)
        .bind(i.minutes)
        .execute(&mut *tx)
        .await?;
    }
    let keep_items: Vec<i64> = s.items.iter().map(|i| i.id).collect();
    let keep_sections: Vec<i64> = s.sections.iter().map(|x| x.0).collect();
    delete_others(&mut tx, "playlist_items", playlist, &keep_items).await?;
    delete_others(&mut tx, "playlist_sections", playlist, &keep_sections).await?;
    tx.commit().await?;
    Ok(())
}

async fn delete_others(
    conn: &mut AnyConnection,
    table: &str,
    playlist: i64,
    keep: &[i64],
) -> AppResult<()> {
    let sql = if keep.is_empty() {
        format!("DELETE FROM {table} WHERE playlist_id = $1")
    } else {
        format!(
            "DELETE FROM {table} WHERE playlist_id = $1 AND id NOT IN ({})",
            super::access::placeholders(2, keep.len())
        )
    };
    let mut q = sqlx::query(&sql).bind(playlist);
    for id in keep {
        q = q.bind(id);
    }
    q.execute(conn).await?;
    Ok(())
}

/// What the details form sends.
#[derive(Debug, Default)]
pub struct Details {
    pub title: String,
    pub description: String,
    pub visibility: String,
    /// The space's address, for space-only playlists.
    pub space: String,
    /// Tags, separated with commas.
    pub tags: String,
}

/// Saves a playlist's title, description and visibility.
pub async fn save_details(db: &Db, viewer: Viewer, playlist: i64, d: Details) -> AppResult<()> {
    let mut errors = FormErrors::new();
    let title = check_playlist_title(&d.title)
        .map_err(|m| errors.add("title", m))
        .ok();
    let description = check_description(&d.description)
        .map_err(|m| errors.add("description", m))
        .ok();
    let tags = Tags::parse(&d.tags)
        .map_err(|m| errors.add("tags", m))
        .unwrap_or_default();
    let visibility = PlaylistVisibility::parse(&d.visibility);
    if visibility.is_none() {
        errors.add("visibility", "Choose who can see the playlist.");
    }
    let space = match (visibility, d.space.trim().trim_start_matches("/s/")) {
        (Some(PlaylistVisibility::Space), "") => {
            errors.add("space", "Give the space whose members may see it.");
            None
        }
        (Some(PlaylistVisibility::Space), slug) => {
            let row: Option<(i64,)> = sqlx::query_as(
                "SELECT s.id FROM spaces s JOIN space_members m ON m.space_id = s.id AND m.user_id = $2
                 WHERE s.slug = $1",
            )
            .bind(slug)
            .bind(viewer.id)
            .fetch_optional(&db.pool)
            .await?;
            if row.is_none() {
                errors.add(
                    "space",
                    format!("You are not a member of a space at /s/{slug}."),
                );
            }
            row.map(|(id,)| id)
        }
        _ => None,
    };
    let (Some(title), Some(description), Some(visibility)) = (title, description, visibility)
    else {
        return Err(invalid_details(errors, &d));
    };
    if !errors.is_empty() {
        return Err(invalid_details(errors, &d));
    }
    let mut tx = begin_change(db, viewer, playlist, "the details").await?;
    sqlx::query(
        "UPDATE playlists SET title = $1, description = $2, visibility = $3, space_id = $4 WHERE id = $5",
    )
    .bind(&title)
    .bind(&description)
    .bind(visibility.as_str())
    .bind(space)
    .bind(playlist)
    .execute(&mut *tx)
    .await?;
    tags::replace(&mut tx, "playlist", playlist, &tags).await?;
    tx.commit().await?;
    Ok(())
}

fn invalid_details(errors: FormErrors, d: &Details) -> AppError {
    AppError::Validation(
        errors
            .keep("title", &d.title)
            .keep("description", &d.description)
            .keep("visibility", &d.visibility)
            .keep("space", &d.space)
            .keep("tags", &d.tags),
    )
}

/// Adds a section at the end.
pub async fn add_section(db: &Db, viewer: Viewer, playlist: i64, title: &str) -> AppResult<i64> {
    let checked = check_playlist_title(title).map_err(|m| {
        AppError::Validation(FormErrors::single("section_title", m).keep("section_title", title))
    })?;
    let mut tx = begin_change(
        db,
        viewer,
        playlist,
        &format!("adding the section “{checked}”"),
    )
    .await?;
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO playlist_sections (playlist_id, title, position)
         VALUES ($1, $2, (SELECT COALESCE(MAX(position), 0) + 1 FROM playlist_sections WHERE playlist_id = $1))
         RETURNING id",
    )
    .bind(playlist)
    .bind(&checked)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

async fn section_of(conn: &mut AnyConnection, playlist: i64, section: i64) -> AppResult<()> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM playlist_sections WHERE id = $1 AND playlist_id = $2")
            .bind(section)
            .bind(playlist)
            .fetch_optional(&mut *conn)
            .await?;
    row.map(|_| ()).ok_or(AppError::NotFound)
}

/// The title of something the viewer may add, if they may see it.
async fn title_of(db: &Db, viewer: Viewer, kind: ItemKind, id: i64) -> AppResult<Option<String>> {
    let found = find_by(db, viewer, kind, Some(id), "").await?;
    Ok(found.into_iter().next().map(|f| f.title))
}

/// Adds a course, lesson or topic at the end of a section.
pub async fn add_item(
    db: &Db,
    viewer: Viewer,
    playlist: i64,
    section: i64,
    kind: ItemKind,
    ref_id: i64,
) -> AppResult<i64> {
    if kind == ItemKind::Link {
        return Err(AppError::BadRequest(
            "Links are added with their address.".into(),
        ));
    }
    let Some(title) = title_of(db, viewer, kind, ref_id).await? else {
        return Err(AppError::NotFound);
    };
    let mut tx = begin_change(db, viewer, playlist, &format!("adding “{title}”")).await?;
    section_of(&mut tx, playlist, section).await?;
    let id = insert_item(
        &mut tx,
        playlist,
        section,
        kind,
        Some(ref_id),
        "",
        "",
        "",
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

#[allow(clippy::too_many_arguments)]
async fn insert_item(
    conn: &mut AnyConnection,
    playlist: i64,
    section: i64,
    kind: ItemKind,
    ref_id: Option<i64>,
    url: &str,
    title: &str,
    description: &str,
    minutes: Option<i64>,
) -> AppResult<i64> {
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO playlist_items (playlist_id, section_id, position, kind, ref_id, url, title, description, minutes)
         VALUES ($1, $2, (SELECT COALESCE(MAX(position), 0) + 1 FROM playlist_items WHERE section_id = $2),
                 $3, $4, $5, $6, $7, $8)
         RETURNING id",
    )
    .bind(playlist)
    .bind(section)
    .bind(kind.as_str())
    .bind(ref_id)
    .bind(url)
    .bind(title)
    .bind(description)
    .bind(minutes)
    .fetch_one(conn)
    .await?;
    Ok(id)
}

/// What the external link form sends.
#[derive(Debug, Default)]
pub struct NewLink {
    pub url: String,
    pub title: String,
    pub description: String,
    pub minutes: String,
}

/// Adds an external link at the end of a section.
pub async fn add_link(
    db: &Db,
    viewer: Viewer,
    playlist: i64,
    section: i64,
    l: NewLink,
) -> AppResult<i64> {
    let mut errors = FormErrors::new();
    let url = check_link(&l.url).map_err(|m| errors.add("url", m)).ok();
    let title = check_playlist_title(&l.title)
        .map_err(|m| errors.add("link_title", m))
        .ok();
    let description = check_description(&l.description)
        .map_err(|m| errors.add("link_description", m))
        .ok();
    let minutes = check_minutes(&l.minutes)
        .map_err(|m| errors.add("minutes", m))
        .ok();
    let (Some(url), Some(title), Some(description), Some(minutes)) =
        (url, title, description, minutes)
    else {
        return Err(AppError::Validation(
            errors
                .keep("url", &l.url)
                .keep("link_title", &l.title)
                .keep("link_description", &l.description)
                .keep("minutes", &l.minutes),
        ));
    };
    let mut tx = begin_change(db, viewer, playlist, &format!("adding “{title}”")).await?;
    section_of(&mut tx, playlist, section).await?;
    let id = insert_item(
        &mut tx,
        playlist,
        section,
        ItemKind::Link,
        None,
        &url,
        &title,
        &description,
        minutes,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The playlist and title of an item.
async fn item_facts(conn: &mut AnyConnection, item: i64) -> AppResult<(i64, i64)> {
    let row: Option<(i64, i64)> =
        sqlx::query_as("SELECT playlist_id, section_id FROM playlist_items WHERE id = $1")
            .bind(item)
            .fetch_optional(&mut *conn)
            .await?;
    row.ok_or(AppError::NotFound)
}

/// Moves an item to `position` (1-based) of `section` (drag and drop, or up and down);
/// returns where it went.
pub async fn move_item(
    db: &Db,
    viewer: Viewer,
    item: i64,
    section: i64,
    position: i64,
) -> AppResult<i64> {
    let (playlist, _) = {
        let mut conn = db.pool.acquire().await?;
        item_facts(&mut conn, item).await?
    };
    let mut tx = begin_change(db, viewer, playlist, "the move").await?;
    section_of(&mut tx, playlist, section).await?;
    let mut ids: Vec<(i64,)> = sqlx::query_as(
        "SELECT id FROM playlist_items WHERE section_id = $1 AND id <> $2 ORDER BY position, id",
    )
    .bind(section)
    .bind(item)
    .fetch_all(&mut *tx)
    .await?;
    let at = usize::try_from(position.max(1) - 1)
        .unwrap_or(0)
        .min(ids.len());
    ids.insert(at, (item,));
    for (i, (id,)) in ids.iter().enumerate() {
        sqlx::query("UPDATE playlist_items SET section_id = $1, position = $2 WHERE id = $3")
            .bind(section)
            .bind(i as i64 + 1)
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(at as i64 + 1)
}

/// Removes an item.
pub async fn remove_item(db: &Db, viewer: Viewer, item: i64) -> AppResult<i64> {
    let (playlist, _) = {
        let mut conn = db.pool.acquire().await?;
        item_facts(&mut conn, item).await?
    };
    let mut tx = begin_change(db, viewer, playlist, "removing an item").await?;
    sqlx::query("DELETE FROM playlist_items WHERE id = $1")
        .bind(item)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(playlist)
}

/// Publishes or unpublishes a playlist. Publishing needs an item.
pub async fn set_published(db: &Db, viewer: Viewer, playlist: i64, publish: bool) -> AppResult<()> {
    let mut tx = db.begin().await?;
    owned(&mut tx, viewer, playlist).await?;
    if publish {
        let (n,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM playlist_items WHERE playlist_id = $1")
                .bind(playlist)
                .fetch_one(&mut *tx)
                .await?;
        if n == 0 {
            return Err(AppError::Conflict(FormErrors::single(
                FORM,
                "Add at least one item before publishing.",
            )));
        }
    }
    sqlx::query("UPDATE playlists SET published_at = $1 WHERE id = $2")
        .bind(publish.then(now))
        .bind(playlist)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn require_readable(db: &Db, viewer: Viewer, playlist: i64) -> AppResult<()> {
    let sql = format!(
        "SELECT p.id FROM playlists p WHERE p.id = $1 AND {}",
        readable_sql("p", 2, 3)
    );
    let row: Option<(i64,)> = sqlx::query_as(&sql)
        .bind(playlist)
        .bind(viewer.id)
        .bind(viewer.admin_flag())
        .fetch_optional(&db.pool)
        .await?;
    row.map(|_| ()).ok_or(AppError::NotFound)
}

/// Follows (or stops following) a playlist.
pub async fn follow(db: &Db, viewer: Viewer, playlist: i64, on: bool) -> AppResult<()> {
    require_readable(db, viewer, playlist).await?;
    let mut tx = db.begin().await?;
    let changed = if on {
        sqlx::query(
            "INSERT INTO playlist_follows (playlist_id, user_id, followed_at) VALUES ($1, $2, $3)
             ON CONFLICT (playlist_id, user_id) DO NOTHING",
        )
        .bind(playlist)
        .bind(viewer.id)
        .bind(now())
        .execute(&mut *tx)
        .await?
    } else {
        sqlx::query("DELETE FROM playlist_follows WHERE playlist_id = $1 AND user_id = $2")
            .bind(playlist)
            .bind(viewer.id)
            .execute(&mut *tx)
            .await?
    };
    if changed.rows_affected() > 0 {
        sqlx::query(
            "UPDATE playlists SET follower_count = (SELECT COUNT(*) FROM playlist_follows WHERE playlist_id = $1)
             WHERE id = $1",
        )
        .bind(playlist)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Marks a link or discussion item done (or not) for the viewer; returns its playlist.
pub async fn mark_done(db: &Db, viewer: Viewer, item: i64, done: bool) -> AppResult<i64> {
    let (playlist, _) = {
        let mut conn = db.pool.acquire().await?;
        item_facts(&mut conn, item).await?
    };
    require_readable(db, viewer, playlist).await?;
    if done {
        sqlx::query(
            "INSERT INTO playlist_done (item_id, user_id, done_at) VALUES ($1, $2, $3)
             ON CONFLICT (item_id, user_id) DO NOTHING",
        )
        .bind(item)
        .bind(viewer.id)
        .bind(now())
        .execute(&db.pool)
        .await?;
    } else {
        sqlx::query("DELETE FROM playlist_done WHERE item_id = $1 AND user_id = $2")
            .bind(item)
            .bind(viewer.id)
            .execute(&db.pool)
            .await?;
    }
    Ok(playlist)
}

/// Copies a playlist the viewer may read into a new draft of theirs; returns it.
pub async fn fork(db: &Db, viewer: Viewer, playlist: i64) -> AppResult<i64> {
    require_readable(db, viewer, playlist).await?;
    if !may_curate(db, viewer).await? {
        return Err(AppError::Forbidden);
    }
    let mut tx = db.begin().await?;
    let s = snapshot(&mut tx, playlist).await?;
    let now = now();
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO playlists (owner_id, title, description, visibility, forked_from, created_at, updated_at)
         VALUES ($1, $2, $3, 'private', $4, $5, $5) RETURNING id",
    )
    .bind(viewer.id)
    .bind(format!("{} (copy)", s.title).chars().take(200).collect::<String>())
    .bind(&s.description)
    .bind(playlist)
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    tags::replace(&mut tx, "playlist", id, &s.tags).await?;
    for (old, title, position) in &s.sections {
        let (section,): (i64,) = sqlx::query_as(
            "INSERT INTO playlist_sections (playlist_id, title, position) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(id)
        .bind(title)
        .bind(position)
        .fetch_one(&mut *tx)
        .await?;
        for i in s.items.iter().filter(|i| i.section == *old) {
            let kind = ItemKind::parse(&i.kind).unwrap_or(ItemKind::Link);
            insert_item(
                &mut tx,
                id,
                section,
                kind,
                i.ref_id,
                &i.url,
                &i.title,
                &i.description,
                i.minutes,
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(id)
}

/// Shares a playlist on a space's wall (a post linking to it); returns the post.
pub async fn share(db: &Db, viewer: Viewer, playlist: i64, space: &str) -> AppResult<i64> {
    require_readable(db, viewer, playlist).await?;
    let (title, published): (String, Option<i64>) =
        sqlx::query_as("SELECT title, published_at FROM playlists WHERE id = $1")
            .bind(playlist)
            .fetch_one(&db.pool)
            .await?;
    if published.is_none() {
        return Err(AppError::Conflict(FormErrors::single(
            FORM,
            "Publish the playlist before sharing it.",
        )));
    }
    let body = format!(
        "Learning playlist: [{}](/playlists/{playlist})",
        title.replace(['[', ']'], "")
    );
    walls::post(
        db,
        viewer,
        WallOf::Space(space.trim().trim_start_matches("/s/")),
        &body,
        None,
    )
    .await
    .map_err(|e| match e {
        AppError::Validation(f) | AppError::Conflict(f) => {
            AppError::Validation(FormErrors::single("space", f.summary()))
        }
        AppError::NotFound | AppError::Forbidden => AppError::Validation(FormErrors::single(
            "space",
            "Choose a space you are a member of.",
        )),
        other => other,
    })
}

/// A playlist as the viewer sees it, with their progress.
pub async fn view(db: &Db, viewer: Viewer, playlist: i64) -> AppResult<PlaylistView> {
    require_readable(db, viewer, playlist).await?;
    type Row = (
        String,
        String,
        String,
        Option<i64>,
        i64,
        String,
        Option<String>,
        Option<i64>,
        i64,
        Option<i64>,
        Option<String>,
        Option<i64>,
    );
    let (title, description, visibility, space, owner, owner_name, owner_handle, published, followers, forked, undo, cover): Row =
        sqlx::query_as(
            "SELECT p.title, p.description, p.visibility, p.space_id, p.owner_id, u.display_name, u.handle,
                    p.published_at, p.follower_count, p.forked_from, p.undo_label, p.cover_version
             FROM playlists p JOIN users u ON u.id = p.owner_id WHERE p.id = $1",
        )
        .bind(playlist)
        .fetch_one(&db.pool)
        .await?;
    let space = match space {
        Some(id) => {
            sqlx::query_as::<_, (String, String)>("SELECT slug, name FROM spaces WHERE id = $1")
                .bind(id)
                .fetch_optional(&db.pool)
                .await?
        }
        None => None,
    };
    let forked_from = match forked {
        Some(f) => {
            let sql = format!(
                "SELECT p.id, p.title FROM playlists p WHERE p.id = $1 AND {}",
                readable_sql("p", 2, 3)
            );
            sqlx::query_as::<_, (i64, String)>(&sql)
                .bind(f)
                .bind(viewer.id)
                .bind(viewer.admin_flag())
                .fetch_optional(&db.pool)
                .await?
                .map(|(id, t)| Link {
                    text: t,
                    href: format!("/playlists/{id}"),
                })
        }
        None => None,
    };
    let (following,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM playlist_follows WHERE playlist_id = $1 AND user_id = $2",
    )
    .bind(playlist)
    .bind(viewer.id)
    .fetch_one(&db.pool)
    .await?;
    let sections = sections(db, viewer, playlist).await?;
    let items = || sections.iter().flat_map(|s| s.items.iter());
    // What the reader cannot see (a draft course, a private space's thread) does not count.
    let item_count = items().filter(|i| !i.unavailable).count() as i64;
    let done_count = items().filter(|i| i.done && !i.unavailable).count() as i64;
    let my_spaces: Vec<(String, String)> = sqlx::query_as(
        "SELECT s.slug, s.name FROM spaces s JOIN space_members m ON m.space_id = s.id AND m.user_id = $1
         WHERE s.archived_at IS NULL ORDER BY s.name LIMIT 100",
    )
    .bind(viewer.id)
    .fetch_all(&db.pool)
    .await?;
    let mine = owner == viewer.id;
    let tags = tags::of(db, "playlist", &[playlist]).await?;
    Ok(PlaylistView {
        id: playlist,
        title,
        description,
        tags: tags.into_iter().map(|(_, t)| t).collect(),
        cover: playlist_cover_url(playlist, 1200, cover),
        visibility: PlaylistVisibility::parse(&visibility).unwrap_or(PlaylistVisibility::Private),
        space,
        owner: super::topics::person_link(owner_name, owner_handle, owner),
        published: published.is_some(),
        mine,
        following: following > 0,
        follower_count: followers,
        forked_from,
        sections,
        done_count,
        item_count,
        undo_label: if mine { undo } else { None },
        my_spaces,
        may_curate: may_curate(db, viewer).await?,
    })
}

/// The sections and items, each item with what it points at (if the viewer may see it) and
/// whether the viewer has done it.
async fn sections(db: &Db, viewer: Viewer, playlist: i64) -> AppResult<Vec<SectionView>> {
    let sections: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, title FROM playlist_sections WHERE playlist_id = $1 ORDER BY position, id",
    )
    .bind(playlist)
    .fetch_all(&db.pool)
    .await?;
    let topic_ok = format!(
        "(t.status = 'published' AND (t.space_id IS NULL OR EXISTS (SELECT 1 FROM spaces s WHERE s.id = t.space_id AND {})))",
        space_readable("s", 2, 3)
    );
    let course_ok = super::courses::course_visible("c", 2, 3);
    // One query: each item with its target's title and the viewer's progress.
    let sql = format!(
        "SELECT i.id, i.section_id, i.kind, i.ref_id, i.url, i.title, i.description, i.minutes,
            CASE i.kind
              WHEN 'course' THEN (SELECT c.title FROM courses c WHERE c.id = i.ref_id AND {course_ok})
              WHEN 'lesson' THEN (SELECT l.title FROM lessons l JOIN courses c ON c.id = l.course_id
                                  WHERE l.id = i.ref_id AND c.published_at IS NOT NULL)
              WHEN 'topic' THEN (SELECT t.title FROM topics t WHERE t.id = i.ref_id AND {topic_ok})
              ELSE i.title END,
            CASE i.kind
              WHEN 'course' THEN (SELECT COUNT(*) FROM enrolments e WHERE e.course_id = i.ref_id
                                  AND e.user_id = $2 AND e.completed_at IS NOT NULL)
              WHEN 'lesson' THEN (SELECT COUNT(*) FROM lesson_progress lp WHERE lp.lesson_id = i.ref_id
                                  AND lp.user_id = $2 AND lp.status = 'completed')
              ELSE (SELECT COUNT(*) FROM playlist_done d WHERE d.item_id = i.id AND d.user_id = $2) END,
            CASE i.kind
              WHEN 'course' THEN (SELECT c.slug FROM courses c WHERE c.id = i.ref_id AND {course_ok})
              ELSE '' END
         FROM playlist_items i WHERE i.playlist_id = $1
         ORDER BY i.position, i.id"
    );
    type Row = (
        i64,
        i64,
        String,
        Option<i64>,
        String,
        String,
        String,
        Option<i64>,
        Option<String>,
        i64,
        Option<String>,
    );
    let rows: Vec<Row> = sqlx::query_as(&sql)
        .bind(playlist)
        .bind(viewer.id)
        .bind(viewer.admin_flag())
        .fetch_all(&db.pool)
        .await?;
    Ok(sections
        .into_iter()
        .map(|(id, title)| SectionView {
            id,
            title,
            items: rows
                .iter()
                .filter(|r| r.1 == id)
                .map(
                    |(
                        iid,
                        _,
                        kind,
                        ref_id,
                        url,
                        own_title,
                        description,
                        minutes,
                        target,
                        done,
                        slug,
                    )| {
                        let kind = ItemKind::parse(kind).unwrap_or(ItemKind::Link);
                        let r = ref_id.unwrap_or_default();
                        let href = match kind {
                            ItemKind::Course => {
                                format!("/courses/{}", slug.clone().unwrap_or_default())
                            }
                            ItemKind::Lesson => format!("/lessons/{r}"),
                            ItemKind::Topic => format!("/t/{r}"),
                            ItemKind::Link => url.clone(),
                        };
                        let unavailable = target.is_none();
                        ItemView {
                            id: *iid,
                            kind,
                            title: target.clone().unwrap_or_else(|| {
                                if own_title.is_empty() {
                                    "Not available to you".into()
                                } else {
                                    own_title.clone()
                                }
                            }),
                            description: description.clone(),
                            href,
                            minutes: *minutes,
                            done: *done > 0,
                            manual: matches!(kind, ItemKind::Link | ItemKind::Topic),
                            unavailable,
                        }
                    },
                )
                .collect(),
        })
        .collect())
}

/// The catalog: published playlists the viewer may see and their own, matching `q`; and the
/// playlists most followed by people who share a space with the viewer.
pub async fn catalog(db: &Db, viewer: Viewer, q: &str, tag: &str) -> AppResult<PlaylistCatalog> {
    let like = format!("%{}%", q.trim().to_lowercase().replace(['%', '_'], ""));
    let sql = format!(
        "SELECT {CARD_COLUMNS}, (SELECT COUNT(*) FROM playlist_follows f WHERE f.playlist_id = p.id AND f.user_id = $2)
         FROM playlists p JOIN users u ON u.id = p.owner_id
         WHERE {} AND (LOWER(p.title) LIKE $1 OR LOWER(p.description) LIKE $1)
           AND ($4 = '' OR EXISTS (SELECT 1 FROM tags t WHERE t.target_kind = 'playlist'
                                   AND t.target_id = p.id AND t.tag = $4))
         ORDER BY p.published_at IS NULL, p.follower_count DESC, p.id DESC LIMIT 100",
        readable_sql("p", 2, 3)
    );
    let playlists = cards(
        db,
        sqlx::query_as(&sql)
            .bind(&like)
            .bind(viewer.id)
            .bind(viewer.admin_flag())
            .bind(tag.trim().to_lowercase())
            .fetch_all(&db.pool)
            .await?,
    )
    .await?;
    let popular_sql = format!(
        "SELECT {CARD_COLUMNS}, (SELECT COUNT(*) FROM playlist_follows f WHERE f.playlist_id = p.id AND f.user_id = $1)
         FROM playlists p JOIN users u ON u.id = p.owner_id
         JOIN (SELECT f.playlist_id, COUNT(DISTINCT f.user_id) AS n FROM playlist_follows f
               WHERE f.user_id IN (SELECT m2.user_id FROM space_members m1
                                   JOIN space_members m2 ON m2.space_id = m1.space_id
                                   WHERE m1.user_id = $1 AND m2.user_id <> $1)
               GROUP BY f.playlist_id) pop ON pop.playlist_id = p.id
         WHERE p.published_at IS NOT NULL AND {}
         ORDER BY pop.n DESC, p.id DESC LIMIT 5",
        readable_sql("p", 1, 2)
    );
    let popular = cards(
        db,
        sqlx::query_as(&popular_sql)
            .bind(viewer.id)
            .bind(viewer.admin_flag())
            .fetch_all(&db.pool)
            .await?,
    )
    .await?;
    Ok(PlaylistCatalog {
        playlists,
        popular,
        may_curate: may_curate(db, viewer).await?,
    })
}

/// A card's columns, before the "following" count each query adds.
const CARD_COLUMNS: &str = "p.id, p.title, p.description, p.owner_id, u.display_name, u.handle,
    (SELECT COUNT(*) FROM playlist_items i WHERE i.playlist_id = p.id), p.follower_count,
    p.published_at, p.cover_version";

type CardRow = (
    i64,
    String,
    String,
    i64,
    String,
    Option<String>,
    i64,
    i64,
    Option<i64>,
    Option<i64>,
    i64,
);

async fn cards(db: &Db, rows: Vec<CardRow>) -> AppResult<Vec<PlaylistCard>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let tags = tags::of(db, "playlist", &ids).await?;
    Ok(rows
        .into_iter()
        .map(
            |(
                id,
                title,
                description,
                owner,
                name,
                handle,
                items,
                followers,
                published,
                cover,
                following,
            )| PlaylistCard {
                id,
                title,
                description,
                tags: tags
                    .iter()
                    .filter(|(p, _)| *p == id)
                    .map(|(_, t)| t.clone())
                    .collect(),
                cover: playlist_cover_url(id, 600, cover),
                owner: super::topics::person_link(name, handle, owner),
                item_count: items,
                follower_count: followers,
                published: published.is_some(),
                following: following > 0,
            },
        )
        .collect())
}

/// What the editor's inline search finds: courses, lessons and discussions the viewer may see
/// whose title has the words of `q`.
pub async fn find(db: &Db, viewer: Viewer, q: &str) -> AppResult<Vec<FoundItem>> {
    if q.trim().chars().count() < 2 {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for kind in [ItemKind::Course, ItemKind::Lesson, ItemKind::Topic] {
        out.extend(find_by(db, viewer, kind, None, q).await?);
    }
    Ok(out)
}

/// Items of one kind the viewer may see: the one with id `id`, or those matching `q`.
async fn find_by(
    db: &Db,
    viewer: Viewer,
    kind: ItemKind,
    id: Option<i64>,
    q: &str,
) -> AppResult<Vec<FoundItem>> {
    let like = format!("%{}%", q.trim().to_lowercase().replace(['%', '_'], ""));
    let pick = if id.is_some() {
        "x.id = $4"
    } else {
        "LOWER(x.title) LIKE $1 AND $4 = 0"
    };
    let sql = match kind {
        ItemKind::Course => format!(
            "SELECT x.id, x.title, 'Course' FROM courses x
             WHERE {pick} AND {}
             ORDER BY x.id DESC LIMIT 10",
            super::courses::course_visible("x", 2, 3)
        ),
        ItemKind::Lesson => format!(
            "SELECT x.id, x.title, c.title FROM lessons x JOIN courses c ON c.id = x.course_id
             WHERE {pick} AND {}
             ORDER BY x.id DESC LIMIT 10",
            super::courses::course_visible("c", 2, 3)
        ),
        ItemKind::Topic => format!(
            "SELECT x.id, x.title, x.kind FROM topics x
             WHERE {pick} AND x.status = 'published' AND (x.space_id IS NULL OR EXISTS (
                   SELECT 1 FROM spaces s WHERE s.id = x.space_id AND {}))
             ORDER BY x.id DESC LIMIT 10",
            space_readable("s", 2, 3)
        ),
        ItemKind::Link => return Ok(Vec::new()),
    };
    let rows: Vec<(i64, String, String)> = sqlx::query_as(&sql)
        .bind(&like)
        .bind(viewer.id)
        .bind(viewer.admin_flag())
        .bind(id.unwrap_or(0))
        .fetch_all(&db.pool)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(ref_id, title, context)| FoundItem {
            kind,
            ref_id,
            title,
            context: match kind {
                ItemKind::Lesson => format!("Lesson in {context}"),
                ItemKind::Topic => match context.as_str() {
                    "question" => "Question".into(),
                    "article" => "Blog article".into(),
                    _ => "Forum thread".into(),
                },
                _ => context,
            },
        })
        .collect())
}

/// Whether every member may build playlists (the site setting).
pub async fn curation_open(db: &Db) -> AppResult<bool> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT value FROM site_settings WHERE key = 'playlist_curation'")
            .fetch_optional(&db.pool)
            .await?;
    Ok(row.is_some_and(|(v,)| v == "everyone"))
}
