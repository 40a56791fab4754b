//! Multipart uploads, read the one way for server fns and plain HTTP handlers alike: the text
//! fields, and one file field's bytes up to a limit, kept in memory (pictures) or streamed to
//! the blob store or a staging file (lesson files, packages) without ever being held whole.

use std::collections::HashMap;
use std::future::Future;
use std::path::PathBuf;

use crate::error::{AppError, AppResult, FormErrors};
use crate::server::infra::blob_store::{BlobStore, BlobWriter, Written};
use crate::server::infra::images;

/// How much of the start of a streamed file is kept in [`Upload::head`] (to tell its type).
pub const HEAD_BYTES: usize = 64 * 1024;

/// Where the file field's bytes go.
pub enum Sink {
    /// Into [`Upload::file`], up to this many bytes (or the form's limit, if lower).
    Memory(usize),
    /// Into the blob store, as the object `name` (see [`Upload::stored`]).
    Blob { store: BlobStore, name: String },
    /// Into a new local file (a staging file).
    File(PathBuf),
}

/// The longest text field a multipart form may carry (the longest text the app keeps is
/// well under it).
pub const MOST_TEXT_BYTES: usize = 128 * 1024;

/// The most fields a multipart form may carry.
pub const MOST_FIELDS: usize = 32;

/// A multipart form as read: its text fields, and the bytes of its file field.
#[derive(Debug, Default)]
pub struct Upload {
    pub fields: HashMap<String, String>,
    pub file: Vec<u8>,
    /// The file's name as the browser sent it.
    pub file_name: String,
    /// The file passed the limit: `file` holds what came before (the other fields are read);
    /// nothing of it was kept in the blob store or the staging file.
    pub too_large: bool,
    /// The file's size (for every sink).
    pub size: u64,
    /// The first [`HEAD_BYTES`] of the file (for every sink).
    pub head: Vec<u8>,
    /// What the blob store holds, for [`Sink::Blob`].
    pub stored: Option<Written>,
    /// The most the file could hold, where it went.
    pub limit: usize,
}

impl Upload {
    /// A text field, or "" when the form had none.
    pub fn field(&self, name: &str) -> &str {
        self.fields.get(name).map_or("", String::as_str)
    }

    /// A text field that holds a number or an id (`LessonId`, ...).
    pub fn number<N: std::str::FromStr>(&self, name: &str) -> Option<N> {
        self.field(name).trim().parse().ok()
    }

    /// The upload, or the refusal of its file field `field` for passing `max` bytes.
    pub fn within(self, field: &str, max: usize) -> AppResult<Upload> {
        if self.too_large {
            let limit = if self.limit > 0 { self.limit } else { max };
            return Err(images::too_large(field, None, limit));
        }
        Ok(self)
    }
}

/// Reads `form`: every text field (each up to [`MOST_TEXT_BYTES`], at most [`MOST_FIELDS`]),
/// and the file field `file_field` up to `max` bytes. A file past the limit is marked
/// [`Upload::too_large`] and the rest of it skipped, so the fields after it (what was typed)
/// are still read; a form that cannot be read is a bad request.
pub async fn read(form: multer::Multipart<'_>, file_field: &str, max: usize) -> AppResult<Upload> {
    read_into(
        form,
        file_field,
        max,
        |_| async move { Ok(Sink::Memory(max)) },
    )
    .await
}

/// [`read`], with the file going where `choose` says, asked from the fields before it (forms
/// put who and where before the file), so it may refuse before a byte of the file is read. A
/// file past `max`, or a body that breaks off, leaves nothing in the blob store or the staging
/// folder.
pub async fn read_into<F, Fut>(
    mut form: multer::Multipart<'_>,
    file_field: &str,
    max: usize,
    choose: F,
) -> AppResult<Upload>
where
    F: FnOnce(&Upload) -> Fut,
    Fut: Future<Output = AppResult<Sink>>,
{
    let mut upload = Upload::default();
    let mut choose = Some(choose);
    loop {
        let field = match form.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) if is_size(&e) => {
                upload.too_large = true;
                break;
            }
            Err(_) => return Err(unreadable()),
        };
        let name = field.name().unwrap_or_default().to_owned();
        if upload.fields.len() >= MOST_FIELDS {
            return Err(AppError::BadRequest("The form has too many fields.".into()));
        }
        if name == file_field {
            let Some(choose) = choose.take() else {
                return Err(AppError::BadRequest("The form has two files.".into()));
            };
            let sink = choose(&upload).await?;
            upload.file_name = field.file_name().unwrap_or_default().to_owned();
            match read_file(field, sink, &mut upload, max).await? {
                Read::Whole => {}
                Read::Passed => upload.too_large = true,
                // The body passed the server's limit: nothing more can be read.
                Read::Cut => {
                    upload.too_large = true;
                    break;
                }
            }
        } else {
            let text = read_text(field, &name).await?;
            upload.fields.insert(name, text);
        }
    }
    Ok(upload)
}

/// A text field, refused past [`MOST_TEXT_BYTES`] with a message on the field.
async fn read_text(mut field: multer::Field<'_>, name: &str) -> AppResult<String> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(|_| unreadable())? {
        if bytes.len() + chunk.len() > MOST_TEXT_BYTES {
            return Err(AppError::Validation(FormErrors::single(
                name,
                format!("This is too long: at most {} KB.", MOST_TEXT_BYTES / 1024),
            )));
        }
        bytes.extend_from_slice(&chunk);
    }
    String::from_utf8(bytes).map_err(|_| unreadable())
}

/// How much of a file field was read.
enum Read {
    Whole,
    /// Past the limit: the rest was read and dropped.
    Passed,
    /// The body itself passed the server's limit on it.
    Cut,
}

/// Where a file's bytes are going.
enum Writing {
    Memory,
    Blob(BlobWriter),
    File(tokio::fs::File, PathBuf),
}

impl Writing {
    async fn open(sink: Sink) -> AppResult<Writing> {
        Ok(match sink {
            Sink::Memory(_) => Writing::Memory,
            Sink::Blob { store, name } => Writing::Blob(store.writer(&name).await?),
            Sink::File(path) => {
                let file = tokio::fs::File::create(&path)
                    .await
                    .map_err(AppError::internal)?;
                Writing::File(file, path)
            }
        })
    }

    async fn write(&mut self, into: &mut Vec<u8>, bytes: &[u8]) -> AppResult<()> {
        match self {
            Writing::Memory => into.extend_from_slice(bytes),
            Writing::Blob(w) => w.write(bytes).await?,
            Writing::File(f, _) => {
                use tokio::io::AsyncWriteExt;
                f.write_all(bytes).await.map_err(AppError::internal)?
            }
        }
        Ok(())
    }

    /// Keeps what was written; what the blob store made of it.
    async fn finish(self) -> AppResult<Option<Written>> {
        match self {
            Writing::Memory => Ok(None),
            Writing::Blob(w) => w.finish().await.map(Some),
            Writing::File(mut f, _) => {
                use tokio::io::AsyncWriteExt;
                f.flush().await.map_err(AppError::internal)?;
                Ok(None)
            }
        }
    }

    /// Drops what was written.
    async fn give_up(self, into: &mut Vec<u8>) {
        match self {
            Writing::Memory => into.clear(),
            Writing::Blob(w) => w.abort().await,
            Writing::File(f, path) => {
                drop(f);
                let _ = tokio::fs::remove_file(&path).await;
            }
        }
    }
}

/// Sends the field's bytes to `sink`, up to `max`, noting the size and the head in `upload`.
/// Past the limit, or when the body breaks off, nothing of it is kept.
async fn read_file(
    mut field: multer::Field<'_>,
    sink: Sink,
    upload: &mut Upload,
    max: usize,
) -> AppResult<Read> {
    let max = match sink {
        Sink::Memory(cap) => cap.min(max),
        _ => max,
    };
    upload.limit = max;
    let mut writing = Writing::open(sink).await?;
    let mut passed = false;
    let outcome = loop {
        match field.chunk().await {
            Ok(Some(_)) if passed => {}
            Ok(Some(chunk)) if upload.size as usize + chunk.len() > max => passed = true,
            Ok(Some(chunk)) => {
                let room = HEAD_BYTES.saturating_sub(upload.head.len());
                upload
                    .head
                    .extend_from_slice(&chunk[..room.min(chunk.len())]);
                upload.size += chunk.len() as u64;
                if let Err(e) = writing.write(&mut upload.file, &chunk).await {
                    writing.give_up(&mut upload.file).await;
                    return Err(e);
                }
            }
            Ok(None) if passed => break Ok(Read::Passed),
            Ok(None) => break Ok(Read::Whole),
            Err(e) if is_size(&e) => break Ok(Read::Cut),
            Err(_) => break Err(unreadable()),
        }
    };
    match outcome {
        Ok(Read::Whole) => {
            upload.stored = writing.finish().await?;
            Ok(Read::Whole)
        }
        other => {
            writing.give_up(&mut upload.file).await;
            other
        }
    }
}

/// The body, or a field of it, passed a size limit (of the form, or of the server).
fn is_size(e: &multer::Error) -> bool {
    match e {
        multer::Error::StreamSizeExceeded { .. } | multer::Error::FieldSizeExceeded { .. } => true,
        multer::Error::StreamReadFailed(inner) => inner.to_string().contains("length limit"),
        _ => false,
    }
}

fn unreadable() -> AppError {
    AppError::BadRequest("The upload could not be read.".into())
}
