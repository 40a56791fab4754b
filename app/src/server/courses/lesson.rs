//! A lesson's page, its discussion (a thread in the course's space) and questions asked to the
//! cohort from inside it.

use crate::domain::course::{video_source, DiscussionPost, LessonKind, LessonView};
use crate::domain::discussion::TopicKind;
use crate::domain::ids::{LessonId, TopicId};
use crate::error::{AppError, AppResult, FormErrors, FORM};
use crate::server::courses::person_link;
use crate::server::courses::read::view_of;
use crate::server::infra::db::Db;
use crate::server::policy::courses::lesson_standing;
use crate::server::policy::Viewer;
use crate::server::tags::{self, TagKind};
use crate::server::topics::{self, NewTopic};

/// One lesson inside its course wrapper (enrolled learners and authors).
pub async fn lesson(db: &Db, viewer: Viewer, lesson: LessonId) -> AppResult<LessonView> {
    let at = lesson_standing(db, viewer, lesson).await?;
    if !at.may_take() {
        return Err(AppError::Forbidden);
    }
    let course = view_of(db, viewer, &at).await?;
    type Row = (String, String, String, String, Option<i64>, Option<i64>);
    let (kind, title, html, video, package, thread): Row = sqlx::query_as(
        "SELECT kind, title, body_html, video_url, package_id, thread_id FROM lessons WHERE id = $1",
    )
    .bind(lesson)
    .fetch_one(&db.pool)
    .await?;
    let kind = LessonKind::parse(&kind).unwrap_or(LessonKind::Page);
    let progress: Option<(String, Option<f64>)> = sqlx::query_as(
        "SELECT status, score FROM lesson_progress WHERE user_id = $1 AND lesson_id = $2",
    )
    .bind(viewer.id)
    .bind(lesson)
    .fetch_optional(&db.pool)
    .await?;
    let order: Vec<LessonId> = course
        .modules
        .iter()
        .flat_map(|m| m.lessons.iter().map(|l| l.id))
        .collect();
    let here = order.iter().position(|&l| l == lesson);
    let package = match package {
        Some(p) => crate::server::packages::view(db, p).await?,
        None => None,
    };
    let file = match kind {
        LessonKind::Video | LessonKind::File => {
            crate::server::courses::files::media_of(db, lesson).await?
        }
        _ => None,
    };
    // An uploaded video plays from here; otherwise the address given.
    let video = match (&file, kind) {
        (Some(f), LessonKind::Video) => Some((f.url(), false)),
        (None, LessonKind::Video) if !video.is_empty() => Some(video_source(&video)),
        _ => None,
    };
    let discussion = match thread {
        Some(t) => discussion(db, t).await?,
        None => Vec::new(),
    };
    Ok(LessonView {
        id: lesson,
        title,
        kind,
        body_html: html,
        video,
        package,
        file: file.filter(|_| kind == LessonKind::File),
        done: progress.as_ref().is_some_and(|(s, _)| s == "completed"),
        score: progress.and_then(|(_, s)| s),
        previous: (here
            .and_then(|i| i.checked_sub(1))
            .and_then(|i| order.get(i).copied())),
        next: here.and_then(|i| order.get(i + 1).copied()),
        thread_id: thread.map(TopicId),
        discussion,
        course,
    })
}

/// A lesson's discussion: the thread's opening post and its replies, oldest first (the
/// newest 50).
async fn discussion(db: &Db, thread: i64) -> AppResult<Vec<DiscussionPost>> {
    let rows: Vec<(i64, String, Option<String>, String, i64)> = sqlx::query_as(
        "SELECT d.uid, d.name, d.handle, d.html, d.at FROM (
            SELECT u.id AS uid, u.display_name AS name, u.handle AS handle, t.body_html AS html,
                   t.created_at AS at, 0 AS n
            FROM topics t JOIN users u ON u.id = t.author_id WHERE t.id = $1
            UNION ALL
            SELECT u.id, u.display_name, u.handle, r.body_html, r.created_at, r.id
            FROM replies r JOIN users u ON u.id = r.author_id WHERE r.topic_id = $1
         ) d ORDER BY d.n DESC LIMIT 50",
    )
    .bind(thread)
    .fetch_all(&db.pool)
    .await?;
    let mut posts: Vec<DiscussionPost> = rows
        .into_iter()
        .map(|(id, name, handle, html, at)| DiscussionPost {
            author: person_link(name, handle, id),
            body_html: html,
            at,
        })
        .collect();
    posts.reverse();
    Ok(posts)
}

/// Posts in a lesson's discussion, starting its thread (in the course's space) on the first
/// post; returns the thread.
pub async fn discuss(db: &Db, viewer: Viewer, lesson: LessonId, body: &str) -> AppResult<TopicId> {
    let at = lesson_standing(db, viewer, lesson).await?;
    if !at.may_take() {
        return Err(AppError::Forbidden);
    }
    let (title, thread): (String, Option<TopicId>) =
        sqlx::query_as("SELECT title, thread_id FROM lessons WHERE id = $1")
            .bind(lesson)
            .fetch_one(&db.pool)
            .await?;
    if let Some(thread) = thread {
        topics::reply(db, viewer, thread, body, None).await?;
        return Ok(thread);
    }
    let input = NewTopic {
        kind: TopicKind::Thread,
        space: at.space_slug.clone(),
        category: String::new(),
        title: format!("Lesson discussion: {title}"),
        body: body.to_owned(),
        tags: String::new(),
    };
    let created = topics::create(db, viewer, input).await?;
    let claimed =
        sqlx::query("UPDATE lessons SET thread_id = $1 WHERE id = $2 AND thread_id IS NULL")
            .bind(created)
            .bind(lesson)
            .execute(&db.pool)
            .await?;
    if claimed.rows_affected() == 1 {
        return Ok(created);
    }
    // Someone started it at the same moment: post there instead.
    topics::delete(db, viewer, created).await?;
    let (thread,): (Option<TopicId>,) =
        sqlx::query_as("SELECT thread_id FROM lessons WHERE id = $1")
            .bind(lesson)
            .fetch_one(&db.pool)
            .await?;
    let thread = thread.ok_or(AppError::Internal)?;
    topics::reply(db, viewer, thread, body, None).await?;
    Ok(thread)
}

/// Asks the course's cohort a question from inside a lesson: a question in the course's space,
/// tagged with the course's tags (or its address); returns it.
pub async fn ask_cohort(
    db: &Db,
    viewer: Viewer,
    lesson: LessonId,
    title: &str,
    body: &str,
) -> AppResult<TopicId> {
    let at = lesson_standing(db, viewer, lesson).await?;
    if !at.may_take() {
        return Err(AppError::Forbidden);
    }
    let mut tags: Vec<String> = tags::of(db, TagKind::Course, &[at.id.0])
        .await?
        .into_iter()
        .map(|(_, t)| t)
        .collect();
    if tags.is_empty() {
        tags.push(at.slug.chars().take(40).collect());
    }
    let input = NewTopic {
        kind: TopicKind::Question,
        space: at.space_slug.clone(),
        category: String::new(),
        title: title.to_owned(),
        body: body.to_owned(),
        tags: tags.join(", "),
    };
    topics::create(db, viewer, input)
        .await
        .map_err(|e| match e {
            // The tags are the course's, not typed here.
            AppError::Validation(f) if f.message_for("tags").is_some() => AppError::Validation(
                FormErrors::single(
                    FORM,
                    "The course's topics could not be used for the question.",
                )
                .keep("title", title)
                .keep("body", body),
            ),
            other => other,
        })
}
