//! Limits on how fast and how much one person may write, search and upload, and on how much a
//! page loads: each on SQLite and on PostgreSQL.

use crate::common::{field_message, ok_json, search_query, Backend, TestApp, TestResult};
use serde_json::Value;

/// Posting past the pace is refused with 429, `Retry-After` and what was typed kept; other
/// people, searching and uploading are counted apart.
async fn writing_searching_and_uploading_are_paced_per_person(b: Backend) -> TestResult {
    let Some(app) = TestApp::spawn(b, |s| {
        s.write_limit_per_minute = Some(3);
        s.search_limit_per_minute = Some(2);
        s.upload_limit_per_minute = Some(1);
    })
    .await?
    else {
        return Ok(());
    };
    let ana = app.person("Ana").await?;
    let bo = app.person("Bo").await?;
    ok_json(app.create_space(&ana, "welding", "public", "open").await?).await?;
    ok_json(app.call(&bo, "spaces/join", &[("slug", "welding")]).await?).await?;
    for n in 0..3 {
        let body = format!("Post number {n}");
        let form = [("slug", "welding"), ("body", body.as_str())];
        ok_json(app.call(&ana, "walls/post", &form).await?).await?;
    }
    let form = [("slug", "welding"), ("body", "One too many")];
    let res = app.call(&ana, "walls/post", &form).await?;
    assert_eq!(res.status(), 429);
    let wait: u64 = res
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or_default();
    assert!((1..=20).contains(&wait), "Retry-After {wait}");
    let body: Value = res.json().await?;
    assert_eq!(
        crate::common::field_value(&body, "body").as_deref(),
        Some("One too many"),
        "{body}"
    );
    // Comments count as writing too; Bo's pace is his own.
    let first: Value = ok_json(
        app.get(&bo, "walls/space", &[("slug", "welding"), ("before", "")])
            .await?,
    )
    .await?;
    let post = first["posts"][0]["id"].to_string();
    let comment = [
        ("post_id", post.as_str()),
        ("parent_id", ""),
        ("body", "Nice"),
    ];
    assert_eq!(
        app.call(&ana, "walls/comment", &comment).await?.status(),
        429
    );
    ok_json(app.call(&bo, "walls/comment", &comment).await?).await?;

    // Searching: two, then a wait.
    for _ in 0..2 {
        ok_json(
            app.get(&bo, "search", &search_query("post", "", ""))
                .await?,
        )
        .await?;
    }
    let res = app
        .get(&bo, "search", &search_query("post", "", ""))
        .await?;
    assert_eq!(res.status(), 429);
    assert!(res.headers().contains_key("retry-after"));

    // Uploading: one picture, then a wait, before the second is even read.
    let upload = |bytes: Vec<u8>| {
        let part = reqwest::multipart::Part::bytes(bytes).file_name("me.png");
        let form = reqwest::multipart::Form::new().part("avatar", part);
        bo.post(app.url("/media/avatar")).multipart(form).send()
    };
    assert_eq!(upload(crate::common::png(64, 64)).await?.status(), 200);
    assert_eq!(upload(crate::common::png(64, 64)).await?.status(), 429);
    app.finish().await;
    Ok(())
}

/// One post mentions at most 20 people: more is refused at the field, with the text kept.
async fn a_post_mentions_at_most_twenty_people(b: Backend) -> TestResult {
    let Some(app) = TestApp::spawn(b, |_| {}).await? else {
        return Ok(());
    };
    let ana = app.person("Ana").await?;
    ok_json(app.create_space(&ana, "welding", "public", "open").await?).await?;
    let many: String = (0..21).map(|i| format!("@person{i} ")).collect();
    let form = [("slug", "welding"), ("body", many.as_str())];
    let res = app.call(&ana, "walls/post", &form).await?;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await?;
    let message = field_message(&body, "body").unwrap_or_default();
    assert!(message.contains("at most 20 people"), "{body}");
    assert_eq!(
        crate::common::field_value(&body, "body").as_deref(),
        Some(many.as_str())
    );
    let twenty: String = (0..20).map(|i| format!("@person{i} ")).collect();
    let form = [("slug", "welding"), ("body", twenty.as_str())];
    ok_json(app.call(&ana, "walls/post", &form).await?).await?;
    app.finish().await;
    Ok(())
}

/// A post with many comments shows its latest 100, the comments their replies answer, and how
/// many earlier ones are not shown.
async fn a_post_shows_its_latest_comments(b: Backend) -> TestResult {
    let Some(app) = TestApp::spawn(b, |_| {}).await? else {
        return Ok(());
    };
    let ana = app.person("Ana").await?;
    ok_json(app.create_space(&ana, "welding", "public", "open").await?).await?;
    let form = [("slug", "welding"), ("body", "Busy post")];
    let post = ok_json(app.call(&ana, "walls/post", &form).await?)
        .await?
        .as_i64()
        .unwrap_or_default();
    let (author,): (i64,) = sqlx::query_as("SELECT id FROM users LIMIT 1")
        .fetch_one(&app.state.db.pool)
        .await?;
    let db = &app.state.db.pool;
    let insert =
        "INSERT INTO comments (post_id, parent_id, author_id, body_md, body_html, created_at)
                  VALUES ($1, $2, $3, $4, $4, 1) RETURNING id";
    let (oldest,): (i64,) = sqlx::query_as(insert)
        .bind(post)
        .bind(None::<i64>)
        .bind(author)
        .bind("The oldest comment")
        .fetch_one(db)
        .await?;
    for n in 1..130 {
        sqlx::query(insert)
            .bind(post)
            .bind(None::<i64>)
            .bind(author)
            .bind(format!("Comment {n}"))
            .fetch_one(db)
            .await?;
    }
    sqlx::query(insert)
        .bind(post)
        .bind(Some(oldest))
        .bind(author)
        .bind("A late reply to the oldest")
        .fetch_one(db)
        .await?;
    let wall = ok_json(
        app.get(&ana, "walls/space", &[("slug", "welding"), ("before", "")])
            .await?,
    )
    .await?;
    let shown = &wall["posts"][0];
    let comments = shown["comments"].as_array().cloned().unwrap_or_default();
    // The latest 100 (the reply and 99 comments) and the comment the reply answers.
    assert_eq!(comments.len(), 101);
    assert_eq!(comments[0]["body_html"], "The oldest comment");
    assert_eq!(comments[100]["body_html"], "A late reply to the oldest");
    assert_eq!(shown["earlier_comments"], 131 - 101);
    let live = ok_json(
        app.get(&ana, "walls/post_live", &[("post_id", &post.to_string())])
            .await?,
    )
    .await?;
    assert_eq!(live["comments"].as_array().map(Vec::len), Some(101));
    assert_eq!(live["earlier_comments"], 30);
    app.finish().await;
    Ok(())
}

crate::on_both_backends!(
    writing_searching_and_uploading_are_paced_per_person,
    a_post_mentions_at_most_twenty_people,
    a_post_shows_its_latest_comments,
);
