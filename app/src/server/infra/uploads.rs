//! Multipart uploads, read the one way for server fns and plain HTTP handlers alike: the text
//! fields, and one file field's bytes up to a limit.

use std::collections::HashMap;
use std::future::Future;

use crate::error::{AppError, AppResult, FormErrors};
use crate::server::infra::images;

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
    /// The file passed the limit: `file` holds what came before (the other fields are read).
    pub too_large: bool,
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
            return Err(images::too_large(field, None, max));
        }
        Ok(self)
    }
}

/// Reads `form`: every text field (each up to [`MOST_TEXT_BYTES`], at most [`MOST_FIELDS`]),
/// and the file field `file_field` up to `max` bytes. A file past the limit is marked
/// [`Upload::too_large`] and the rest of it skipped, so the fields after it (what was typed)
/// are still read; a form that cannot be read is a bad request.
pub async fn read(form: multer::Multipart<'_>, file_field: &str, max: usize) -> AppResult<Upload> {
    read_checked(form, file_field, max, |_| async { Ok(()) }).await
}

/// [`read`], with `allowed` asked, from the fields before it, whether the file may be sent at
/// all before a byte of it is read (forms put who and where before the file).
pub async fn read_checked<F, Fut>(
    mut form: multer::Multipart<'_>,
    file_field: &str,
    max: usize,
    allowed: F,
) -> AppResult<Upload>
where
    F: FnOnce(&Upload) -> Fut,
    Fut: Future<Output = AppResult<()>>,
{
    let mut upload = Upload::default();
    let mut allowed = Some(allowed);
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
            if let Some(allowed) = allowed.take() {
                allowed(&upload).await?;
            }
            upload.file_name = field.file_name().unwrap_or_default().to_owned();
            match read_file(field, &mut upload.file, max).await? {
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

/// Appends the field's bytes to `into`, up to `max`.
async fn read_file(
    mut field: multer::Field<'_>,
    into: &mut Vec<u8>,
    max: usize,
) -> AppResult<Read> {
    let mut passed = false;
    loop {
        match field.chunk().await {
            Ok(Some(chunk)) if passed || into.len() + chunk.len() > max => passed = true,
            Ok(Some(chunk)) => into.extend_from_slice(&chunk),
            Ok(None) if passed => return Ok(Read::Passed),
            Ok(None) => return Ok(Read::Whole),
            Err(e) if is_size(&e) => return Ok(Read::Cut),
            Err(_) => return Err(unreadable()),
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
