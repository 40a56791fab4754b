//! A realistic organisation, generated deterministically from a seed: people with profiles and
//! skills, spaces (public, private, secret, nested) with members, follows, wall posts with
//! comments and reactions and the activity they make, forum threads, questions with answers,
//! and courses. The same seed gives the same organisation on SQLite and PostgreSQL.
//!
//! The bulk (people, spaces, walls, activity) is written with batched multi-row inserts and
//! explicit ids, so the large scale seeds in minutes. It only ever fills an empty database.
//! [`seed`] runs the steps in order, each a method of [`Org`] (what they share, in
//! [`super::state`]); the walls are [`super::walls`].

use std::collections::HashSet;
use std::time::Instant;

use crate::seed::content::{seed_courses, seed_topics, Space};
use crate::seed::rows::{lit, move_sequences_on, opt, touch_spaces, Rows};
use crate::seed::scale::{is_empty, Scale, Seeded, DEMO_ADMIN_EMAIL, DEMO_PASSWORD};
use crate::seed::state::Org;
use crate::seed::walls::Walls;
use crate::seed::words::{
    ascii, Rng, DEPARTMENTS, FIRST, JOBS, KINDS, LAST, PLACES, SKILLS, TOPICS,
};
use app::domain::ids::{SpaceId, UserId};
use app::error::{AppError, AppResult, FormErrors};
use app::server::infra::db::{now, Backend, Db, Tx};
use app::server::infra::markdown;

/// Fills an empty database with an organisation of `scale`, the same for the same `seed`.
/// Times are spread over the 90 days before now.
pub async fn seed(db: &Db, scale: &Scale, seed: u64) -> AppResult<Seeded> {
    if !is_empty(db).await? {
        let msg = "The database already has accounts: the seeder only fills an empty one.";
        return Err(AppError::Conflict(FormErrors::single("", msg.to_owned())));
    }
    let started = Instant::now();
    let end = now();
    let backend = db.backend;
    let mut org = Org {
        scale,
        backend,
        rng: Rng(seed),
        start: end - 90 * 86_400,
        end,
        out: Seeded::default(),
        handles: Vec::with_capacity(scale.users as usize),
        spaces: Vec::with_capacity(scale.spaces as usize),
        joined: vec![HashSet::new(); scale.users as usize + 1],
        following: vec![Vec::new(); scale.users as usize + 1],
        activities: Rows::new(
            backend,
            "activities",
            "actor_id, verb, object_type, object_id, space_id, wall_id, created_at",
            false,
        ),
    };
    let hash = app::server::infra::passwords::hash_password(DEMO_PASSWORD.to_owned()).await?;
    let mut tx = db.begin().await?;
    touch_spaces(&mut tx, backend, false).await?;
    org.people(&mut tx, &hash).await?;
    let members = org.spaces(&mut tx).await?;
    org.memberships(&mut tx, members).await?;
    org.follows(&mut tx).await?;
    org.activities.flush(&mut tx).await?;
    if backend == Backend::Postgres {
        move_sequences_on(&mut tx, &["users", "spaces"]).await?;
    }
    for user in 1..=scale.users {
        app::server::effects::index::person(&mut tx, UserId(user)).await?;
    }
    for space in 1..=scale.spaces {
        app::server::effects::index::space_doc(&mut tx, SpaceId(space)).await?;
    }
    touch_spaces(&mut tx, backend, true).await?;
    tx.commit().await?;

    // Threads and questions, with replies and answers, and courses, through the functions the
    // pages use; dated before the walls, as if they had been there a while.
    let walls_from = org.start + 86_400 * 30;
    let (topics, replies) = seed_topics(db, scale, &mut org.rng, &org.spaces).await?;
    (org.out.topics, org.out.replies) = (topics, replies);
    org.out.courses = seed_courses(db, scale, &mut org.rng).await?;
    backdate(db, walls_from - 3_600, end).await?;

    let mut tx = db.begin().await?;
    touch_spaces(&mut tx, backend, false).await?;
    Walls::new(backend)
        .write(&mut org, &mut tx, walls_from)
        .await?;
    summarise(&mut tx).await?;
    touch_spaces(&mut tx, backend, true).await?;
    tx.commit().await?;
    analyze(db).await?;

    let mut out = org.out;
    let (activities,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM activities")
        .fetch_one(&db.pool)
        .await?;
    out.activities = activities;
    (out.busiest_space, out.most_followed, out.longest_thread) = samples(db).await?;
    out.millis = started.elapsed().as_millis();
    Ok(out)
}

impl Org<'_> {
    /// People: the first is the site admin; a few authors and L&D managers.
    async fn people(&mut self, tx: &mut Tx, hash: &str) -> AppResult<()> {
        let mut users = Rows::new(
            self.backend,
            "users",
            "id, email, display_name, password_hash, role, created_at, updated_at, handle, \
             job_title, department, location, bio_md, bio_html, status_text, status_at",
            true,
        );
        let mut tags = Rows::new(self.backend, "user_tags", "user_id, kind, tag", false);
        let rng = &mut self.rng;
        for id in 1..=self.scale.users {
            let (first, last) = (*rng.pick(FIRST), *rng.pick(LAST));
            let (name, email, role) = if id == 1 {
                ("Ada Admin".to_owned(), DEMO_ADMIN_EMAIL.to_owned(), "admin")
            } else {
                let role = match rng.below(100) {
                    0..=2 => "author",
                    3 => "ld_manager",
                    _ => "member",
                };
                let email = format!(
                    "{}.{}{id}@example.com",
                    ascii(first).to_lowercase(),
                    ascii(last).to_lowercase()
                );
                (format!("{first} {last}"), email, role)
            };
            let handle = format!("{}{id}", ascii(&name).to_lowercase().replace(' ', ""));
            let (job, dept, place) = (*rng.pick(JOBS), *rng.pick(DEPARTMENTS), *rng.pick(PLACES));
            let skills: Vec<&str> = (0..3).map(|_| *rng.pick(SKILLS)).collect();
            let bio = format!(
                "{job} in {dept}, based in {place}. Ask me about **{}**.",
                skills[0]
            );
            let joined = self.start + rng.below(86_400 * 5);
            let status = rng
                .chance(20)
                .then(|| format!("Learning {} this month", skills[1]));
            users.push(format!(
                "{id}, {}, {}, {}, '{role}', {joined}, {joined}, {}, {}, {}, {}, {}, {}, {}, {}",
                lit(&email),
                lit(&name),
                lit(hash),
                lit(&handle),
                lit(job),
                lit(dept),
                lit(place),
                lit(&bio),
                lit(&markdown::render(&bio)),
                lit(status.as_deref().unwrap_or("")),
                opt(status.as_ref().map(|_| self.end - rng.below(86_400 * 7))),
            ));
            let mut seen = HashSet::new();
            for (i, s) in skills.iter().enumerate() {
                let kind = if i == 0 { "expertise" } else { "skill" };
                if seen.insert((kind, *s)) {
                    tags.push(format!("{id}, '{kind}', {}", lit(s)));
                }
            }
            if users.full() {
                users.flush(tx).await?;
                tags.flush(tx).await?;
            }
            self.handles.push(handle);
        }
        users.flush(tx).await?;
        tags.flush(tx).await?;
        self.out.users = users.written;
        Ok(())
    }

    /// Spaces: mostly public, some private and secret; one in ten inside an earlier one. Their
    /// owners are their first members: the rows to write with the memberships.
    async fn spaces(&mut self, tx: &mut Tx) -> AppResult<Rows> {
        let mut space_rows = Rows::new(
            self.backend,
            "spaces",
            "id, slug, name, description, visibility, join_policy, parent_id, created_by, \
             created_at, last_activity_at",
            true,
        );
        let mut space_tags = Rows::new(self.backend, "space_tags", "space_id, tag", false);
        let mut members = Rows::new(
            self.backend,
            "space_members",
            "space_id, user_id, role, joined_at",
            false,
        );
        let rng = &mut self.rng;
        for id in 1..=self.scale.spaces {
            let topic = *rng.pick(TOPICS);
            let name = format!("{topic} {}", rng.pick(KINDS));
            let slug = format!("{}-{id}", ascii(&name).to_lowercase().replace(' ', "-"));
            let (visibility, policy) = match rng.below(10) {
                0..=5 => ("public", "open"),
                6..=8 => ("private", "request"),
                _ => ("secret", "invite"),
            };
            let parent = (id > 10 && rng.chance(10)).then(|| 1 + rng.below(id - 1));
            let owner = 1 + rng.below(self.scale.users);
            let created = self.start + 86_400 * 5 + rng.below(86_400 * 5);
            let description = format!(
                "People at work who share what they learn about {}.",
                topic.to_lowercase()
            );
            space_rows.push(format!(
                "{id}, {}, {}, {}, '{visibility}', '{policy}', {}, {owner}, {created}, {created}",
                lit(&slug),
                lit(&name),
                lit(&description),
                opt(parent),
            ));
            space_tags.push(format!(
                "{id}, {}",
                lit(&topic.to_lowercase().replace(' ', "-"))
            ));
            members.push(format!("{id}, {owner}, 'owner', {created}"));
            self.joined[owner as usize].insert(id);
            self.activities.push(format!(
                "{owner}, 'created', 'space', {id}, {id}, NULL, {created}"
            ));
            self.spaces.push(Space {
                slug,
                visibility,
                members: vec![owner],
            });
        }
        space_rows.flush(tx).await?;
        space_tags.flush(tx).await?;
        self.out.spaces = space_rows.written;
        Ok(members)
    }

    /// Memberships: each person joins a few spaces (more often the public ones).
    async fn memberships(&mut self, tx: &mut Tx, mut members: Rows) -> AppResult<()> {
        let rng = &mut self.rng;
        for user in 1..=self.scale.users {
            // The admin (who benchmarks sign in as) is in more spaces than most.
            let n = match user {
                1 => self.scale.memberships * 2,
                _ => 1 + rng.below(self.scale.memberships * 2 - 1),
            };
            for _ in 0..n {
                let space = 1 + rng.below(self.scale.spaces);
                let s = &mut self.spaces[space as usize - 1];
                if s.visibility != "public" && rng.chance(50) {
                    continue;
                }
                if !self.joined[user as usize].insert(space) {
                    continue;
                }
                s.members.push(user);
                let at = self.start + 86_400 * 10 + rng.below(86_400 * 10);
                let role = if rng.chance(5) { "moderator" } else { "member" };
                members.push(format!("{space}, {user}, '{role}', {at}"));
                self.activities.push(format!(
                    "{user}, 'joined', 'space', {space}, {space}, NULL, {at}"
                ));
                if members.full() {
                    members.flush(tx).await?;
                }
            }
        }
        members.flush(tx).await?;
        self.out.memberships = members.written;
        Ok(())
    }

    /// Follows: some people are followed far more than others.
    async fn follows(&mut self, tx: &mut Tx) -> AppResult<()> {
        let mut follows = Rows::new(
            self.backend,
            "follows",
            "follower_id, followee_id, created_at",
            false,
        );
        let (users, rng) = (self.scale.users, &mut self.rng);
        for user in 1..=users {
            let n = rng.below(self.scale.follows * 2 + 1);
            let mut seen = HashSet::new();
            for _ in 0..n {
                let popular = 1 + rng.below(users);
                let other = 1 + rng.below(popular);
                if other == user || !seen.insert(other) {
                    continue;
                }
                let at = self.start + 86_400 * 10 + rng.below(86_400 * 20);
                follows.push(format!("{user}, {other}, {at}"));
                self.following[user as usize].push(other);
                if follows.full() {
                    follows.flush(tx).await?;
                }
            }
        }
        follows.flush(tx).await?;
        self.out.follows = follows.written;
        Ok(())
    }
}

/// Moves what the page functions wrote (dated now) to `then`, before the walls begin.
async fn backdate(db: &Db, then: i64, end: i64) -> AppResult<()> {
    for sql in [
        "UPDATE activities SET created_at = $1 WHERE created_at >= $2",
        "UPDATE topics SET created_at = $1, published_at = $1, last_activity_at = $1
         WHERE created_at >= $2",
        "UPDATE replies SET created_at = $1 WHERE created_at >= $2",
        "UPDATE search_docs SET created_at = $1 WHERE created_at >= $2",
    ] {
        sqlx::query(sql)
            .bind(then)
            .bind(end)
            .execute(&db.pool)
            .await?;
    }
    Ok(())
}

/// What the rows written in bulk count or summarise.
async fn summarise(tx: &mut Tx) -> AppResult<()> {
    for sql in [
        "UPDATE posts SET
             comment_count = (SELECT COUNT(*) FROM comments c WHERE c.post_id = posts.id),
             reaction_count = (SELECT COUNT(*) FROM reactions r WHERE r.post_id = posts.id)",
        "UPDATE spaces SET
             member_count = (SELECT COUNT(*) FROM space_members m WHERE m.space_id = spaces.id),
             last_activity_at = COALESCE((SELECT MAX(a.created_at) FROM activities a
                                          WHERE a.space_id = spaces.id), last_activity_at)",
    ] {
        sqlx::query(sql).execute(&mut **tx).await?;
    }
    Ok(())
}

/// Fresh statistics for the planner, as a live database would have; on PostgreSQL, the
/// visibility map too (as autovacuum would leave it, some time later), or its index-only
/// scans look every row up in the table (the home feed's sources: 4,000 lookups a page).
async fn analyze(db: &Db) -> AppResult<()> {
    let analyze = match db.backend {
        Backend::Postgres => "VACUUM (ANALYZE)",
        Backend::Sqlite => "ANALYZE",
    };
    sqlx::query(analyze).execute(&db.pool).await?;
    Ok(())
}

async fn samples(db: &Db) -> AppResult<(String, String, i64)> {
    let space: Option<(String,)> = sqlx::query_as(
        "SELECT s.slug FROM spaces s JOIN space_members m ON m.space_id = s.id AND m.user_id = 1
         ORDER BY (SELECT COUNT(*) FROM posts p WHERE p.space_id = s.id) DESC, s.id LIMIT 1",
    )
    .fetch_optional(&db.pool)
    .await?;
    let (person,): (String,) = sqlx::query_as(
        "SELECT u.handle FROM users u
         ORDER BY (SELECT COUNT(*) FROM follows f WHERE f.followee_id = u.id) DESC, u.id LIMIT 1",
    )
    .fetch_one(&db.pool)
    .await?;
    let thread: Option<(i64,)> = sqlx::query_as(
        "SELECT id FROM topics WHERE kind = 'thread' ORDER BY reply_count DESC, id LIMIT 1",
    )
    .fetch_optional(&db.pool)
    .await?;
    Ok((
        space.map(|(s,)| s).unwrap_or_default(),
        person,
        thread.map_or(0, |(t,)| t),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_numbers() {
        let (mut a, mut b) = (Rng(7), Rng(7));
        let xs: Vec<i64> = (0..100).map(|_| a.below(1000)).collect();
        let ys: Vec<i64> = (0..100).map(|_| b.below(1000)).collect();
        assert_eq!(xs, ys);
        assert_ne!(xs, (0..100).map(|_| Rng(8).below(1000)).collect::<Vec<_>>());
    }

    #[test]
    fn literals_are_quoted() {
        assert_eq!(lit("it's"), "'it''s'");
        assert_eq!(ascii("Chloé Lima"), "Chloe Lima");
    }
}
