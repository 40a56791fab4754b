//! Changing one's profile and status, and following people.

use crate::domain::activity::Verb;
use crate::domain::notification::NotificationKind;
use crate::domain::profile::{check_bio, check_detail, check_status, Handle, Links, Tags};
use crate::domain::user::DisplayName;
use crate::error::{AppError, AppResult, FormErrors};
use crate::server::effects::mentions::render_mentions;
use crate::server::effects::{self, Happened, Notice, Object, Search};
use crate::server::infra::db::{is_unique_violation, now, Db};
use crate::server::policy::Viewer;
use crate::server::profiles::id_of;

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
    let updated = Happened::new(viewer.id, Verb::Updated, Object::profile(viewer.id))
        .index(Search::Person(viewer.id));
    effects::apply(&mut tx, updated).await?;
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
        let status = Happened::new(viewer.id, Verb::Status, Object::profile(viewer.id));
        effects::apply(&mut tx, status).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Follows or unfollows a person; following twice or unfollowing a stranger changes nothing.
pub async fn follow(db: &Db, viewer: Viewer, handle: &str, on: bool) -> AppResult<()> {
    let id = id_of(db, handle).await?;
    if viewer.is(id) {
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
        let verb = if on { Verb::Followed } else { Verb::Unfollowed };
        let mut followed = Happened::new(viewer.id, verb, Object::user(id));
        if on {
            let (follower,): (Option<String>,) =
                sqlx::query_as("SELECT handle FROM users WHERE id = $1")
                    .bind(viewer.id)
                    .fetch_one(&mut *tx)
                    .await?;
            let url = format!("/u/{}", follower.unwrap_or_default());
            let kind = NotificationKind::Follow;
            followed = followed.notify(Notice::new(id, kind, url.as_str(), url.as_str(), ""));
        }
        effects::apply(&mut tx, followed).await?;
    }
    tx.commit().await?;
    Ok(())
}
