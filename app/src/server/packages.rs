//! SCORM packages: checking an uploaded zip (its manifest, its size, no paths that leave the
//! package, no links), keeping its files, listing its SCOs, and serving them to the player.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use super::access::Viewer;
use super::db::{now, Db};
use crate::domain::course::{LessonKind, PackageView, ScoView};
use crate::domain::scorm::ScormVersion;
use crate::error::{AppError, AppResult, FormErrors};

/// How big an unpacked package, and how many files, a package may hold.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_unpacked_bytes: u64,
    pub max_files: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_unpacked_bytes: 512 * 1024 * 1024,
            max_files: 10_000,
        }
    }
}

/// A package that passed every check.
#[derive(Debug)]
pub struct Checked {
    pub version: ScormVersion,
    pub title: String,
    /// (identifier, title, launch address inside the package) in the manifest's order.
    pub scos: Vec<(String, String, String)>,
    /// (path, bytes).
    pub files: Vec<(String, Vec<u8>)>,
}

fn refuse(message: impl Into<String>) -> AppError {
    AppError::Validation(FormErrors::single("package", message))
}

/// The path of a zip entry, if it stays inside the package: relative, no `..`, no drive
/// letters, no NUL.
fn safe_path(raw: &str) -> Result<String, String> {
    let name = raw.replace('\\', "/");
    if name.starts_with('/') || name.as_bytes().get(1) == Some(&b':') {
        return Err(format!(
            "The package contains an absolute path (“{raw}”), which could write outside it. It was refused."
        ));
    }
    if name.contains('\0') {
        return Err(
            "The package contains a file name with a NUL character. It was refused.".into(),
        );
    }
    if name.split('/').any(|part| part == "..") {
        return Err(format!(
            "The package contains a path that leaves it (“{raw}”). It was refused."
        ));
    }
    Ok(name
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect::<Vec<_>>()
        .join("/"))
}

/// Checks an uploaded SCORM zip and unpacks it in memory. Runs on a blocking thread.
pub fn check(bytes: &[u8], limits: Limits) -> AppResult<Checked> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| {
        refuse("The file is not a zip archive. Upload the SCORM package as a .zip file.")
    })?;
    if zip.len() > limits.max_files {
        return Err(refuse(format!(
            "The package holds {} files; at most {} are allowed.",
            zip.len(),
            limits.max_files
        )));
    }
    let mut files = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let mut entry = zip
            .by_index(i)
            .map_err(|_| refuse("The zip archive is damaged and could not be read."))?;
        let raw = String::from_utf8_lossy(entry.name_raw()).into_owned();
        let path = safe_path(&raw).map_err(refuse)?;
        if entry.is_symlink() {
            return Err(refuse(format!(
                "The package contains a symbolic link (“{raw}”), which could point outside it. It was refused."
            )));
        }
        if entry.encrypted() {
            return Err(refuse(format!(
                "The package contains an encrypted file (“{raw}”). Upload it without a password."
            )));
        }
        // The same path twice in the zip: the first one stands.
        if entry.is_dir() || path.is_empty() || !seen.insert(path.clone()) {
            continue;
        }
        // Read at most what is still allowed, whatever the entry's header claims.
        let room = limits.max_unpacked_bytes.saturating_sub(total);
        let mut data = Vec::new();
        (&mut entry)
            .take(room + 1)
            .read_to_end(&mut data)
            .map_err(|_| {
                refuse(format!(
                    "The file “{raw}” in the package could not be unpacked."
                ))
            })?;
        total += data.len() as u64;
        if total > limits.max_unpacked_bytes {
            return Err(refuse(format!(
                "The package unpacks to more than {} MB, the most allowed.",
                limits.max_unpacked_bytes / (1024 * 1024)
            )));
        }
        files.push((path, data));
    }
    let manifest = files
        .iter()
        .find(|(p, _)| p == "imsmanifest.xml")
        .map(|(_, b)| b.clone())
        .ok_or_else(|| {
            refuse("The package has no imsmanifest.xml at its top level, so it is not a SCORM package. Zip the package's contents, not the folder around them.")
        })?;
    let (version, title, scos) = read_manifest(&manifest)?;
    for (_, _, href) in &scos {
        let file = href.split(['?', '#']).next().unwrap_or_default();
        if !files.iter().any(|(p, _)| p == file) {
            return Err(refuse(format!(
                "The manifest launches “{file}”, which is not in the package."
            )));
        }
    }
    Ok(Checked {
        version,
        title,
        scos,
        files,
    })
}

type Manifest = (ScormVersion, String, Vec<(String, String, String)>);

fn read_manifest(bytes: &[u8]) -> AppResult<Manifest> {
    let text = String::from_utf8_lossy(bytes);
    let text = text.trim_start_matches('\u{feff}');
    let doc = roxmltree::Document::parse(text)
        .map_err(|e| refuse(format!("imsmanifest.xml is not well-formed XML ({e}).")))?;
    let root = doc.root_element();
    let named = |n: &roxmltree::Node, name: &str| n.tag_name().name() == name;
    let schema_version = root
        .descendants()
        .find(|n| named(n, "schemaversion"))
        .and_then(|n| n.text())
        .map(str::trim)
        .unwrap_or_default()
        .to_owned();
    let namespaces: Vec<String> = root
        .namespaces()
        .map(|ns| ns.uri().to_ascii_lowercase())
        .collect();
    let version =
        if schema_version == "1.2" || namespaces.iter().any(|n| n.contains("adlcp_rootv1p2")) {
            ScormVersion::V12
        } else if schema_version.starts_with("2004")
            || schema_version == "CAM 1.3"
            || namespaces.iter().any(|n| n.contains("adlcp_v1p3"))
        {
            ScormVersion::V2004
        } else {
            return Err(refuse(
            "The manifest does not say it is SCORM 1.2 or SCORM 2004, the editions Cohort plays.",
        ));
        };
    // Resources by identifier: (href with its xml:base, is it a SCO).
    let mut resources: HashMap<String, (String, bool)> = HashMap::new();
    let base_of = |n: &roxmltree::Node| {
        n.attributes()
            .find(|a| a.name() == "base")
            .map(|a| a.value().to_owned())
            .unwrap_or_default()
    };
    for list in root.descendants().filter(|n| named(n, "resources")) {
        let list_base = base_of(&list);
        for r in list.children().filter(|n| named(n, "resource")) {
            let id = r.attribute("identifier").unwrap_or_default().to_owned();
            let href = r.attribute("href").unwrap_or_default();
            let sco = r
                .attributes()
                .find(|a| a.name().eq_ignore_ascii_case("scormtype"))
                .is_some_and(|a| a.value().eq_ignore_ascii_case("sco"));
            if !href.is_empty() {
                let full = format!("{list_base}{}{href}", base_of(&r));
                resources.insert(id, (full, sco));
            }
        }
    }
    let organizations = root.children().find(|n| named(n, "organizations"));
    let default = organizations
        .and_then(|o| o.attribute("default"))
        .unwrap_or_default();
    let orgs: Vec<roxmltree::Node> = organizations
        .map(|o| o.children().filter(|n| named(n, "organization")).collect())
        .unwrap_or_default();
    let org = orgs
        .iter()
        .find(|o| o.attribute("identifier") == Some(default))
        .or_else(|| orgs.first());
    let title_of = |n: &roxmltree::Node| {
        n.children()
            .find(|c| named(c, "title"))
            .and_then(|t| t.text())
            .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
            .unwrap_or_default()
    };
    let mut scos = Vec::new();
    if let Some(org) = org {
        for item in org.descendants().filter(|n| named(n, "item")) {
            let Some(r) = item.attribute("identifierref") else {
                continue;
            };
            let Some((href, sco)) = resources.get(r) else {
                continue;
            };
            if !sco {
                continue;
            }
            let (path, query) = match href.split_once('?') {
                Some((p, q)) => (p, Some(q)),
                None => (href.as_str(), None),
            };
            let decoded = percent_decode(path);
            let href = match query {
                Some(q) => format!("{decoded}?{q}"),
                None => decoded,
            };
            let href = safe_path(&href).map_err(|_| {
                refuse(format!(
                    "The manifest launches “{href}”, which is outside the package."
                ))
            })?;
            let params = item.attribute("parameters").unwrap_or_default();
            let launch = match (params.is_empty(), href.contains('?')) {
                (true, _) => href,
                (false, true) => format!("{href}&{}", params.trim_start_matches(['?', '&'])),
                (false, false) => format!("{href}?{}", params.trim_start_matches(['?', '&'])),
            };
            let identifier = item.attribute("identifier").unwrap_or(r).to_owned();
            let title = match title_of(&item) {
                t if t.is_empty() => identifier.clone(),
                t => t,
            };
            scos.push((identifier, title, launch));
        }
    }
    if scos.is_empty() {
        return Err(refuse(
            "The manifest lists no launchable lesson (no item pointing at a resource of SCORM type “sco”).",
        ));
    }
    let title = org
        .map(title_of)
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| scos[0].1.clone());
    Ok((version, title.chars().take(200).collect(), scos))
}

/// The content type a package file is served with, from its extension.
pub fn content_type(path: &str) -> &'static str {
    let ext = path
        .rsplit('.')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "xml" | "xsd" | "dtd" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "svg" => "image/svg+xml",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "mp4" | "m4v" => "video/mp4",
        "webm" => "video/webm",
        "ogg" | "ogv" => "video/ogg",
        "mp3" => "audio/mpeg",
        "wav" => "audio/wav",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

/// Refuses, before anything is unpacked, someone who may not upload to `lesson`.
pub async fn require_uploader(db: &Db, viewer: Viewer, lesson: i64) -> AppResult<()> {
    let at = super::courses::standing_for_lesson(db, viewer, lesson).await?;
    at.require_author()?;
    let (kind,): (String,) = sqlx::query_as("SELECT kind FROM lessons WHERE id = $1")
        .bind(lesson)
        .fetch_one(&db.pool)
        .await?;
    if LessonKind::parse(&kind) != Some(LessonKind::Package) {
        return Err(refuse("This lesson is not a SCORM lesson."));
    }
    Ok(())
}

/// `%20` and the like in a manifest's address, decoded (the zip holds the decoded names).
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A package path as it goes in an address: each segment percent-encoded.
fn percent_encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Stores a checked package as the package of `lesson` (replacing an earlier one; learners'
/// SCORM data for the old one goes with it). The course's authors only.
pub async fn store(db: &Db, viewer: Viewer, lesson: i64, package: Checked) -> AppResult<String> {
    let at = super::courses::standing_for_lesson(db, viewer, lesson).await?;
    at.require_author()?;
    let (kind,): (String,) = sqlx::query_as("SELECT kind FROM lessons WHERE id = $1")
        .bind(lesson)
        .fetch_one(&db.pool)
        .await?;
    if LessonKind::parse(&kind) != Some(LessonKind::Package) {
        return Err(refuse("This lesson is not a SCORM lesson."));
    }
    let total: usize = package.files.iter().map(|(_, b)| b.len()).sum();
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM packages WHERE lesson_id = $1")
        .bind(lesson)
        .execute(&mut *tx)
        .await?;
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO packages (lesson_id, version, title, file_count, total_bytes, uploaded_by, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(lesson)
    .bind(package.version.as_str())
    .bind(&package.title)
    .bind(package.files.len() as i64)
    .bind(total as i64)
    .bind(viewer.id)
    .bind(now())
    .fetch_one(&mut *tx)
    .await?;
    for (i, (identifier, title, href)) in package.scos.iter().enumerate() {
        sqlx::query(
            "INSERT INTO package_scos (package_id, position, identifier, title, href)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(i as i64)
        .bind(identifier)
        .bind(title)
        .bind(href)
        .execute(&mut *tx)
        .await?;
    }
    for (path, bytes) in package.files {
        sqlx::query(
            "INSERT INTO package_files (package_id, path, content_type, bytes) VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(&path)
        .bind(content_type(&path))
        .bind(bytes)
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query("UPDATE lessons SET package_id = $1 WHERE id = $2")
        .bind(id)
        .bind(lesson)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(at.slug)
}

/// Package `id` with its SCOs.
pub async fn view(db: &Db, id: i64) -> AppResult<Option<PackageView>> {
    let row: Option<(String, String, i64, i64)> = sqlx::query_as(
        "SELECT version, title, file_count, total_bytes FROM packages WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&db.pool)
    .await?;
    let Some((version, title, file_count, total_bytes)) = row else {
        return Ok(None);
    };
    let scos: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT id, title, href FROM package_scos WHERE package_id = $1 ORDER BY position",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await?;
    Ok(Some(PackageView {
        id,
        version: ScormVersion::parse(&version).unwrap_or(ScormVersion::V12),
        title,
        file_count,
        total_bytes,
        scos: scos
            .into_iter()
            .map(|(sco, title, href)| ScoView {
                id: sco,
                title,
                launch_url: match href.split_once('?') {
                    Some((path, query)) => {
                        format!("/scorm/{id}/{}?{query}", percent_encode_path(path))
                    }
                    None => format!("/scorm/{id}/{}", percent_encode_path(&href)),
                },
            })
            .collect(),
    }))
}

/// The packages of a course's lessons, by lesson.
pub async fn of_course(db: &Db, course: i64) -> AppResult<Vec<(i64, PackageView)>> {
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT l.id, l.package_id FROM lessons l WHERE l.course_id = $1 AND l.package_id IS NOT NULL",
    )
    .bind(course)
    .fetch_all(&db.pool)
    .await?;
    let mut out = Vec::new();
    for (lesson, package) in rows {
        if let Some(p) = view(db, package).await? {
            out.push((lesson, p));
        }
    }
    Ok(out)
}

/// A file of package `package` for the player (people who may take its lesson):
/// (content type, bytes).
pub async fn file(
    db: &Db,
    viewer: Viewer,
    package: i64,
    path: &str,
) -> AppResult<(String, Vec<u8>)> {
    let lesson: Option<(i64,)> = sqlx::query_as("SELECT lesson_id FROM packages WHERE id = $1")
        .bind(package)
        .fetch_optional(&db.pool)
        .await?;
    let (lesson,) = lesson.ok_or(AppError::NotFound)?;
    let at = super::courses::standing_for_lesson(db, viewer, lesson).await?;
    if !at.may_take() {
        return Err(AppError::NotFound);
    }
    let path = safe_path(path).map_err(|_| AppError::NotFound)?;
    let row: Option<(String, Vec<u8>)> = sqlx::query_as(
        "SELECT content_type, bytes FROM package_files WHERE package_id = $1 AND path = $2",
    )
    .bind(package)
    .bind(&path)
    .fetch_optional(&db.pool)
    .await?;
    row.ok_or(AppError::NotFound)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside() {
        assert_eq!(safe_path("a/./b.html"), Ok("a/b.html".to_owned()));
        assert!(safe_path("../evil").is_err());
        assert!(safe_path("a/../../evil").is_err());
        assert!(safe_path("/etc/passwd").is_err());
        assert!(safe_path("C:\\x").is_err());
        assert!(safe_path("a\\..\\b").is_err());
        assert_eq!(
            percent_decode("My%20Course/a%2Bb.html"),
            "My Course/a+b.html"
        );
        assert_eq!(
            percent_encode_path("My Course/é.html"),
            "My%20Course/%C3%A9.html"
        );
    }
}
