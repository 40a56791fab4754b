//! Courses, on SQLite and on PostgreSQL: SCORM packages refused for each kind of flaw, the
//! SCORM data model stored, checked and resumed, progress rolled up from lesson to course to
//! "My learning", enrolment (open, by request, assigned to people and spaces with a due
//! date), the lesson discussion and questions to the cohort, and who may see what.

use std::io::{Cursor, Write};

use crate::common::{field_message, ok_json as ok, Backend, TestApp, TestResult};
use serde_json::Value;
use zip::write::SimpleFileOptions;

type Client = reqwest::Client;
type Res<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// A SCORM 1.2 manifest launching `href`.
fn manifest_12(href: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="com.example.safety" version="1"
    xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
    xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="org">
    <organization identifier="org">
      <title>Safety basics</title>
      <item identifier="item1" identifierref="res1"><title>Lifting safely</title></item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="res1" type="webcontent" adlcp:scormtype="sco" href="{href}">
      <file href="{href}"/>
    </resource>
  </resources>
</manifest>"#
    )
}

/// A SCORM 2004 manifest with two SCOs.
fn manifest_2004() -> String {
    r#"<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="m2004" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
    xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="o"><organization identifier="o"><title>Two parts</title>
    <item identifier="a" identifierref="ra"><title>Part A</title></item>
    <item identifier="b" identifierref="rb" parameters="?part=b"><title>Part B</title></item>
  </organization></organizations>
  <resources xml:base="content/">
    <resource identifier="ra" type="webcontent" adlcp:scormType="sco" href="a.html"/>
    <resource identifier="rb" type="webcontent" adlcp:scormType="sco" href="b.html"/>
  </resources>
</manifest>"#
        .to_owned()
}

enum Entry<'a> {
    File(&'a str, &'a [u8]),
    Link(&'a str, &'a str),
}

fn zip_of(entries: &[Entry]) -> Res<Vec<u8>> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default();
    for e in entries {
        match e {
            Entry::File(name, bytes) => {
                w.start_file(*name, options)?;
                w.write_all(bytes)?;
            }
            Entry::Link(name, target) => w.add_symlink(*name, *target, options)?,
        }
    }
    Ok(w.finish()?.into_inner())
}

pub(crate) fn good_package() -> Res<Vec<u8>> {
    zip_of(&[
        Entry::File("imsmanifest.xml", manifest_12("index.html").as_bytes()),
        Entry::File(
            "index.html",
            b"<!doctype html><title>Lifting</title><p>Bend your knees.</p>",
        ),
    ])
}

pub(crate) async fn upload(
    app: &TestApp,
    c: &Client,
    lesson: i64,
    bytes: Vec<u8>,
) -> Res<reqwest::Response> {
    let form = reqwest::multipart::Form::new()
        .text("lesson", lesson.to_string())
        .part(
            "package",
            reqwest::multipart::Part::bytes(bytes).file_name("package.zip"),
        );
    Ok(c.post(app.url("/media/package"))
        .multipart(form)
        .send()
        .await?)
}

/// Starts a package upload to `lesson` with the session `cookie` whose file never ends, and
/// returns the start of the answer.
async fn upload_that_never_ends(app: &TestApp, cookie: &str, lesson: i64) -> Res<String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(app.addr).await?;
    let head = format!(
        "POST /media/package HTTP/1.1\r\nHost: {addr}\r\nOrigin: {base}\r\nCookie: {cookie}\r\n\
         Accept: application/json\r\nContent-Type: multipart/form-data; boundary=XyZ\r\n\
         Content-Length: 100000000\r\n\r\n--XyZ\r\nContent-Disposition: form-data; name=\"lesson\"\r\n\r\n\
         {lesson}\r\n--XyZ\r\nContent-Disposition: form-data; name=\"package\"; filename=\"p.zip\"\r\n\
         Content-Type: application/zip\r\n\r\n",
        addr = app.addr,
        base = app.base,
    );
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(&[0u8; 4096]).await?;
    let mut answer = vec![0u8; 512];
    let n = stream.read(&mut answer).await?;
    Ok(String::from_utf8_lossy(&answer[..n]).into_owned())
}

/// A course by `author` with one module, a page lesson and a SCORM lesson: (slug, page, package).
pub(crate) async fn course(
    app: &TestApp,
    author: &Client,
    title: &str,
    policy: &str,
) -> Res<(String, i64, i64)> {
    let (slug, module, page) = crate::common::course_with_page(app, author, title, policy).await?;
    let package = [
        ("slug", slug.as_str()),
        ("module", module.as_str()),
        ("title", "Lifting safely"),
        ("kind", "package"),
    ];
    let package = ok(app.call(author, "courses/add_lesson", &package).await?).await?;
    Ok((slug, page, package.as_i64().unwrap_or_default()))
}

pub(crate) async fn publish(app: &TestApp, author: &Client, slug: &str) -> Res<reqwest::Response> {
    Ok(app
        .call(
            author,
            "courses/publish",
            &[("slug", slug), ("publish", "true")],
        )
        .await?)
}

async fn lesson(app: &TestApp, c: &Client, id: i64) -> Res<reqwest::Response> {
    Ok(app
        .get(c, "courses/lesson", &[("id", &id.to_string())])
        .await?)
}

pub(crate) async fn sco_of(app: &TestApp, c: &Client, id: i64) -> Res<i64> {
    let l = ok(lesson(app, c, id).await?).await?;
    Ok(l["package"]["scos"][0]["id"].as_i64().unwrap_or_default())
}

async fn handle(app: &TestApp, c: &Client) -> Res<String> {
    Ok(app.me(c).await?["handle"]
        .as_str()
        .unwrap_or_default()
        .to_owned())
}

async fn upload_error(app: &TestApp, c: &Client, lesson: i64, bytes: Vec<u8>) -> Res<String> {
    let res = upload(app, c, lesson, bytes).await?;
    assert_eq!(res.status(), 422, "a bad package is refused as bad input");
    let body: Value = res.json().await?;
    Ok(field_message(&body, "package").unwrap_or_default())
}

async fn packages_are_checked(b: Backend) -> TestResult {
    let Some(app) = TestApp::spawn(b, |s| s.max_package_mb = Some(1)).await? else {
        return Ok(());
    };
    let author = app.person("Ada Author").await?;
    let (slug, _, package) = course(&app, &author, "Lifting at work", "open").await?;
    // Nothing to take yet: publishing waits for the package.
    let res = publish(&app, &author, &slug).await?;
    assert_eq!(res.status(), 200, "the page lesson is ready");
    app.call(
        &author,
        "courses/publish",
        &[("slug", &slug), ("publish", "false")],
    )
    .await?;

    let m = upload_error(&app, &author, package, b"not a zip at all".to_vec()).await?;
    assert!(m.contains("not a zip"), "{m}");
    let no_manifest = zip_of(&[Entry::File("index.html", b"<p>hi</p>")])?;
    let m = upload_error(&app, &author, package, no_manifest).await?;
    assert!(m.contains("no imsmanifest.xml"), "{m}");
    let manifest = manifest_12("index.html");
    let escape = zip_of(&[
        Entry::File("imsmanifest.xml", manifest.as_bytes()),
        Entry::File("index.html", b"x"),
        Entry::File("../../evil.html", b"x"),
    ])?;
    let m = upload_error(&app, &author, package, escape).await?;
    assert!(m.contains("leaves it"), "{m}");
    let absolute = zip_of(&[
        Entry::File("imsmanifest.xml", manifest.as_bytes()),
        Entry::File("/etc/cron.d/evil", b"x"),
    ])?;
    let m = upload_error(&app, &author, package, absolute).await?;
    assert!(m.contains("absolute path"), "{m}");
    let link = zip_of(&[
        Entry::File("imsmanifest.xml", manifest.as_bytes()),
        Entry::File("index.html", b"x"),
        Entry::Link("passwd", "/etc/passwd"),
    ])?;
    let m = upload_error(&app, &author, package, link).await?;
    assert!(m.contains("symbolic link"), "{m}");
    let missing = zip_of(&[Entry::File("imsmanifest.xml", manifest.as_bytes())])?;
    let m = upload_error(&app, &author, package, missing).await?;
    assert!(m.contains("not in the package"), "{m}");
    let broken = zip_of(&[Entry::File("imsmanifest.xml", b"<manifest><organizations>")])?;
    let m = upload_error(&app, &author, package, broken).await?;
    assert!(m.contains("not well-formed XML"), "{m}");
    let no_sco = manifest.replace("adlcp:scormtype=\"sco\"", "adlcp:scormtype=\"asset\"");
    let no_sco = zip_of(&[
        Entry::File("imsmanifest.xml", no_sco.as_bytes()),
        Entry::File("index.html", b"x"),
    ])?;
    let m = upload_error(&app, &author, package, no_sco).await?;
    assert!(m.contains("no launchable lesson"), "{m}");
    let unknown = manifest
        .replace(
            "<schemaversion>1.2</schemaversion>",
            "<schemaversion>9</schemaversion>",
        )
        .replace("adlcp_rootv1p2", "somethingelse");
    let unknown = zip_of(&[
        Entry::File("imsmanifest.xml", unknown.as_bytes()),
        Entry::File("index.html", b"x"),
    ])?;
    let m = upload_error(&app, &author, package, unknown).await?;
    assert!(m.contains("SCORM 1.2 or SCORM 2004"), "{m}");
    // Past the upload limit (1 MB here): random bytes do not compress.
    let mut noise = vec![0_u8; 1536 * 1024];
    let mut x: u32 = 7;
    for b in noise.iter_mut() {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        *b = (x >> 16) as u8;
    }
    let big = zip_of(&[
        Entry::File("imsmanifest.xml", manifest.as_bytes()),
        Entry::File("index.html", &noise),
    ])?;
    let res = upload(&app, &author, package, big).await?;
    assert!(
        matches!(res.status().as_u16(), 413 | 422),
        "{}",
        res.status()
    );

    // Another person cannot upload to the course.
    let other = app.person("Oli Other").await?;
    let res = upload(&app, &other, package, good_package()?).await?;
    assert!(
        matches!(res.status().as_u16(), 403 | 404),
        "{}",
        res.status()
    );

    // Who may upload is asked before the file is read: a stranger's upload that never ends is
    // answered at once (it used to wait for the whole body, up to 200 MB).
    let stranger = app.new_client()?;
    let pair = crate::common::session_pair(
        &app.register(
            &stranger,
            "Sam Stranger",
            "sam@example.com",
            "a long enough password 1",
        )
        .await?,
    );
    let answer = tokio::time::timeout(
        std::time::Duration::from_secs(20),
        upload_that_never_ends(&app, &pair, package),
    )
    .await
    .map_err(|_| "the refusal did not come before the body ended")??;
    assert!(
        answer.starts_with("HTTP/1.1 403") || answer.starts_with("HTTP/1.1 404"),
        "{answer}"
    );
    // Text fields have a limit too, named on the field.
    let form = reqwest::multipart::Form::new()
        .text("lesson", package.to_string())
        .text("notes", "x".repeat(200 * 1024))
        .part(
            "package",
            reqwest::multipart::Part::bytes(good_package()?).file_name("package.zip"),
        );
    let res = author
        .post(app.url("/media/package"))
        .multipart(form)
        .send()
        .await?;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await?;
    assert!(
        field_message(&body, "notes").is_some_and(|m| m.contains("at most 128 KB")),
        "{body}"
    );

    // A good package, then a 2004 one with two SCOs replacing it.
    let res = upload(&app, &author, package, good_package()?).await?;
    let body = ok(res).await?;
    assert_eq!(body["scos"], 1);
    let editor = ok(app
        .get(&author, "courses/editor", &[("slug", &slug)])
        .await?)
    .await?;
    let p = &editor["modules"][0]["lessons"][1]["package"];
    assert_eq!(p["version"], "V12");
    assert_eq!(p["title"], "Safety basics");
    assert_eq!(p["scos"][0]["title"], "Lifting safely");
    let two = zip_of(&[
        Entry::File("imsmanifest.xml", manifest_2004().as_bytes()),
        Entry::File("content/a.html", b"<p>A</p>"),
        Entry::File("content/b.html", b"<p>B</p>"),
    ])?;
    let body = ok(upload(&app, &author, package, two).await?).await?;
    assert_eq!(body["scos"], 2);
    let l = ok(lesson(&app, &author, package).await?).await?;
    assert_eq!(l["package"]["version"], "V2004");
    let href = l["package"]["scos"][1]["href"].as_str().unwrap_or_default();
    assert_eq!(href, "content/b.html?part=b");
    let sco_b = l["package"]["scos"][1]["id"].as_i64().unwrap_or_default();

    // The player runs on the content origin: another site than the one the lesson is on.
    let (origin, start) = player(&app, &author, package, sco_b).await?;
    assert!(origin.starts_with("http://localhost:"), "{origin}");
    assert!(!origin.starts_with(&app.base));
    let sco_url = start["sco_url"].as_str().unwrap_or_default().to_owned();
    assert!(sco_url.ends_with("/content/b.html?part=b"), "{sco_url}");
    // Its files need no cookie (the content origin never reads one): the address opens them.
    let anyone = reqwest::Client::new();
    let file = anyone.get(format!("{origin}{sco_url}")).send().await?;
    assert_eq!(file.status(), 200);
    assert!(file.headers()["content-type"]
        .to_str()?
        .starts_with("text/html"));
    let csp = file.headers()["content-security-policy"]
        .to_str()?
        .to_owned();
    assert!(
        csp.contains(&format!("frame-ancestors 'self' {}", app.base)),
        "{csp}"
    );
    assert_eq!(file.text().await?, "<p>B</p>");
    // One range, streamed; a range past the end is refused.
    let part = anyone
        .get(format!("{origin}{sco_url}"))
        .header("range", "bytes=3-999999999")
        .send()
        .await?;
    assert_eq!(part.status(), 206);
    assert_eq!(part.headers()["content-range"], "bytes 3-7/8");
    assert_eq!(part.text().await?, "B</p>");
    let past = anyone
        .get(format!("{origin}{sco_url}"))
        .header("range", "bytes=8-")
        .send()
        .await?;
    assert_eq!(past.status(), 416);
    // The site itself serves no package file, and the content origin nothing of the site.
    let site_file = author
        .get(app.url(&format!("/scorm/{}/content/b.html", package)))
        .send()
        .await?;
    assert_eq!(site_file.status(), 404);
    for path in ["/", "/api/auth/me", "/courses", "/healthz"] {
        let res = anyone.get(format!("{origin}{path}")).send().await?;
        assert_eq!(res.status(), 404, "{path}");
    }
    let forged = sco_url.replacen("/scorm/", "/scorm/x", 1);
    let res = anyone.get(format!("{origin}{forged}")).send().await?;
    assert_eq!(res.status(), 404);
    // Someone not taking the course can neither launch it nor read its files through it.
    let res = app
        .get(
            &other,
            "scorm/launch",
            &[
                ("lesson", &package.to_string()),
                ("sco", &sco_b.to_string()),
            ],
        )
        .await?;
    assert!(
        matches!(res.status().as_u16(), 403 | 404),
        "{}",
        res.status()
    );
    app.finish().await;
    Ok(())
}

/// Launches SCO `sco` of lesson `lesson` as `c` and opens the player it points to (with no
/// cookie: the content origin needs none): the content origin and what the player starts with.
pub(crate) async fn player(
    app: &TestApp,
    c: &Client,
    lesson: i64,
    sco: i64,
) -> Res<(String, Value)> {
    let (lesson, sco) = (lesson.to_string(), sco.to_string());
    let frame = ok(app
        .get(c, "scorm/launch", &[("lesson", &lesson), ("sco", &sco)])
        .await?)
    .await?;
    let url = frame["url"].as_str().unwrap_or_default();
    let origin = frame["origin"].as_str().unwrap_or_default().to_owned();
    assert!(url.starts_with(&format!("{origin}/player/")), "{url}");
    let res = reqwest::Client::new().get(url).send().await?;
    assert_eq!(res.status(), 200);
    let csp = res.headers()["content-security-policy"]
        .to_str()?
        .to_owned();
    assert!(
        csp.contains(&format!("frame-ancestors {}", app.base)),
        "{csp}"
    );
    let page = res.text().await?;
    let json = page
        .split_once(r#"id="cohort-player">"#)
        .and_then(|(_, rest)| rest.split_once("</script>"))
        .map(|(json, _)| json)
        .unwrap_or_default();
    Ok((origin, serde_json::from_str(json)?))
}

/// Commits `data` for the SCO, as its player does: on the content origin, under the launch's
/// token, with no cookie.
async fn commit(
    app: &TestApp,
    c: &Client,
    lesson: i64,
    sco: i64,
    session: &str,
    data: Value,
) -> Res<reqwest::Response> {
    let (origin, start) = player(app, c, lesson, sco).await?;
    let url = format!(
        "{origin}{}",
        start["commit_url"].as_str().unwrap_or_default()
    );
    Ok(reqwest::Client::new()
        .post(url)
        .header("accept", "application/json")
        .form(&[("session", session), ("data", &data.to_string())])
        .send()
        .await?)
}

pub(crate) async fn launch(app: &TestApp, c: &Client, lesson: i64, sco: i64) -> Res<Value> {
    Ok(player(app, c, lesson, sco).await?.1["launch"].clone())
}

async fn scorm_data_round_trip_and_progress(b: Backend) -> TestResult {
    let Some(app) = TestApp::spawn(b, |_| {}).await? else {
        return Ok(());
    };
    let author = app.person("Ada Author").await?;
    let learner = app.person("Lee Learner").await?;
    let (slug, page, package) = course(&app, &author, "Lifting at work", "open").await?;
    ok(upload(&app, &author, package, good_package()?).await?).await?;
    ok(publish(&app, &author, &slug).await?).await?;
    // Not enrolled: no lessons, no package files.
    assert_eq!(lesson(&app, &learner, package).await?.status(), 403);
    assert_eq!(
        ok(app
            .call(&learner, "courses/enrol", &[("slug", &slug)])
            .await?)
        .await?,
        true
    );
    let sco = sco_of(&app, &learner, package).await?;

    let first = launch(&app, &learner, package, sco).await?;
    assert_eq!(first["version"], "V12");
    assert_eq!(first["stored"], serde_json::json!({}));
    assert_eq!(first["learner_name"], "Lee Learner");
    let data = serde_json::json!({
        "cmi.core.lesson_status": "incomplete",
        "cmi.core.lesson_location": "page-2",
        "cmi.suspend_data": "answers=1,0",
        "cmi.core.exit": "suspend",
        "cmi.core.session_time": "0000:00:30.00",
    });
    let p = ok(commit(&app, &learner, package, sco, "s1", data.clone()).await?).await?;
    assert_eq!(p["done"], false);
    // The same session committing again does not count its time twice.
    ok(commit(&app, &learner, package, sco, "s1", data).await?).await?;

    let resumed = launch(&app, &learner, package, sco).await?;
    assert_eq!(resumed["stored"]["cmi.suspend_data"], "answers=1,0");
    assert_eq!(resumed["stored"]["cmi.core.lesson_location"], "page-2");
    assert_eq!(resumed["stored"]["cmi.core.exit"], "suspend");
    assert_eq!(resumed["total_time_cs"], 3000);

    // What the content could not have set is refused, and nothing is lost.
    let forged = serde_json::json!({ "cmi.core.student_id": "someone-else" });
    assert_eq!(
        commit(&app, &learner, package, sco, "s2", forged)
            .await?
            .status(),
        400
    );
    let bad = serde_json::json!({ "cmi.core.score.raw": "150" });
    assert_eq!(
        commit(&app, &learner, package, sco, "s2", bad)
            .await?
            .status(),
        400
    );
    assert_eq!(
        commit(&app, &learner, package, sco, "s2", Value::from("nonsense"))
            .await?
            .status(),
        400
    );
    let again = launch(&app, &learner, package, sco).await?;
    assert_eq!(again["stored"]["cmi.suspend_data"], "answers=1,0");

    let done = serde_json::json!({
        "cmi.core.lesson_status": "passed",
        "cmi.core.score.raw": "90",
        "cmi.core.score.max": "100",
        "cmi.core.score.min": "0",
        "cmi.suspend_data": "answers=1,1",
        "cmi.core.exit": "",
        "cmi.core.session_time": "0000:01:00.00",
    });
    let p = ok(commit(&app, &learner, package, sco, "s2", done).await?).await?;
    assert_eq!(p["done"], true);
    assert_eq!(p["score"], 90.0);
    assert_eq!(p["course_percent"], 50, "one of two lessons");
    let later = launch(&app, &learner, package, sco).await?;
    assert_eq!(later["total_time_cs"], 9000);

    // A failed attempt afterwards does not undo the completion.
    let failed = serde_json::json!({ "cmi.core.lesson_status": "failed" });
    let p = ok(commit(&app, &learner, package, sco, "s3", failed).await?).await?;
    assert_eq!(p["done"], true);

    let mine = ok(app.get(&learner, "courses/mine", &[]).await?).await?;
    assert_eq!(mine["in_progress"][0]["percent"], 50);
    assert!(mine["done"].as_array().is_some_and(|d| d.is_empty()));

    // The page lesson by hand; the course is then complete.
    let p = ok(app
        .call(&learner, "courses/done", &[("lesson", &page.to_string())])
        .await?)
    .await?;
    assert_eq!(p["course_percent"], 100);
    let mine = ok(app.get(&learner, "courses/mine", &[]).await?).await?;
    assert_eq!(mine["done"][0]["slug"], slug.as_str());
    let c = ok(app.get(&learner, "courses/get", &[("slug", &slug)]).await?).await?;
    assert!(c["enrolment"]["completed_at"].is_i64());
    assert_eq!(c["modules"][0]["lessons"][0]["done"], true);

    // A new lesson re-opens the course.
    let editor = ok(app
        .get(&author, "courses/editor", &[("slug", &slug)])
        .await?)
    .await?;
    let module = editor["modules"][0]["id"]
        .as_i64()
        .unwrap_or_default()
        .to_string();
    let extra = [
        ("slug", slug.as_str()),
        ("module", module.as_str()),
        ("title", "Afterwards"),
        ("kind", "video"),
        ("video_url", "https://example.com/stretch.mp4"),
    ];
    let extra = ok(app.call(&author, "courses/add_lesson", &extra).await?).await?;
    let mine = ok(app.get(&learner, "courses/mine", &[]).await?).await?;
    assert_eq!(mine["in_progress"][0]["percent"], 66);
    let v = ok(lesson(&app, &learner, extra.as_i64().unwrap_or_default()).await?).await?;
    assert_eq!(v["video"][0], "https://example.com/stretch.mp4");
    assert_eq!(v["video"][1], false);

    // Editing a lesson: a bad address is refused beside its field, with what was typed kept.
    let extra = extra.as_i64().unwrap_or_default().to_string();
    let bad = [
        ("lesson", extra.as_str()),
        ("title", "Stretch after"),
        ("video_url", "javascript:alert(1)"),
    ];
    let res = app.call(&author, "courses/edit_lesson", &bad).await?;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await?;
    assert!(field_message(&body, "video_url").is_some());
    assert_eq!(
        crate::common::field_value(&body, "title").as_deref(),
        Some("Stretch after")
    );
    assert_eq!(
        app.call(&learner, "courses/edit_lesson", &bad)
            .await?
            .status(),
        403
    );
    let good = [
        ("lesson", extra.as_str()),
        ("title", "Stretch after"),
        ("video_url", "https://youtu.be/abc"),
    ];
    ok(app.call(&author, "courses/edit_lesson", &good).await?).await?;
    let v = ok(lesson(&app, &learner, extra.parse()?).await?).await?;
    assert_eq!(v["title"], "Stretch after");
    assert_eq!(v["video"][1], true, "a video site's page is framed");
    // Deleting it: every learner's course is complete again.
    assert_eq!(
        app.call(&learner, "courses/delete_lesson", &[("lesson", &extra)])
            .await?
            .status(),
        403
    );
    ok(app
        .call(&author, "courses/delete_lesson", &[("lesson", &extra)])
        .await?)
    .await?;
    let mine = ok(app.get(&learner, "courses/mine", &[]).await?).await?;
    assert_eq!(mine["done"][0]["percent"], 100);
    app.finish().await;
    Ok(())
}

async fn enrolment_by_request_and_assignment(b: Backend) -> TestResult {
    let Some(app) = TestApp::spawn(b, |_| {}).await? else {
        return Ok(());
    };
    let author = app.person("Ada Author").await?;
    let learner = app.person("Lee Learner").await?;
    let member = app.person("Mo Member").await?;
    // A draft is its authors' alone.
    let (slug, _, _) = course(&app, &author, "Leading meetings", "request").await?;
    assert_eq!(
        app.get(&learner, "courses/get", &[("slug", &slug)])
            .await?
            .status(),
        404
    );
    let listed = ok(app.get(&learner, "courses/list", &[]).await?).await?;
    assert!(listed.as_array().is_some_and(|l| l.is_empty()));
    // Only authors write courses.
    let form = [
        ("title", "Mine"),
        ("summary", ""),
        ("tags", ""),
        ("policy", "open"),
    ];
    assert_eq!(
        app.call(&learner, "courses/create", &form).await?.status(),
        403
    );
    let bad = [
        ("title", "x"),
        ("summary", ""),
        ("tags", ""),
        ("policy", "sometimes"),
    ];
    let res = app.call(&author, "courses/create", &bad).await?;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await?;
    assert!(field_message(&body, "title").is_some());
    assert!(field_message(&body, "policy").is_some());

    ok(publish(&app, &author, &slug).await?).await?;
    let listed = ok(app
        .get(&learner, "courses/list", &[("q", "meetings")])
        .await?)
    .await?;
    assert_eq!(listed[0]["slug"], slug.as_str());
    let tagged = ok(app
        .get(&learner, "courses/list", &[("tag", "safety")])
        .await?)
    .await?;
    assert_eq!(tagged.as_array().map(Vec::len), Some(1));
    let none = ok(app.get(&learner, "courses/list", &[("q", "zebra")]).await?).await?;
    assert!(none.as_array().is_some_and(|l| l.is_empty()));

    // By request: asked, then approved.
    assert_eq!(
        ok(app
            .call(&learner, "courses/enrol", &[("slug", &slug)])
            .await?)
        .await?,
        false
    );
    let c = ok(app.get(&learner, "courses/get", &[("slug", &slug)]).await?).await?;
    assert_eq!(c["enrolment"]["requested"], true);
    let editor = ok(app
        .get(&author, "courses/editor", &[("slug", &slug)])
        .await?)
    .await?;
    let who = editor["requests"][0]["id"]
        .as_i64()
        .unwrap_or_default()
        .to_string();
    assert_eq!(editor["requests"][0]["person"]["text"], "Lee Learner");
    let decide = [
        ("slug", slug.as_str()),
        ("user", who.as_str()),
        ("approve", "true"),
    ];
    ok(app.call(&author, "courses/decide", &decide).await?).await?;
    let c = ok(app.get(&learner, "courses/get", &[("slug", &slug)]).await?).await?;
    assert_eq!(c["enrolment"]["requested"], false);
    assert_eq!(c["learner_count"], 1);

    // Assigned only: nobody enrols themselves; authors assign people and spaces.
    let update = [
        ("slug", slug.as_str()),
        ("title", "Leading meetings"),
        ("summary", "Shorter, better meetings."),
        ("tags", "leadership"),
        ("policy", "assigned"),
    ];
    ok(app.call(&author, "courses/update", &update).await?).await?;
    assert_eq!(
        app.call(&member, "courses/enrol", &[("slug", &slug)])
            .await?
            .status(),
        409
    );
    let form = [
        ("name", "Team leads"),
        ("slug", "team-leads"),
        ("description", "Leads"),
        ("visibility", "public"),
        ("join_policy", "open"),
        ("parent", ""),
    ];
    ok(app.call(&author, "spaces/create", &form).await?).await?;
    ok(app
        .call(&member, "spaces/join", &[("slug", "team-leads")])
        .await?)
    .await?;
    let assign = [
        ("slug", slug.as_str()),
        ("people", "nobody-here"),
        ("space", ""),
        ("due", "2031-02-30"),
    ];
    let res = app.call(&author, "courses/assign", &assign).await?;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await?;
    assert!(field_message(&body, "people").is_some_and(|m| m.contains("nobody-here")));
    assert!(field_message(&body, "due").is_some());
    // Assigning is for the course's authors, admins and L&D managers: not for other authors.
    let other = app.person("Oli Otherauthor").await?;
    let role = [("email", "oli.otherauthor@example.com"), ("role", "author")];
    ok(app.call(&author, "admin/set_role", &role).await?).await?;
    let by_other = [
        ("slug", slug.as_str()),
        ("people", "mo-member"),
        ("space", ""),
        ("due", ""),
    ];
    assert_eq!(
        app.call(&other, "courses/assign", &by_other)
            .await?
            .status(),
        403
    );
    assert_eq!(
        app.call(&member, "courses/assign", &by_other)
            .await?
            .status(),
        403
    );
    let lee = handle(&app, &learner).await?;
    let assign = [
        ("slug", slug.as_str()),
        ("people", lee.as_str()),
        ("space", "team-leads"),
        ("due", "2031-03-01"),
    ];
    let n = ok(app.call(&author, "courses/assign", &assign).await?).await?;
    assert_eq!(n, 3, "Lee, and the space's two members (Ada and Mo)");
    let mine = ok(app.get(&member, "courses/mine", &[]).await?).await?;
    assert_eq!(mine["due"][0]["slug"], slug.as_str());
    assert!(mine["due"][0]["due_at"].is_i64());
    // The assignment is announced.
    let notes = ok(app
        .get(&member, "notifications/list", &[("before", "")])
        .await?)
    .await?;
    assert!(
        notes.to_string().contains("course_assigned")
            || notes.to_string().contains("CourseAssigned"),
        "{notes}"
    );
    app.finish().await;
    Ok(())
}

async fn rate(
    app: &TestApp,
    c: &Client,
    slug: &str,
    stars: &str,
    review: &str,
) -> Res<reqwest::Response> {
    let form = [("slug", slug), ("stars", stars), ("review", review)];
    Ok(app.call(c, "courses/rate", &form).await?)
}

async fn wrapper_discussion_questions_and_cohort(b: Backend) -> TestResult {
    let Some(app) = TestApp::spawn(b, |_| {}).await? else {
        return Ok(());
    };
    let author = app.person("Ada Author").await?;
    let lee = app.person("Lee Learner").await?;
    let kim = app.person("Kim Learner").await?;
    let outsider = app.person("Oli Outsider").await?;
    let (slug, page, _) = course(&app, &author, "Giving feedback", "open").await?;
    ok(publish(&app, &author, &slug).await?).await?;
    for c in [&lee, &kim] {
        ok(app.call(c, "courses/enrol", &[("slug", &slug)]).await?).await?;
    }
    let page_s = page.to_string();
    let empty = app
        .call(
            &lee,
            "courses/discuss",
            &[("lesson", &page_s), ("body", "  ")],
        )
        .await?;
    assert_eq!(empty.status(), 422);
    let t1 = ok(app
        .call(
            &lee,
            "courses/discuss",
            &[("lesson", &page_s), ("body", "Is this about peers too?")],
        )
        .await?)
    .await?;
    let t2 = ok(app
        .call(
            &kim,
            "courses/discuss",
            &[("lesson", &page_s), ("body", "I think so.")],
        )
        .await?)
    .await?;
    assert_eq!(t1, t2, "one thread per lesson");
    let l = ok(lesson(&app, &kim, page).await?).await?;
    let posts = l["discussion"].as_array().cloned().unwrap_or_default();
    assert_eq!(posts.len(), 2);
    assert_eq!(posts[0]["author"]["text"], "Lee Learner");
    assert!(posts[1]["body_html"]
        .as_str()
        .unwrap_or_default()
        .contains("I think so."));
    // Outsiders see neither the lesson nor its thread.
    assert_eq!(lesson(&app, &outsider, page).await?.status(), 403);
    let thread = t1.as_i64().unwrap_or_default().to_string();
    let res = app
        .call(
            &outsider,
            "courses/discuss",
            &[("lesson", &page_s), ("body", "Hi")],
        )
        .await?;
    assert_eq!(res.status(), 403);
    let t = app.get(&outsider, "topics/get", &[("id", &thread)]).await?;
    assert!(matches!(t.status().as_u16(), 403 | 404), "{}", t.status());

    // Asking the cohort from the lesson: a question in the course's space.
    let ask = [
        ("lesson", page_s.as_str()),
        ("title", "How do I start a hard conversation?"),
        ("body", "Any tips?"),
    ];
    let q = ok(app.call(&lee, "courses/ask", &ask).await?).await?;
    let c = ok(app.get(&kim, "courses/get", &[("slug", &slug)]).await?).await?;
    assert_eq!(
        c["questions"][0]["href"],
        format!("/t/{}", q.as_i64().unwrap_or_default())
    );
    // The cohort: the others taking it, with their progress.
    ok(app
        .call(&lee, "courses/done", &[("lesson", &page_s)])
        .await?)
    .await?;
    let cohort = c["cohort"].as_array().cloned().unwrap_or_default();
    assert_eq!(cohort.len(), 1, "Kim sees Lee");
    let c = ok(app.get(&kim, "courses/get", &[("slug", &slug)]).await?).await?;
    assert_eq!(c["cohort"][0]["person"]["text"], "Lee Learner");
    assert_eq!(c["cohort"][0]["percent"], 50);
    ok(app
        .call(
            &lee,
            "courses/share",
            &[("slug", &slug), ("share", "false")],
        )
        .await?)
    .await?;
    let c = ok(app.get(&kim, "courses/get", &[("slug", &slug)]).await?).await?;
    assert!(c["cohort"][0]["percent"].is_null());
    // Outsiders see the course but not its wrapper.
    let c = ok(app
        .get(&outsider, "courses/get", &[("slug", &slug)])
        .await?)
    .await?;
    assert!(c["cohort"].as_array().is_some_and(|a| a.is_empty()));
    assert!(c["questions"].as_array().is_some_and(|a| a.is_empty()));
    // Ratings and reviews, by learners who started the course.
    assert_eq!(rate(&app, &outsider, &slug, "5", "").await?.status(), 409);
    let res = rate(&app, &lee, &slug, "9", "Great").await?;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await?;
    assert!(field_message(&body, "stars").is_some());
    assert!(field_message(&body, "review").is_none());
    ok(rate(&app, &lee, &slug, "5", "Clear and short.").await?).await?;
    ok(rate(&app, &kim, &slug, "3", "").await?).await?;
    ok(rate(&app, &kim, &slug, "4", "Useful examples.").await?).await?;
    let c = ok(app.get(&kim, "courses/get", &[("slug", &slug)]).await?).await?;
    assert_eq!(c["rating"]["average"], 4.5);
    assert_eq!(c["rating"]["count"], 2);
    assert_eq!(c["my_rating"][0], 4);
    assert_eq!(c["reviews"].as_array().map(Vec::len), Some(2));
    let listed = ok(app
        .get(&outsider, "courses/list", &[("q", "feedback")])
        .await?)
    .await?;
    assert_eq!(listed[0]["rating"]["average"], 4.5);

    // Popular in your spaces: Oli shares a space with Kim, who takes the course.
    let form = [
        ("name", "Coaches"),
        ("slug", "coaches"),
        ("description", "Coaching circle"),
        ("visibility", "public"),
        ("join_policy", "open"),
        ("parent", ""),
    ];
    ok(app.call(&kim, "spaces/create", &form).await?).await?;
    assert_eq!(
        ok(app.get(&outsider, "courses/popular", &[]).await?).await?,
        serde_json::json!([])
    );
    ok(app
        .call(&outsider, "spaces/join", &[("slug", "coaches")])
        .await?)
    .await?;
    let popular = ok(app.get(&outsider, "courses/popular", &[]).await?).await?;
    assert_eq!(popular[0]["slug"], slug.as_str());

    // An admin makes Oli an author; then Oli may write courses.
    let form = [
        ("title", "Coaching basics"),
        ("summary", ""),
        ("tags", ""),
        ("policy", "open"),
    ];
    assert_eq!(
        app.call(&outsider, "courses/create", &form).await?.status(),
        403
    );
    let role = [("email", "oli.outsider@example.com"), ("role", "author")];
    assert_eq!(app.call(&kim, "admin/set_role", &role).await?.status(), 403);
    let res = app
        .call(
            &author,
            "admin/set_role",
            &[("email", "nobody@example.com"), ("role", "author")],
        )
        .await?;
    assert_eq!(res.status(), 422);
    ok(app.call(&author, "admin/set_role", &role).await?).await?;
    let made = ok(app.call(&outsider, "courses/create", &form).await?).await?;
    let coaching = made.as_str().unwrap_or_default().to_owned();
    // An author who is no admin or L&D manager assigns by handle: an e-mail address is
    // refused alike whether someone has it or not, so the form tells no one who has an account.
    let mut answers = Vec::new();
    for address in ["kim.learner@example.com", "no.one@example.com"] {
        let assign = [
            ("slug", coaching.as_str()),
            ("people", address),
            ("space", ""),
            ("due", ""),
        ];
        let res = app.call(&outsider, "courses/assign", &assign).await?;
        assert_eq!(res.status(), 422);
        let body: Value = res.json().await?;
        let message = field_message(&body, "people").unwrap_or_default();
        assert!(message.contains("by their handle"), "{body}");
        answers.push(message.replace(address, "ADDRESS"));
    }
    assert_eq!(answers[0], answers[1]);

    // The wrapper's activity reaches the learners' feeds.
    let feed = ok(app
        .get(
            &kim,
            "feed/get",
            &[("of", "home"), ("key", ""), ("filter", ""), ("before", "")],
        )
        .await?)
    .await?;
    assert!(
        feed.to_string()
            .contains("How do I start a hard conversation?"),
        "{feed}"
    );
    app.finish().await;
    Ok(())
}

/// A draft course is its authors' alone: neither it nor its wrapper space is listed or found
/// by anyone else until it is published.
async fn drafts_are_their_authors_alone(b: Backend) -> TestResult {
    let Some(app) = TestApp::spawn(b, |_| {}).await? else {
        return Ok(());
    };
    let author = app.person("Ada Author").await?;
    let bo = app.person("Bo").await?;
    let (slug, _, _) =
        crate::common::course_with_page(&app, &author, "Forklift basics", "open").await?;
    let listed = |dir: &Value| -> Vec<String> {
        dir["spaces"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|s| s["name"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let directory = [("q", ""), ("filter", ""), ("after", "")];
    let search = crate::common::search_query("forklift", "", "");
    let found = |r: &Value| r["hits"].as_array().map(Vec::len).unwrap_or(0);

    let dir = ok(app.get(&bo, "spaces/list", &directory).await?).await?;
    assert!(
        !listed(&dir).contains(&"Forklift basics".to_owned()),
        "{dir}"
    );
    assert_eq!(found(&ok(app.get(&bo, "search", &search).await?).await?), 0);
    let dir = ok(app.get(&author, "spaces/list", &directory).await?).await?;
    assert!(
        listed(&dir).contains(&"Forklift basics".to_owned()),
        "its authors see it"
    );

    ok(publish(&app, &author, &slug).await?).await?;
    let dir = ok(app.get(&bo, "spaces/list", &directory).await?).await?;
    assert!(
        listed(&dir).contains(&"Forklift basics".to_owned()),
        "{dir}"
    );
    assert!(found(&ok(app.get(&bo, "search", &search).await?).await?) > 0);
    app.finish().await;
    Ok(())
}

crate::on_both_backends!(
    drafts_are_their_authors_alone,
    packages_are_checked,
    scorm_data_round_trip_and_progress,
    enrolment_by_request_and_assignment,
    wrapper_discussion_questions_and_cohort,
);
