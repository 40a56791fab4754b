//! Reading courses: the catalog, a course's page with its wrapper, a lesson, "My learning",
//! and the lesson's discussion and questions to the cohort.

use crate::domain::course::{
    course_cover_url, percent, video_source, CohortMember, CourseCard, CourseView, DiscussionPost,
    EnrolmentView, LearningItem, LessonKind, LessonRef, LessonView, ModuleView, MyLearning, Rating,
    Review,
};
use crate::domain::discussion::TopicKind;
use crate::domain::feed::Link;
use crate::domain::ids::{CourseId, SpaceId, TopicId, UserId};
use crate::error::{AppError, AppResult, FormErrors, FORM};
use crate::server::courses::person_link;
use crate::server::infra::db::{now, Db};
use crate::server::infra::hub::ONLINE_SECS;
use crate::server::infra::sql::Args;
use crate::server::policy::courses::course_visible;
use crate::server::policy::courses::{course_standing, lesson_standing, CourseStanding};
use crate::server::policy::Viewer;
use crate::server::policy::Who;
use crate::server::tags;
use crate::server::topics::{self, NewTopic};

/// The catalog: published courses (and the viewer's own drafts), newest first, matching the
/// words of `q` in the title or summary, and tagged `tag` when given.
pub async fn catalog(db: &Db, viewer: Viewer, q: &str, tag: &str) -> AppResult<Vec<CourseCard>> {
    let words: Vec<String> = q
        .split_whitespace()
        .take(8)
        .map(|w| format!("%{}%", w.to_lowercase().replace(['%', '_'], "")))
        .collect();
    let mut args = Args::new();
    let who = Who::viewer(&mut args, viewer);
    let mut sql = format!(
        "SELECT {} FROM courses c WHERE {}",
        card_columns(&who.id),
        course_visible("c", &who)
    );
    if !tag.trim().is_empty() {
        let tag = args.add(tag.trim().to_lowercase());
        sql.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM tags t WHERE t.target_kind = 'course' AND t.target_id = c.id AND t.tag = {tag})"
        ));
    }
    for word in &words {
        let word = args.add(word.as_str());
        sql.push_str(&format!(
            " AND (LOWER(c.title) LIKE {word} OR LOWER(c.summary) LIKE {word})"
        ));
    }
    sql.push_str(" ORDER BY c.published_at IS NULL, c.published_at DESC, c.id DESC LIMIT 100");
    let rows: Vec<CardRow> = sqlx::query_as_with(&sql, args).fetch_all(&db.pool).await?;
    cards(db, rows).await
}

type CardRow = (
    i64,
    String,
    String,
    String,
    i64,
    Option<i64>,
    i64,
    i64,
    Option<i64>,
);

/// The columns of a [`CardRow`], with whether the person `me` is enrolled.
fn card_columns(me: &str) -> String {
    format!(
        "c.id, c.slug, c.title, c.summary, c.lesson_count, c.published_at,
         (SELECT COUNT(*) FROM enrolments e WHERE e.course_id = c.id AND e.status = 'active'),
         (SELECT COUNT(*) FROM enrolments e WHERE e.course_id = c.id AND e.user_id = {me} AND e.status = 'active'),
         c.cover_version"
    )
}

/// Catalog cards, with their tags and ratings.
async fn cards(db: &Db, rows: Vec<CardRow>) -> AppResult<Vec<CourseCard>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let tags = tags::of(db, "course", &ids).await?;
    let ratings = ratings_of(db, &ids).await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, slug, title, summary, lessons, published, learners, mine, cover)| CourseCard {
                slug,
                title,
                summary,
                cover: course_cover_url(id, 600, cover),
                tags: tags
                    .iter()
                    .filter(|(c, _)| *c == id)
                    .map(|(_, t)| t.clone())
                    .collect(),
                lesson_count: lessons,
                learner_count: learners,
                published: published.is_some(),
                enrolled: mine > 0,
                rating: ratings
                    .iter()
                    .find(|(c, _)| *c == id)
                    .map(|(_, r)| *r)
                    .unwrap_or_default(),
            },
        )
        .collect())
}

/// Popular in your spaces: the published courses most taken by people who share a space with
/// the viewer.
pub async fn popular(db: &Db, viewer: Viewer) -> AppResult<Vec<CourseCard>> {
    let mut args = Args::new();
    let me = args.add(viewer.id);
    let sql = format!(
        "SELECT {} FROM courses c
         JOIN (SELECT e.course_id, COUNT(DISTINCT e.user_id) AS n FROM enrolments e
               WHERE e.status = 'active' AND e.user_id IN (
                   SELECT m2.user_id FROM space_members m1
                   JOIN space_members m2 ON m2.space_id = m1.space_id
                   JOIN spaces s ON s.id = m1.space_id
                   WHERE m1.user_id = {me} AND m2.user_id <> {me}
                     AND NOT EXISTS (SELECT 1 FROM courses w WHERE w.space_id = s.id))
               GROUP BY e.course_id) pop ON pop.course_id = c.id
         WHERE c.published_at IS NOT NULL
         ORDER BY pop.n DESC, c.id DESC LIMIT 5",
        card_columns(&me)
    );
    let rows: Vec<CardRow> = sqlx::query_as_with(&sql, args).fetch_all(&db.pool).await?;
    cards(db, rows).await
}

/// The average rating of each of `courses` that has one.
async fn ratings_of(db: &Db, courses: &[i64]) -> AppResult<Vec<(i64, Rating)>> {
    if courses.is_empty() {
        return Ok(Vec::new());
    }
    let mut args = Args::new();
    let sql = format!(
        "SELECT course_id, CAST(SUM(stars) AS BIGINT), COUNT(*) FROM course_ratings WHERE course_id IN ({})
         GROUP BY course_id",
        args.list(courses.iter().copied())
    );
    Ok(sqlx::query_as_with::<_, (i64, i64, i64), _>(&sql, args)
        .fetch_all(&db.pool)
        .await?
        .into_iter()
        .map(|(id, sum, n)| {
            let average = (n > 0).then(|| ((sum as f64 / n as f64) * 10.0).round() / 10.0);
            (id, Rating { average, count: n })
        })
        .collect())
}

/// A course's page as the viewer may see it.
pub async fn view(db: &Db, viewer: Viewer, slug: &str) -> AppResult<CourseView> {
    let at = course_standing(db, viewer, slug).await?;
    view_of(db, viewer, &at).await
}

async fn view_of(db: &Db, viewer: Viewer, at: &CourseStanding) -> AppResult<CourseView> {
    let (summary, lesson_count, cover): (String, i64, Option<i64>) =
        sqlx::query_as("SELECT summary, lesson_count, cover_version FROM courses WHERE id = $1")
            .bind(at.id)
            .fetch_one(&db.pool)
            .await?;
    let tags = tags::of(db, "course", &[at.id.0]).await?;
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
            id,
            title,
            lessons: lessons
                .iter()
                .filter(|l| l.1 == id)
                .map(|(lid, _, kind, title, ready, status)| LessonRef {
                    id: *lid,
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
        id: at.id.0,
        slug: at.slug.clone(),
        title: at.title.clone(),
        summary,
        tags: tags.into_iter().map(|(_, t)| t).collect(),
        cover: course_cover_url(at.id.0, 1200, cover),
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

/// One lesson inside its course wrapper (enrolled learners and authors).
pub async fn lesson(db: &Db, viewer: Viewer, lesson: i64) -> AppResult<LessonView> {
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
    let order: Vec<i64> = course
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
        previous: here
            .and_then(|i| i.checked_sub(1))
            .and_then(|i| order.get(i).copied()),
        next: here.and_then(|i| order.get(i + 1).copied()),
        thread_id: thread,
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
pub async fn discuss(db: &Db, viewer: Viewer, lesson: i64, body: &str) -> AppResult<TopicId> {
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
    lesson: i64,
    title: &str,
    body: &str,
) -> AppResult<TopicId> {
    let at = lesson_standing(db, viewer, lesson).await?;
    if !at.may_take() {
        return Err(AppError::Forbidden);
    }
    let mut tags: Vec<String> = tags::of(db, "course", &[at.id.0])
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

/// The viewer's courses: due (assigned with a date, not done, soonest first), in progress and
/// done.
pub async fn my_learning(db: &Db, viewer: Viewer) -> AppResult<MyLearning> {
    type Row = (String, String, i64, i64, String, Option<i64>, Option<i64>);
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT c.slug, c.title, c.lesson_count, e.completed_count, e.status, e.due_at, e.completed_at
         FROM enrolments e JOIN courses c ON c.id = e.course_id
         WHERE e.user_id = $1
         ORDER BY e.last_seen_at DESC, c.id DESC",
    )
    .bind(viewer.id)
    .fetch_all(&db.pool)
    .await?;
    let mut out = MyLearning {
        due: Vec::new(),
        in_progress: Vec::new(),
        done: Vec::new(),
    };
    for (slug, title, lessons, done, status, due_at, completed_at) in rows {
        let item = LearningItem {
            slug,
            title,
            percent: percent(done, lessons),
            requested: status == "requested",
            due_at,
            completed_at,
        };
        if item.completed_at.is_some() {
            out.done.push(item);
        } else if item.due_at.is_some() {
            out.due.push(item);
        } else {
            out.in_progress.push(item);
        }
    }
    out.due.sort_by_key(|i| i.due_at);
    Ok(out)
}
