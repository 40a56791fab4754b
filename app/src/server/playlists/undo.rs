//! One level of undo: every change of the editor first keeps a snapshot of the playlist.

use serde::{Deserialize, Serialize};
use sqlx::AnyConnection;

use crate::domain::ids::{PlaylistId, SectionId};
use crate::error::{AppError, AppResult, FormErrors, FORM};
use crate::server::infra::db::{now, Db, Tx};
use crate::server::policy::playlists::require_owned;
use crate::server::policy::Viewer;
use crate::server::tags;

/// Everything undo puts back.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Snapshot {
    pub(crate) title: String,
    pub(crate) description: String,
    pub(crate) visibility: String,
    pub(crate) space: Option<i64>,
    #[serde(default)]
    pub(crate) tags: Vec<String>,
    pub(crate) sections: Vec<(i64, String, i64)>,
    pub(crate) items: Vec<SnapItem>,
}

#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct SnapItem {
    pub(crate) id: i64,
    pub(crate) section: SectionId,
    pub(crate) position: i64,
    pub(crate) kind: String,
    pub(crate) ref_id: Option<i64>,
    pub(crate) url: String,
    pub(crate) title: String,
    pub(crate) description: String,
    pub(crate) minutes: Option<i64>,
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

pub(crate) async fn snapshot(
    conn: &mut AnyConnection,
    playlist: PlaylistId,
) -> AppResult<Snapshot> {
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
    let tags = tags::of_in(conn, playlist).await?;
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
                        section: SectionId(section),
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
pub(crate) async fn begin_change(
    db: &Db,
    viewer: Viewer,
    playlist: PlaylistId,
    label: &str,
) -> AppResult<Tx> {
    let mut tx = db.begin().await?;
    require_owned(&mut tx, viewer, playlist).await?;
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
pub async fn undo(db: &Db, viewer: Viewer, playlist: PlaylistId) -> AppResult<()> {
    let mut tx = db.begin().await?;
    require_owned(&mut tx, viewer, playlist).await?;
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
    tags::replace(&mut tx, playlist, &s.tags).await?;
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
    playlist: PlaylistId,
    keep: &[i64],
) -> AppResult<()> {
    let sql = if keep.is_empty() {
        format!("DELETE FROM {table} WHERE playlist_id = $1")
    } else {
        format!(
            "DELETE FROM {table} WHERE playlist_id = $1 AND id NOT IN ({})",
            crate::server::infra::sql::placeholders(2, keep.len())
        )
    };
    let mut q = sqlx::query(&sql).bind(playlist);
    for id in keep {
        q = q.bind(id);
    }
    q.execute(conn).await?;
    Ok(())
}
