//! Threads, questions and courses, written through the functions the pages use, so what they
//! keep in step (search, readers, course spaces, progress) is right by construction.

use crate::seed::scale::Scale;
use crate::seed::words::{Rng, COURSES, IDEAS, OPENERS, QUESTIONS, SKILLS, THREADS};
use app::domain::discussion::TopicKind;
use app::domain::ids::UserId;
use app::error::AppResult;
use app::server::infra::db::Db;
use app::server::policy::Viewer;

/// A seeded space, as the threads and questions written in it need it.
pub(crate) struct Space {
    pub(crate) slug: String,
    pub(crate) visibility: &'static str,
    pub(crate) members: Vec<i64>,
}

pub(crate) async fn seed_topics(
    db: &Db,
    scale: &Scale,
    rng: &mut Rng,
    spaces: &[Space],
) -> AppResult<(i64, i64)> {
    use app::server::topics::{self, NewTopic};
    let public: Vec<&Space> = spaces.iter().filter(|s| s.visibility == "public").collect();
    let mut made = Vec::new();
    for i in 0..scale.topics {
        let kind = if i % 2 == 0 {
            TopicKind::Thread
        } else {
            TopicKind::Question
        };
        // In a public space by one of its members, or site-wide.
        let (space, author) = match public.is_empty() || rng.chance(25) {
            true => (String::new(), 1 + rng.below(scale.users)),
            false => {
                let s = *rng.pick(&public);
                (s.slug.clone(), *rng.pick(&s.members))
            }
        };
        let title = match kind {
            TopicKind::Question => rng.pick(QUESTIONS),
            _ => rng.pick(THREADS),
        };
        let input = NewTopic {
            kind,
            space: space.clone(),
            category: String::new(),
            title: format!("{title} ({})", i + 1),
            body: format!("{} {}.", rng.pick(OPENERS), rng.pick(IDEAS)),
            tags: rng.pick(SKILLS).to_string(),
        };
        let viewer = Viewer::signed_in(UserId(author), false);
        let id = topics::create(db, viewer, input).await?;
        let members = spaces
            .iter()
            .find(|s| s.slug == space)
            .map(|s| s.members.clone());
        made.push((id, kind, author, members));
    }
    let mut replies_made = 0;
    let mut first_answer = vec![None; made.len()];
    for _ in 0..scale.replies {
        if made.is_empty() {
            break;
        }
        let t = rng.below(made.len() as i64) as usize;
        let (topic, _, _, members) = &made[t];
        let who = match members {
            Some(m) => *rng.pick(m),
            None => 1 + rng.below(scale.users),
        };
        let viewer = Viewer::signed_in(UserId(who), false);
        let body = format!("In my team, {}.", rng.pick(IDEAS));
        let id = topics::reply(db, viewer, *topic, &body, None).await?;
        first_answer[t].get_or_insert(id);
        replies_made += 1;
    }
    // The askers accept an answer on about half of their answered questions.
    for (i, (_, kind, author, _)) in made.iter().enumerate() {
        if let (TopicKind::Question, Some(answer)) = (kind, first_answer[i]) {
            if rng.chance(50) {
                let viewer = Viewer::signed_in(UserId(*author), false);
                topics::accept(db, viewer, answer).await?;
            }
        }
    }
    Ok((made.len() as i64, replies_made))
}

pub(crate) async fn seed_courses(db: &Db, scale: &Scale, rng: &mut Rng) -> AppResult<i64> {
    use app::server::courses as authoring;
    let admin = Viewer::signed_in(UserId(1), true);
    let mut made = 0;
    for i in 0..scale.courses {
        let (title, summary) = COURSES[i as usize % COURSES.len()];
        let title = if i < COURSES.len() as i64 {
            title.to_owned()
        } else {
            format!("{title} {}", i / COURSES.len() as i64 + 1)
        };
        let input = authoring::CourseInput {
            title,
            summary: summary.to_owned(),
            tags: rng.pick(SKILLS).to_string(),
            policy: "open".to_owned(),
        };
        let slug = authoring::create(db, admin, input).await?;
        let mut lessons = Vec::new();
        for m in 1..=2 {
            let module = authoring::add_module(db, admin, &slug, &format!("Part {m}")).await?;
            for l in 1..=2 {
                let lesson = authoring::LessonInput {
                    title: format!("Lesson {m}.{l}"),
                    kind: "page".to_owned(),
                    body: format!(
                        "## Why it matters\n\n{}.\n\n- Try it\n- Note what changed",
                        rng.pick(IDEAS)
                    ),
                    video_url: String::new(),
                };
                lessons.push(authoring::add_lesson(db, admin, &slug, module, lesson).await?);
            }
        }
        authoring::set_published(db, admin, &slug, true).await?;
        // Some people enrol and work through part of it.
        let learners = (scale.users / 4).clamp(1, 200);
        for _ in 0..learners {
            let who = 2 + rng.below((scale.users - 1).max(1));
            let viewer = Viewer::signed_in(UserId(who), false);
            if !authoring::enrol(db, viewer, &slug).await? {
                continue;
            }
            let done = rng.below(lessons.len() as i64 + 1) as usize;
            for lesson in &lessons[..done] {
                authoring::mark_done(db, viewer, *lesson).await?;
            }
        }
        made += 1;
    }
    Ok(made)
}
