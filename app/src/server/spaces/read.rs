//! The space directory, one space's page, its members and one's invitations.

use crate::domain::ids::SpaceId;
use crate::server::infra::cursor;
use crate::server::infra::db::Db;
use crate::server::policy::{space_listed, space_readable, Viewer};

use crate::domain::space::{
    cover_url, Directory, DirectorySort, JoinPolicy, Member, PersonRef, SpaceRole, SpaceSummary,
    SpaceView, Visibility,
};
use crate::error::{AppError, AppResult};
use crate::server::infra::sql::Args;
use crate::server::policy::Who;
use crate::server::spaces::{like_pattern, listed, tags_of, PAGE};

/// One space as `viewer` sees it; `NotFound` for a secret space they are not in.
pub async fn view(db: &Db, viewer: Viewer, slug: &str) -> AppResult<SpaceView> {
    let mut args = Args::new();
    let slug_at = args.add(slug);
    let who = Who::viewer(&mut args, viewer);
    let me = who.id.clone();
    let sql = format!(
        "SELECT s.id, s.slug, s.name, s.description, s.visibility, s.join_policy, s.member_count,
                s.parent_id, s.archived_at, s.cover_version,
                (SELECT m.role FROM space_members m WHERE m.space_id = s.id AND m.user_id = {me}),
                (SELECT r.kind FROM space_requests r WHERE r.space_id = s.id AND r.user_id = {me})
         FROM spaces s WHERE s.slug = {slug_at} AND {}",
        space_listed("s", &who)
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
    let row: Option<Row> = sqlx::query_as_with(&sql, args)
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
            cover: cover_url(SpaceId(id), 1200, cover),
        },
    })
}

/// The ancestors of a space that the viewer may know of, outermost first.
async fn breadcrumb(
    db: &Db,
    viewer: Viewer,
    mut parent: Option<i64>,
) -> AppResult<Vec<(String, String)>> {
    let mut trail = Vec::new();
    // Bounded, in case a cycle ever slipped in.
    while let (Some(id), true) = (parent, trail.len() < 32) {
        let mut args = Args::new();
        let id = args.add(id);
        let who = Who::viewer(&mut args, viewer);
        let sql = format!(
            "SELECT s.slug, s.name, s.parent_id FROM spaces s WHERE s.id = {id} AND {}",
            space_listed("s", &who)
        );
        let row: Option<(String, String, Option<i64>)> = sqlx::query_as_with(&sql, args)
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
    let mut args = Args::new();
    let who = Who::viewer(&mut args, viewer);
    let needle_at = args.add(&needle);
    let pattern_at = args.add(&pattern);
    let mine_at = args.add(i64::from(q.mine));
    let has_after_at = args.add(has_after);
    let after_key_at = args.add(after_key);
    let after_id_at = args.add(after_id);
    let limit = args.add(PAGE + 1);
    let public_only = args.add(i64::from(q.public_only));
    let tag_at = args.add(&tag);
    let me = who.id.clone();
    let sql = format!(
        "SELECT s.slug, s.name, s.description, s.visibility, s.join_policy, s.member_count,
                {key}, s.id, s.cover_version,
                (SELECT m.role FROM space_members m WHERE m.space_id = s.id AND m.user_id = {me})
         FROM spaces s
         WHERE {listed}
           AND ({needle_at} = '' OR LOWER(s.name) LIKE {pattern_at} ESCAPE '\\' OR LOWER(s.description) LIKE {pattern_at} ESCAPE '\\')
           AND ({mine_at} = 0 OR EXISTS (SELECT 1 FROM space_members mm
                                  WHERE mm.space_id = s.id AND mm.user_id = {me}))
           AND ({public_only} = 0 OR s.visibility = 'public')
           AND ({tag_at} = '' OR EXISTS (SELECT 1 FROM space_tags t WHERE t.space_id = s.id AND t.tag = {tag_at}))
           AND ({has_after_at} = 0 OR {key} < {after_key_at} OR ({key} = {after_key_at} AND s.id < {after_id_at}))
         ORDER BY {key} DESC, s.id DESC
         LIMIT {limit}",
        listed = space_listed("s", &who)
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
    let mut rows: Vec<Row> = sqlx::query_as_with(&sql, args).fetch_all(&db.pool).await?;
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
                    cover: cover_url(SpaceId(id), 600, cover),
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

/// Members of a space whose content the viewer may read: owners first, then by name.
pub async fn members(db: &Db, viewer: Viewer, slug: &str) -> AppResult<Vec<Member>> {
    let mut args = Args::new();
    let slug_at = args.add(slug);
    let who = Who::viewer(&mut args, viewer);
    let sql = format!(
        "SELECT u.id, u.display_name, m.role FROM spaces s
         JOIN space_members m ON m.space_id = s.id JOIN users u ON u.id = m.user_id
         WHERE s.slug = {slug_at} AND {}
         ORDER BY CASE m.role WHEN 'owner' THEN 0 WHEN 'moderator' THEN 1 ELSE 2 END, u.display_name, u.id
         LIMIT 200",
        space_readable("s", &who)
    );
    let rows: Vec<(i64, String, String)> =
        sqlx::query_as_with(&sql, args).fetch_all(&db.pool).await?;
    Ok(rows
        .into_iter()
        .map(|(id, display_name, role)| Member {
            person: PersonRef::from((id, display_name)),
            role: SpaceRole::parse(&role).unwrap_or(SpaceRole::Member),
        })
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
