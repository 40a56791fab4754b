//! SQL text that both backends share, with its parameters numbered by code: [`Args`] binds a
//! value and hands back its place (`$n`), so a statement built from fragments (a visibility
//! condition, an `IN` list) never counts places by hand.

use sqlx::any::AnyArguments;
use sqlx::{Any, Arguments, Encode, IntoArguments, Type};

/// The arguments of one statement, each numbered as it is added.
///
/// ```ignore
/// let mut args = Args::new();
/// let slug = args.add(slug);
/// let who = Who::viewer(&mut args, viewer);
/// let sql = format!("SELECT s.id FROM spaces s WHERE s.slug = {slug} AND {}", space_listed("s", &who));
/// sqlx::query_as_with(&sql, args).fetch_optional(&db.pool).await?
/// ```
#[derive(Default)]
pub struct Args<'q> {
    values: AnyArguments<'q>,
    count: usize,
    /// A value that could not be encoded (the basic types `Any` carries always can): the
    /// statement then gets fewer values than places, and the database refuses it.
    failed: Option<String>,
}

impl<'q> Args<'q> {
    pub fn new() -> Self {
        Self::default()
    }

    /// Binds `value` and returns its place, `$n`.
    pub fn add<T>(&mut self, value: T) -> String
    where
        T: 'q + Encode<'q, Any> + Type<Any>,
    {
        if let Err(e) = self.values.add(value) {
            self.failed.get_or_insert_with(|| e.to_string());
        }
        self.count += 1;
        format!("${}", self.count)
    }

    /// Binds each of `values` and returns their places, comma-separated, for `IN (...)`.
    pub fn list<T>(&mut self, values: impl IntoIterator<Item = T>) -> String
    where
        T: 'q + Encode<'q, Any> + Type<Any>,
    {
        let places: Vec<String> = values.into_iter().map(|v| self.add(v)).collect();
        places.join(", ")
    }

    /// Binds each of `values` and returns their places, one each.
    pub fn places<T>(&mut self, values: impl IntoIterator<Item = T>) -> Vec<String>
    where
        T: 'q + Encode<'q, Any> + Type<Any>,
    {
        values.into_iter().map(|v| self.add(v)).collect()
    }

    /// How many values are bound.
    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }
}

impl<'q> IntoArguments<'q, Any> for Args<'q> {
    fn into_arguments(self) -> AnyArguments<'q> {
        if let Some(e) = self.failed {
            tracing::error!("a statement's value could not be encoded: {e}");
        }
        self.values
    }
}

/// `$start, $start+1, ...` for an `IN (...)` list of `n` values, for statements whose other
/// places are fixed in their text.
pub fn placeholders(start: usize, n: usize) -> String {
    rows_of(start, n, |place| place)
}

/// `n` rows of a multi-row `VALUES`, or any list, each made by `row` from its own place
/// (`$start`, `$start + 1`, ...), joined with commas: one statement for several rows.
pub fn rows_of(start: usize, n: usize, row: impl Fn(String) -> String) -> String {
    (start..start + n)
        .map(|i| row(format!("${i}")))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_are_numbered_as_values_are_added() {
        let mut args = Args::new();
        assert_eq!(args.add(7_i64), "$1");
        assert_eq!(args.list(["a", "b"]), "$2, $3");
        assert_eq!(args.add(Some(1_i64)), "$4");
        assert_eq!(args.len(), 4);
        assert_eq!(args.list(Vec::<i64>::new()), "");
    }

    #[test]
    fn lists_are_numbered_from_their_start() {
        assert_eq!(placeholders(3, 3), "$3, $4, $5");
        let rows = rows_of(3, 2, |tag| format!("($1, {tag})"));
        assert_eq!(rows, "($1, $3), ($1, $4)");
        assert_eq!(rows_of(3, 0, |p| p), "");
    }
}
