//! Uploaded pictures: checked, decoded with limits, turned upright, cropped, resized and
//! re-encoded, so no metadata (EXIF location, camera serials) survives; stored in the database
//! so every instance serves the same bytes.

use std::io::Cursor;

use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits, RgbImage};

use crate::error::{AppError, AppResult, FormErrors};
use crate::server::infra::db::{now, Db};

/// What an image is for; decides its shapes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Square, in [`crate::domain::profile::AVATAR_SIZES`].
    Avatar,
    /// A wide 3:1 banner, 1200 and 600 pixels wide.
    Cover,
    /// A picture on a post: its own shape, at most 1600 pixels on its longer side.
    Post,
    /// An article's cover: a banner like a space's.
    Article,
    /// A course's cover: a banner like a space's.
    Course,
    /// A playlist's cover: a banner like a space's.
    Playlist,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::Avatar => "avatar",
            Purpose::Cover => "cover",
            Purpose::Post => "post",
            Purpose::Article => "article",
            Purpose::Course => "course",
            Purpose::Playlist => "playlist",
        }
    }

    /// The table and column that hold the owner's picture version (it changes the address).
    fn version_column(self) -> (&'static str, &'static str) {
        match self {
            Purpose::Avatar => ("users", "avatar_version"),
            Purpose::Cover => ("spaces", "cover_version"),
            Purpose::Post => ("posts", "picture_version"),
            Purpose::Article => ("topics", "cover_version"),
            Purpose::Course => ("courses", "cover_version"),
            Purpose::Playlist => ("playlists", "cover_version"),
        }
    }

    /// (width, height) of each stored size; the width is the size's key.
    fn shapes(self) -> Vec<(u32, u32)> {
        match self {
            Purpose::Avatar => crate::domain::profile::AVATAR_SIZES
                .iter()
                .map(|s| (*s, *s))
                .collect(),
            Purpose::Cover | Purpose::Article | Purpose::Course | Purpose::Playlist => {
                vec![(1200, 400), (600, 200)]
            }
            Purpose::Post => vec![(POST_SIZE, POST_SIZE)],
        }
    }
}

/// The longest side of a post's picture, and the key it is stored under.
pub const POST_SIZE: u32 = 1600;

/// Why a picture was refused, in words for the person who sent it.
fn refuse(field: &str, message: impl Into<String>) -> AppError {
    AppError::Validation(FormErrors::single(field, message))
}

/// Checks and converts an upload into JPEG files of the purpose's sizes. CPU-heavy: run it on
/// a blocking thread.
pub fn prepare(
    bytes: &[u8],
    purpose: Purpose,
    max_bytes: usize,
    field: &str,
) -> AppResult<Vec<(u32, Vec<u8>)>> {
    if bytes.is_empty() {
        return Err(refuse(field, "Choose a picture file first."));
    }
    if bytes.len() > max_bytes {
        return Err(too_large(field, Some(bytes.len()), max_bytes));
    }
    let not_picture = || {
        refuse(
            field,
            "This file is not a picture Cohort can read: use JPEG, PNG, GIF or WebP.",
        )
    };
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|_| not_picture())?;
    match reader.format() {
        Some(ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::Gif | ImageFormat::WebP) => {}
        _ => return Err(not_picture()),
    }
    // A small file can claim enormous dimensions: its header is read, and the picture refused,
    // before anything of that size is allocated (`from_decoder` applies no allocation limit).
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODED_BYTES);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|e| match e {
        image::ImageError::Limits(_) => too_many_pixels(field, None),
        _ => not_picture(),
    })?;
    let (w, h) = decoder.dimensions();
    if w > MAX_SIDE
        || h > MAX_SIDE
        || u64::from(w) * u64::from(h) > MAX_PIXELS
        || decoder.total_bytes() > MAX_DECODED_BYTES
    {
        return Err(too_many_pixels(field, Some((w, h))));
    }
    let orientation = decoder.orientation().ok();
    let mut picture = DynamicImage::from_decoder(decoder).map_err(|e| match e {
        image::ImageError::Limits(_) => too_many_pixels(field, Some((w, h))),
        _ => not_picture(),
    })?;
    if let Some(o) = orientation {
        picture.apply_orientation(o);
    }
    if purpose == Purpose::Post {
        // Keep the picture's own shape; only shrink.
        if picture.width() > POST_SIZE || picture.height() > POST_SIZE {
            picture = picture.resize(POST_SIZE, POST_SIZE, FilterType::Triangle);
        }
        return Ok(vec![(POST_SIZE, encode(&flatten(&picture))?)]);
    }
    let flat = flatten(&picture);
    purpose
        .shapes()
        .into_iter()
        .map(|(w, h)| Ok((w, encode(&crop_resize(&flat, w, h))?)))
        .collect()
}

/// The longest side a picture may have, in pixels.
const MAX_SIDE: u32 = 12_000;
/// The most pixels a picture may have: 32 megapixels (a 6,900 × 4,600 photo).
const MAX_PIXELS: u64 = 32_000_000;
/// The most memory one decoded picture may take (32 megapixels with transparency).
const MAX_DECODED_BYTES: u64 = MAX_PIXELS * 4;
/// How many pictures decode at once: each can take over 100 MB while it does.
static DECODING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// [`prepare`] on a blocking thread, at most two at a time, so uploads at once cannot take
/// more than a few hundred MB between them.
pub async fn prepare_off_thread(
    bytes: Vec<u8>,
    purpose: Purpose,
    max_bytes: usize,
    field: &'static str,
) -> AppResult<Vec<(u32, Vec<u8>)>> {
    let turn = DECODING.acquire().await.map_err(AppError::internal)?;
    // The permit goes with the decoding, which runs on even if the request is dropped (the
    // client went away): it is released when the decoding ends, not before.
    tokio::task::spawn_blocking(move || {
        let _turn = turn;
        prepare(&bytes, purpose, max_bytes, field)
    })
    .await
    .map_err(AppError::internal)?
}

fn too_many_pixels(field: &str, size: Option<(u32, u32)>) -> AppError {
    let size = size
        .map(|(w, h)| format!(" ({w} × {h})"))
        .unwrap_or_default();
    refuse(
        field,
        format!(
            "This picture has too many pixels{size}: use one of at most 32 megapixels and \
             12,000 pixels on each side, for example 6,000 × 4,000."
        ),
    )
}

/// The file is over `max` bytes (`got` of them, when known).
pub fn too_large(field: &str, got: Option<usize>, max: usize) -> AppError {
    let mb = |b: usize| format!("{:.1} MB", b as f64 / (1024.0 * 1024.0));
    let size = got.map(|g| format!(" ({})", mb(g))).unwrap_or_default();
    refuse(
        field,
        format!(
            "This file is too large{size}: the largest allowed is {}.",
            mb(max)
        ),
    )
}

/// Transparent parts become white (JPEG has no transparency).
fn flatten(picture: &DynamicImage) -> RgbImage {
    let rgba = picture.to_rgba8();
    let (w, h) = rgba.dimensions();
    RgbImage::from_fn(w, h, |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let a = u32::from(a);
        let mix = |c: u8| ((u32::from(c) * a + 255 * (255 - a)) / 255) as u8;
        image::Rgb([mix(r), mix(g), mix(b)])
    })
}

/// The centre of `picture` in the `w`:`h` shape, scaled to `w` by `h`.
fn crop_resize(picture: &RgbImage, w: u32, h: u32) -> RgbImage {
    let (pw, ph) = picture.dimensions();
    // The largest w:h box that fits.
    let (cw, ch) = if u64::from(pw) * u64::from(h) > u64::from(ph) * u64::from(w) {
        ((u64::from(ph) * u64::from(w) / u64::from(h)) as u32, ph)
    } else {
        (pw, (u64::from(pw) * u64::from(h) / u64::from(w)) as u32)
    };
    let (cw, ch) = (cw.max(1), ch.max(1));
    let crop = image::imageops::crop_imm(picture, (pw - cw) / 2, (ph - ch) / 2, cw, ch).to_image();
    image::imageops::resize(&crop, w, h, FilterType::Triangle)
}

fn encode(picture: &RgbImage) -> AppResult<Vec<u8>> {
    let mut out = Vec::new();
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85);
    picture
        .write_with_encoder(encoder)
        .map_err(AppError::internal)?;
    Ok(out)
}

/// Replaces the stored sizes of `owner`'s picture; returns the new version.
pub async fn store(
    db: &Db,
    purpose: Purpose,
    owner: i64,
    files: Vec<(u32, Vec<u8>)>,
) -> AppResult<i64> {
    let mut tx = db.begin().await?;
    let version = store_in(&mut tx, purpose, owner, files).await?;
    tx.commit().await?;
    Ok(version)
}

/// As [`store`], inside the caller's transaction.
pub async fn store_in(
    tx: &mut sqlx::AnyConnection,
    purpose: Purpose,
    owner: i64,
    files: Vec<(u32, Vec<u8>)>,
) -> AppResult<i64> {
    let version = now();
    sqlx::query("DELETE FROM images WHERE owner_kind = $1 AND owner_id = $2")
        .bind(purpose.as_str())
        .bind(owner)
        .execute(&mut *tx)
        .await?;
    for (size, bytes) in files {
        sqlx::query(
            "INSERT INTO images (owner_kind, owner_id, size, content_type, bytes, created_at)
             VALUES ($1, $2, $3, 'image/jpeg', $4, $5)",
        )
        .bind(purpose.as_str())
        .bind(owner)
        .bind(i64::from(size))
        .bind(bytes)
        .bind(version)
        .execute(&mut *tx)
        .await?;
    }
    let (table, column) = purpose.version_column();
    sqlx::query(&format!("UPDATE {table} SET {column} = $1 WHERE id = $2"))
        .bind(version)
        .bind(owner)
        .execute(&mut *tx)
        .await?;
    Ok(version)
}

/// Removes `owner`'s picture.
pub async fn remove(db: &Db, purpose: Purpose, owner: i64) -> AppResult<()> {
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM images WHERE owner_kind = $1 AND owner_id = $2")
        .bind(purpose.as_str())
        .bind(owner)
        .execute(&mut *tx)
        .await?;
    let (table, column) = purpose.version_column();
    sqlx::query(&format!("UPDATE {table} SET {column} = NULL WHERE id = $1"))
        .bind(owner)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// The stored bytes and content type of one size of a picture.
pub async fn load(
    db: &Db,
    purpose: Purpose,
    owner: i64,
    size: u32,
) -> AppResult<Option<(String, Vec<u8>)>> {
    Ok(sqlx::query_as(
        "SELECT content_type, bytes FROM images WHERE owner_kind = $1 AND owner_id = $2 AND size = $3",
    )
    .bind(purpose.as_str())
    .bind(owner)
    .bind(i64::from(size))
    .fetch_optional(&db.pool)
    .await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32) -> Vec<u8> {
        let img = image::RgbaImage::from_pixel(w, h, image::Rgba([200, 10, 10, 128]));
        let mut out = Cursor::new(Vec::new());
        let _ = img.write_to(&mut out, ImageFormat::Png);
        out.into_inner()
    }

    #[test]
    fn pictures_become_square_jpegs_of_each_size() -> AppResult<()> {
        let files = prepare(&png(300, 200), Purpose::Avatar, 1 << 20, "avatar")?;
        assert_eq!(files.len(), 2);
        for (size, bytes) in files {
            let img = image::load_from_memory(&bytes).map_err(AppError::internal)?;
            assert_eq!((img.width(), img.height()), (size, size));
            assert_eq!(&bytes[..2], &[0xFF, 0xD8], "JPEG");
        }
        Ok(())
    }

    #[test]
    fn post_pictures_keep_their_shape_and_only_shrink() -> AppResult<()> {
        for (w, h, want) in [(3200, 1600, (1600, 800)), (300, 200, (300, 200))] {
            let files = prepare(&png(w, h), Purpose::Post, 64 << 20, "picture")?;
            let img = image::load_from_memory(&files[0].1).map_err(AppError::internal)?;
            assert_eq!((img.width(), img.height()), want);
        }
        Ok(())
    }

    #[test]
    fn junk_and_oversized_files_are_refused_with_reasons() {
        let msg = |r: AppResult<Vec<(u32, Vec<u8>)>>| {
            r.err()
                .and_then(|e| e.form_errors().and_then(|f| f.message_for("avatar")))
                .unwrap_or_default()
        };
        assert!(
            msg(prepare(b"hello", Purpose::Avatar, 1 << 20, "avatar")).contains("not a picture")
        );
        assert!(msg(prepare(&png(10, 10), Purpose::Avatar, 10, "avatar")).contains("too large"));
        assert!(msg(prepare(b"", Purpose::Avatar, 10, "avatar")).contains("Choose"));
    }
}
