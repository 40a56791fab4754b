//! Lists of courses: the catalog, what is popular in one's spaces, and "My learning".

use crate::domain::course::{
    course_cover_url, percent, CourseCard, LearningItem, MyLearning, Rating,
};
use crate::domain::ids::CourseId;
use crate::error::AppResult;
use crate::server::infra::db::Db;
use crate::server::infra::sql::Args;
use crate::server::policy::courses::course_visible;
use crate::server::policy::Viewer;
use crate::server::policy::Who;
use crate::server::tags::{self, TagKind};

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
    let tags = tags::of(db, TagKind::Course, &ids).await?;
    let ratings = ratings_of(db, &ids).await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, slug, title, summary, lessons, published, learners, mine, cover)| CourseCard {
                slug,
                title,
                summary,
                cover: course_cover_url(CourseId(id), 600, cover),
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
pub(crate) async fn ratings_of(db: &Db, courses: &[i64]) -> AppResult<Vec<(i64, Rating)>> {
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
