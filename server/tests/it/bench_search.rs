//! Benchmark (not run by the test command): search over 1,000,000 posts (`BENCH_DOCS` to
//! change) of 24 words each, a quarter of them in private spaces the searcher is not in. Run with
//! `cargo test --release -p server --test bench_search -- --ignored --nocapture`; figures go
//! to BENCHMARKS.md. It asserts no timings.

use std::time::{Duration, Instant};

use crate::common::{search_query, Backend, TestApp, TestResult};

/// The 30 most frequent words of English text: function words, which search leaves out of
/// queries (as PostgreSQL's `english` configuration does).
const FUNCTION_WORDS: [&str; 30] = [
    "the", "of", "and", "to", "a", "in", "is", "it", "you", "that", "he", "was", "for", "on",
    "are", "with", "as", "his", "they", "be", "at", "this", "have", "from", "or", "by", "but",
    "not", "what", "all",
];

/// A deterministic vocabulary of 5,000 words; word `i` is used about 1/(i+1) as often as word
/// 0, as in real text (Zipf). The first 30 are English function words, the rest made up.
fn word(i: u64) -> String {
    if let Some(w) = FUNCTION_WORDS.get(i as usize) {
        return (*w).to_owned();
    }
    const SYL: [&str; 16] = [
        "ka", "lo", "mi", "ner", "sta", "pu", "ri", "ven", "do", "sha", "tek", "bri", "nol", "fa",
        "gu", "zen",
    ];
    let mut s = String::new();
    let mut n = i + 16;
    while n > 0 {
        s.push_str(SYL[(n % 16) as usize]);
        n /= 16;
    }
    s
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A word rank with a Zipf-like distribution over 5,000 words.
    fn zipf(&mut self) -> u64 {
        let u = (self.next() % 1_000_000) as f64 / 1_000_000.0;
        // Inverse of the continuous approximation of the harmonic CDF.
        ((5_000f64).powf(u) - 1.0) as u64
    }
}

async fn seed(app: &TestApp, n: i64) -> TestResult {
    let spaces: Vec<(i64,)> = sqlx::query_as("SELECT id FROM spaces ORDER BY id")
        .fetch_all(&app.state.db.pool)
        .await?;
    let (author,): (i64,) = sqlx::query_as("SELECT MIN(id) FROM users")
        .fetch_one(&app.state.db.pool)
        .await?;
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let batch = 1_000;
    let mut done = 0;
    while done < n {
        let mut tx = app.state.db.pool.begin().await?;
        let rows = batch.min(n - done);
        let values: Vec<String> = (0..rows)
            .map(|i| {
                let k = done + i;
                let words: Vec<String> = (0..24).map(|_| word(rng.zipf())).collect();
                let space = spaces[(k as usize) % spaces.len()].0;
                format!(
                    "('post', {k}, {space}, {author}, '/s/x#post-{k}', '', '{}', '', {k}, 0)",
                    words.join(" ")
                )
            })
            .collect();
        let sql = format!(
            "INSERT INTO search_docs (kind, ref_id, space_id, author_id, url, title, body, tags,
                                      created_at, visible_from) VALUES {}",
            values.join(", ")
        );
        sqlx::query(&sql).execute(&mut *tx).await?;
        tx.commit().await?;
        done += rows;
    }
    if app.state.db.backend == app::server::infra::db::Backend::Postgres {
        sqlx::query("ANALYZE search_docs")
            .execute(&app.state.db.pool)
            .await?;
    }
    Ok(())
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

async fn bench(b: Backend) -> TestResult {
    let n: i64 = std::env::var("BENCH_DOCS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let Some(app) = TestApp::spawn(b, |_| {}).await? else {
        return Ok(());
    };
    let owner = app.person("Owner").await?;
    let reader = app.person("Reader").await?;
    for (slug, visibility) in [
        ("one", "public"),
        ("two", "public"),
        ("three", "public"),
        ("hidden", "private"),
    ] {
        let form = [
            ("name", slug),
            ("slug", slug),
            ("description", ""),
            ("visibility", visibility),
            ("join_policy", "invite"),
            ("parent", ""),
        ];
        assert_eq!(
            app.call(&owner, "spaces/create", &form).await?.status(),
            200
        );
    }
    let start = Instant::now();
    seed(&app, n).await?;
    println!(
        "{b:?}: seeded {n} documents in {:.1} s",
        start.elapsed().as_secs_f64()
    );
    // Queries people type: one word of middling frequency (in 1 to 5 % of the documents),
    // two words, a rare word, and a question in words ("how do we ...") with a common word
    // (in about 6 %) and a rarer one.
    let mut rng = Rng(42);
    let mut queries: Vec<String> = Vec::new();
    for i in 0..200 {
        let q = match i % 4 {
            0 => word(50 + rng.next() % 200),
            1 => format!(
                "{} {}",
                word(30 + rng.next() % 90),
                word(100 + rng.next() % 400)
            ),
            2 => word(1_000 + rng.next() % 3_000),
            _ => format!(
                "how do we {} {}",
                word(30 + rng.next() % 20),
                word(300 + rng.next() % 1_000)
            ),
        };
        queries.push(q);
    }
    let mut times = Vec::new();
    let mut found = 0usize;
    for (i, q) in queries.iter().enumerate() {
        let query = search_query(q.as_str(), "", "");
        let t = Instant::now();
        let res = app.get(&reader, "search", &query).await?;
        assert_eq!(res.status(), 200);
        let body: serde_json::Value = res.json().await?;
        if i >= 20 {
            times.push(t.elapsed());
        }
        found += body["hits"].as_array().map_or(0, Vec::len);
    }
    times.sort();
    println!(
        "{b:?} search over {n} documents: p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms ({} searches, {found} hits shown)",
        percentile(&times, 0.5).as_secs_f64() * 1e3,
        percentile(&times, 0.95).as_secs_f64() * 1e3,
        percentile(&times, 0.99).as_secs_f64() * 1e3,
        times.len()
    );
    app.finish().await;
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: run by hand, figures in BENCHMARKS.md"]
async fn search_1m_sqlite() -> TestResult {
    bench(Backend::Sqlite).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "benchmark: run by hand, figures in BENCHMARKS.md"]
async fn search_1m_postgres() -> TestResult {
    bench(Backend::Postgres).await
}
