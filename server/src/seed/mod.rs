//! `server seed` and `server --demo`: a generated organisation in an empty database, for
//! development, demos and benchmarks. Kept in the binary, out of the product library.

mod content;
mod org;
mod rows;
mod scale;
mod state;
mod walls;
mod words;

use app::server::infra::db::Db;

pub use org::seed;
pub use scale::{is_empty, Scale, Seeded, DEMO_ADMIN_EMAIL, DEMO_PASSWORD};

/// `server seed --scale NAME --seed N`: fills the configured (empty) database and reports what
/// it wrote, then the pages worth opening.
pub async fn seed_command(db: &Db, scale: &str, seed: u64) -> Result<String, String> {
    let scale = Scale::named(scale)
        .ok_or_else(|| format!("unknown scale {scale:?}: use demo, small or large"))?;
    let done = fill(db, &scale, seed).await?;
    Ok(format!(
        "Seeded {done}\nspace: {}\nperson: {}\nthread: {}\n{}",
        done.busiest_space,
        done.most_followed,
        done.longest_thread,
        sign_in_hint()
    ))
}

/// `--demo`: a first look. Fills the database with the demo organisation only when nobody has an
/// account yet; otherwise says so and leaves it as it is.
pub async fn load_demo(db: &Db) -> Result<(), String> {
    if !is_empty(db).await.map_err(|e| e.to_string())? {
        tracing::warn!("demo data not loaded: this database already has accounts");
        return Ok(());
    }
    let done = fill(db, &Scale::DEMO, 42).await?;
    tracing::info!(%done, "demo data loaded");
    eprintln!("{}", sign_in_hint());
    Ok(())
}

async fn fill(db: &Db, scale: &Scale, seed: u64) -> Result<Seeded, String> {
    org::seed(db, scale, seed).await.map_err(|e| match e {
        app::error::AppError::Conflict(f) => f.summary(),
        e => format!("seeding failed: {e:?}"),
    })
}

fn sign_in_hint() -> String {
    format!(
        "Sign in as {DEMO_ADMIN_EMAIL} (the site admin) with the password {DEMO_PASSWORD}; \
         every seeded person has that password."
    )
}
