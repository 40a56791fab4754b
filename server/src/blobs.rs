//! Stored files served in pieces: one byte range when asked (`Range: bytes=...`), and the body
//! read from the database a piece at a time as the client takes it, so a large file is never
//! held whole in the server's memory.

use std::future::Future;
use std::sync::Arc;

use app::error::AppResult;
use axum::body::{Body, Bytes};
use axum::response::{IntoResponse, Response};
use http::header::{ACCEPT_RANGES, CONTENT_LENGTH, CONTENT_RANGE, RANGE};
use http::{HeaderMap, HeaderValue, StatusCode};

/// The most bytes read from the database at once.
pub const PIECE: i64 = 1024 * 1024;

/// A byte range asked for with `Range: bytes=...` (one range only), as (start, length), for a
/// file of `size` bytes; `Err` when it cannot be satisfied, `None` to answer with the whole.
pub fn parse_range(header: &str, size: i64) -> Option<Result<(i64, i64), ()>> {
    let spec = header.trim().strip_prefix("bytes=")?;
    if spec.contains(',') {
        // Several ranges: answer with the whole file, as servers may.
        return None;
    }
    let (a, b) = spec.split_once('-')?;
    let (a, b) = (a.trim(), b.trim());
    let range = if a.is_empty() {
        // The last `b` bytes.
        let n: i64 = b.parse().ok()?;
        if n <= 0 || size == 0 {
            return Some(Err(()));
        }
        let n = n.min(size);
        (size - n, n)
    } else {
        let start: i64 = a.parse().ok()?;
        if start >= size {
            return Some(Err(()));
        }
        let end = if b.is_empty() {
            size - 1
        } else {
            b.parse::<i64>().ok()?.min(size - 1)
        };
        if end < start {
            return Some(Err(()));
        }
        (start, end - start + 1)
    };
    Some(Ok(range))
}

/// Answers a request (its `headers`) for a stored file of `size` bytes: 200 with all of it, 206
/// with the one range asked for, or 416. `read(start, len)` reads `len` bytes from `start`; it is
/// called a [`PIECE`] at a time while the body is sent. The caller adds the content headers.
pub fn serve<F, Fut>(headers: &HeaderMap, size: i64, read: F) -> Response
where
    F: Fn(i64, i64) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = AppResult<Vec<u8>>> + Send + 'static,
{
    let range = headers
        .get(RANGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|h| parse_range(h, size));
    let (status, start, len) = match range {
        None => (StatusCode::OK, 0, size),
        Some(Ok((start, len))) => (StatusCode::PARTIAL_CONTENT, start, len),
        Some(Err(())) => {
            let mut res = StatusCode::RANGE_NOT_SATISFIABLE.into_response();
            if let Ok(v) = HeaderValue::from_str(&format!("bytes */{size}")) {
                res.headers_mut().insert(CONTENT_RANGE, v);
            }
            return res;
        }
    };
    let end = start + len;
    let read = Arc::new(read);
    let body = futures_util::stream::try_unfold(start, move |at| {
        let read = read.clone();
        async move {
            if at >= end {
                return Ok(None);
            }
            let n = PIECE.min(end - at);
            let bytes = read(at, n).await.map_err(std::io::Error::other)?;
            if bytes.len() as i64 != n {
                return Err(std::io::Error::other(
                    "the stored file is shorter than recorded",
                ));
            }
            Ok::<_, std::io::Error>(Some((Bytes::from(bytes), at + n)))
        }
    });
    let mut res = Response::new(Body::from_stream(body));
    *res.status_mut() = status;
    let h = res.headers_mut();
    h.insert(CONTENT_LENGTH, HeaderValue::from(len));
    h.insert(ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    if status == StatusCode::PARTIAL_CONTENT {
        if let Ok(v) = HeaderValue::from_str(&format!("bytes {start}-{}/{size}", end - 1)) {
            h.insert(CONTENT_RANGE, v);
        }
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_read_as_browsers_send_them() {
        assert_eq!(parse_range("bytes=0-99", 1000), Some(Ok((0, 100))));
        assert_eq!(parse_range("bytes=900-", 1000), Some(Ok((900, 100))));
        assert_eq!(parse_range("bytes=-10", 1000), Some(Ok((990, 10))));
        assert_eq!(parse_range("bytes=0-5000", 1000), Some(Ok((0, 1000))));
        assert_eq!(parse_range("bytes=0-999999999", 1000), Some(Ok((0, 1000))));
        assert_eq!(parse_range("bytes=1000-", 1000), Some(Err(())));
        assert_eq!(parse_range("bytes=5-1", 1000), Some(Err(())));
        assert_eq!(parse_range("bytes=-5", 0), Some(Err(())));
        assert_eq!(parse_range("bytes=0-1,5-6", 1000), None);
        assert_eq!(parse_range("items=0-1", 1000), None);
    }

    /// A body is read a piece at a time, each piece where the last ended, and a range gets
    /// exactly its bytes.
    #[tokio::test]
    async fn bodies_are_read_in_pieces() -> Result<(), Box<dyn std::error::Error>> {
        let size = 2 * PIECE + 10;
        let file: Arc<Vec<u8>> = Arc::new((0..size).map(|i| (i % 251) as u8).collect());
        let reads = Arc::new(std::sync::Mutex::new(Vec::new()));
        let answer = |range: Option<&'static str>| {
            let (file, reads) = (file.clone(), reads.clone());
            let mut headers = HeaderMap::new();
            if let Some(r) = range {
                headers.insert(RANGE, HeaderValue::from_static(r));
            }
            serve(&headers, size, move |start, len| {
                let (file, reads) = (file.clone(), reads.clone());
                async move {
                    if let Ok(mut r) = reads.lock() {
                        r.push((start, len));
                    }
                    Ok(file[start as usize..(start + len) as usize].to_vec())
                }
            })
        };
        let whole = answer(None);
        assert_eq!(whole.status(), StatusCode::OK);
        let body = axum::body::to_bytes(whole.into_body(), usize::MAX).await?;
        assert_eq!(&body[..], &file[..]);
        assert_eq!(
            reads.lock().map(|r| r.clone()).unwrap_or_default(),
            vec![(0, PIECE), (PIECE, PIECE), (2 * PIECE, 10)]
        );
        let part = answer(Some("bytes=5-14"));
        assert_eq!(part.status(), StatusCode::PARTIAL_CONTENT);
        assert_eq!(part.headers()[CONTENT_RANGE], format!("bytes 5-14/{size}"));
        let body = axum::body::to_bytes(part.into_body(), usize::MAX).await?;
        assert_eq!(&body[..], &file[5..15]);
        assert_eq!(
            answer(Some("bytes=99999999-")).status(),
            StatusCode::RANGE_NOT_SATISFIABLE
        );
        Ok(())
    }
}
