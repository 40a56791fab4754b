//! How much to seed, and what was seeded.

use app::error::AppResult;
use app::server::infra::db::Db;

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
