//! The seeder, on SQLite and on PostgreSQL: it fills an empty database with the numbers its
//! scale names, the same organisation for the same seed on either database, refuses a database
//! that has accounts, and what it writes works through the site (sign in, feeds, walls, search,
//! threads, courses).

use crate::common::{ok_json as ok, search_query, Backend, TestApp, TestResult};
use serde_json::Value;
use server::seed::{self, Scale, DEMO_ADMIN_EMAIL, DEMO_PASSWORD};

/// What identifies the generated organisation: people, spaces, the walls' first posts.
async fn fingerprint(app: &TestApp) -> Result<Vec<String>, sqlx::Error> {
    let pool = &app.state.db.pool;
    let mut out = Vec::new();
    let people: Vec<(i64, String, String, String)> = sqlx::query_as(
        "SELECT id, display_name, handle, role FROM users WHERE id <= 30 ORDER BY id",
    )
    .fetch_all(pool)
    .await?;
    out.extend(people.into_iter().map(|p| format!("{p:?}")));
    let spaces: Vec<(i64, String, String, i64)> =
        sqlx::query_as("SELECT id, slug, visibility, member_count FROM spaces ORDER BY id")
            .fetch_all(pool)
            .await?;
    out.extend(spaces.into_iter().map(|s| format!("{s:?}")));
    let posts: Vec<(i64, i64, Option<i64>, String, i64, i64)> = sqlx::query_as(
        "SELECT id, author_id, space_id, body_md, comment_count, reaction_count
         FROM posts WHERE id <= 50 ORDER BY id",
    )
    .fetch_all(pool)
    .await?;
    out.extend(posts.into_iter().map(|p| format!("{p:?}")));
    let (follows,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM follows")
        .fetch_one(pool)
        .await?;
    out.push(format!("follows {follows}"));
    Ok(out)
}

async fn count(app: &TestApp, table: &str) -> Result<i64, sqlx::Error> {
    let (n,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(&app.state.db.pool)
        .await?;
    Ok(n)
}

async fn seeds_an_organisation(b: Backend) -> TestResult {
    let Some(app) = TestApp::spawn(b, |_| {}).await? else {
        return Ok(());
    };
    let scale = Scale::SMALL;
    let done = seed::seed(&app.state.db, &scale, 42).await?;
    assert_eq!(done.users, scale.users);
    assert_eq!(done.spaces, scale.spaces);
    assert_eq!(done.posts, scale.posts);
    assert_eq!(done.comments, scale.comments);
    assert_eq!(done.topics, scale.topics);
    assert_eq!(done.replies, scale.replies);
    assert_eq!(done.courses, scale.courses);
    assert_eq!(count(&app, "users").await?, scale.users);
    assert_eq!(count(&app, "posts").await?, scale.posts);
    assert_eq!(count(&app, "comments").await?, scale.comments);
    assert!(done.reactions > 0 && done.follows > 0 && done.memberships > scale.spaces);
    // Every post and comment made its activity.
    let (made,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM activities WHERE verb IN ('posted', 'commented')")
            .fetch_one(&app.state.db.pool)
            .await?;
    assert_eq!(made, scale.posts + scale.comments);
    // Counters agree with the rows they count.
    let (wrong,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM posts p
         WHERE p.comment_count <> (SELECT COUNT(*) FROM comments c WHERE c.post_id = p.id)",
    )
    .fetch_one(&app.state.db.pool)
    .await?;
    assert_eq!(wrong, 0);
    // Nobody comments where they may not read: in private and secret spaces, only members do.
    let (outsiders,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM comments c JOIN posts p ON p.id = c.post_id
         JOIN spaces s ON s.id = p.space_id
         WHERE s.visibility <> 'public' AND NOT EXISTS (
             SELECT 1 FROM space_members m WHERE m.space_id = s.id AND m.user_id = c.author_id)",
    )
    .fetch_one(&app.state.db.pool)
    .await?;
    assert_eq!(outsiders, 0);

    // A database with accounts is refused, and keeps what it had.
    let again = seed::seed(&app.state.db, &Scale::DEMO, 1).await;
    assert!(again.is_err(), "a second seeding must be refused");
    assert_eq!(count(&app, "users").await?, scale.users);

    // The seeded admin signs in with the demo password and sees a full home feed.
    let admin = app.new_client()?;
    let res = app.sign_in(&admin, DEMO_ADMIN_EMAIL, DEMO_PASSWORD).await?;
    assert_eq!(res.status(), 200);
    assert_eq!(app.me(&admin).await?["role"], "Admin");
    let feed: Value = ok(app
        .get(
            &admin,
            "feed/get",
            &[
                ("of", "home"),
                ("key", ""),
                ("filter", "all"),
                ("before", ""),
            ],
        )
        .await?)
    .await?;
    let n = feed["items"].as_array().map_or(0, Vec::len);
    assert!(n >= 10, "{n} items: {feed}");
    // The busiest space, the most followed person and the longest thread open as pages.
    for path in [
        format!("/s/{}", done.busiest_space),
        format!("/u/{}", done.most_followed),
        format!("/t/{}", done.longest_thread),
        "/courses".to_owned(),
    ] {
        let res = admin.get(app.url(&path)).send().await?;
        assert_eq!(res.status(), 200, "{path}");
    }
    // Seeded posts are found by search.
    let found: Value = ok(app
        .get(&admin, "search", &search_query("checklist", "", ""))
        .await?)
    .await?;
    assert!(
        found["hits"].as_array().is_some_and(|h| !h.is_empty()),
        "{found}"
    );
    // New rows after the seeded ones get fresh ids (PostgreSQL's sequences were moved on).
    let id: Value = ok(app
        .call(
            &admin,
            "walls/post",
            &[("slug", &done.busiest_space), ("body", "After the seed")],
        )
        .await?)
    .await?;
    assert_eq!(id.as_i64(), Some(scale.posts + 1));

    // The same seed gives the same organisation, on another database.
    let first = fingerprint(&app).await?;
    app.finish().await;
    let Some(other) = TestApp::spawn(b, |_| {}).await? else {
        return Ok(());
    };
    seed::seed(&other.state.db, &scale, 42).await?;
    let second = fingerprint(&other).await?;
    assert_eq!(first.len(), second.len());
    // The first had one more post by then, which the fingerprint leaves out (ids <= 50).
    assert_eq!(first, second);
    other.finish().await;
    Ok(())
}

/// `--demo` loads the demo organisation into an empty database, and leaves one with accounts
/// as it is.
async fn demo_only_on_an_empty_database(b: Backend) -> TestResult {
    let Some(app) = TestApp::spawn(b, |_| {}).await? else {
        return Ok(());
    };
    let _someone = app.person("Early Bird").await?;
    server::seed::load_demo(&app.state.db).await?;
    assert_eq!(count(&app, "users").await?, 1);
    assert_eq!(count(&app, "posts").await?, 0);
    app.finish().await;

    let Some(app) = TestApp::spawn(b, |_| {}).await? else {
        return Ok(());
    };
    server::seed::load_demo(&app.state.db).await?;
    assert_eq!(count(&app, "users").await?, Scale::DEMO.users);
    assert_eq!(count(&app, "posts").await?, Scale::DEMO.posts);
    let admin = app.new_client()?;
    let res = app.sign_in(&admin, DEMO_ADMIN_EMAIL, DEMO_PASSWORD).await?;
    assert_eq!(res.status(), 200);
    app.finish().await;
    Ok(())
}

crate::on_both_backends!(seeds_an_organisation, demo_only_on_an_empty_database);
