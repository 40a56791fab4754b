//! The playlist catalog, and the editor's inline search for items to add.

use crate::domain::ids::PlaylistId;
use crate::domain::playlist::{
    playlist_cover_url, FoundItem, ItemKind, PlaylistCard, PlaylistCatalog,
};
use crate::error::AppResult;
use crate::server::infra::db::Db;
use crate::server::infra::sql::Args;
use crate::server::policy::courses::course_visible;
use crate::server::policy::playlists::may_curate;
use crate::server::policy::playlists::playlist_readable;
use crate::server::policy::Who;
use crate::server::policy::{space_readable, Viewer};
use crate::server::tags::{self, TagKind};

/// The catalog: published playlists the viewer may see and their own, matching `q`; and the
/// playlists most followed by people who share a space with the viewer.
pub async fn catalog(db: &Db, viewer: Viewer, q: &str, tag: &str) -> AppResult<PlaylistCatalog> {
    let like = format!("%{}%", q.trim().to_lowercase().replace(['%', '_'], ""));
    let mut args = Args::new();
    let like_at = args.add(&like);
    let who = Who::viewer(&mut args, viewer);
    let tag_at = args.add(tag.trim().to_lowercase());
    let me = who.id.clone();
    let sql = format!(
        "SELECT {CARD_COLUMNS}, (SELECT COUNT(*) FROM playlist_follows f WHERE f.playlist_id = p.id AND f.user_id = {me})
         FROM playlists p JOIN users u ON u.id = p.owner_id
         WHERE {} AND (LOWER(p.title) LIKE {like_at} OR LOWER(p.description) LIKE {like_at})
           AND ({tag_at} = '' OR EXISTS (SELECT 1 FROM tags t WHERE t.target_kind = 'playlist'
                                   AND t.target_id = p.id AND t.tag = {tag_at}))
         ORDER BY p.published_at IS NULL, p.follower_count DESC, p.id DESC LIMIT 100",
        playlist_readable("p", &who)
    );
    let playlists = cards(
        db,
        sqlx::query_as_with(&sql, args).fetch_all(&db.pool).await?,
    )
    .await?;
    let mut args = Args::new();
    let who = Who::viewer(&mut args, viewer);
    let me = who.id.clone();
    let popular_sql = format!(
        "SELECT {CARD_COLUMNS}, (SELECT COUNT(*) FROM playlist_follows f WHERE f.playlist_id = p.id AND f.user_id = {me})
         FROM playlists p JOIN users u ON u.id = p.owner_id
         JOIN (SELECT f.playlist_id, COUNT(DISTINCT f.user_id) AS n FROM playlist_follows f
               WHERE f.user_id IN (SELECT m2.user_id FROM space_members m1
                                   JOIN space_members m2 ON m2.space_id = m1.space_id
                                   WHERE m1.user_id = {me} AND m2.user_id <> {me})
               GROUP BY f.playlist_id) pop ON pop.playlist_id = p.id
         WHERE p.published_at IS NOT NULL AND {}
         ORDER BY pop.n DESC, p.id DESC LIMIT 5",
        playlist_readable("p", &who)
    );
    let popular = cards(
        db,
        sqlx::query_as_with(&popular_sql, args)
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
    let tags = tags::of(db, TagKind::Playlist, &ids).await?;
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
                id: PlaylistId(id),
                title,
                description,
                tags: tags
                    .iter()
                    .filter(|(p, _)| *p == id)
                    .map(|(_, t)| t.clone())
                    .collect(),
                cover: playlist_cover_url(PlaylistId(id), 600, cover),
                owner: crate::server::topics::person_link(name, handle, owner),
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
pub(crate) async fn find_by(
    db: &Db,
    viewer: Viewer,
    kind: ItemKind,
    id: Option<i64>,
    q: &str,
) -> AppResult<Vec<FoundItem>> {
    let like = format!("%{}%", q.trim().to_lowercase().replace(['%', '_'], ""));
    let mut args = Args::new();
    let pick = match id {
        Some(id) => format!("x.id = {}", args.add(id)),
        None => format!("LOWER(x.title) LIKE {}", args.add(like)),
    };
    let who = Who::viewer(&mut args, viewer);
    let sql = match kind {
        ItemKind::Course => format!(
            "SELECT x.id, x.title, 'Course' FROM courses x
             WHERE {pick} AND {}
             ORDER BY x.id DESC LIMIT 10",
            course_visible("x", &who)
        ),
        ItemKind::Lesson => format!(
            "SELECT x.id, x.title, c.title FROM lessons x JOIN courses c ON c.id = x.course_id
             WHERE {pick} AND {}
             ORDER BY x.id DESC LIMIT 10",
            course_visible("c", &who)
        ),
        ItemKind::Topic => format!(
            "SELECT x.id, x.title, x.kind FROM topics x
             WHERE {pick} AND x.status = 'published' AND (x.space_id IS NULL OR EXISTS (
                   SELECT 1 FROM spaces s WHERE s.id = x.space_id AND {}))
             ORDER BY x.id DESC LIMIT 10",
            space_readable("s", &who)
        ),
        ItemKind::Link => return Ok(Vec::new()),
    };
    let rows: Vec<(i64, String, String)> =
        sqlx::query_as_with(&sql, args).fetch_all(&db.pool).await?;
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
