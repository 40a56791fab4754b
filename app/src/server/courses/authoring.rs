//! Writing a course: its settings and modules, publishing it, and the editor's view of it;
//! its lessons are [`super::lessons`].

use crate::domain::activity::Verb;
use crate::domain::course::{
    check_course_title, check_summary, course_cover_url, CourseEditor, EnrolPolicy, LessonDraft,
    LessonKind, ModuleDraft, Requester,
};
use crate::domain::discussion::check_title;
use crate::domain::ids::{CourseId, LessonId, ModuleId, SpaceId, UserId};
use crate::domain::profile::Tags;
use crate::domain::space::Slug;
use crate::error::{AppError, AppResult, FormErrors, FORM};
use crate::server::courses::person_link;
use crate::server::effects::{self, Happened, Search};
use crate::server::infra::db::{is_unique_violation, now, Db};
use crate::server::policy::courses::{course_standing, may_author, CourseStanding};
use crate::server::policy::Viewer;
use crate::server::tags;

/// What the course settings form sends.
#[derive(Debug, Default, Clone)]
pub struct CourseInput {
    pub title: String,
    pub summary: String,
    pub tags: String,
    pub policy: String,
}

struct CheckedCourse {
    title: String,
    summary: String,
    tags: Vec<String>,
    policy: EnrolPolicy,
}

impl CourseInput {
    fn check(&self) -> AppResult<CheckedCourse> {
        let mut errors = FormErrors::new();
        let title = check_course_title(&self.title)
            .map_err(|m| errors.add("title", m))
            .ok();
        let summary = check_summary(&self.summary)
            .map_err(|m| errors.add("summary", m))
            .ok();
        let tags = Tags::parse(&self.tags)
            .map_err(|m| errors.add("tags", m))
            .ok();
        let policy = EnrolPolicy::parse(&self.policy);
        if policy.is_none() {
            errors.add("policy", "Choose how people enrol.");
        }
        match (title, summary, tags, policy) {
            (Some(title), Some(summary), Some(tags), Some(policy)) if errors.is_empty() => {
                Ok(CheckedCourse {
                    title,
                    summary,
                    tags,
                    policy,
                })
            }
            _ => Err(AppError::Validation(self.keep(errors))),
        }
    }

    fn keep(&self, e: FormErrors) -> FormErrors {
        e.keep("title", &self.title)
            .keep("summary", &self.summary)
            .keep("tags", &self.tags)
            .keep("policy", &self.policy)
    }
}

/// A free address made from `base`: `base`, `base-2`, `base-3`...
async fn free_slug(db: &Db, table: &str, base: &str) -> AppResult<String> {
    let base = if base.chars().count() < 3 {
        format!("course-{base}")
    } else {
        base.to_owned()
    };
    let base: String = base.chars().take(54).collect();
    let base = base.trim_end_matches('-').to_owned();
    for n in 1..100 {
        let candidate = if n == 1 {
            base.clone()
        } else {
            format!("{base}-{n}")
        };
        let taken: Option<(i64,)> =
            sqlx::query_as(&format!("SELECT id FROM {table} WHERE slug = $1"))
                .bind(&candidate)
                .fetch_optional(&db.pool)
                .await?;
        if taken.is_none() {
            return Ok(candidate);
        }
    }
    Err(AppError::internal("no free course address"))
}

/// Creates a draft course, and its space, owned by the author; returns its address.
pub async fn create(db: &Db, viewer: Viewer, input: CourseInput) -> AppResult<String> {
    if !may_author(db, viewer).await? {
        return Err(AppError::Forbidden);
    }
    let c = input.check()?;
    // `/courses/new` is the form, not a course.
    let base = match Slug::suggest(&c.title) {
        s if s == "new" => "new-course".to_owned(),
        s => s,
    };
    let slug = free_slug(db, "courses", &base).await?;
    let space_slug = free_slug(db, "spaces", &format!("course-{slug}")).await?;
    let now = now();
    let mut tx = db.begin().await?;
    // The wrapper: its content for members (the enrolled learners and the authors); secret
    // while the course is a draft, which is its authors' alone, and listed once published.
    let space: Result<(SpaceId,), sqlx::Error> = sqlx::query_as(
        "INSERT INTO spaces (slug, name, description, visibility, join_policy, created_by,
                             created_at, last_activity_at, member_count)
         VALUES ($1, $2, $3, 'secret', 'invite', $4, $5, $5, 1) RETURNING id",
    )
    .bind(&space_slug)
    .bind(&c.title)
    .bind(&c.summary)
    .bind(viewer.id)
    .bind(now)
    .fetch_one(&mut *tx)
    .await;
    let (space,) = space.map_err(|e| conflict_or(e, &input))?;
    sqlx::query(
        "INSERT INTO space_members (space_id, user_id, role, joined_at) VALUES ($1, $2, 'owner', $3)",
    )
    .bind(space)
    .bind(viewer.id)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    let course: Result<(CourseId,), sqlx::Error> = sqlx::query_as(
        "INSERT INTO courses (slug, title, summary, space_id, enrol_policy, created_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(&slug)
    .bind(&c.title)
    .bind(&c.summary)
    .bind(space)
    .bind(c.policy.as_str())
    .bind(viewer.id)
    .bind(now)
    .fetch_one(&mut *tx)
    .await;
    let (course,) = course.map_err(|e| conflict_or(e, &input))?;
    sqlx::query("INSERT INTO course_authors (course_id, user_id) VALUES ($1, $2)")
        .bind(course)
        .bind(viewer.id)
        .execute(&mut *tx)
        .await?;
    tags::replace(&mut tx, course, &c.tags).await?;
    tags::replace(&mut tx, space, &c.tags).await?;
    let created = Happened::to_space(viewer.id, Verb::Created, space).index(Search::Space(space));
    effects::apply(&mut tx, created).await?;
    tx.commit().await?;
    Ok(slug)
}

fn conflict_or(e: sqlx::Error, input: &CourseInput) -> AppError {
    if is_unique_violation(&e) {
        AppError::Conflict(input.keep(FormErrors::single(
            FORM,
            "Another course was made with this title at the same moment. Try again.",
        )))
    } else {
        e.into()
    }
}

/// Changes a course's title, summary, tags and enrolment policy (its authors).
pub async fn update(db: &Db, viewer: Viewer, slug: &str, input: CourseInput) -> AppResult<()> {
    let at = course_standing(db, viewer, slug).await?;
    at.require_author()?;
    let c = input.check()?;
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE courses SET title = $1, summary = $2, enrol_policy = $3 WHERE id = $4")
        .bind(&c.title)
        .bind(&c.summary)
        .bind(c.policy.as_str())
        .bind(at.id)
        .execute(&mut *tx)
        .await?;
    sqlx::query("UPDATE spaces SET name = $1, description = $2 WHERE id = $3")
        .bind(&c.title)
        .bind(&c.summary)
        .bind(at.space)
        .execute(&mut *tx)
        .await?;
    tags::replace(&mut tx, at.id, &c.tags).await?;
    tags::replace(&mut tx, at.space, &c.tags).await?;
    let updated = Happened::unlogged(viewer.id).index(Search::Space(at.space));
    effects::apply(&mut tx, updated).await?;
    tx.commit().await?;
    Ok(())
}

/// Publishes (or takes back to draft) a course. Publishing needs a lesson that can be taken.
pub async fn set_published(db: &Db, viewer: Viewer, slug: &str, publish: bool) -> AppResult<()> {
    let at = course_standing(db, viewer, slug).await?;
    at.require_author()?;
    if publish {
        let sql = format!(
            "SELECT COUNT(*) FROM lessons l WHERE l.course_id = $1 AND {}",
            crate::server::policy::courses::lesson_ready("l")
        );
        let (ready,): (i64,) = sqlx::query_as(&sql).bind(at.id).fetch_one(&db.pool).await?;
        if ready == 0 {
            return Err(AppError::Conflict(FormErrors::single(
                FORM,
                "Add at least one lesson that can be taken (with its package or file uploaded) before publishing.",
            )));
        }
    }
    let when = publish.then(now);
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE courses SET published_at = $1 WHERE id = $2")
        .bind(when)
        .bind(at.id)
        .execute(&mut *tx)
        .await?;
    // A draft's wrapper space is secret (no one but its members knows it exists); a published
    // course's is listed, its content still for members.
    sqlx::query("UPDATE spaces SET visibility = $1 WHERE id = $2")
        .bind(if publish { "private" } else { "secret" })
        .bind(at.space)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Adds a module at the end of the course; returns its id.
pub async fn add_module(db: &Db, viewer: Viewer, slug: &str, title: &str) -> AppResult<ModuleId> {
    let at = course_standing(db, viewer, slug).await?;
    at.require_author()?;
    let title = check_title(title).map_err(|m| {
        AppError::Validation(FormErrors::single("module_title", m).keep("module_title", title))
    })?;
    let (id,): (ModuleId,) = sqlx::query_as(
        "INSERT INTO course_modules (course_id, title, position)
         VALUES ($1, $2, (SELECT COALESCE(MAX(position), 0) + 1 FROM course_modules WHERE course_id = $1))
         RETURNING id",
    )
    .bind(at.id)
    .bind(&title)
    .fetch_one(&db.pool)
    .await?;
    Ok(id)
}

/// Keeps the course's lesson count.
pub(crate) async fn recount(conn: &mut sqlx::AnyConnection, course: CourseId) -> AppResult<()> {
    sqlx::query(
        "UPDATE courses SET lesson_count = (SELECT COUNT(*) FROM lessons WHERE course_id = $1)
         WHERE id = $1",
    )
    .bind(course)
    .execute(conn)
    .await?;
    Ok(())
}

/// Everything the course editor shows (its authors).
pub async fn editor(db: &Db, viewer: Viewer, slug: &str) -> AppResult<CourseEditor> {
    let at = course_standing(db, viewer, slug).await?;
    at.require_author()?;
    editor_of(db, &at).await
}

async fn editor_of(db: &Db, at: &CourseStanding) -> AppResult<CourseEditor> {
    let (summary, learners): (String, i64) = sqlx::query_as(
        "SELECT c.summary, (SELECT COUNT(*) FROM enrolments e WHERE e.course_id = c.id AND e.status = 'active')
         FROM courses c WHERE c.id = $1",
    )
    .bind(at.id)
    .fetch_one(&db.pool)
    .await?;
    let tags: Vec<(String,)> = sqlx::query_as(
        "SELECT tag FROM tags WHERE target_kind = 'course' AND target_id = $1 ORDER BY tag",
    )
    .bind(at.id)
    .fetch_all(&db.pool)
    .await?;
    let modules: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, title FROM course_modules WHERE course_id = $1 ORDER BY position, id",
    )
    .bind(at.id)
    .fetch_all(&db.pool)
    .await?;
    type LessonRow = (i64, i64, String, String, String, String);
    let lessons: Vec<LessonRow> = sqlx::query_as(
        "SELECT id, module_id, kind, title, body_md, video_url FROM lessons
         WHERE course_id = $1 ORDER BY position, id",
    )
    .bind(at.id)
    .fetch_all(&db.pool)
    .await?;
    let packages = crate::server::packages::of_course(db, at.id.0).await?;
    let files = crate::server::courses::files::of_course(db, at.id.0).await?;
    let requests: Vec<(i64, String, Option<String>)> = sqlx::query_as(
        "SELECT u.id, u.display_name, u.handle FROM enrolments e JOIN users u ON u.id = e.user_id
         WHERE e.course_id = $1 AND e.status = 'requested' ORDER BY e.enrolled_at, u.id",
    )
    .bind(at.id)
    .fetch_all(&db.pool)
    .await?;
    let modules = modules
        .into_iter()
        .map(|(id, title)| ModuleDraft {
            id: ModuleId(id),
            title,
            lessons: lessons
                .iter()
                .filter(|l| l.1 == id)
                .map(|(lid, _, kind, title, body, video)| LessonDraft {
                    id: LessonId(*lid),
                    title: title.clone(),
                    kind: LessonKind::parse(kind).unwrap_or(LessonKind::Page),
                    body_md: body.clone(),
                    video_url: video.clone(),
                    package: packages
                        .iter()
                        .find(|(l, _)| l == lid)
                        .map(|(_, p)| p.clone()),
                    media: files
                        .iter()
                        .rfind(|(l, r, _)| {
                            l == lid && *r == crate::server::courses::files::Role::Media
                        })
                        .map(|(_, _, f)| f.clone()),
                    images: files
                        .iter()
                        .filter(|(l, r, _)| {
                            l == lid && *r == crate::server::courses::files::Role::Image
                        })
                        .map(|(_, _, f)| f.clone())
                        .collect(),
                })
                .collect(),
        })
        .collect();
    let (title, policy, published, cover): (String, String, Option<i64>, Option<i64>) =
        sqlx::query_as(
            "SELECT title, enrol_policy, published_at, cover_version FROM courses WHERE id = $1",
        )
        .bind(at.id)
        .fetch_one(&db.pool)
        .await?;
    Ok(CourseEditor {
        id: at.id,
        slug: at.slug.clone(),
        title,
        summary,
        cover: course_cover_url(at.id, 1200, cover),
        tags: tags.into_iter().map(|(t,)| t).collect(),
        policy: EnrolPolicy::parse(&policy).unwrap_or(EnrolPolicy::Open),
        published: published.is_some(),
        modules,
        requests: requests
            .into_iter()
            .map(|(id, name, handle)| Requester {
                id: UserId(id),
                person: person_link(name, handle, id),
            })
            .collect(),
        learner_count: learners,
    })
}
