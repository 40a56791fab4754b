//! Progress: per learner per lesson, rolled up to the course; the SCORM data model's storage.

use std::collections::BTreeMap;

use sqlx::AnyConnection;

use crate::domain::course::{percent, LessonKind, LessonProgress};
use crate::domain::ids::{CourseId, LessonId, UserId};
use crate::domain::scorm::{Launch, Outcome, Runtime, ScormVersion};
use crate::error::{AppError, AppResult, FormErrors, FORM};
use crate::server::infra::db::{now, Db};
use crate::server::policy::courses::lesson_standing;
use crate::server::policy::Viewer;

/// Rolls lesson progress up to enrolments: lessons done, and when the course was completed
/// (cleared if lessons were added since). For one learner, or (`None`) for all of them in
/// one statement each, as after the course's lessons changed.
pub(crate) async fn recount(
    conn: &mut AnyConnection,
    course: CourseId,
    user: Option<UserId>,
) -> AppResult<()> {
    let user = user.map_or(0, i64::from);
    sqlx::query(
        "UPDATE enrolments SET completed_count = (
             SELECT COUNT(*) FROM lesson_progress p JOIN lessons l ON l.id = p.lesson_id
             WHERE p.user_id = enrolments.user_id AND l.course_id = $1 AND p.status = 'completed')
         WHERE course_id = $1 AND ($2 = 0 OR user_id = $2)",
    )
    .bind(course)
    .bind(user)
    .execute(&mut *conn)
    .await?;
    sqlx::query(
        "UPDATE enrolments SET completed_at = CASE
             WHEN completed_count >= (SELECT lesson_count FROM courses WHERE id = $1)
                  AND (SELECT lesson_count FROM courses WHERE id = $1) > 0
             THEN COALESCE(completed_at, $3) ELSE NULL END
         WHERE course_id = $1 AND ($2 = 0 OR user_id = $2)",
    )
    .bind(course)
    .bind(user)
    .bind(now())
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Records a lesson as started or completed (never back from completed), with a score.
async fn record(
    conn: &mut AnyConnection,
    course: CourseId,
    lesson: LessonId,
    user: UserId,
    completed: bool,
    score: Option<f64>,
) -> AppResult<()> {
    let now = now();
    let status = if completed { "completed" } else { "started" };
    sqlx::query(
        "INSERT INTO lesson_progress (user_id, lesson_id, course_id, status, score, updated_at, completed_at)
         VALUES ($1, $2, $3, $4, CASE WHEN $5 < 0 THEN NULL ELSE $5 END, $6,
                 CASE WHEN $4 = 'completed' THEN $6 END)
         ON CONFLICT (user_id, lesson_id) DO UPDATE SET
             status = CASE WHEN lesson_progress.status = 'completed' THEN 'completed' ELSE excluded.status END,
             score = COALESCE(excluded.score, lesson_progress.score),
             updated_at = excluded.updated_at,
             completed_at = COALESCE(lesson_progress.completed_at, excluded.completed_at)",
    )
    .bind(user)
    .bind(lesson)
    .bind(course)
    .bind(status)
    // No score is sent as -1: a NULL float through the Any driver can reach PostgreSQL in
    // the wrong binary format for a statement first prepared with a number.
    .bind(score.unwrap_or(-1.0))
    .bind(now)
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE enrolments SET last_seen_at = $1 WHERE course_id = $2 AND user_id = $3")
        .bind(now)
        .bind(course)
        .bind(user)
        .execute(&mut *conn)
        .await?;
    recount(conn, course, Some(user)).await
}

async fn progress_now(
    db: &Db,
    course: CourseId,
    lesson: LessonId,
    user: UserId,
) -> AppResult<LessonProgress> {
    let row: Option<(String, Option<f64>)> = sqlx::query_as(
        "SELECT status, score FROM lesson_progress WHERE user_id = $1 AND lesson_id = $2",
    )
    .bind(user)
    .bind(lesson)
    .fetch_optional(&db.pool)
    .await?;
    let (done, total): (i64, i64) = sqlx::query_as(
        "SELECT COALESCE((SELECT completed_count FROM enrolments WHERE course_id = $1 AND user_id = $2), 0),
                (SELECT lesson_count FROM courses WHERE id = $1)",
    )
    .bind(course)
    .bind(user)
    .fetch_one(&db.pool)
    .await?;
    Ok(LessonProgress {
        done: row.as_ref().is_some_and(|(s, _)| s == "completed"),
        score: row.and_then(|(_, s)| s),
        course_percent: percent(done, total),
    })
}

/// Marks a page or video lesson done (enrolled learners). Packages complete through SCORM.
pub async fn mark_done(db: &Db, viewer: Viewer, lesson: LessonId) -> AppResult<LessonProgress> {
    let at = lesson_standing(db, viewer, lesson).await?;
    if !at.enrolled() {
        return Err(AppError::Conflict(FormErrors::single(
            FORM,
            "Enrol in the course to record your progress.",
        )));
    }
    let (kind,): (String,) = sqlx::query_as("SELECT kind FROM lessons WHERE id = $1")
        .bind(lesson)
        .fetch_one(&db.pool)
        .await?;
    if LessonKind::parse(&kind) == Some(LessonKind::Package) {
        return Err(AppError::Conflict(FormErrors::single(
            FORM,
            "This lesson completes itself when you finish the package.",
        )));
    }
    let mut tx = db.begin().await?;
    record(&mut tx, at.id, lesson, viewer.id, true, None).await?;
    tx.commit().await?;
    progress_now(db, at.id, lesson, viewer.id).await
}

/// The SCO of a lesson's package, with the package's edition; `NotFound` otherwise.
async fn sco_of(db: &Db, lesson: LessonId, sco: i64) -> AppResult<ScormVersion> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT p.version FROM package_scos s JOIN packages p ON p.id = s.package_id
         JOIN lessons l ON l.package_id = p.id
         WHERE s.id = $1 AND l.id = $2",
    )
    .bind(sco)
    .bind(lesson)
    .fetch_optional(&db.pool)
    .await?;
    row.and_then(|(v,)| ScormVersion::parse(&v))
        .ok_or(AppError::NotFound)
}

/// What the player starts a SCO with: the learner, what the content stored before, and the
/// time of the earlier sessions. Authors previewing get a fresh, unsaved session.
pub async fn launch(db: &Db, viewer: Viewer, lesson: LessonId, sco: i64) -> AppResult<Launch> {
    let at = lesson_standing(db, viewer, lesson).await?;
    if !at.may_take() {
        return Err(AppError::Forbidden);
    }
    let version = sco_of(db, lesson, sco).await?;
    let (name,): (String,) = sqlx::query_as("SELECT display_name FROM users WHERE id = $1")
        .bind(viewer.id)
        .fetch_one(&db.pool)
        .await?;
    let row: Option<(String, i64, i64)> = sqlx::query_as(
        "SELECT data, prior_time, session_time FROM scorm_attempts WHERE user_id = $1 AND sco_id = $2",
    )
    .bind(viewer.id)
    .bind(sco)
    .fetch_optional(&db.pool)
    .await?;
    let (stored, total) = match row {
        Some((data, prior, session)) => (
            serde_json::from_str::<BTreeMap<String, String>>(&data).unwrap_or_default(),
            prior + session,
        ),
        None => (BTreeMap::new(), 0),
    };
    Ok(Launch {
        version,
        learner_id: viewer.id.to_string(),
        learner_name: name,
        stored,
        total_time_cs: total,
    })
}

/// Stores what a SCO committed (every element replayed through the SCORM rules first) and
/// records the lesson's progress from it. `session` tells one page load of the player from
/// the next, so each session's time is counted once.
pub async fn commit(
    db: &Db,
    viewer: Viewer,
    lesson: LessonId,
    sco: i64,
    session: &str,
    data: &str,
) -> AppResult<LessonProgress> {
    let at = lesson_standing(db, viewer, lesson).await?;
    if !at.may_take() {
        return Err(AppError::Forbidden);
    }
    let version = sco_of(db, lesson, sco).await?;
    if data.len() > 512 * 1024 {
        return Err(AppError::BadRequest("The data model is too large.".into()));
    }
    let values: BTreeMap<String, String> = serde_json::from_str(data)
        .map_err(|_| AppError::BadRequest("The data model could not be read.".into()))?;
    let values = Runtime::replay(version, &values).map_err(AppError::BadRequest)?;
    if !at.enrolled() {
        // An author trying the package: nothing is kept.
        return Ok(LessonProgress {
            done: Outcome::of(version, &values).completed,
            score: Outcome::of(version, &values).score,
            course_percent: 0,
        });
    }
    let outcome = Outcome::of(version, &values);
    let json = serde_json::to_string(&values).map_err(AppError::internal)?;
    let session: String = session.chars().take(64).collect();
    let now = now();
    let mut tx = db.begin().await?;
    // A new session folds the previous session's time into the earlier sessions' total.
    sqlx::query(
        "INSERT INTO scorm_attempts (user_id, sco_id, data, session_key, prior_time, session_time, updated_at)
         VALUES ($1, $2, $3, $4, 0, $5, $6)
         ON CONFLICT (user_id, sco_id) DO UPDATE SET
             data = excluded.data,
             prior_time = CASE WHEN scorm_attempts.session_key = excluded.session_key
                               THEN scorm_attempts.prior_time
                               ELSE scorm_attempts.prior_time + scorm_attempts.session_time END,
             session_time = excluded.session_time,
             session_key = excluded.session_key,
             updated_at = excluded.updated_at",
    )
    .bind(viewer.id)
    .bind(sco)
    .bind(&json)
    .bind(&session)
    .bind(outcome.session_time_cs)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    // A package is done when every one of its SCOs is.
    let completed = if outcome.completed {
        all_scos_done(&mut tx, lesson, viewer.id).await?
    } else {
        false
    };
    record(&mut tx, at.id, lesson, viewer.id, completed, outcome.score).await?;
    tx.commit().await?;
    progress_now(db, at.id, lesson, viewer.id).await
}

async fn all_scos_done(
    conn: &mut AnyConnection,
    lesson: LessonId,
    user: UserId,
) -> AppResult<bool> {
    let rows: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT p.version, a.data FROM lessons l JOIN packages p ON p.id = l.package_id
         JOIN package_scos s ON s.package_id = p.id
         LEFT JOIN scorm_attempts a ON a.sco_id = s.id AND a.user_id = $2
         WHERE l.id = $1",
    )
    .bind(lesson)
    .bind(user)
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows.iter().all(|(version, data)| {
        let version = ScormVersion::parse(version).unwrap_or(ScormVersion::V12);
        data.as_deref()
            .and_then(|d| serde_json::from_str::<BTreeMap<String, String>>(d).ok())
            .is_some_and(|values| Outcome::of(version, &values).completed)
    }))
}
