//! Opaque keyset cursors: clients pass them back, never build or read them.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use crate::error::AppError;

/// Encodes the sort key of the last row of a page.
pub fn encode(keys: &[i64]) -> String {
    let text = keys
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(".");
    URL_SAFE_NO_PAD.encode(format!("c1.{text}"))
}

/// Decodes a cursor into `n` keys; an empty cursor means "from the start".
pub fn decode(cursor: &str, n: usize) -> Result<Option<Vec<i64>>, AppError> {
    if cursor.is_empty() {
        return Ok(None);
    }
    let bad = || AppError::BadRequest("That page link is not valid any more.".into());
    let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| bad())?;
    let text = String::from_utf8(bytes).map_err(|_| bad())?;
    let keys = text
        .strip_prefix("c1.")
        .ok_or_else(bad)?
        .split('.')
        .map(|k| k.parse::<i64>().map_err(|_| bad()))
        .collect::<Result<Vec<_>, _>>()?;
    if keys.len() != n {
        return Err(bad());
    }
    Ok(Some(keys))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_junk() -> Result<(), AppError> {
        let c = encode(&[1_700_000_000, 42]);
        assert_eq!(decode(&c, 2)?, Some(vec![1_700_000_000, 42]));
        assert_eq!(decode("", 2)?, None);
        assert!(decode("not-a-cursor", 2).is_err());
        assert!(decode(&encode(&[1]), 2).is_err());
        Ok(())
    }
}
