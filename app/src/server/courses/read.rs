//! A course's page: its modules and lessons as the viewer may take them, its wrapper (the
//! instructor blog, questions, the cohort) and ratings.

use crate::domain::course::{
    course_cover_url, percent, CohortMember, CourseView, EnrolmentView, LessonKind, LessonRef,
    ModuleView, Review,
};
use crate::domain::feed::Link;
use crate::domain::ids::{CourseId, LessonId, ModuleId, SpaceId, UserId};
use crate::error::AppResult;
use crate::server::courses::catalog::ratings_of;
use crate::server::courses::person_link;
use crate::server::infra::db::{now, Db};
use crate::server::infra::hub::ONLINE_SECS;
use crate::server::policy::courses::{course_standing, CourseStanding};
use crate::server::policy::Viewer;
use crate::server::tags::{self, TagKind};

/// A course's page as the viewer may see it.
pub async fn view(db: &Db, viewer: Viewer, slug: &str) -> AppResult<CourseView> {
    let at = course_standing(db, viewer, slug).await?;
    view_of(db, viewer, &at).await
}

pub(crate) async fn view_of(db: &Db, viewer: Viewer, at: &CourseStanding) -> AppResult<CourseView> {
    let (summary, lesson_count, cover): (String, i64, Option<i64>) =
        sqlx::query_as("SELECT summary, lesson_count, cover_version FROM courses WHERE id = $1")
            .bind(at.id)
            .fetch_one(&db.pool)
            .await?;
    let tags = tags::of(db, TagKind::Course, &[at.id.0]).await?;
    let modules: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, title FROM course_modules WHERE course_id = $1 ORDER BY position, id",
    )
    .bind(at.id)
    .fetch_all(&db.pool)
    .await?;
    type LessonRow = (i64, i64, String, String, i64, Option<String>);
    let sql = format!(
        "SELECT l.id, l.module_id, l.kind, l.title, CASE WHEN {} THEN 1 ELSE 0 END,
                (SELECT p.status FROM lesson_progress p WHERE p.lesson_id = l.id AND p.user_id = $2)
         FROM lessons l WHERE l.course_id = $1 ORDER BY l.position, l.id",
        crate::server::policy::courses::lesson_ready("l")
    );
    let lessons: Vec<LessonRow> = sqlx::query_as(&sql)
        .bind(at.id)
        .bind(viewer.id)
        .fetch_all(&db.pool)
        .await?;
    let modules = modules
        .into_iter()
        .map(|(id, title)| ModuleView {
            id: ModuleId(id),
            title,
            lessons: lessons
                .iter()
                .filter(|l| l.1 == id)
                .map(|(lid, _, kind, title, ready, status)| LessonRef {
                    id: LessonId(*lid),
                    title: title.clone(),
                    kind: LessonKind::parse(kind).unwrap_or(LessonKind::Page),
                    done: status.as_deref() == Some("completed"),
                    ready: *ready == 1,
                })
                .collect(),
        })
        .collect();
    type EnrolRow = (String, Option<i64>, Option<i64>, i64, i64);
    let enrolment: Option<EnrolRow> = sqlx::query_as(
        "SELECT status, due_at, completed_at, completed_count, share_progress FROM enrolments
         WHERE course_id = $1 AND user_id = $2",
    )
    .bind(at.id)
    .bind(viewer.id)
    .fetch_optional(&db.pool)
    .await?;
    let authors: Vec<(i64, String, Option<String>)> = sqlx::query_as(
        "SELECT u.id, u.display_name, u.handle FROM course_authors a JOIN users u ON u.id = a.user_id
         WHERE a.course_id = $1 ORDER BY u.display_name, u.id",
    )
    .bind(at.id)
    .fetch_all(&db.pool)
    .await?;
    let (learner_count,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM enrolments WHERE course_id = $1 AND status = 'active'",
    )
    .bind(at.id)
    .fetch_one(&db.pool)
    .await?;
    // The wrapper is for those taking the course.
    let inside = at.may_take();
    let cohort = if inside {
        cohort(db, at.id, viewer.id, lesson_count).await?
    } else {
        Vec::new()
    };
    let (announcements, questions) = if inside {
        (
            newest_topics(db, at.space, "article").await?,
            newest_topics(db, at.space, "question").await?,
        )
    } else {
        (Vec::new(), Vec::new())
    };
    let rating = ratings_of(db, &[at.id.0])
        .await?
        .into_iter()
        .next()
        .map(|(_, r)| r)
        .unwrap_or_default();
    let my_rating: Option<(i64, String)> = sqlx::query_as(
        "SELECT stars, review FROM course_ratings WHERE course_id = $1 AND user_id = $2",
    )
    .bind(at.id)
    .bind(viewer.id)
    .fetch_optional(&db.pool)
    .await?;
    let reviews: Vec<(i64, String, Option<String>, i64, String, i64)> = sqlx::query_as(
        "SELECT u.id, u.display_name, u.handle, r.stars, r.review, r.updated_at
         FROM course_ratings r JOIN users u ON u.id = r.user_id
         WHERE r.course_id = $1 AND r.review <> ''
         ORDER BY r.updated_at DESC, u.id LIMIT 10",
    )
    .bind(at.id)
    .fetch_all(&db.pool)
    .await?;
    Ok(CourseView {
        rating,
        my_rating,
        reviews: reviews
            .into_iter()
            .map(|(id, name, handle, stars, text, at)| Review {
                author: person_link(name, handle, id),
                stars,
                text,
                at,
            })
            .collect(),
        id: at.id,
        slug: at.slug.clone(),
        title: at.title.clone(),
        summary,
        tags: tags.into_iter().map(|(_, t)| t).collect(),
        cover: course_cover_url(at.id, 1200, cover),
        space_slug: at.space_slug.clone(),
        policy: at.policy,
        published: at.published,
        signed_in: viewer.is_signed_in(),
        may_edit: at.author,
        enrolment: enrolment.map(|(status, due, done_at, done, share)| EnrolmentView {
            requested: status == "requested",
            due_at: due,
            completed_at: done_at,
            completed_count: done,
            share_progress: share == 1,
        }),
        modules,
        lesson_count,
        learner_count,
        authors: authors
            .into_iter()
            .map(|(id, name, handle)| person_link(name, handle, id))
            .collect(),
        cohort,
        announcements,
        questions,
    })
}

/// The other learners, most recently active first: who is online, and their progress if they
/// share it.
async fn cohort(
    db: &Db,
    course: CourseId,
    me: UserId,
    lessons: i64,
) -> AppResult<Vec<CohortMember>> {
    type CohortRow = (i64, String, Option<String>, i64, i64, Option<i64>);
    let rows: Vec<CohortRow> = sqlx::query_as(
        "SELECT u.id, u.display_name, u.handle, e.completed_count, e.share_progress,
                (SELECT pr.seen_at FROM presence pr WHERE pr.user_id = u.id)
         FROM enrolments e JOIN users u ON u.id = e.user_id
         WHERE e.course_id = $1 AND e.status = 'active' AND e.user_id <> $2
         ORDER BY e.last_seen_at DESC, u.id LIMIT 50",
    )
    .bind(course)
    .bind(me)
    .fetch_all(&db.pool)
    .await?;
    let online_since = now() - ONLINE_SECS;
    Ok(rows
        .into_iter()
        .map(|(id, name, handle, done, share, seen)| CohortMember {
            person: person_link(name, handle, id),
            online: seen.is_some_and(|s| s > online_since),
            percent: (share == 1).then(|| percent(done, lessons)),
        })
        .collect())
}

async fn newest_topics(db: &Db, space: SpaceId, kind: &str) -> AppResult<Vec<Link>> {
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, title FROM topics WHERE kind = $1 AND space_id = $2 AND status = 'published'
         ORDER BY published_at DESC, id DESC LIMIT 5",
    )
    .bind(kind)
    .bind(space)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, title)| Link {
            text: title,
            href: format!("/t/{id}"),
        })
        .collect())
}
