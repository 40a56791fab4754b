//! A person's profile page, their recent activity, the profile form and follow lists.

use crate::domain::ids::UserId;
use crate::domain::profile::{
    avatar_url, ActivityLine, Links, PersonCard, ProfileForm, ProfileLink, ProfileView,
};
use crate::error::AppResult;
use crate::server::infra::cursor;
use crate::server::infra::db::Db;
use crate::server::infra::sql::Args;
use crate::server::policy::Who;
use crate::server::policy::{space_readable, Viewer};
use crate::server::profiles::{card, id_of, CARD_COLUMNS};

type ProfileRow = (
    i64,
    String,
    Option<String>,
    String,
    Option<i64>,
    String,
    String,
    String,
    String,
    Option<i64>,
);

/// A person's profile as `viewer` may see it.
pub async fn profile(db: &Db, viewer: Viewer, handle: &str) -> AppResult<ProfileView> {
    let id = id_of(db, handle).await?;
    let row: ProfileRow = sqlx::query_as(
        "SELECT u.id, u.display_name, u.handle, u.job_title, u.avatar_version, u.department,
                u.location, u.bio_html, u.status_text, u.status_at
         FROM users u WHERE u.id = $1",
    )
    .bind(id)
    .fetch_one(&db.pool)
    .await?;
    let (_, name, handle, title, avatar, department, location, bio_html, status, status_at) = row;
    let (skills, expertise) = tags_of(db, id).await?;
    let counts: (i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM follows WHERE followee_id = $1),
                (SELECT COUNT(*) FROM follows WHERE follower_id = $1),
                (SELECT COUNT(*) FROM follows WHERE follower_id = $2 AND followee_id = $1)",
    )
    .bind(id)
    .bind(viewer.id)
    .fetch_one(&db.pool)
    .await?;
    // Only spaces whose members the viewer may see: public ones and their own.
    let mut args = Args::new();
    let id_at = args.add(id);
    let who = Who::viewer(&mut args, viewer);
    let spaces_sql = format!(
        "SELECT s.slug, s.name FROM space_members m JOIN spaces s ON s.id = m.space_id
         WHERE m.user_id = {id_at} AND {} ORDER BY s.name LIMIT 50",
        space_readable("s", &who)
    );
    let spaces: Vec<(String, String)> = sqlx::query_as_with(&spaces_sql, args)
        .fetch_all(&db.pool)
        .await?;
    Ok(ProfileView {
        person: card((id.0, name, handle, title, avatar)),
        department,
        location,
        bio_html,
        status: status_at
            .filter(|_| !status.is_empty())
            .map(|at| (status, at)),
        avatar_large: avatar_url(id, 256, avatar),
        skills,
        expertise,
        links: links_of(db, id).await?,
        followers: counts.0,
        following: counts.1,
        followed: counts.2 > 0,
        is_me: viewer.is(id),
        spaces,
        activity: recent_activity(db, viewer, id).await?,
        reputation: crate::server::topics::reputation(db, id).await?,
    })
}

async fn tags_of(db: &Db, user: UserId) -> AppResult<(Vec<String>, Vec<String>)> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT kind, tag FROM user_tags WHERE user_id = $1 ORDER BY tag")
            .bind(user)
            .fetch_all(&db.pool)
            .await?;
    let pick = |kind: &str| {
        rows.iter()
            .filter(|r| r.0 == kind)
            .map(|r| r.1.clone())
            .collect()
    };
    Ok((pick("skill"), pick("expertise")))
}

async fn links_of(db: &Db, user: UserId) -> AppResult<Vec<ProfileLink>> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT label, url FROM user_links WHERE user_id = $1 ORDER BY position")
            .bind(user)
            .fetch_all(&db.pool)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(label, url)| ProfileLink { label, url })
        .collect())
}

/// The person's last actions that the viewer may know of.
async fn recent_activity(db: &Db, viewer: Viewer, user: UserId) -> AppResult<Vec<ActivityLine>> {
    let mut args = Args::new();
    let user_at = args.add(user);
    let who = Who::viewer(&mut args, viewer);
    let sql = format!(
        "SELECT a.verb, a.object_type, a.created_at, s.slug, s.name, o.display_name, o.handle,
                w.display_name, w.handle
         FROM activities a
         LEFT JOIN spaces s ON s.id = a.space_id
         LEFT JOIN users o ON a.object_type = 'user' AND o.id = a.object_id
         LEFT JOIN posts p ON a.object_type = 'post' AND p.id = a.object_id
         LEFT JOIN users w ON w.id = p.profile_id
         WHERE a.actor_id = {user_at}
           AND a.verb IN ('created', 'joined', 'posted', 'commented', 'followed', 'status')
           AND (a.space_id IS NULL OR {})
         ORDER BY a.id DESC LIMIT 10",
        space_readable("s", &who)
    );
    type Row = (
        String,
        String,
        i64,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<String>,
    );
    let rows: Vec<Row> = sqlx::query_as_with(&sql, args).fetch_all(&db.pool).await?;
    Ok(rows
        .into_iter()
        .filter_map(
            |(verb, object, at, slug, space, person, handle, wall_name, wall_handle)| {
                let in_space = slug
                    .zip(space)
                    .map(|(slug, name)| (name, format!("/s/{slug}")));
                let (text, target) = match (verb.as_str(), object.as_str()) {
                    ("created", _) => ("Created the space", in_space),
                    ("joined", _) => ("Joined", in_space),
                    ("posted", _) if in_space.is_some() => ("Posted in", in_space),
                    ("posted", _) => (
                        "Posted on the wall of",
                        wall_name
                            .zip(wall_handle)
                            .map(|(n, h)| (n, format!("/u/{h}"))),
                    ),
                    ("commented", _) if in_space.is_some() => ("Commented in", in_space),
                    ("commented", _) => ("Commented on a post", None),
                    ("followed", "user") => (
                        "Started following",
                        person.zip(handle).map(|(n, h)| (n, format!("/u/{h}"))),
                    ),
                    ("status", _) => ("Updated their status", None),
                    _ => return None,
                };
                Some(ActivityLine {
                    text: text.to_owned(),
                    target,
                    at,
                })
            },
        )
        .collect())
}

/// The viewer's own profile, as the edit form shows it.
pub async fn form(db: &Db, viewer: Viewer) -> AppResult<ProfileForm> {
    type Row = (
        String,
        Option<String>,
        String,
        String,
        String,
        String,
        String,
        Option<i64>,
    );
    let (display_name, handle, job_title, department, location, bio, status, avatar): Row =
        sqlx::query_as(
            "SELECT display_name, handle, job_title, department, location, bio_md, status_text,
                    avatar_version
             FROM users WHERE id = $1",
        )
        .bind(viewer.id)
        .fetch_one(&db.pool)
        .await?;
    let (skills, expertise) = tags_of(db, viewer.id).await?;
    Ok(ProfileForm {
        display_name,
        handle: handle.unwrap_or_else(|| format!("user{}", viewer.id)),
        job_title,
        department,
        location,
        bio,
        skills: skills.join(", "),
        expertise: expertise.join(", "),
        links: Links::to_lines(&links_of(db, viewer.id).await?),
        status,
        avatar: avatar_url(viewer.id, 256, avatar),
    })
}

/// Which list of people: those following a person, or those they follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FollowDirection {
    Followers,
    Following,
}

pub const FOLLOW_PAGE: i64 = 50;

/// One page of a person's followers or of who they follow, newest first.
pub async fn follow_list(
    db: &Db,
    handle: &str,
    list: FollowDirection,
    after: &str,
) -> AppResult<(Vec<PersonCard>, Option<String>)> {
    let id = id_of(db, handle).await?;
    let (mine, theirs) = match list {
        FollowDirection::Followers => ("followee_id", "follower_id"),
        FollowDirection::Following => ("follower_id", "followee_id"),
    };
    let (at, who) = match cursor::decode(after, 2)? {
        Some(k) => (k[0], k[1]),
        None => (i64::MAX, i64::MAX),
    };
    let sql = format!(
        "SELECT {CARD_COLUMNS}, f.created_at FROM follows f JOIN users u ON u.id = f.{theirs}
         WHERE f.{mine} = $1 AND (f.created_at < $2 OR (f.created_at = $2 AND u.id < $3))
         ORDER BY f.created_at DESC, u.id DESC LIMIT $4"
    );
    type Row = (i64, String, Option<String>, String, Option<i64>, i64);
    let mut rows: Vec<Row> = sqlx::query_as(&sql)
        .bind(id)
        .bind(at)
        .bind(who)
        .bind(FOLLOW_PAGE + 1)
        .fetch_all(&db.pool)
        .await?;
    let next = if rows.len() as i64 > FOLLOW_PAGE {
        rows.truncate(FOLLOW_PAGE as usize);
        rows.last().map(|r| cursor::encode(&[r.5, r.0]))
    } else {
        None
    };
    let people = rows
        .into_iter()
        .map(|(id, name, handle, title, avatar, _)| card((id, name, handle, title, avatar)))
        .collect();
    Ok((people, next))
}
