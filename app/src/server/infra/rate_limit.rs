//! Fixed-window rate limits kept in the database, so every instance counts the same hits.

use crate::error::{AppError, AppResult};
use crate::server::infra::db::{now, Db};

/// Counts one hit on `bucket`, then fails with `RateLimited` if the window now holds more than
/// `limit` hits. For limits on every attempt (per client address).
pub async fn hit(db: &Db, bucket: &str, limit: i64, window_secs: i64) -> AppResult<()> {
    let (hits, window_start) = record(db, bucket, window_secs).await?;
    if hits > limit {
        return Err(limited(window_start, window_secs));
    }
    Ok(())
}

/// Counts one hit on `bucket`; returns the hits in the window and when it started.
async fn record(db: &Db, bucket: &str, window_secs: i64) -> AppResult<(i64, i64)> {
    let now = now();
    let row: (i64, i64) = sqlx::query_as(
        "INSERT INTO rate_limits (bucket, window_start, hits) VALUES ($1, $2, 1)
         ON CONFLICT (bucket) DO UPDATE SET
           hits = CASE WHEN rate_limits.window_start <= $3 THEN 1 ELSE rate_limits.hits + 1 END,
           window_start = CASE WHEN rate_limits.window_start <= $3 THEN $2
                          ELSE rate_limits.window_start END
         RETURNING hits, window_start",
    )
    .bind(bucket)
    .bind(now)
    .bind(now - window_secs)
    .fetch_one(&db.pool)
    .await?;
    Ok(row)
}

fn limited(window_start: i64, window_secs: i64) -> AppError {
    let retry_after_secs = (window_start + window_secs - now()).max(1) as u64;
    AppError::rate_limited(retry_after_secs)
}

/// How sign-in attempts on one account are slowed down once they keep failing.
#[derive(Debug, Clone, Copy)]
pub struct Throttle {
    /// Failed attempts in a row that pass at once.
    pub free: i64,
    /// The first wait after those; each next one doubles, up to 16 times this.
    pub delay_ms: i64,
    /// After this long without an attempt, the count starts again.
    pub window_secs: i64,
}

/// The waits after the free attempts, in delays.
const STEPS: [i64; 5] = [1, 2, 4, 8, 16];

/// The longest an attempt waits for its turn, in delays; past it, it is refused.
const MOST_WAIT_STEPS: i64 = 16;

impl Throttle {
    /// The wait after attempt `n` (1 for the first) before the next may run.
    fn gap_after(&self, n: i64) -> i64 {
        let past = n - self.free;
        if past < 0 {
            return 0;
        }
        self.delay_ms * STEPS[(past as usize).min(STEPS.len() - 1)]
    }

    /// [`Throttle::gap_after`] in SQL, of the expression `n`.
    fn gap_sql(&self, n: &str) -> String {
        let mut sql = format!("CASE WHEN {n} < {} THEN 0", self.free);
        for (i, step) in STEPS.iter().enumerate() {
            sql.push_str(&format!(
                " WHEN {n} = {} THEN {}",
                self.free + i as i64,
                self.delay_ms * step
            ));
        }
        sql.push_str(&format!(
            " ELSE {} END",
            self.delay_ms * STEPS[STEPS.len() - 1]
        ));
        sql
    }
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default()
}

/// Waits for this attempt's turn on `account`, then lets it run. Attempts that keep failing
/// are slowed down, never locked out: after [`Throttle::free`] failures in a row each attempt
/// takes the next turn, a growing wait after the one before, so guesses sent together queue
/// one behind the other (the turn is taken atomically, on every instance). An attempt whose
/// turn is too far off is refused with `RateLimited` without taking one, so a flood of guesses
/// cannot push the owner's own sign-in away. [`clear`] after a success.
pub async fn take_turn(db: &Db, account: &str, t: &Throttle) -> AppResult<()> {
    let most_wait = t.delay_ms * MOST_WAIT_STEPS;
    let now = now_ms();
    let fresh_before = now - t.window_secs * 1000;
    let next: Option<(i64,)> = sqlx::query_as(
        "SELECT next_at_ms FROM sign_in_turns WHERE account = $1 AND next_at_ms >= $2",
    )
    .bind(account)
    .bind(fresh_before)
    .fetch_optional(&db.pool)
    .await?;
    let too_far = |at: i64| at - now > most_wait;
    if let Some((at,)) = next.filter(|(at,)| too_far(*at)) {
        // (Turns being given back may make it look further off than it is: see below.)
        return Err(turn_refused((at - now).min(2 * most_wait)));
    }
    let sql = format!(
        "INSERT INTO sign_in_turns (account, attempts, next_at_ms) VALUES ($1, 1, $2 + {first})
         ON CONFLICT (account) DO UPDATE SET
           attempts = CASE WHEN sign_in_turns.next_at_ms < $3 THEN 1
                           ELSE sign_in_turns.attempts + 1 END,
           next_at_ms = CASE WHEN sign_in_turns.next_at_ms < $3 THEN $2 + {first}
                             WHEN sign_in_turns.next_at_ms > $2
                               THEN sign_in_turns.next_at_ms + {gap}
                             ELSE $2 + {gap} END
         RETURNING attempts, next_at_ms",
        first = t.gap_after(1),
        gap = t.gap_sql("sign_in_turns.attempts + 1"),
    );
    let (attempts, next_at): (i64, i64) = sqlx::query_as(&sql)
        .bind(account)
        .bind(now)
        .bind(fresh_before)
        .fetch_one(&db.pool)
        .await?;
    let gap = t.gap_after(attempts);
    let turn = next_at - gap;
    if too_far(turn) {
        // Others took turns meanwhile: give this one back, so refused guesses never push
        // later attempts further away.
        sqlx::query(
            "UPDATE sign_in_turns SET next_at_ms = next_at_ms - $1, attempts = attempts - 1
             WHERE account = $2",
        )
        .bind(gap)
        .bind(account)
        .execute(&db.pool)
        .await?;
        // With the turns given back, the next free one is at most a longest wait past the
        // last one taken.
        return Err(turn_refused((turn - now).min(2 * most_wait)));
    }
    if turn > now {
        tokio::time::sleep(std::time::Duration::from_millis((turn - now) as u64)).await;
    }
    Ok(())
}

/// Forgets the failed attempts on `account` (after a success).
pub async fn clear(db: &Db, account: &str) -> AppResult<()> {
    sqlx::query("DELETE FROM sign_in_turns WHERE account = $1")
        .bind(account)
        .execute(&db.pool)
        .await?;
    Ok(())
}

fn turn_refused(wait_ms: i64) -> AppError {
    AppError::rate_limited(((wait_ms + 999) / 1000).max(1) as u64)
}
