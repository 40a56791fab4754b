//! A playlist's items: adding found items and links, moving and removing them.

use sqlx::AnyConnection;

use crate::domain::ids::{ItemId, PlaylistId, SectionId};
use crate::domain::playlist::{
    check_description, check_link, check_minutes, check_playlist_title, ItemKind,
};
use crate::error::{AppError, AppResult, FormErrors};
use crate::server::infra::db::Db;
use crate::server::playlists::catalog::find_by;
use crate::server::playlists::undo::begin_change;
use crate::server::policy::Viewer;

async fn section_of(
    conn: &mut AnyConnection,
    playlist: PlaylistId,
    section: SectionId,
) -> AppResult<()> {
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
    playlist: PlaylistId,
    section: SectionId,
    kind: ItemKind,
    ref_id: i64,
) -> AppResult<ItemId> {
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
pub(crate) async fn insert_item(
    conn: &mut AnyConnection,
    playlist: PlaylistId,
    section: SectionId,
    kind: ItemKind,
    ref_id: Option<i64>,
    url: &str,
    title: &str,
    description: &str,
    minutes: Option<i64>,
) -> AppResult<ItemId> {
    let (id,): (ItemId,) = sqlx::query_as(
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
    playlist: PlaylistId,
    section: SectionId,
    l: NewLink,
) -> AppResult<ItemId> {
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
pub(crate) async fn item_facts(
    conn: &mut AnyConnection,
    item: ItemId,
) -> AppResult<(PlaylistId, SectionId)> {
    let row: Option<(PlaylistId, SectionId)> =
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
    item: ItemId,
    section: SectionId,
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
    ids.insert(at, (item.0,));
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
pub async fn remove_item(db: &Db, viewer: Viewer, item: ItemId) -> AppResult<PlaylistId> {
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
