//! The blob store: the bytes of uploaded files (lesson files, SCORM package files) live here,
//! behind the `object_store` crate, and the database keeps their metadata and keys. A local
//! folder by default (`blob_dir`, under the data folder).
//!
//! Writes stream: a [`BlobWriter`] takes the bytes piece by piece and holds at most a few
//! 1 MiB parts in memory; a write that fails or is given up leaves no object behind. Reads
//! take byte ranges.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use futures_util::StreamExt;
use object_store::local::LocalFileSystem;
use object_store::path::Path as Key;
use object_store::{ObjectStore, ObjectStoreExt, WriteMultipart};
use sha2::{Digest, Sha256};

use crate::error::{AppError, AppResult};

/// The size of the parts a write sends to the store.
const PART_BYTES: usize = 1024 * 1024;

/// How many parts of one write may be on their way to the store at once.
const PARTS_IN_FLIGHT: usize = 2;

/// Where blobs live. Cheap to clone.
#[derive(Clone)]
pub struct BlobStore {
    store: Arc<dyn ObjectStore>,
    /// A folder for files on their way in (an uploaded zip while it is checked).
    staging: PathBuf,
}

impl std::fmt::Debug for BlobStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "BlobStore({})", self.store)
    }
}

fn failed(e: impl std::fmt::Display) -> AppError {
    AppError::internal(format!("blob store: {e}"))
}

fn key(name: &str) -> AppResult<Key> {
    Key::parse(name).map_err(failed)
}

impl BlobStore {
    /// A store in the local folder `dir` (made if missing): objects under `dir/objects`, files
    /// on their way in under `dir/staging`.
    pub fn local(dir: &Path) -> Result<BlobStore, String> {
        let objects = dir.join("objects");
        let staging = dir.join("staging");
        for d in [&objects, &staging] {
            std::fs::create_dir_all(d).map_err(|e| format!("{}: {e}", d.display()))?;
        }
        let store = LocalFileSystem::new_with_prefix(&objects)
            .map_err(|e| e.to_string())?
            .with_automatic_cleanup(true)
            // A database row names a file only once it is on disk for good, even across a
            // power cut (the move from the database empties the rows' copies).
            .with_fsync(true);
        Ok(BlobStore {
            store: Arc::new(store),
            staging,
        })
    }

    /// A new file name in the staging folder (nothing is made).
    pub fn staging_file(&self, what: &str) -> PathBuf {
        self.staging.join(format!(
            "{what}-{}",
            crate::server::infra::sessions::new_token()
        ))
    }

    /// Starts writing the object `name`; nothing is there until [`BlobWriter::finish`].
    pub async fn writer(&self, name: &str) -> AppResult<BlobWriter> {
        let upload = self
            .store
            .put_multipart(&key(name)?)
            .await
            .map_err(failed)?;
        Ok(BlobWriter {
            write: WriteMultipart::new_with_chunk_size(upload, PART_BYTES),
            size: 0,
            hash: Sha256::new(),
        })
    }

    /// Copies the local file `path` into the object `name`, piece by piece; returns its size.
    pub async fn put_file(&self, name: &str, path: &Path) -> AppResult<u64> {
        use tokio::io::AsyncReadExt;
        let mut file = tokio::fs::File::open(path).await.map_err(failed)?;
        let mut writer = self.writer(name).await?;
        let mut piece = vec![0u8; PART_BYTES];
        loop {
            let read = file.read(&mut piece).await.map_err(failed);
            let written = match read {
                Ok(0) => break,
                Ok(n) => writer.write(&piece[..n]).await,
                Err(e) => Err(e),
            };
            if let Err(e) = written {
                writer.abort().await;
                return Err(e);
            }
        }
        Ok(writer.finish().await?.size)
    }

    /// Writes `bytes` as the object `name`.
    pub async fn put_bytes(&self, name: &str, bytes: &[u8]) -> AppResult<Written> {
        let mut writer = self.writer(name).await?;
        for piece in bytes.chunks(PART_BYTES) {
            if let Err(e) = writer.write(piece).await {
                writer.abort().await;
                return Err(e);
            }
        }
        writer.finish().await
    }

    /// `len` bytes of object `name` from byte `start`.
    pub async fn read_range(&self, name: &str, start: u64, len: u64) -> AppResult<Vec<u8>> {
        let bytes = self
            .store
            .get_range(&key(name)?, start..start + len)
            .await
            .map_err(failed)?;
        Ok(bytes.to_vec())
    }

    /// Deletes object `name`; one that is not there is no error.
    pub async fn delete(&self, name: &str) -> AppResult<()> {
        match self.store.delete(&key(name)?).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(failed(e)),
        }
    }

    /// Deletes the objects `names` after the rows that named them are gone: a failure is
    /// logged, not returned (what was asked for is done; the sweep takes what is left).
    pub async fn delete_quietly(&self, names: &[String]) {
        for name in names {
            if let Err(e) = self.delete(name).await {
                tracing::warn!(error = %e, object = %name, "a file nothing names stays until the sweep");
            }
        }
    }

    /// Deletes every object whose name starts with the folder `prefix`.
    pub async fn delete_folder(&self, prefix: &str) -> AppResult<()> {
        let names: Vec<Key> = self
            .store
            .list(Some(&key(prefix)?))
            .filter_map(|m| async move { m.ok().map(|m| m.location) })
            .collect()
            .await;
        for name in names {
            match self.store.delete(&name).await {
                Ok(()) | Err(object_store::Error::NotFound { .. }) => {}
                Err(e) => return Err(failed(e)),
            }
        }
        Ok(())
    }

    /// The names of the objects last written more than `age` ago.
    pub async fn older_than(&self, age: std::time::Duration) -> AppResult<Vec<String>> {
        let before = std::time::SystemTime::now() - age;
        let mut all = self.store.list(None);
        let mut names = Vec::new();
        while let Some(meta) = all.next().await {
            let meta = meta.map_err(failed)?;
            if std::time::SystemTime::from(meta.last_modified) < before {
                names.push(meta.location.to_string());
            }
        }
        Ok(names)
    }

    /// Removes what uploads left in the staging folder more than `age` ago (a crash or a
    /// broken-off request: the files of requests in flight are younger); returns how many.
    pub async fn sweep_staging(&self, age: std::time::Duration) -> AppResult<usize> {
        let before = std::time::SystemTime::now() - age;
        let mut entries = tokio::fs::read_dir(&self.staging).await.map_err(failed)?;
        let mut removed = 0;
        while let Some(entry) = entries.next_entry().await.map_err(failed)? {
            let modified = entry.metadata().await.and_then(|m| m.modified());
            if modified.is_ok_and(|m| m < before) {
                let path = entry.path();
                let gone = match tokio::fs::remove_dir_all(&path).await {
                    Ok(()) => Ok(()),
                    Err(_) => tokio::fs::remove_file(&path).await,
                };
                if gone.is_ok() {
                    removed += 1;
                }
            }
        }
        Ok(removed)
    }

    /// How many objects the store holds (tests count what deleting leaves behind).
    pub async fn count(&self) -> AppResult<usize> {
        let mut all = self.store.list(None);
        let mut n = 0;
        while let Some(meta) = all.next().await {
            meta.map_err(failed)?;
            n += 1;
        }
        Ok(n)
    }
}

/// One object being written: its bytes so far and their checksum.
pub struct BlobWriter {
    write: WriteMultipart,
    size: u64,
    hash: Sha256,
}

/// A finished write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub size: u64,
    /// SHA-256 of the bytes, hex.
    pub sha256: String,
}

impl BlobWriter {
    /// Adds `bytes`, waiting while earlier parts are still on their way to the store.
    pub async fn write(&mut self, bytes: &[u8]) -> AppResult<()> {
        self.write
            .wait_for_capacity(PARTS_IN_FLIGHT)
            .await
            .map_err(failed)?;
        self.write.write(bytes);
        self.hash.update(bytes);
        self.size += bytes.len() as u64;
        Ok(())
    }

    /// Bytes written so far.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Makes the object whole and visible.
    pub async fn finish(self) -> AppResult<Written> {
        let sha256 = self
            .hash
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        self.write.finish().await.map_err(failed)?;
        Ok(Written {
            size: self.size,
            sha256,
        })
    }

    /// Gives the write up: nothing of it stays.
    pub async fn abort(self) {
        if let Err(e) = self.write.abort().await {
            tracing::warn!(error = %e, "giving up a blob write failed");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn writes_stream_in_reads_take_ranges_and_given_up_writes_leave_nothing(
    ) -> Result<(), String> {
        let dir = std::env::temp_dir().join(format!("cohort-blobs-{}", std::process::id()));
        let store = BlobStore::local(&dir)?;
        let mut w = store.writer("a/one").await.map_err(|e| e.to_string())?;
        let piece = vec![7u8; 700 * 1024];
        for _ in 0..4 {
            w.write(&piece).await.map_err(|e| e.to_string())?;
        }
        let done = w.finish().await.map_err(|e| e.to_string())?;
        assert_eq!(done.size, 4 * 700 * 1024);
        assert_eq!(done.sha256.len(), 64);
        let middle = store
            .read_range("a/one", 1_000_000, 10)
            .await
            .map_err(|e| e.to_string())?;
        assert_eq!(middle, vec![7u8; 10]);

        let mut w = store.writer("a/two").await.map_err(|e| e.to_string())?;
        w.write(&piece).await.map_err(|e| e.to_string())?;
        w.abort().await;
        assert_eq!(store.count().await.map_err(|e| e.to_string())?, 1);
        store.delete_folder("a").await.map_err(|e| e.to_string())?;
        store.delete("a/none").await.map_err(|e| e.to_string())?;
        assert_eq!(store.count().await.map_err(|e| e.to_string())?, 0);
        let _ = std::fs::remove_dir_all(&dir);
        Ok(())
    }
}
