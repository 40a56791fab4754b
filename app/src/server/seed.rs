//! A realistic organisation, generated deterministically from a seed: people with profiles and
//! skills, spaces (public, private, secret, nested) with members, follows, wall posts with
//! comments and reactions and the activity they make, forum threads, questions with answers,
//! and courses. The same seed gives the same organisation on SQLite and PostgreSQL.
//!
//! The bulk (people, spaces, walls, activity) is written with batched multi-row inserts and
//! explicit ids, so the large scale seeds in minutes. Topics, replies and courses go through the
//! same functions the pages use, so what they keep in step (search, readers, course spaces,
//! progress) is right by construction. It only ever fills an empty database.

use std::collections::HashSet;
use std::time::Instant;

use sqlx::AnyConnection;

use super::access::Viewer;
use super::db::{now, Backend, Db};
use super::markdown;
use crate::domain::discussion::TopicKind;
use crate::error::{AppError, AppResult, FormErrors};

/// The password of every seeded account, so a demo can be explored as anyone.
pub const DEMO_PASSWORD: &str = "learn-together";
/// The seeded site admin.
pub const DEMO_ADMIN_EMAIL: &str = "admin@example.com";

/// How much to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scale {
    pub name: &'static str,
    pub users: i64,
    pub spaces: i64,
    /// Spaces each person joins, on average.
    pub memberships: i64,
    /// People each person follows, on average.
    pub follows: i64,
    /// Wall posts, in spaces and on people's walls.
    pub posts: i64,
    pub comments: i64,
    /// Reactions each post gets, at most (on average half of it).
    pub reactions: i64,
    /// Forum threads and questions (half each).
    pub topics: i64,
    /// Replies and answers, spread over the topics.
    pub replies: i64,
    pub courses: i64,
}

impl Scale {
    /// A first look: a few dozen people, spaces, threads and a course.
    pub const DEMO: Scale = Scale {
        name: "demo",
        users: 40,
        spaces: 8,
        memberships: 3,
        follows: 6,
        posts: 160,
        comments: 240,
        reactions: 4,
        topics: 16,
        replies: 48,
        courses: 1,
    };
    /// What the tests seed: small, and quick on both databases.
    pub const SMALL: Scale = Scale {
        name: "small",
        users: 200,
        spaces: 20,
        memberships: 4,
        follows: 8,
        posts: 2_000,
        comments: 1_000,
        reactions: 4,
        topics: 20,
        replies: 60,
        courses: 2,
    };
    /// The benchmark organisation: 10,000 people, 1,000 spaces, 1,000,000 posts and comments.
    pub const LARGE: Scale = Scale {
        name: "large",
        users: 10_000,
        spaces: 1_000,
        memberships: 5,
        follows: 10,
        posts: 800_000,
        comments: 200_000,
        reactions: 4,
        topics: 1_000,
        replies: 3_000,
        courses: 20,
    };

    pub fn named(name: &str) -> Option<Scale> {
        [Scale::DEMO, Scale::SMALL, Scale::LARGE]
            .into_iter()
            .find(|s| s.name == name)
    }
}

/// What was written, and how long it took.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Seeded {
    pub users: i64,
    pub spaces: i64,
    pub memberships: i64,
    pub follows: i64,
    pub posts: i64,
    pub comments: i64,
    pub reactions: i64,
    pub activities: i64,
    pub topics: i64,
    pub replies: i64,
    pub courses: i64,
    pub millis: u128,
    /// Pages worth opening (for benchmarks): the busiest space the admin is in, the most
    /// followed person, the longest thread.
    pub busiest_space: String,
    pub most_followed: String,
    pub longest_thread: i64,
}

impl std::fmt::Display for Seeded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} people, {} spaces ({} memberships), {} follows, {} posts, {} comments, \
             {} reactions, {} activities, {} topics, {} replies, {} courses in {:.1} s",
            self.users,
            self.spaces,
            self.memberships,
            self.follows,
            self.posts,
            self.comments,
            self.reactions,
            self.activities,
            self.topics,
            self.replies,
            self.courses,
            self.millis as f64 / 1000.0
        )
    }
}

/// Whether anyone has an account yet: the seeder only fills a database with none.
pub async fn is_empty(db: &Db) -> AppResult<bool> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users")
        .fetch_one(&db.pool)
        .await?;
    Ok(n == 0)
}

/// A small, fast, seeded generator (SplitMix64): the same seed, the same organisation.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// 0..n
    fn below(&mut self, n: i64) -> i64 {
        (self.next() % n.max(1) as u64) as i64
    }
    fn chance(&mut self, percent: i64) -> bool {
        self.below(100) < percent
    }
    fn pick<'a, T>(&mut self, from: &'a [T]) -> &'a T {
        &from[self.below(from.len() as i64) as usize]
    }
}

const FIRST: &[&str] = &[
    "Ana", "Ben", "Chloé", "Dev", "Elif", "Farah", "Goran", "Hana", "Ibrahim", "Jonas", "Keiko",
    "Luis", "Maya", "Nikhil", "Olga", "Pedro", "Qian", "Rosa", "Samir", "Tess", "Uma", "Viktor",
    "Wen", "Ximena", "Yusuf", "Zoe", "Amara", "Bruno", "Carmen", "Dmitri", "Esther", "Felix",
];
const LAST: &[&str] = &[
    "Lima", "Okafor", "Nguyen", "Schmidt", "Kowalski", "Haddad", "Tanaka", "Silva", "Murphy",
    "Novak", "Rossi", "Andersen", "Patel", "Moreau", "Garcia", "Kim", "Ivanova", "Mensah", "Berg",
    "Costa", "Dubois", "Fischer", "Jensen", "Khan",
];
const DEPARTMENTS: &[&str] = &[
    "Engineering",
    "Sales",
    "Customer Success",
    "Finance",
    "People",
    "Marketing",
    "Operations",
    "Legal",
    "Product",
    "Data",
];
const JOBS: &[&str] = &[
    "Software Engineer",
    "Account Executive",
    "Support Specialist",
    "Financial Analyst",
    "HR Partner",
    "Content Designer",
    "Operations Manager",
    "Counsel",
    "Product Manager",
    "Data Scientist",
    "Team Lead",
    "Learning Designer",
];
const PLACES: &[&str] = &[
    "Lisbon",
    "Berlin",
    "Nairobi",
    "Toronto",
    "Singapore",
    "São Paulo",
    "Manchester",
    "Remote",
];
const TOPICS: &[&str] = &[
    "Data Science",
    "Onboarding",
    "Leadership",
    "Customer Care",
    "Security",
    "Design Systems",
    "Public Speaking",
    "Negotiation",
    "Rust",
    "Cloud Costs",
    "Accessibility",
    "Wellbeing",
    "Sales Craft",
    "Product Discovery",
    "Writing",
    "Compliance",
    "Analytics",
    "Coaching",
];
const KINDS: &[&str] = &["Guild", "Circle", "Community", "Lab", "Club", "Network"];
const SKILLS: &[&str] = &[
    "sql",
    "python",
    "rust",
    "negotiation",
    "coaching",
    "excel",
    "figma",
    "public-speaking",
    "accessibility",
    "kubernetes",
    "writing",
    "forecasting",
    "facilitation",
    "security",
    "statistics",
    "storytelling",
];
const OPENERS: &[&str] = &[
    "Today I learned",
    "Quick tip:",
    "Sharing a lesson from this week:",
    "Question for the group:",
    "A small win:",
    "Reading notes:",
    "From the last workshop:",
];
const IDEAS: &[&str] = &[
    "pairing on a hard problem teaches more than any slide deck",
    "writing the summary first makes the meeting half as long",
    "a checklist beats memory when the stakes are high",
    "asking the customer to show, not tell, changes the conversation",
    "short feedback loops keep a project honest",
    "naming the decision up front saves a week of email",
    "teaching a topic is the fastest way to find the gaps in it",
    "the dashboard nobody opens is the one to delete first",
];
const CLOSERS: &[&str] = &[
    "What has worked for you?",
    "Happy to share the notes.",
    "Try it this week.",
    "More in the thread.",
    "Thanks to everyone who joined.",
    "",
];

/// A quoted SQL string literal.
fn lit(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn opt(v: Option<i64>) -> String {
    v.map_or_else(|| "NULL".to_owned(), |v| v.to_string())
}

/// Rows of one table, written 500 at a time.
struct Rows {
    head: String,
    rows: Vec<String>,
    written: i64,
}

const BATCH: usize = 500;

impl Rows {
    /// `explicit_ids`: the rows carry their own ids (PostgreSQL must be told to accept them).
    fn new(backend: Backend, table: &str, columns: &str, explicit_ids: bool) -> Rows {
        let overriding = if explicit_ids && backend == Backend::Postgres {
            " OVERRIDING SYSTEM VALUE"
        } else {
            ""
        };
        Rows {
            head: format!("INSERT INTO {table} ({columns}){overriding} VALUES "),
            rows: Vec::with_capacity(BATCH),
            written: 0,
        }
    }

    fn push(&mut self, row: String) {
        self.rows.push(row);
    }

    fn full(&self) -> bool {
        self.rows.len() >= BATCH
    }

    async fn flush(&mut self, conn: &mut AnyConnection) -> AppResult<()> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let mut sql = String::with_capacity(self.head.len() + self.rows.len() * 160);
        sql.push_str(&self.head);
        for (i, r) in self.rows.iter().enumerate() {
            if i > 0 {
                sql.push(',');
            }
            sql.push('(');
            sql.push_str(r);
            sql.push(')');
        }
        sqlx::query(&sql).execute(&mut *conn).await?;
        self.written += self.rows.len() as i64;
        self.rows.clear();
        Ok(())
    }
}

struct Space {
    slug: String,
    visibility: &'static str,
    members: Vec<i64>,
}

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
    let hash = super::auth::hash_password(DEMO_PASSWORD.to_owned()).await?;
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
        super::search::index_person(&mut tx, user).await?;
    }
    for space in 1..=scale.spaces {
        super::search::index_space(&mut tx, space).await?;
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

/// After rows written with their own ids, PostgreSQL's identity sequences go on from the last.
/// Turns the trigger that keeps each space's last activity (migration 0010) off while
/// activities are loaded in bulk, and on again; the seeder sets those times itself. On
/// PostgreSQL, a space's row updated for each of its thousands of activities in one
/// transaction leaves a chain of row versions that every later update walks: the large scale
/// was still loading activities after 8 minutes. SQLite updates the row in place (the large
/// scale seeded in 113 s with it on), so there it stays on.
async fn touch_spaces(conn: &mut AnyConnection, backend: Backend, on: bool) -> AppResult<()> {
    if backend == Backend::Postgres {
        let switch = if on { "ENABLE" } else { "DISABLE" };
        let sql = format!("ALTER TABLE activities {switch} TRIGGER activities_touch_space");
        sqlx::query(&sql).execute(&mut *conn).await?;
    }
    Ok(())
}

async fn move_sequences_on(conn: &mut AnyConnection, tables: &[&str]) -> AppResult<()> {
    for table in tables {
        let sql = format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'),
                           (SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"
        );
        sqlx::query(&sql).execute(&mut *conn).await?;
    }
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

/// Letters without accents, for addresses and handles.
fn ascii(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'é' | 'è' => 'e',
            'ã' | 'á' => 'a',
            'ó' => 'o',
            c => c,
        })
        .filter(|c| c.is_ascii_alphanumeric() || *c == ' ')
        .collect()
}

const QUESTIONS: &[&str] = &[
    "How do you run a good retrospective with a remote team?",
    "What is the best way to learn SQL window functions?",
    "Which checklist do you use before a customer demo?",
    "How do you give feedback that lands?",
    "What should a new manager read first?",
    "How do you keep notes from a course useful a month later?",
];
const THREADS: &[&str] = &[
    "Share your favourite learning resource this quarter",
    "Lunch and learn ideas for next month",
    "What we learned from the last incident review",
    "Mentoring pairs: how is it going?",
    "Book club: pick the next title",
];

async fn seed_topics(
    db: &Db,
    scale: &Scale,
    rng: &mut Rng,
    spaces: &[Space],
) -> AppResult<(i64, i64)> {
    use super::topics::{self, NewTopic};
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
        let viewer = Viewer {
            id: author,
            admin: false,
        };
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
        let viewer = Viewer {
            id: who,
            admin: false,
        };
        let body = format!("In my team, {}.", rng.pick(IDEAS));
        let id = topics::reply(db, viewer, *topic, &body, None).await?;
        first_answer[t].get_or_insert(id);
        replies_made += 1;
    }
    // The askers accept an answer on about half of their answered questions.
    for (i, (_, kind, author, _)) in made.iter().enumerate() {
        if let (TopicKind::Question, Some(answer)) = (kind, first_answer[i]) {
            if rng.chance(50) {
                let viewer = Viewer {
                    id: *author,
                    admin: false,
                };
                topics::accept(db, viewer, answer).await?;
            }
        }
    }
    Ok((made.len() as i64, replies_made))
}

const COURSES: &[(&str, &str)] = &[
    (
        "Giving feedback that helps",
        "Three short lessons on feedback people can act on.",
    ),
    (
        "SQL for analysts",
        "From SELECT to window functions, with exercises on real questions.",
    ),
    (
        "Running inclusive meetings",
        "Plan, run and follow up meetings where everyone is heard.",
    ),
];

async fn seed_courses(db: &Db, scale: &Scale, rng: &mut Rng) -> AppResult<i64> {
    use super::courses as authoring;
    let admin = Viewer { id: 1, admin: true };
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
            let viewer = Viewer {
                id: who,
                admin: false,
            };
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
