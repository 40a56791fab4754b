//! One playlist's page with its sections, items and the viewer's progress.

use crate::domain::feed::Link;
use crate::domain::ids::{ItemId, PlaylistId, SectionId};
use crate::domain::playlist::{
    playlist_cover_url, ItemKind, ItemView, PlaylistView, PlaylistVisibility, SectionView,
};
use crate::error::AppResult;
use crate::server::infra::db::Db;
use crate::server::infra::sql::Args;
use crate::server::policy::courses::course_visible;
use crate::server::policy::playlists::playlist_readable;
use crate::server::policy::playlists::{may_curate, require_playlist_readable};
use crate::server::policy::Who;
use crate::server::policy::{space_readable, Viewer};
use crate::server::tags::{self, TagKind};

/// A playlist as the viewer sees it, with their progress.
pub async fn view(db: &Db, viewer: Viewer, playlist: PlaylistId) -> AppResult<PlaylistView> {
    require_playlist_readable(db, viewer, playlist).await?;
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
            let mut args = Args::new();
            let f_at = args.add(f);
            let who = Who::viewer(&mut args, viewer);
            let sql = format!(
                "SELECT p.id, p.title FROM playlists p WHERE p.id = {f_at} AND {}",
                playlist_readable("p", &who)
            );
            sqlx::query_as_with::<_, (i64, String), _>(&sql, args)
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
    let mine = viewer.is(owner);
    let tags = tags::of(db, TagKind::Playlist, &[playlist.0]).await?;
    Ok(PlaylistView {
        id: playlist,
        title,
        description,
        tags: tags.into_iter().map(|(_, t)| t).collect(),
        cover: playlist_cover_url(playlist, 1200, cover),
        visibility: PlaylistVisibility::parse(&visibility).unwrap_or(PlaylistVisibility::Private),
        space,
        owner: crate::server::topics::person_link(owner_name, owner_handle, owner),
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
pub(crate) async fn sections(
    db: &Db,
    viewer: Viewer,
    playlist: PlaylistId,
) -> AppResult<Vec<SectionView>> {
    let sections: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, title FROM playlist_sections WHERE playlist_id = $1 ORDER BY position, id",
    )
    .bind(playlist)
    .fetch_all(&db.pool)
    .await?;
    let mut args = Args::new();
    let playlist = args.add(playlist);
    let who = Who::viewer(&mut args, viewer);
    let me = &who.id;
    let topic_ok = format!(
        "(t.status = 'published' AND (t.space_id IS NULL OR EXISTS (SELECT 1 FROM spaces s WHERE s.id = t.space_id AND {})))",
        space_readable("s", &who)
    );
    let course_ok = course_visible("c", &who);
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
                                  AND e.user_id = {me} AND e.completed_at IS NOT NULL)
              WHEN 'lesson' THEN (SELECT COUNT(*) FROM lesson_progress lp WHERE lp.lesson_id = i.ref_id
                                  AND lp.user_id = {me} AND lp.status = 'completed')
              ELSE (SELECT COUNT(*) FROM playlist_done d WHERE d.item_id = i.id AND d.user_id = {me}) END,
            CASE i.kind
              WHEN 'course' THEN (SELECT c.slug FROM courses c WHERE c.id = i.ref_id AND {course_ok})
              ELSE '' END
         FROM playlist_items i WHERE i.playlist_id = {playlist}
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
    let rows: Vec<Row> = sqlx::query_as_with(&sql, args).fetch_all(&db.pool).await?;
    Ok(sections
        .into_iter()
        .map(|(id, title)| SectionView {
            id: SectionId(id),
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
                            id: ItemId(*iid),
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
