//! Enrolment: open, by request (authors approve), or assigned by admins, L&D managers and
//! authors, to people or to a space's members, with a due date. An enrolled learner is a
//! member of the course's space.

use std::collections::BTreeSet;

use sqlx::AnyConnection;

use crate::domain::activity::Verb;
use crate::domain::course::EnrolPolicy;
use crate::domain::ids::{CourseId, UserId};
use crate::domain::notification::NotificationKind;
use crate::domain::time::parse_input;
use crate::error::{AppError, AppResult, FormErrors, FORM};
use crate::server::effects::{self, Happened, Notice};
use crate::server::infra::db::{now, Db};
use crate::server::infra::sql::Args;
use crate::server::policy::courses::{course_standing, CourseStanding};
use crate::server::policy::Viewer;
use crate::server::policy::Who;

/// Enrols the viewer (open courses) or asks to (by request); true when now enrolled.
pub async fn enrol(db: &Db, viewer: Viewer, slug: &str) -> AppResult<bool> {
    if !viewer.is_signed_in() {
        return Err(AppError::sign_in_required());
    }
    let at = course_standing(db, viewer, slug).await?;
    if at.enrolled() {
        return Ok(true);
    }
    if !at.published {
        return Err(conflict("This course is not published yet."));
    }
    let mut tx = db.begin().await?;
    let active = match at.policy {
        EnrolPolicy::Open => {
            activate(&mut tx, &at, viewer.id, None, None).await?;
            true
        }
        EnrolPolicy::Request => {
            if at.enrolment.is_none() {
                sqlx::query(
                    "INSERT INTO enrolments (course_id, user_id, status, enrolled_at, last_seen_at)
                     VALUES ($1, $2, 'requested', $3, $3)",
                )
                .bind(at.id)
                .bind(viewer.id)
                .bind(now())
                .execute(&mut *tx)
                .await?;
                let (object, url) = (
                    format!("course:{}", at.id),
                    format!("/courses/{}/edit", at.slug),
                );
                let asked = authors(&mut tx, at.id).await?.into_iter().map(|author| {
                    let kind = NotificationKind::EnrolRequest;
                    Notice::new(
                        author,
                        kind,
                        object.as_str(),
                        url.as_str(),
                        at.title.as_str(),
                    )
                });
                let asked = Happened::unlogged(viewer.id)
                    .in_space(Some(at.space))
                    .notify_all(asked);
                effects::apply(&mut tx, asked).await?;
            }
            false
        }
        EnrolPolicy::Assigned => {
            return Err(conflict(
                "People are enrolled in this course by an admin or an author.",
            ))
        }
    };
    tx.commit().await?;
    Ok(active)
}

fn conflict(message: &str) -> AppError {
    AppError::Conflict(FormErrors::single(FORM, message))
}

async fn authors(conn: &mut AnyConnection, course: CourseId) -> AppResult<Vec<UserId>> {
    let rows: Vec<(UserId,)> =
        sqlx::query_as("SELECT user_id FROM course_authors WHERE course_id = $1")
            .bind(course)
            .fetch_all(&mut *conn)
            .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// Makes `user` an active learner (and a member of the course's space). A due date given
/// replaces an earlier one.
async fn activate(
    conn: &mut AnyConnection,
    at: &CourseStanding,
    user: UserId,
    assigned_by: Option<UserId>,
    due: Option<i64>,
) -> AppResult<()> {
    let now = now();
    sqlx::query(
        "INSERT INTO enrolments (course_id, user_id, status, assigned_by, due_at, enrolled_at, last_seen_at)
         VALUES ($1, $2, 'active', $3, $4, $5, $5)
         ON CONFLICT (course_id, user_id) DO UPDATE SET status = 'active',
             assigned_by = COALESCE(excluded.assigned_by, enrolments.assigned_by),
             due_at = COALESCE(excluded.due_at, enrolments.due_at)",
    )
    .bind(at.id)
    .bind(user)
    .bind(assigned_by)
    .bind(due)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    let added = sqlx::query(
        "INSERT INTO space_members (space_id, user_id, role, joined_at) VALUES ($1, $2, 'member', $3)
         ON CONFLICT (space_id, user_id) DO NOTHING",
    )
    .bind(at.space)
    .bind(user)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    if added.rows_affected() > 0 {
        sqlx::query("UPDATE spaces SET member_count = member_count + 1 WHERE id = $1")
            .bind(at.space)
            .execute(&mut *conn)
            .await?;
        effects::apply(conn, Happened::to_space(user, Verb::Joined, at.space)).await?;
    }
    crate::server::courses::progress::recount(conn, at.id, Some(user)).await?;
    Ok(())
}

/// An author approves (or declines) a request to enrol.
pub async fn decide(
    db: &Db,
    viewer: Viewer,
    slug: &str,
    user: UserId,
    approve: bool,
) -> AppResult<()> {
    let at = course_standing(db, viewer, slug).await?;
    at.require_author()?;
    let mut tx = db.begin().await?;
    let asked: Option<(String,)> =
        sqlx::query_as("SELECT status FROM enrolments WHERE course_id = $1 AND user_id = $2")
            .bind(at.id)
            .bind(user)
            .fetch_optional(&mut *tx)
            .await?;
    if asked.as_ref().map(|(s,)| s.as_str()) != Some("requested") {
        return Err(AppError::NotFound);
    }
    if approve {
        activate(&mut tx, &at, user, Some(viewer.id), None).await?;
        notify_enrolled(&mut tx, &at, viewer.id, user).await?;
    } else {
        sqlx::query("DELETE FROM enrolments WHERE course_id = $1 AND user_id = $2")
            .bind(at.id)
            .bind(user)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Tells `user` that `actor` enrolled them (in the course's space, which they now belong to).
async fn notify_enrolled(
    conn: &mut AnyConnection,
    at: &CourseStanding,
    actor: UserId,
    user: UserId,
) -> AppResult<()> {
    let (object, url) = (format!("course:{}", at.id), format!("/courses/{}", at.slug));
    let notice = Notice::new(
        user,
        NotificationKind::CourseAssigned,
        object,
        url,
        at.title.as_str(),
    );
    let told = Happened::unlogged(actor)
        .in_space(Some(at.space))
        .notify(notice);
    effects::apply(conn, told).await?;
    Ok(())
}

/// What the assignment form sends.
#[derive(Debug, Default)]
pub struct Assignment {
    /// Handles or e-mail addresses, separated by commas or spaces.
    pub people: String,
    /// The address of a space whose members are all enrolled.
    pub space: String,
    /// `YYYY-MM-DD`, or empty.
    pub due: String,
}

/// Enrols people (and a space's members) in a course, with an optional due date; returns how
/// many were enrolled. Admins, L&D managers and the course's authors.
pub async fn assign(db: &Db, viewer: Viewer, slug: &str, input: Assignment) -> AppResult<usize> {
    let at = course_standing(db, viewer, slug).await?;
    let manages_people =
        viewer.admin || crate::server::policy::courses::is_ld_manager(db, viewer).await?;
    if !at.author && !manages_people {
        return Err(AppError::Forbidden);
    }
    let keep = |e: FormErrors| {
        e.keep("people", &input.people)
            .keep("space", &input.space)
            .keep("due", &input.due)
    };
    let mut errors = FormErrors::new();
    let due = match input.due.trim() {
        "" => None,
        d => match parse_input(&format!("{d}T23:59")) {
            Some(t) if t > now() => Some(t),
            Some(_) => {
                errors.add("due", "Choose a due date in the future.");
                None
            }
            None => {
                errors.add("due", "Give the date as YYYY-MM-DD.");
                None
            }
        },
    };
    if !at.published {
        errors.add(FORM, "Publish the course before assigning it.");
    }
    let mut users = BTreeSet::new();
    let mut unknown = Vec::new();
    let mut addresses = Vec::new();
    for word in input
        .people
        .split([',', ' ', '\n', ';', '\r', '\t'])
        .map(|w| w.trim())
        .filter(|w| !w.is_empty())
    {
        // An e-mail address is matched only for admins and L&D managers, who manage people;
        // for anyone else it is refused alike whether or not it has an account, so the form
        // cannot tell who has one.
        let is_address = word.trim_start_matches('@').contains('@');
        if is_address && !manages_people {
            addresses.push(word.to_owned());
            continue;
        }
        let sql = if is_address {
            "SELECT id FROM users WHERE LOWER(email) = LOWER($1)"
        } else {
            "SELECT id FROM users WHERE handle = LOWER($1)"
        };
        let found: Option<(UserId,)> = sqlx::query_as(sql)
            .bind(word.trim_start_matches('@'))
            .fetch_optional(&db.pool)
            .await?;
        match (found, is_address) {
            (Some((id,)), _) => {
                users.insert(id);
            }
            (None, false) => unknown.push(format!("@{}", word.trim_start_matches('@'))),
            (None, true) => unknown.push(word.to_owned()),
        }
    }
    if !addresses.is_empty() {
        errors.add(
            "people",
            format!(
                "Name people by their handle, such as @ana_lima, not by e-mail address ({}): only admins and L&D managers assign by address.",
                addresses.join(", ")
            ),
        );
    } else if !unknown.is_empty() {
        errors.add("people", format!("No one goes by {}.", unknown.join(", ")));
    }
    let space = input.space.trim().trim_start_matches("/s/");
    if !space.is_empty() {
        // Members of a space the assigner may read.
        let mut args = Args::new();
        let space_at = args.add(space);
        let who = Who::viewer(&mut args, viewer);
        let sql = format!(
            "SELECT m.user_id FROM spaces s JOIN space_members m ON m.space_id = s.id
             WHERE s.slug = {space_at} AND {}",
            crate::server::policy::space_readable("s", &who)
        );
        let rows: Vec<(UserId,)> = sqlx::query_as_with(&sql, args).fetch_all(&db.pool).await?;
        if rows.is_empty() {
            errors.add(
                "space",
                format!("There is no space at /s/{space} that you can see."),
            );
        }
        users.extend(rows.into_iter().map(|(id,)| id));
    }
    if errors.is_empty() && users.is_empty() {
        errors.add("people", "Name at least one person, or a space.");
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(keep(errors)));
    }
    let mut tx = db.begin().await?;
    for &user in &users {
        activate(&mut tx, &at, user, Some(viewer.id), due).await?;
        notify_enrolled(&mut tx, &at, viewer.id, user).await?;
    }
    tx.commit().await?;
    Ok(users.len())
}

/// Whether the viewer's cohort sees their progress.
pub async fn set_sharing(db: &Db, viewer: Viewer, slug: &str, share: bool) -> AppResult<()> {
    let at = course_standing(db, viewer, slug).await?;
    if !at.enrolled() {
        return Err(AppError::NotFound);
    }
    sqlx::query("UPDATE enrolments SET share_progress = $1 WHERE course_id = $2 AND user_id = $3")
        .bind(i64::from(share))
        .bind(at.id)
        .bind(viewer.id)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Rates (1 to 5 stars) and reviews a course the viewer takes; a second rating replaces the
/// first.
pub async fn rate(db: &Db, viewer: Viewer, slug: &str, stars: &str, review: &str) -> AppResult<()> {
    let at = course_standing(db, viewer, slug).await?;
    let keep = |e: FormErrors| e.keep("stars", stars).keep("review", review);
    if !at.enrolled() {
        return Err(AppError::Conflict(keep(FormErrors::single(
            FORM,
            "Only learners who started the course can rate it. Enrol first.",
        ))));
    }
    let Some(n) = stars
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|n| (1..=5).contains(n))
    else {
        return Err(AppError::Validation(keep(FormErrors::single(
            "stars",
            "Choose from 1 to 5 stars.",
        ))));
    };
    let review = review.trim();
    if review.chars().count() > 2000 {
        return Err(AppError::Validation(keep(FormErrors::single(
            "review",
            "A review can be at most 2,000 characters.",
        ))));
    }
    let now = now();
    sqlx::query(
        "INSERT INTO course_ratings (course_id, user_id, stars, review, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $5)
         ON CONFLICT (course_id, user_id) DO UPDATE SET stars = excluded.stars,
             review = excluded.review, updated_at = excluded.updated_at",
    )
    .bind(at.id)
    .bind(viewer.id)
    .bind(n)
    .bind(review)
    .bind(now)
    .execute(&db.pool)
    .await?;
    Ok(())
}
