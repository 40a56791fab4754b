//! Lesson files and covers, on SQLite and on PostgreSQL: an uploaded video (checked, played
//! a byte range at a time), a file lesson (downloaded, never run as a page), pictures for a
//! lesson page, who may upload and who may fetch them; course and playlist covers; tags on
//! playlists (saved, undone, copied, and filtering the catalog).

use crate::common::{field_message, ok_json as ok, Backend, TestApp, TestResult};
use reqwest::multipart::{Form, Part};
use serde_json::Value;

type Client = reqwest::Client;
type Res<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// The first bytes of an MP4 file, then filler: enough for the checks.
pub(crate) fn mp4() -> Vec<u8> {
    let mut v = b"\0\0\0\x18ftypmp42\0\0\0\0mp42isom".to_vec();
    v.extend((0..2000_u32).map(|i| (i % 251) as u8));
    v
}

pub(crate) async fn add_lesson(
    app: &TestApp,
    author: &Client,
    slug: &str,
    module: &str,
    title: &str,
    kind: &str,
) -> Res<i64> {
    let form = [
        ("slug", slug),
        ("module", module),
        ("title", title),
        ("kind", kind),
    ];
    Ok(ok(app.call(author, "courses/add_lesson", &form).await?)
        .await?
        .as_i64()
        .unwrap_or_default())
}

pub(crate) async fn upload(
    app: &TestApp,
    c: &Client,
    lesson: i64,
    role: Option<&'static str>,
    name: &'static str,
    bytes: Vec<u8>,
) -> Res<reqwest::Response> {
    let mut form = Form::new().text("lesson", lesson.to_string());
    if let Some(r) = role {
        form = form.text("role", r);
    }
    let form = form.part("file", Part::bytes(bytes).file_name(name));
    Ok(c.post(app.url("/media/lesson-file"))
        .multipart(form)
        .send()
        .await?)
}

async fn refusal(res: reqwest::Response, field: &str) -> Res<String> {
    assert_eq!(res.status(), 422, "bad input is refused as such");
    let body: Value = res.json().await?;
    Ok(field_message(&body, field).unwrap_or_default())
}

async fn lesson(app: &TestApp, c: &Client, id: i64) -> Res<Value> {
    ok(app
        .get(c, "courses/lesson", &[("id", &id.to_string())])
        .await?)
    .await
}

async fn editor_lesson(app: &TestApp, c: &Client, slug: &str, id: i64) -> Res<Value> {
    let e = ok(app.get(c, "courses/editor", &[("slug", slug)]).await?).await?;
    Ok(e["modules"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|m| m["lessons"].as_array().cloned().unwrap_or_default())
        .find(|l| l["id"] == id)
        .unwrap_or_default())
}

async fn lesson_files_are_checked_played_and_guarded(b: Backend) -> TestResult {
    let Some(app) = TestApp::spawn(b, |_| {}).await? else {
        return Ok(());
    };
    let author = app.person("Ada Author").await?;
    let lee = app.person("Lee Learner").await?;
    let outsider = app.person("Olu Outsider").await?;
    let (slug, module, page) =
        crate::common::course_with_page(&app, &author, "Lifting at work", "open").await?;
    let video = add_lesson(&app, &author, &slug, &module, "Watch the lift", "video").await?;
    let file = add_lesson(&app, &author, &slug, &module, "Checklist", "file").await?;

    // Until its file is there, a video without an address cannot be taken.
    let l = editor_lesson(&app, &author, &slug, video).await?;
    assert!(l["media"].is_null());

    // Only the course's authors upload; a draft is not even there for others.
    let res = upload(&app, &lee, video, None, "lift.mp4", mp4()).await?;
    assert_eq!(res.status(), 404);
    // A video must be one browsers play.
    let msg = refusal(
        upload(
            &app,
            &author,
            video,
            None,
            "lift.mp4",
            b"<html><script>".to_vec(),
        )
        .await?,
        "file",
    )
    .await?;
    assert!(msg.contains("MP4, WebM or Ogg"), "{msg}");
    let msg = refusal(
        upload(&app, &author, video, None, "lift.mp4", Vec::new()).await?,
        "file",
    )
    .await?;
    assert!(msg.contains("Choose a file"), "{msg}");
    // A page lesson takes pictures only.
    let msg = refusal(
        upload(
            &app,
            &author,
            page,
            Some("image"),
            "notes.txt",
            b"hello".to_vec(),
        )
        .await?,
        "image",
    )
    .await?;
    assert!(msg.contains("not a picture"), "{msg}");

    let res = upload(&app, &author, video, None, "lift.mp4", mp4()).await?;
    assert_eq!(res.status(), 200);
    let video_url = res.json::<Value>().await?["url"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let res = upload(
        &app,
        &author,
        file,
        None,
        "C:\\docs\\check \"list\".pdf",
        b"%PDF-1.4 <script>x</script>".to_vec(),
    )
    .await?;
    assert_eq!(res.status(), 200);
    let file_url = res.json::<Value>().await?["url"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let res = upload(
        &app,
        &author,
        page,
        Some("image"),
        "diagram.png",
        crate::common::png(2400, 1200),
    )
    .await?;
    assert_eq!(res.status(), 200);
    let image_url = res.json::<Value>().await?["url"]
        .as_str()
        .unwrap_or_default()
        .to_owned();

    let e = editor_lesson(&app, &author, &slug, page).await?;
    assert_eq!(e["images"][0]["name"], "diagram.jpg");
    let e = editor_lesson(&app, &author, &slug, file).await?;
    assert_eq!(
        e["media"]["name"], "check list.pdf",
        "paths and quotes are dropped"
    );

    ok(app
        .call(
            &author,
            "courses/publish",
            &[("slug", &slug), ("publish", "true")],
        )
        .await?)
    .await?;
    // Not enrolled: the files are not there (nor are they to the signed out).
    assert_eq!(
        outsider.get(app.url(&video_url)).send().await?.status(),
        404
    );
    assert_eq!(
        app.new_client()?
            .get(app.url(&video_url))
            .send()
            .await?
            .status(),
        401
    );
    ok(app.call(&lee, "courses/enrol", &[("slug", &slug)]).await?).await?;
    let res = upload(&app, &lee, video, None, "lift.mp4", mp4()).await?;
    assert_eq!(res.status(), 403, "learners do not upload");

    // The video lesson plays the upload, a range at a time.
    let l = lesson(&app, &lee, video).await?;
    assert_eq!(l["video"][0], video_url.as_str());
    assert_eq!(l["video"][1], false, "played, not framed");
    let res = lee.get(app.url(&video_url)).send().await?;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "video/mp4");
    assert_eq!(res.bytes().await?.to_vec(), mp4());
    let res = lee
        .get(app.url(&video_url))
        .header("range", "bytes=4-11")
        .send()
        .await?;
    assert_eq!(res.status(), 206);
    let total = mp4().len();
    assert_eq!(
        res.headers()["content-range"],
        format!("bytes 4-11/{total}").as_str()
    );
    assert_eq!(res.bytes().await?.as_ref(), b"ftypmp42");
    let res = lee
        .get(app.url(&video_url))
        .header("range", format!("bytes={total}-"))
        .send()
        .await?;
    assert_eq!(res.status(), 416);

    // The file downloads and can never run as a page of this site.
    let l = lesson(&app, &lee, file).await?;
    assert_eq!(l["file"]["name"], "check list.pdf");
    let res = lee.get(app.url(&file_url)).send().await?;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/octet-stream");
    let disposition = res.headers()["content-disposition"].to_str()?.to_owned();
    assert!(
        disposition.starts_with("attachment; filename=\"check list.pdf\""),
        "{disposition}"
    );
    assert!(res.headers()["content-security-policy"]
        .to_str()?
        .contains("sandbox"));

    // The page's picture was re-encoded and shrunk.
    let res = lee.get(app.url(&image_url)).send().await?;
    assert_eq!(res.headers()["content-type"], "image/jpeg");
    let img = image::load_from_memory(&res.bytes().await?)?;
    assert_eq!((img.width(), img.height()), (1600, 800));

    // A file lesson is marked done by hand.
    let done = ok(app
        .call(&lee, "courses/done", &[("lesson", &file.to_string())])
        .await?)
    .await?;
    assert_eq!(done["done"], true);

    // Removing the video takes it away from learners.
    let video_id = video_url.rsplit('/').next().unwrap_or_default().to_owned();
    let form = Form::new().text("remove", video_id.clone());
    let res = lee
        .post(app.url("/media/lesson-file"))
        .multipart(form)
        .send()
        .await?;
    assert_eq!(res.status(), 403, "learners cannot remove files");
    let form = Form::new().text("remove", video_id);
    let res = author
        .post(app.url("/media/lesson-file"))
        .multipart(form)
        .send()
        .await?;
    assert_eq!(res.status(), 200);
    assert_eq!(lee.get(app.url(&video_url)).send().await?.status(), 404);
    let l = lesson(&app, &lee, video).await?;
    assert!(l["video"].is_null());
    app.finish().await;
    Ok(())
}

async fn upload_cover(
    app: &TestApp,
    c: &Client,
    path: &str,
    owner: (&'static str, String),
) -> Res<reqwest::Response> {
    let form = Form::new().text(owner.0, owner.1).part(
        "cover",
        Part::bytes(crate::common::png(900, 500)).file_name("c.png"),
    );
    Ok(c.post(app.url(path)).multipart(form).send().await?)
}

async fn covers_and_playlist_tags(b: Backend) -> TestResult {
    let Some(app) = TestApp::spawn(b, |_| {}).await? else {
        return Ok(());
    };
    let author = app.person("Ada Author").await?;
    let lee = app.person("Lee Learner").await?;
    let (slug, _, _) =
        crate::common::course_with_page(&app, &author, "Lifting at work", "open").await?;

    // Course covers: the course's authors upload; a draft's cover stays with its authors.
    let res = upload_cover(&app, &lee, "/media/course", ("course", slug.clone())).await?;
    assert_eq!(res.status(), 404, "a draft is not even there for others");
    let res = upload_cover(&app, &author, "/media/course", ("course", slug.clone())).await?;
    assert_eq!(res.status(), 200);
    let cover = res.json::<Value>().await?["cover"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(cover.starts_with("/media/course/"), "{cover}");
    assert_eq!(author.get(app.url(&cover)).send().await?.status(), 200);
    assert_eq!(lee.get(app.url(&cover)).send().await?.status(), 404);
    ok(app
        .call(
            &author,
            "courses/publish",
            &[("slug", &slug), ("publish", "true")],
        )
        .await?)
    .await?;
    let res = lee.get(app.url(&cover)).send().await?;
    assert_eq!(res.status(), 200);
    let img = image::load_from_memory(&res.bytes().await?)?;
    assert_eq!((img.width(), img.height()), (1200, 400));
    let c = ok(app.get(&lee, "courses/get", &[("slug", &slug)]).await?).await?;
    assert_eq!(c["cover"], cover.as_str());
    let list = ok(app
        .get(&lee, "courses/list", &[("q", ""), ("tag", "")])
        .await?)
    .await?;
    assert!(list[0]["cover"]
        .as_str()
        .unwrap_or_default()
        .contains("/600?"));

    // Playlist covers: the owner's.
    let id = ok(app
        .call(&author, "playlists/create", &[("title", "Safe at work")])
        .await?)
    .await?;
    let ids = id.as_i64().unwrap_or_default().to_string();
    let res = upload_cover(&app, &lee, "/media/playlist", ("playlist", ids.clone())).await?;
    assert_eq!(res.status(), 403);
    let res = upload_cover(&app, &author, "/media/playlist", ("playlist", ids.clone())).await?;
    assert_eq!(res.status(), 200);
    let pcover = res.json::<Value>().await?["cover"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert_eq!(
        lee.get(app.url(&pcover)).send().await?.status(),
        404,
        "a draft playlist's cover is its owner's"
    );

    // Tags: checked, saved, undone.
    let details = |tags: &'static str| {
        [
            ("playlist", ids.as_str()),
            ("title", "Safe at work"),
            ("visibility", "public"),
            ("tags", tags),
        ]
    };
    let res = app
        .call(&author, "playlists/details", &details("ok, <bad>"))
        .await?;
    assert!(refusal(res, "tags").await?.contains("letters, digits"));
    ok(app
        .call(&author, "playlists/details", &details("Safety, onboarding"))
        .await?)
    .await?;
    ok(app
        .call(&author, "playlists/details", &details("safety"))
        .await?)
    .await?;
    ok(app
        .call(&author, "playlists/undo", &[("playlist", ids.as_str())])
        .await?)
    .await?;
    let p = ok(app.get(&author, "playlists/get", &[("id", &ids)]).await?).await?;
    assert_eq!(p["tags"], serde_json::json!(["onboarding", "safety"]));
    assert_eq!(p["cover"], pcover.as_str());
    let section = p["sections"][0]["id"]
        .as_i64()
        .unwrap_or_default()
        .to_string();
    let link = [
        ("playlist", ids.as_str()),
        ("section", section.as_str()),
        ("url", "https://example.com/back-care"),
        ("link_title", "Back care basics"),
    ];
    ok(app.call(&author, "playlists/add_link", &link).await?).await?;
    ok(app
        .call(
            &author,
            "playlists/publish",
            &[("playlist", ids.as_str()), ("publish", "true")],
        )
        .await?)
    .await?;
    assert_eq!(lee.get(app.url(&pcover)).send().await?.status(), 200);

    // The catalog filters by tag.
    let found = ok(app
        .get(&lee, "playlists/list", &[("q", ""), ("tag", "Onboarding")])
        .await?)
    .await?;
    assert_eq!(found["playlists"][0]["title"], "Safe at work");
    assert_eq!(
        found["playlists"][0]["tags"],
        serde_json::json!(["onboarding", "safety"])
    );
    let none = ok(app
        .get(&lee, "playlists/list", &[("q", ""), ("tag", "cooking")])
        .await?)
    .await?;
    assert_eq!(none["playlists"].as_array().map(Vec::len), Some(0));

    // A copy keeps the tags (and starts without a cover).
    let copy = app
        .call(&author, "playlists/fork", &[("playlist", ids.as_str())])
        .await?;
    let copy = ok(copy).await?.as_i64().unwrap_or_default().to_string();
    let p = ok(app.get(&author, "playlists/get", &[("id", &copy)]).await?).await?;
    assert_eq!(p["tags"], serde_json::json!(["onboarding", "safety"]));
    assert!(p["cover"].is_null());
    app.finish().await;
    Ok(())
}

crate::on_both_backends!(
    lesson_files_are_checked_played_and_guarded,
    covers_and_playlist_tags,
);
