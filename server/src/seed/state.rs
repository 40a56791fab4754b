//! What the generator carries from one step to the next.

use std::collections::HashSet;

use crate::seed::content::Space;
use crate::seed::rows::Rows;
use crate::seed::scale::{Scale, Seeded};
use crate::seed::words::Rng;
use app::server::infra::db::Backend;

/// The organisation as it is being generated: what later steps draw on.
pub(crate) struct Org<'s> {
    pub(crate) scale: &'s Scale,
    pub(crate) backend: Backend,
    pub(crate) rng: Rng,
    /// The 90 days seeded: from `start` to `end`.
    pub(crate) start: i64,
    pub(crate) end: i64,
    pub(crate) out: Seeded,
    /// Each person's handle, by id - 1.
    pub(crate) handles: Vec<String>,
    pub(crate) spaces: Vec<Space>,
    /// The spaces each person is in, by id.
    pub(crate) joined: Vec<HashSet<i64>>,
    /// The people each person follows, by id.
    pub(crate) following: Vec<Vec<i64>>,
    pub(crate) activities: Rows,
}
