//! Checking an uploaded SCORM zip before anything of it is kept: its manifest, version,
//! launchable SCOs, paths and sizes, each refusal saying why.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::domain::scorm::ScormVersion;
use crate::error::AppResult;
use crate::server::packages::refuse;

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
    /// Each file: its path in the package, where it was unpacked, its size.
    pub files: Vec<Unpacked>,
}

/// A file of a package, unpacked into the staging folder.
#[derive(Debug, Clone)]
pub struct Unpacked {
    pub path: String,
    pub local: PathBuf,
    pub size: u64,
}

/// The largest manifest read.
const MOST_MANIFEST_BYTES: u64 = 16 * 1024 * 1024;

/// The path of a zip entry, if it stays inside the package: relative, no `..`, no drive
/// letters, no NUL.
pub(crate) fn safe_path(raw: &str) -> Result<String, String> {
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

/// Checks the uploaded SCORM zip at `zip_path` and unpacks it into the folder `out` (made
/// here), one numbered file per entry, never holding a file in memory. Runs on a blocking
/// thread; the caller removes `out`.
pub fn check(zip_path: &Path, limits: Limits, out: &Path) -> AppResult<Checked> {
    let unreadable = |_| refuse("The uploaded file could not be read.");
    let file = std::fs::File::open(zip_path).map_err(unreadable)?;
    std::fs::create_dir_all(out).map_err(crate::error::AppError::internal)?;
    let mut zip = zip::ZipArchive::new(std::io::BufReader::new(file)).map_err(|_| {
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
        // Unpack at most what is still allowed, whatever the entry's header claims.
        let room = limits.max_unpacked_bytes.saturating_sub(total);
        let local = out.join(files.len().to_string());
        let could_not = |_| {
            refuse(format!(
                "The file “{raw}” in the package could not be unpacked."
            ))
        };
        let mut unpacked = std::fs::File::create(&local).map_err(could_not)?;
        let size =
            std::io::copy(&mut (&mut entry).take(room + 1), &mut unpacked).map_err(could_not)?;
        total += size;
        if total > limits.max_unpacked_bytes {
            return Err(refuse(format!(
                "The package unpacks to more than {} MB, the most allowed.",
                limits.max_unpacked_bytes / (1024 * 1024)
            )));
        }
        files.push(Unpacked { path, local, size });
    }
    let manifest = files
        .iter()
        .find(|f| f.path == "imsmanifest.xml")
        .ok_or_else(|| {
            refuse("The package has no imsmanifest.xml at its top level, so it is not a SCORM package. Zip the package's contents, not the folder around them.")
        })?;
    if manifest.size > MOST_MANIFEST_BYTES {
        return Err(refuse(
            "The package's imsmanifest.xml is too large to be a manifest.",
        ));
    }
    let manifest = std::fs::read(&manifest.local)
        .map_err(|_| refuse("The package's imsmanifest.xml could not be read."))?;
    let (version, title, scos) = read_manifest(&manifest)?;
    for (_, _, href) in &scos {
        let file = href.split(['?', '#']).next().unwrap_or_default();
        if !files.iter().any(|f| f.path == file) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::packages::percent_encode_path;

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
