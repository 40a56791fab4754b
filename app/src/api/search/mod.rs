//! Search: results, opened results, searches that found nothing.

mod missed_searches;
mod open_result;
mod run_search;

pub use missed_searches::{missed_searches, MissedSearches};
pub use open_result::{open_result, OpenResult};
pub use run_search::{search, Search};
