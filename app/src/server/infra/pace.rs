//! How fast one person may post, search and upload: a burst, then a steady rate, counted in
//! memory on each instance (a few extra posts across instances do no harm; sign-in attempts,
//! where they would, are counted in the database: see `rate_limit`).

use std::num::NonZeroU32;

use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::domain::ids::UserId;
use crate::error::{AppError, AppResult};
use crate::server::infra::state::RateLimits;

/// What is being paced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    /// Posts, comments, replies, questions, answers, status updates.
    Write,
    /// Search runs.
    Search,
    /// Pictures, files and packages.
    Upload,
}

/// The limiters of one instance.
pub struct Pace {
    write: DefaultKeyedRateLimiter<UserId>,
    search: DefaultKeyedRateLimiter<UserId>,
    upload: DefaultKeyedRateLimiter<UserId>,
    clock: DefaultClock,
}

impl std::fmt::Debug for Pace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pace")
    }
}

fn per_minute(n: u32) -> Quota {
    Quota::per_minute(NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN))
}

impl Pace {
    pub fn new(limits: &RateLimits) -> Self {
        Self {
            write: RateLimiter::keyed(per_minute(limits.writes_per_minute)),
            search: RateLimiter::keyed(per_minute(limits.searches_per_minute)),
            upload: RateLimiter::keyed(per_minute(limits.uploads_per_minute)),
            clock: DefaultClock::default(),
        }
    }

    /// Counts one `act` by the signed-in person `who`; `RateLimited` (429, with when to try
    /// again) past the limit.
    pub fn person(&self, act: Act, who: UserId) -> AppResult<()> {
        let limiter = match act {
            Act::Write => &self.write,
            Act::Search => &self.search,
            Act::Upload => &self.upload,
        };
        limiter.check_key(&who).map_err(|not_until| {
            let wait = not_until.wait_time_from(self.clock.now());
            AppError::rate_limited(wait.as_secs_f64().ceil().max(1.0) as u64)
        })
    }

    /// Forgets everyone back at their full allowance, so memory stays bounded; called every
    /// minute.
    pub fn forget_rested(&self) {
        for limiter in [&self.write, &self.search, &self.upload] {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_passes_then_the_next_waits_its_turn() {
        let pace = Pace::new(&RateLimits {
            writes_per_minute: 3,
            ..RateLimits::default()
        });
        let ana = UserId(1);
        for _ in 0..3 {
            assert_eq!(pace.person(Act::Write, ana), Ok(()));
        }
        match pace.person(Act::Write, ana) {
            Err(AppError::RateLimited {
                retry_after_secs, ..
            }) => {
                assert!((1..=20).contains(&retry_after_secs), "{retry_after_secs}")
            }
            other => panic!("expected a limit, got {other:?}"),
        }
        // Another person, and another kind of act, are counted apart.
        assert_eq!(pace.person(Act::Write, UserId(2)), Ok(()));
        assert_eq!(pace.person(Act::Search, ana), Ok(()));
        pace.forget_rested();
    }
}
