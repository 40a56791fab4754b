//! Benchmark (not run by the test command): a wall with 100,000 posts against one with 10.
//! Run with `cargo test --release -p server --test bench_wall -- --ignored --nocapture`;
//! figures go to BENCHMARKS.md. It asserts no timings. `BENCH_ANALYZE=1` runs ANALYZE after
//! seeding, as autovacuum would on a live server.

use std::time::{Duration, Instant};

use crate::common::{Backend, TestApp, TestResult};

async fn seed_posts(app: &TestApp, slug: &str, n: i64) -> TestResult {
    let (space, author): (i64, i64) =
        sqlx::query_as("SELECT id, created_by FROM spaces WHERE slug = $1")
            .bind(slug)
            .fetch_one(&app.state.db.pool)
            .await?;
    let mut tx = app.state.db.pool.begin().await?;
    let batch = 500;
    let mut done = 0;
    while done < n {
        let rows = batch.min(n - done);
        let values: Vec<String> = (0..rows)
            .map(|i| {
                let k = done + i;
                format!("({author}, {space}, 'Post {k}', '<p>Post {k}</p>', {k})")
            })
            .collect();
        let sql = format!(
            "INSERT INTO posts (author_id, space_id, body_md, body_html, created_at) VALUES {}",
            values.join(", ")
        );
        sqlx::query(&sql).execute(&mut *tx).await?;
        done += rows;
    }
    tx.commit().await?;
    Ok(())
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

async fn measure(app: &TestApp, c: &reqwest::Client, slug: &str, deep: bool) -> TestResult {
    // A cursor far down the wall when `deep`: the 4,000th page of a 100,000-post wall.
    let before = if deep {
        let (id,): (i64,) = sqlx::query_as(
            "SELECT p.id FROM posts p JOIN spaces s ON s.id = p.space_id WHERE s.slug = $1
             ORDER BY p.id LIMIT 1 OFFSET 20000",
        )
        .bind(slug)
        .fetch_one(&app.state.db.pool)
        .await?;
        base64_cursor(id)
    } else {
        String::new()
    };
    let mut times = Vec::new();
    for i in 0..220 {
        let start = Instant::now();
        let res = app
            .get(c, "walls/space", &[("slug", slug), ("before", &before)])
            .await?;
        assert_eq!(res.status(), 200);
        let _ = res.bytes().await?;
        if i >= 20 {
            times.push(start.elapsed());
        }
    }
    times.sort();
    println!(
        "{:?} wall {slug}{}: p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms ({} requests)",
        app.state.db.backend,
        if deep {
            " (deep page)"
        } else {
            " (first page)"
        },
        percentile(&times, 0.5).as_secs_f64() * 1e3,
        percentile(&times, 0.95).as_secs_f64() * 1e3,
        percentile(&times, 0.99).as_secs_f64() * 1e3,
        times.len()
    );
    Ok(())
}

fn base64_cursor(id: i64) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("c1.{id}"))
}

async fn bench(b: Backend) -> TestResult {
    let Some(app) = TestApp::spawn(b, |_| {}).await? else {
        return Ok(());
    };
    let ana = app.person("Ana").await?;
    for slug in ["small", "large"] {
        let form = [
            ("name", slug),
            ("slug", slug),
            ("description", ""),
            ("visibility", "private"),
            ("join_policy", "invite"),
            ("parent", ""),
        ];
        assert_eq!(app.call(&ana, "spaces/create", &form).await?.status(), 200);
    }
    let start = Instant::now();
    seed_posts(&app, "small", 10).await?;
    seed_posts(&app, "large", 100_000).await?;
    println!(
        "{b:?}: seeded 100,010 posts in {:.1} s",
        start.elapsed().as_secs_f64()
    );
    measure(&app, &ana, "small", false).await?;
    measure(&app, &ana, "large", false).await?;
    measure(&app, &ana, "large", true).await?;
    app.finish().await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: run by hand, figures in BENCHMARKS.md"]
async fn wall_of_100k_posts_sqlite() -> TestResult {
    bench(Backend::Sqlite).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: run by hand, figures in BENCHMARKS.md"]
async fn wall_of_100k_posts_postgres() -> TestResult {
    bench(Backend::Postgres).await
}
