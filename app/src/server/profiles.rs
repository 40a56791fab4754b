//! Profiles, handles, status updates, follows and @mentions.
//!
//! Every signed-in person may see every profile; what a profile shows of spaces and activity is
//! filtered by what the viewer may read, in the query.

use std::collections::HashSet;

use sqlx::AnyConnection;

use super::access::{placeholders, space_readable, Viewer};
use super::activity::{self, Activity};
use super::cursor;
use super::db::{is_unique_violation, now, Db};
use super::markdown;
use super::notifications::{self, Notice};
use crate::domain::notification::NotificationKind;
use crate::domain::profile::{
    avatar_url, check_bio, check_detail, check_status, ActivityLine, Handle, Links, PersonCard,
    ProfileForm, ProfileLink, ProfileView, Tags,
};
use crate::domain::user::DisplayName;
use crate::error::{AppError, AppResult, FormErrors};

/// Gives a new account the first free handle made from its name.
pub async fn assign_handle(db: &Db, id: i64, name: &str) -> AppResult<String> {
    for candidate in Handle::candidates(name, id) {
        let taken: Option<(i64,)> = sqlx::query_as("SELECT id FROM users WHERE handle = $1")
            .bind(&candidate)
            .fetch_optional(&db.pool)
            .await?;
        if taken.is_some() {
            continue;
        }
        match sqlx::query("UPDATE users SET handle = $1 WHERE id = $2")
            .bind(&candidate)
            .bind(id)
            .execute(&db.pool)
            .await
        {
            Ok(_) => {
                let mut conn = db.pool.acquire().await?;
                super::search::index_person(&mut conn, id).await?;
                return Ok(candidate);
            }
            // Someone took it in between: try the next one.
            Err(e) if is_unique_violation(&e) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    // Five candidates, the last two built from the unique id, all taken: only possible if people
    // chose exactly those handles. Say so rather than leave the account without an address.
    Err(AppError::internal(format!(
        "no free handle for account {id}"
    )))
}

/// Columns of a [`PersonCard`], from `users` aliased `u`.
pub const CARD_COLUMNS: &str = "u.id, u.display_name, u.handle, u.job_title, u.avatar_version";
pub type CardRow = (i64, String, Option<String>, String, Option<i64>);

pub fn card((id, display_name, handle, job_title, avatar): CardRow) -> PersonCard {
    PersonCard {
        id,
        display_name,
        handle: handle.unwrap_or_else(|| format!("user{id}")),
        job_title,
        avatar: avatar_url(id, 64, avatar),
    }
}

/// A handle as stored: without spaces around it or a leading `@`, in lower case.
pub fn normal_handle(handle: &str) -> String {
    handle.trim().trim_start_matches('@').to_lowercase()
}

/// The id of the person with this handle, or `NotFound`.
pub async fn id_of(db: &Db, handle: &str) -> AppResult<i64> {
    let handle = normal_handle(handle);
    let row: Option<(i64,)> = sqlx::query_as("SELECT id FROM users WHERE handle = $1")
        .bind(&handle)
        .fetch_optional(&db.pool)
        .await?;
    row.map(|r| r.0).ok_or(AppError::NotFound)
}

/// The people among `handles` who exist, as (handle, id).
pub async fn existing(db: &Db, handles: &[String]) -> AppResult<Vec<(String, i64)>> {
    if handles.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT handle, id FROM users WHERE handle IN ({})",
        placeholders(1, handles.len())
    );
    let mut q = sqlx::query_as::<_, (String, i64)>(&sql);
    for h in handles {
        q = q.bind(h);
    }
    Ok(q.fetch_all(&db.pool).await?)
}

/// Markdown with @mentions of real people linked; returns the HTML and who was mentioned.
pub async fn render_mentions(db: &Db, markdown: &str) -> AppResult<(String, Vec<i64>)> {
    let mut handles = Handle::mentioned_in(markdown);
    handles.truncate(50);
    let people = existing(db, &handles).await?;
    let known: HashSet<String> = people.iter().map(|(h, _)| h.clone()).collect();
    let html = markdown::render_with_mentions(markdown, &known);
    Ok((html, people.into_iter().map(|(_, id)| id).collect()))
}

/// Where a mention was made: the address of the post and the text around it.
pub struct Mentioned<'a> {
    pub url: &'a str,
    pub context: &'a str,
}

/// Records that `actor` mentioned each of `people` in a post or comment, and tells them.
pub async fn record_mentions(
    conn: &mut AnyConnection,
    actor: i64,
    people: &[i64],
    space: Option<i64>,
    about: Mentioned<'_>,
) -> AppResult<()> {
    for person in people.iter().filter(|p| **p != actor) {
        let notice = Notice {
            user: *person,
            kind: NotificationKind::Mention,
            actor,
            object: about.url.to_owned(),
            url: about.url.to_owned(),
            context: about.context.to_owned(),
        };
        notifications::notify(conn, notice).await?;
        let mention = Activity {
            actor,
            verb: "mentioned",
            object_type: "user",
            object_id: *person,
            space,
            wall: None,
        };
        activity::record(conn, mention).await?;
    }
    Ok(())
}

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
    let spaces_sql = format!(
        "SELECT s.slug, s.name FROM space_members m JOIN spaces s ON s.id = m.space_id
         WHERE m.user_id = $1 AND {} ORDER BY s.name LIMIT 50",
        space_readable("s", 2, 3)
    );
    let spaces: Vec<(String, String)> = sqlx::query_as(&spaces_sql)
        .bind(id)
        .bind(viewer.id)
        .bind(viewer.admin_flag())
        .fetch_all(&db.pool)
        .await?;
    Ok(ProfileView {
        person: card((id, name, handle, title, avatar)),
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
        is_me: id == viewer.id,
        spaces,
        activity: recent_activity(db, viewer, id).await?,
        reputation: super::topics::reputation(db, id).await?,
    })
}

async fn tags_of(db: &Db, user: i64) -> AppResult<(Vec<String>, Vec<String>)> {
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

async fn links_of(db: &Db, user: i64) -> AppResult<Vec<ProfileLink>> {
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
async fn recent_activity(db: &Db, viewer: Viewer, user: i64) -> AppResult<Vec<ActivityLine>> {
    let sql = format!(
        "SELECT a.verb, a.object_type, a.created_at, s.slug, s.name, o.display_name, o.handle,
                w.display_name, w.handle
         FROM activities a
         LEFT JOIN spaces s ON s.id = a.space_id
         LEFT JOIN users o ON a.object_type = 'user' AND o.id = a.object_id
         LEFT JOIN posts p ON a.object_type = 'post' AND p.id = a.object_id
         LEFT JOIN users w ON w.id = p.profile_id
         WHERE a.actor_id = $1
           AND a.verb IN ('created', 'joined', 'posted', 'commented', 'followed', 'status')
           AND (a.space_id IS NULL OR {})
         ORDER BY a.id DESC LIMIT 10",
        space_readable("s", 2, 3)
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
    let rows: Vec<Row> = sqlx::query_as(&sql)
        .bind(user)
        .bind(viewer.id)
        .bind(viewer.admin_flag())
        .fetch_all(&db.pool)
        .await?;
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

/// What the profile form sends.
#[derive(Debug, Clone)]
pub struct ProfileInput {
    pub display_name: String,
    pub handle: String,
    pub job_title: String,
    pub department: String,
    pub location: String,
    pub bio: String,
    pub skills: String,
    pub expertise: String,
    pub links: String,
}

impl ProfileInput {
    fn fields(&self) -> [(&'static str, &str); 9] {
        [
            ("display_name", &self.display_name),
            ("handle", &self.handle),
            ("job_title", &self.job_title),
            ("department", &self.department),
            ("location", &self.location),
            ("bio", &self.bio),
            ("skills", &self.skills),
            ("expertise", &self.expertise),
            ("links", &self.links),
        ]
    }

    /// Every field error at once, each keeping what was typed.
    fn invalid(&self, errors: Vec<(&'static str, String)>) -> AppError {
        let mut all = FormErrors::new();
        for (field, message) in errors {
            all.add(field, message);
        }
        for (field, value) in self.fields() {
            all = all.keep(field, value);
        }
        AppError::Validation(all)
    }
}

/// Saves the viewer's profile. Every field is checked before anything is written.
pub async fn update(db: &Db, viewer: Viewer, input: &ProfileInput) -> AppResult<()> {
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    let mut check = |field: &'static str, r: Result<String, String>| match r {
        Ok(v) => v,
        Err(m) => {
            errors.push((field, m));
            String::new()
        }
    };
    let name = check(
        "display_name",
        DisplayName::parse(&input.display_name).map(|n| n.as_str().to_owned()),
    );
    let handle = check("handle", Handle::parse(&input.handle));
    let job_title = check("job_title", check_detail(&input.job_title));
    let department = check("department", check_detail(&input.department));
    let location = check("location", check_detail(&input.location));
    let bio = check("bio", check_bio(&input.bio));
    let skills = Tags::parse(&input.skills)
        .map_err(|m| errors.push(("skills", m)))
        .unwrap_or_default();
    let expertise = Tags::parse(&input.expertise)
        .map_err(|m| errors.push(("expertise", m)))
        .unwrap_or_default();
    let links = Links::parse(&input.links)
        .map_err(|m| errors.push(("links", m)))
        .unwrap_or_default();
    if !errors.is_empty() {
        return Err(input.invalid(errors));
    }
    let taken: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM users WHERE handle = $1 AND id <> $2")
            .bind(&handle)
            .bind(viewer.id)
            .fetch_optional(&db.pool)
            .await?;
    let handle_taken = || {
        input.invalid(vec![(
            "handle",
            format!("@{handle} is taken; choose another."),
        )])
    };
    if taken.is_some() {
        return Err(handle_taken());
    }
    let (bio_html, _) = render_mentions(db, &bio).await?;
    let mut tx = db.begin().await?;
    let saved = sqlx::query(
        "UPDATE users SET display_name = $1, handle = $2, job_title = $3, department = $4,
                location = $5, bio_md = $6, bio_html = $7, updated_at = $8
         WHERE id = $9",
    )
    .bind(&name)
    .bind(&handle)
    .bind(&job_title)
    .bind(&department)
    .bind(&location)
    .bind(&bio)
    .bind(&bio_html)
    .bind(now())
    .bind(viewer.id)
    .execute(&mut *tx)
    .await;
    match saved {
        Err(e) if is_unique_violation(&e) => return Err(handle_taken()),
        other => other?,
    };
    sqlx::query("DELETE FROM user_tags WHERE user_id = $1")
        .bind(viewer.id)
        .execute(&mut *tx)
        .await?;
    for (kind, tags) in [("skill", &skills), ("expertise", &expertise)] {
        for tag in tags {
            sqlx::query("INSERT INTO user_tags (user_id, kind, tag) VALUES ($1, $2, $3)")
                .bind(viewer.id)
                .bind(kind)
                .bind(tag)
                .execute(&mut *tx)
                .await?;
        }
    }
    sqlx::query("DELETE FROM user_links WHERE user_id = $1")
        .bind(viewer.id)
        .execute(&mut *tx)
        .await?;
    for (position, link) in links.iter().enumerate() {
        sqlx::query(
            "INSERT INTO user_links (user_id, position, label, url) VALUES ($1, $2, $3, $4)",
        )
        .bind(viewer.id)
        .bind(position as i64)
        .bind(&link.label)
        .bind(&link.url)
        .execute(&mut *tx)
        .await?;
    }
    let updated = Activity {
        actor: viewer.id,
        verb: "updated",
        object_type: "profile",
        object_id: viewer.id,
        space: None,
        wall: None,
    };
    activity::record(&mut tx, updated).await?;
    super::search::index_person(&mut tx, viewer.id).await?;
    tx.commit().await?;
    Ok(())
}

/// Sets (or, when empty, clears) the viewer's status update.
pub async fn set_status(db: &Db, viewer: Viewer, text: &str) -> AppResult<()> {
    let text = check_status(text)
        .map_err(|m| AppError::Validation(FormErrors::single("status", m).keep("status", text)))?;
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE users SET status_text = $1, status_at = $2 WHERE id = $3")
        .bind(&text)
        .bind((!text.is_empty()).then(now))
        .bind(viewer.id)
        .execute(&mut *tx)
        .await?;
    if !text.is_empty() {
        let status = Activity {
            actor: viewer.id,
            verb: "status",
            object_type: "profile",
            object_id: viewer.id,
            space: None,
            wall: None,
        };
        activity::record(&mut tx, status).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Follows or unfollows a person; following twice or unfollowing a stranger changes nothing.
pub async fn follow(db: &Db, viewer: Viewer, handle: &str, on: bool) -> AppResult<()> {
    let id = id_of(db, handle).await?;
    if id == viewer.id {
        return Err(AppError::BadRequest("You cannot follow yourself.".into()));
    }
    let mut tx = db.begin().await?;
    let changed = if on {
        sqlx::query(
            "INSERT INTO follows (follower_id, followee_id, created_at)
             SELECT $1, $2, $3 WHERE NOT EXISTS
               (SELECT 1 FROM follows WHERE follower_id = $1 AND followee_id = $2)",
        )
        .bind(viewer.id)
        .bind(id)
        .bind(now())
        .execute(&mut *tx)
        .await
    } else {
        sqlx::query("DELETE FROM follows WHERE follower_id = $1 AND followee_id = $2")
            .bind(viewer.id)
            .bind(id)
            .execute(&mut *tx)
            .await
    };
    let changed = match changed {
        // Two clicks racing: the other one already followed.
        Err(e) if is_unique_violation(&e) => return Ok(()),
        other => other?.rows_affected() > 0,
    };
    if changed {
        let followed = Activity {
            actor: viewer.id,
            verb: if on { "followed" } else { "unfollowed" },
            object_type: "user",
            object_id: id,
            space: None,
            wall: None,
        };
        activity::record(&mut tx, followed).await?;
        if on {
            let (follower,): (Option<String>,) =
                sqlx::query_as("SELECT handle FROM users WHERE id = $1")
                    .bind(viewer.id)
                    .fetch_one(&mut *tx)
                    .await?;
            let url = format!("/u/{}", follower.unwrap_or_default());
            let notice = Notice {
                user: id,
                kind: NotificationKind::Follow,
                actor: viewer.id,
                object: url.clone(),
                url,
                context: String::new(),
            };
            notifications::notify(&mut tx, notice).await?;
        }
    }
    tx.commit().await?;
    Ok(())
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

/// The display name of the person with this handle (for page titles).
pub async fn name_of(db: &Db, handle: &str) -> AppResult<(String, String)> {
    let (_, name, handle) = by_handle(db, handle).await?;
    Ok((name, handle))
}

/// The person with `handle` (any case, with or without `@`): id, display name and handle.
pub async fn by_handle(db: &Db, handle: &str) -> AppResult<(i64, String, String)> {
    let handle = handle.trim().trim_start_matches('@').to_lowercase();
    let row: Option<(i64, String, Option<String>)> =
        sqlx::query_as("SELECT id, display_name, handle FROM users WHERE handle = $1")
            .bind(&handle)
            .fetch_optional(&db.pool)
            .await?;
    let (id, name, handle) = row.ok_or(AppError::NotFound)?;
    Ok((id, name, handle.unwrap_or_default()))
}
