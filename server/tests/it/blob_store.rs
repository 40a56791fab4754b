//! The blob store behind uploads, on SQLite and on PostgreSQL: lesson files and packages
//! stream into it, replacing or removing a file deletes its objects, refused and oversized
//! uploads leave nothing behind (no object, no staging file), and files an older version kept
//! in the database move out on start, resumably.

use crate::common::{ok_json as ok, Backend, TestApp, TestResult};
use crate::course_files::{add_lesson, mp4, upload};
use crate::courses::{course, good_package, upload as upload_package};
use reqwest::multipart::Form;
use serde_json::Value;

type Res<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

async fn objects(app: &TestApp) -> Res<usize> {
    Ok(app.state.blobs.count().await?)
}

fn staging_files(app: &TestApp) -> Res<usize> {
    Ok(std::fs::read_dir(app.db.blob_dir().join("staging"))?.count())
}

async fn uploads_stream_in_and_leave_nothing_behind(b: Backend) -> TestResult {
    let Some(app) = TestApp::spawn(b, |s| s.max_package_mb = Some(1)).await? else {
        return Ok(());
    };
    let author = app.person("Ada Author").await?;
    let (slug, _, package) = course(&app, &author, "Lifting at work", "open").await?;
    let module = ok(app
        .get(&author, "courses/editor", &[("slug", &slug)])
        .await?)
    .await?["modules"][0]["id"]
        .to_string();
    let video = add_lesson(&app, &author, &slug, &module, "Watch the lift", "video").await?;
    assert_eq!(objects(&app).await?, 0);

    let first: Value = ok(upload(&app, &author, video, None, "lift.mp4", mp4()).await?).await?;
    assert_eq!(objects(&app).await?, 1);
    // A new video replaces the old one, object and all.
    let second: Value = ok(upload(&app, &author, video, None, "lift.mp4", mp4()).await?).await?;
    assert_ne!(first["url"], second["url"]);
    assert_eq!(objects(&app).await?, 1);
    // Refused for what it is, or for its size: nothing is kept.
    let res = upload(&app, &author, video, None, "a.mp4", b"<html>".to_vec()).await?;
    assert_eq!(res.status(), 422);
    let mut big = mp4();
    big.resize(1024 * 1024 + 1, 0);
    let res = upload(&app, &author, video, None, "big.mp4", big).await?;
    assert_eq!(res.status(), 422);
    assert!(res.text().await?.contains("1.0 MB"));
    assert_eq!(objects(&app).await?, 1);

    // A package: each of its files is an object; a new one replaces them; a refused one
    // leaves neither objects nor staging files.
    ok(upload_package(&app, &author, package, good_package()?).await?).await?;
    assert_eq!(objects(&app).await?, 3);
    ok(upload_package(&app, &author, package, good_package()?).await?).await?;
    assert_eq!(objects(&app).await?, 3);
    let res = upload_package(&app, &author, package, b"not a zip".to_vec()).await?;
    assert_eq!(res.status(), 422);
    assert_eq!(objects(&app).await?, 3);
    assert_eq!(staging_files(&app)?, 0);

    // Removing the video removes its object.
    let id = second["url"]
        .as_str()
        .unwrap_or_default()
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_owned();
    let res = author
        .post(app.url("/media/lesson-file"))
        .multipart(Form::new().text("remove", id))
        .send()
        .await?;
    assert_eq!(res.status(), 200);
    assert_eq!(objects(&app).await?, 2);
    // Deleting the package lesson deletes its files' objects.
    let lesson = package.to_string();
    ok(app
        .call(&author, "courses/delete_lesson", &[("lesson", &lesson)])
        .await?)
    .await?;
    assert_eq!(objects(&app).await?, 0);

    // What rows no longer name (deleted with a space, say, or left by a crash), and old
    // staging files, go in the sweep; what rows name stays.
    ok(upload(&app, &author, video, None, "lift.mp4", mp4()).await?).await?;
    app.state
        .blobs
        .put_bytes("lesson-files/orphan", b"nobody")
        .await?;
    std::fs::write(
        app.db.blob_dir().join("staging").join("package.zip-left"),
        b"zip",
    )?;
    let swept =
        app::server::courses::stored::sweep(&app.state.db, &app.state.blobs, Default::default())
            .await?;
    assert_eq!(swept, 1);
    assert_eq!(objects(&app).await?, 1);
    assert_eq!(staging_files(&app)?, 0);
    app.finish().await;
    Ok(())
}

/// Files kept in the database by an older version move to the blob store and are served the
/// same; running the move again (a restart) changes nothing.
async fn files_in_the_database_move_out(b: Backend) -> TestResult {
    let Some(app) = TestApp::spawn(b, |_| {}).await? else {
        return Ok(());
    };
    let author = app.person("Ada Author").await?;
    let (slug, _, package) = course(&app, &author, "Lifting at work", "open").await?;
    ok(upload_package(&app, &author, package, good_package()?).await?).await?;
    let module = ok(app
        .get(&author, "courses/editor", &[("slug", &slug)])
        .await?)
    .await?["modules"][0]["id"]
        .to_string();
    let file_lesson = add_lesson(&app, &author, &slug, &module, "Checklist", "file").await?;
    let made: Value = ok(upload(
        &app,
        &author,
        file_lesson,
        None,
        "list.txt",
        b"one".to_vec(),
    )
    .await?)
    .await?;
    let url = made["url"].as_str().unwrap_or_default().to_owned();
    // As an older version kept them: bytes in the rows, no blob keys.
    let db = &app.state.db.pool;
    let old: Vec<u8> = (0..20_000_u32).map(|i| (i % 253) as u8).collect();
    sqlx::query("UPDATE lesson_files SET bytes = $1, size = $2, blob_key = NULL")
        .bind(&old)
        .bind(old.len() as i64)
        .execute(db)
        .await?;
    sqlx::query("UPDATE package_files SET bytes = $1, size = NULL, blob_key = NULL WHERE path = 'index.html'")
        .bind(b"<!doctype html><title>Old</title>".to_vec())
        .execute(db)
        .await?;
    let served = author.get(app.url(&url)).send().await?.bytes().await?;
    assert_eq!(served.to_vec(), old, "served from the database until moved");

    let moved = app::server::courses::stored::move_out(&app.state.db, &app.state.blobs).await?;
    assert_eq!(moved, 2);
    let (left,): (i64,) = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM lesson_files WHERE blob_key IS NULL OR LENGTH(bytes) > 0)
              + (SELECT COUNT(*) FROM package_files WHERE blob_key IS NULL OR LENGTH(bytes) > 0)",
    )
    .fetch_one(db)
    .await?;
    assert_eq!(left, 0);
    let res = author
        .get(app.url(&url))
        .header("range", "bytes=100-199")
        .send()
        .await?;
    assert_eq!(res.status(), 206);
    assert_eq!(res.bytes().await?.to_vec(), old[100..200].to_vec());
    let (size,): (i64,) =
        sqlx::query_as("SELECT size FROM package_files WHERE path = 'index.html'")
            .fetch_one(db)
            .await?;
    assert_eq!(size, 33);
    let again = app::server::courses::stored::move_out(&app.state.db, &app.state.blobs).await?;
    assert_eq!(again, 0);
    app.finish().await;
    Ok(())
}

crate::on_both_backends!(
    uploads_stream_in_and_leave_nothing_behind,
    files_in_the_database_move_out,
);
