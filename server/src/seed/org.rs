//! A realistic organisation, generated deterministically from a seed: people with profiles and
//! skills, spaces (public, private, secret, nested) with members, follows, wall posts with
//! comments and reactions and the activity they make, forum threads, questions with answers,
//! and courses. The same seed gives the same organisation on SQLite and PostgreSQL.
//!
//! The bulk (people, spaces, walls, activity) is written with batched multi-row inserts and
//! explicit ids, so the large scale seeds in minutes. It only ever fills an empty database.

use std::collections::HashSet;
use std::time::Instant;

use crate::seed::content::{seed_courses, seed_topics, Space};
use crate::seed::rows::{lit, move_sequences_on, opt, touch_spaces, Rows};
use crate::seed::scale::{is_empty, Scale, Seeded, DEMO_ADMIN_EMAIL, DEMO_PASSWORD};
use crate::seed::words::{
    ascii, Rng, CLOSERS, DEPARTMENTS, FIRST, IDEAS, JOBS, KINDS, LAST, OPENERS, PLACES, SKILLS,
    TOPICS,
};
use app::error::{AppError, AppResult, FormErrors};
use app::server::infra::db::{now, Backend, Db};
use app::server::infra::markdown;

/// Fills an empty database with an organisation of `scale`, the same for the same `seed`.
/// Times are spread over the 90 days before now.
pub async fn seed(db: &Db, scale: &Scale, seed: u64) -> AppResult<Seeded> {
    if !is_empty(db).await? {
        let msg = "The database already has accounts: the seeder only fills an empty one.";
        return Err(AppError::Conflict(FormErrors::single("", msg.to_owned())));
    }
    let started = Instant::now();
    let mut rng = Rng(seed);
    let mut out = Seeded::default();
    let end = now();
    let start = end - 90 * 86_400;
    let hash = app::server::infra::passwords::hash_password(DEMO_PASSWORD.to_owned()).await?;
    let backend = db.backend;
    let mut tx = db.begin().await?;
    touch_spaces(&mut tx, backend, false).await?;

    // People: the first is the site admin; a few authors and L&D managers.
    let mut handles = Vec::with_capacity(scale.users as usize);
    let mut users = Rows::new(
        backend,
        "users",
        "id, email, display_name, password_hash, role, created_at, updated_at, handle, \
         job_title, department, location, bio_md, bio_html, status_text, status_at",
        true,
    );
    let mut tags = Rows::new(backend, "user_tags", "user_id, kind, tag", false);
    for id in 1..=scale.users {
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
        let joined = start + rng.below(86_400 * 5);
        let status = rng
            .chance(20)
            .then(|| format!("Learning {} this month", skills[1]));
        users.push(format!(
            "{id}, {}, {}, {}, '{role}', {joined}, {joined}, {}, {}, {}, {}, {}, {}, {}, {}",
            lit(&email),
            lit(&name),
            lit(&hash),
            lit(&handle),
            lit(job),
            lit(dept),
            lit(place),
            lit(&bio),
            lit(&markdown::render(&bio)),
            lit(status.as_deref().unwrap_or("")),
            opt(status.as_ref().map(|_| end - rng.below(86_400 * 7))),
        ));
        let mut seen = HashSet::new();
        for (i, s) in skills.iter().enumerate() {
            let kind = if i == 0 { "expertise" } else { "skill" };
            if seen.insert((kind, *s)) {
                tags.push(format!("{id}, '{kind}', {}", lit(s)));
            }
        }
        if users.full() {
            users.flush(&mut tx).await?;
            tags.flush(&mut tx).await?;
        }
        handles.push(handle);
    }
    users.flush(&mut tx).await?;
    tags.flush(&mut tx).await?;
    out.users = users.written;

    // Spaces: mostly public, some private and secret; one in ten inside an earlier one.
    let mut spaces: Vec<Space> = Vec::with_capacity(scale.spaces as usize);
    let mut space_rows = Rows::new(
        backend,
        "spaces",
        "id, slug, name, description, visibility, join_policy, parent_id, created_by, \
         created_at, last_activity_at",
        true,
    );
    let mut space_tags = Rows::new(backend, "space_tags", "space_id, tag", false);
    let mut members = Rows::new(
        backend,
        "space_members",
        "space_id, user_id, role, joined_at",
        false,
    );
    let mut activities = Rows::new(
        backend,
        "activities",
        "actor_id, verb, object_type, object_id, space_id, wall_id, created_at",
        false,
    );
    let mut joined: Vec<HashSet<i64>> = vec![HashSet::new(); scale.users as usize + 1];
    for id in 1..=scale.spaces {
        let topic = *rng.pick(TOPICS);
        let name = format!("{topic} {}", rng.pick(KINDS));
        let slug = format!("{}-{id}", ascii(&name).to_lowercase().replace(' ', "-"));
        let (visibility, policy) = match rng.below(10) {
            0..=5 => ("public", "open"),
            6..=8 => ("private", "request"),
            _ => ("secret", "invite"),
        };
        let parent = (id > 10 && rng.chance(10)).then(|| 1 + rng.below(id - 1));
        let owner = 1 + rng.below(scale.users);
        let created = start + 86_400 * 5 + rng.below(86_400 * 5);
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
        joined[owner as usize].insert(id);
        activities.push(format!(
            "{owner}, 'created', 'space', {id}, {id}, NULL, {created}"
        ));
        spaces.push(Space {
            slug,
            visibility,
            members: vec![owner],
        });
    }
    space_rows.flush(&mut tx).await?;
    space_tags.flush(&mut tx).await?;
    out.spaces = space_rows.written;

    // Memberships: each person joins a few spaces (more often the public ones).
    for user in 1..=scale.users {
        // The admin (who benchmarks sign in as) is in more spaces than most.
        let n = match user {
            1 => scale.memberships * 2,
            _ => 1 + rng.below(scale.memberships * 2 - 1),
        };
        for _ in 0..n {
            let space = 1 + rng.below(scale.spaces);
            let s = &mut spaces[space as usize - 1];
            if s.visibility != "public" && rng.chance(50) {
                continue;
            }
            if !joined[user as usize].insert(space) {
                continue;
            }
            s.members.push(user);
            let at = start + 86_400 * 10 + rng.below(86_400 * 10);
            let role = if rng.chance(5) { "moderator" } else { "member" };
            members.push(format!("{space}, {user}, '{role}', {at}"));
            activities.push(format!(
                "{user}, 'joined', 'space', {space}, {space}, NULL, {at}"
            ));
            if members.full() {
                members.flush(&mut tx).await?;
            }
        }
    }
    members.flush(&mut tx).await?;
    out.memberships = members.written;

    // Follows.
    let mut follows = Rows::new(
        backend,
        "follows",
        "follower_id, followee_id, created_at",
        false,
    );
    let mut following: Vec<Vec<i64>> = vec![Vec::new(); scale.users as usize + 1];
    for user in 1..=scale.users {
        let n = rng.below(scale.follows * 2 + 1);
        let mut seen = HashSet::new();
        for _ in 0..n {
            // Some people are followed far more than others.
            let popular = 1 + rng.below(scale.users);
            let other = 1 + rng.below(popular);
            if other == user || !seen.insert(other) {
                continue;
            }
            let at = start + 86_400 * 10 + rng.below(86_400 * 20);
            follows.push(format!("{user}, {other}, {at}"));
            following[user as usize].push(other);
            if follows.full() {
                follows.flush(&mut tx).await?;
            }
        }
    }
    follows.flush(&mut tx).await?;
    out.follows = follows.written;
    activities.flush(&mut tx).await?;
    if backend == Backend::Postgres {
        move_sequences_on(&mut tx, &["users", "spaces"]).await?;
    }
    for user in 1..=scale.users {
        app::server::effects::index::index_person(&mut tx, user).await?;
    }
    for space in 1..=scale.spaces {
        app::server::effects::index::index_space(&mut tx, space).await?;
    }
    touch_spaces(&mut tx, backend, true).await?;
    tx.commit().await?;

    // Threads and questions, with replies and answers, and courses, through the functions the
    // pages use; dated before the walls, as if they had been there a while.
    let walls_from = start + 86_400 * 30;
    let topics_done = seed_topics(db, scale, &mut rng, &spaces).await?;
    out.topics = topics_done.0;
    out.replies = topics_done.1;
    out.courses = seed_courses(db, scale, &mut rng).await?;
    let then = walls_from - 3_600;
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
    // Each person's spaces, in a fixed order (a set's order would differ from run to run).
    let member_of: Vec<Vec<i64>> = joined
        .iter()
        .map(|set| {
            let mut v: Vec<i64> = set.iter().copied().collect();
            v.sort_unstable();
            v
        })
        .collect();
    let mut tx = db.begin().await?;
    touch_spaces(&mut tx, backend, false).await?;

    // Walls: posts, then comments on recent posts and reactions, in time order, so that activity
    // ids follow time as they do on a live site.
    let mut posts = Rows::new(
        backend,
        "posts",
        "id, author_id, space_id, profile_id, body_md, body_html, created_at",
        true,
    );
    let mut comments = Rows::new(
        backend,
        "comments",
        "id, post_id, author_id, body_md, body_html, created_at",
        true,
    );
    let mut reactions = Rows::new(
        backend,
        "reactions",
        "post_id, user_id, kind, created_at",
        false,
    );
    let mut docs = Rows::new(
        backend,
        "search_docs",
        "kind, ref_id, space_id, author_id, url, title, body, created_at",
        false,
    );
    // (post id, space index, wall owner) of recent posts, for comments.
    let mut recent: Vec<(i64, Option<usize>, Option<i64>)> = Vec::new();
    let steps = scale.posts + scale.comments;
    let (mut post_id, mut comment_id) = (0_i64, 0_i64);
    const KINDS_OF_REACTION: &[&str] = &["like", "celebrate", "insightful", "support", "curious"];
    for step in 0..steps {
        let at = walls_from + (end - walls_from) * step / steps.max(1);
        let posts_left = scale.posts - post_id;
        let comments_left = scale.comments - comment_id;
        let is_post = recent.is_empty() || rng.below(posts_left + comments_left) < posts_left;
        if is_post && posts_left > 0 {
            post_id += 1;
            let author = 1 + rng.below(scale.users);
            let mine = &member_of[author as usize];
            let (space, profile) = if !mine.is_empty() && rng.chance(85) {
                (Some(*rng.pick(mine)), None)
            } else if !following[author as usize].is_empty() && rng.chance(30) {
                (None, Some(*rng.pick(&following[author as usize])))
            } else {
                (None, Some(author))
            };
            let body = format!(
                "{} {}. {}",
                rng.pick(OPENERS),
                rng.pick(IDEAS),
                rng.pick(CLOSERS)
            )
            .trim()
            .to_owned();
            posts.push(format!(
                "{post_id}, {author}, {}, {}, {}, {}, {at}",
                opt(space),
                opt(profile),
                lit(&body),
                lit(&markdown::render(&body)),
            ));
            let url = match (space, profile) {
                (Some(s), _) => format!("/s/{}#post-{post_id}", spaces[s as usize - 1].slug),
                (None, Some(p)) => format!("/u/{}#post-{post_id}", handles[p as usize - 1]),
                _ => unreachable!(),
            };
            docs.push(format!(
                "'post', {post_id}, {}, {author}, {}, '', {}, {at}",
                opt(space),
                lit(&url),
                lit(&body)
            ));
            activities.push(format!(
                "{author}, 'posted', 'post', {post_id}, {}, {}, {at}",
                opt(space),
                opt(profile)
            ));
            let space_index = space.map(|s| s as usize - 1);
            // Reactions from people who may see the post.
            let n = rng.below(scale.reactions + 1);
            let mut seen = HashSet::new();
            for _ in 0..n {
                let who = match space_index {
                    Some(i) => *rng.pick(&spaces[i].members),
                    None => 1 + rng.below(scale.users),
                };
                let kind = *rng.pick(KINDS_OF_REACTION);
                if seen.insert((who, kind)) {
                    reactions.push(format!("{post_id}, {who}, '{kind}', {at}"));
                    activities.push(format!(
                        "{who}, 'reacted', 'post', {post_id}, {}, {}, {at}",
                        opt(space),
                        opt(profile)
                    ));
                }
            }
            recent.push((post_id, space_index, profile));
            if recent.len() > 2_000 {
                recent.drain(..1_000);
            }
        } else if comments_left > 0 {
            comment_id += 1;
            // Newer posts get more of the comments.
            let newest = 1 + rng.below(recent.len() as i64);
            let back = rng.below(newest);
            let (post, space_index, wall) = recent[recent.len() - 1 - back as usize];
            let author = match space_index {
                Some(i) => *rng.pick(&spaces[i].members),
                None => 1 + rng.below(scale.users),
            };
            let body = format!("Agreed: {}.", rng.pick(IDEAS));
            comments.push(format!(
                "{comment_id}, {post}, {author}, {}, {}, {at}",
                lit(&body),
                lit(&markdown::render(&body)),
            ));
            let space = space_index.map(|i| i as i64 + 1);
            activities.push(format!(
                "{author}, 'commented', 'comment', {comment_id}, {}, {}, {at}",
                opt(space),
                opt(wall)
            ));
        }
        if posts.full() || comments.full() || reactions.full() || activities.full() {
            for rows in [
                &mut posts,
                &mut comments,
                &mut reactions,
                &mut docs,
                &mut activities,
            ] {
                rows.flush(&mut tx).await?;
            }
        }
    }
    for rows in [
        &mut posts,
        &mut comments,
        &mut reactions,
        &mut docs,
        &mut activities,
    ] {
        rows.flush(&mut tx).await?;
    }
    out.posts = posts.written;
    out.comments = comments.written;
    out.reactions = reactions.written;

    // What the rows above count or summarise.
    for sql in [
        "UPDATE posts SET
             comment_count = (SELECT COUNT(*) FROM comments c WHERE c.post_id = posts.id),
             reaction_count = (SELECT COUNT(*) FROM reactions r WHERE r.post_id = posts.id)",
        "UPDATE spaces SET
             member_count = (SELECT COUNT(*) FROM space_members m WHERE m.space_id = spaces.id),
             last_activity_at = COALESCE((SELECT MAX(a.created_at) FROM activities a
                                          WHERE a.space_id = spaces.id), last_activity_at)",
    ] {
        sqlx::query(sql).execute(&mut *tx).await?;
    }
    if backend == Backend::Postgres {
        move_sequences_on(&mut tx, &["posts", "comments"]).await?;
    }
    touch_spaces(&mut tx, backend, true).await?;
    tx.commit().await?;

    // Fresh statistics for the planner, as a live database would have; on PostgreSQL, the
    // visibility map too (as autovacuum would leave it, some time later), or its index-only
    // scans look every row up in the table (the home feed's sources: 4,000 lookups a page).
    let analyze = match backend {
        Backend::Postgres => "VACUUM (ANALYZE)",
        Backend::Sqlite => "ANALYZE",
    };
    sqlx::query(analyze).execute(&db.pool).await?;
    let (activities,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM activities")
        .fetch_one(&db.pool)
        .await?;
    out.activities = activities;
    (out.busiest_space, out.most_followed, out.longest_thread) = samples(db).await?;
    out.millis = started.elapsed().as_millis();
    Ok(out)
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
