//! Learning playlists, on SQLite and on PostgreSQL: building one (sections, courses, lessons,
//! discussions, external links), moving items, undo, visibility, publishing, following and
//! progress rolled up from courses and lessons, forking, sharing to a space, the catalog.

use crate::common::{field_message, ok_json as ok, Backend, TestApp, TestResult};
use serde_json::Value;

type Client = reqwest::Client;
type Res<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// A published course with one page lesson: (slug, lesson id).
async fn course(app: &TestApp, author: &Client, title: &str) -> Res<(String, i64)> {
    let (slug, _, lesson) = crate::common::course_with_page(app, author, title, "open").await?;
    ok(app
        .call(
            author,
            "courses/publish",
            &[("slug", &slug), ("publish", "true")],
        )
        .await?)
    .await?;
    Ok((slug, lesson))
}

async fn playlist(app: &TestApp, c: &Client, id: i64) -> Res<Value> {
    ok(app
        .get(c, "playlists/get", &[("id", &id.to_string())])
        .await?)
    .await
}

fn titles(p: &Value) -> Vec<String> {
    p["sections"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|s| s["items"].as_array().cloned().unwrap_or_default())
        .map(|i| i["title"].as_str().unwrap_or_default().to_owned())
        .collect()
}

fn item_id(p: &Value, title: &str) -> String {
    p["sections"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|s| s["items"].as_array().cloned().unwrap_or_default())
        .find(|i| i["title"] == title)
        .and_then(|i| i["id"].as_i64())
        .unwrap_or_default()
        .to_string()
}

async fn build_follow_and_complete(b: Backend) -> TestResult {
    let Some(app) = TestApp::spawn(b, |_| {}).await? else {
        return Ok(());
    };
    let author = app.person("Ada Author").await?;
    let lee = app.person("Lee Learner").await?;
    let (slug, lesson) = course(&app, &author, "Lifting at work").await?;

    // Members curate only when the site allows it.
    assert_eq!(
        app.call(&lee, "playlists/create", &[("title", "Mine")])
            .await?
            .status(),
        403
    );
    let res = app
        .call(&author, "playlists/create", &[("title", "x")])
        .await?;
    assert_eq!(res.status(), 422);
    let id = ok(app
        .call(&author, "playlists/create", &[("title", "Safe at work")])
        .await?)
    .await?;
    let id = id.as_i64().unwrap_or_default();
    let ids = id.to_string();
    let p = playlist(&app, &author, id).await?;
    let section = p["sections"][0]["id"]
        .as_i64()
        .unwrap_or_default()
        .to_string();
    // A draft is its owner's alone.
    assert_eq!(
        app.get(&lee, "playlists/get", &[("id", &ids)])
            .await?
            .status(),
        404
    );

    // Found by the inline search, then added.
    let found = ok(app
        .get(&author, "playlists/find", &[("q", "lifting")])
        .await?)
    .await?;
    let course_hit = found
        .as_array()
        .and_then(|f| f.iter().find(|x| x["kind"] == "Course"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(course_hit["title"], "Lifting at work");
    let course_ref = course_hit["ref_id"]
        .as_i64()
        .unwrap_or_default()
        .to_string();
    let add = [
        ("playlist", ids.as_str()),
        ("section", section.as_str()),
        ("kind", "course"),
        ("ref_id", course_ref.as_str()),
    ];
    ok(app.call(&author, "playlists/add_item", &add).await?).await?;
    let bad_link = [
        ("playlist", ids.as_str()),
        ("section", section.as_str()),
        ("url", "javascript:alert(1)"),
        ("link_title", ""),
        ("minutes", "lots"),
    ];
    let res = app.call(&author, "playlists/add_link", &bad_link).await?;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await?;
    assert!(field_message(&body, "url").is_some());
    assert!(field_message(&body, "link_title").is_some());
    assert!(field_message(&body, "minutes").is_some());
    let link = [
        ("playlist", ids.as_str()),
        ("section", section.as_str()),
        ("url", "https://example.com/back-care"),
        ("link_title", "Back care basics"),
        ("link_description", "A short read."),
        ("minutes", "10"),
    ];
    ok(app.call(&author, "playlists/add_link", &link).await?).await?;
    let lesson_ref = lesson.to_string();
    let add_lesson = [
        ("playlist", ids.as_str()),
        ("section", section.as_str()),
        ("kind", "lesson"),
        ("ref_id", lesson_ref.as_str()),
    ];
    ok(app.call(&author, "playlists/add_item", &add_lesson).await?).await?;
    let p = playlist(&app, &author, id).await?;
    assert_eq!(
        titles(&p),
        ["Lifting at work", "Back care basics", "Why it matters"]
    );

    // Moving the link to the top, then undoing it.
    let link_id = item_id(&p, "Back care basics");
    let mv = [
        ("playlist", ids.as_str()),
        ("item", link_id.as_str()),
        ("section", section.as_str()),
        ("position", "1"),
    ];
    assert_eq!(
        ok(app.call(&author, "playlists/move", &mv).await?).await?,
        1
    );
    let p = playlist(&app, &author, id).await?;
    assert_eq!(
        titles(&p),
        ["Back care basics", "Lifting at work", "Why it matters"]
    );
    assert_eq!(p["undo_label"], "the move");
    // Removing the lesson, undone: it comes back where it was.
    let lesson_item = item_id(&p, "Why it matters");
    ok(app
        .call(&author, "playlists/remove", &[("item", &lesson_item)])
        .await?)
    .await?;
    assert_eq!(titles(&playlist(&app, &author, id).await?).len(), 2);
    ok(app
        .call(&author, "playlists/undo", &[("playlist", &ids)])
        .await?)
    .await?;
    let p = playlist(&app, &author, id).await?;
    assert_eq!(
        titles(&p),
        ["Back care basics", "Lifting at work", "Why it matters"]
    );
    assert!(p["undo_label"].is_null());
    assert_eq!(
        app.call(&author, "playlists/undo", &[("playlist", &ids)])
            .await?
            .status(),
        409
    );
    // Others cannot change it.
    assert!(matches!(
        app.call(&lee, "playlists/move", &mv)
            .await?
            .status()
            .as_u16(),
        403 | 404
    ));

    // A second section; the lesson moves there.
    let s2 = ok(app
        .call(
            &author,
            "playlists/add_section",
            &[("playlist", &ids), ("section_title", "Going further")],
        )
        .await?)
    .await?;
    let s2 = s2.as_i64().unwrap_or_default().to_string();
    let mv = [
        ("playlist", ids.as_str()),
        ("item", lesson_item.as_str()),
        ("section", s2.as_str()),
        ("position", "1"),
    ];
    ok(app.call(&author, "playlists/move", &mv).await?).await?;
    let p = playlist(&app, &author, id).await?;
    assert_eq!(p["sections"][1]["items"][0]["title"], "Why it matters");

    // Publish; the learner follows and completes it.
    ok(app
        .call(
            &author,
            "playlists/publish",
            &[("playlist", &ids), ("publish", "true")],
        )
        .await?)
    .await?;
    ok(app
        .call(
            &lee,
            "playlists/follow",
            &[("playlist", &ids), ("follow", "true")],
        )
        .await?)
    .await?;
    let p = playlist(&app, &lee, id).await?;
    assert_eq!(p["following"], true);
    assert_eq!(p["follower_count"], 1);
    assert_eq!(
        (p["done_count"].as_i64(), p["item_count"].as_i64()),
        (Some(0), Some(3))
    );
    let p = playlist(&app, &lee, id).await?;
    let link_item = item_id(&p, "Back care basics");
    ok(app
        .call(
            &lee,
            "playlists/done",
            &[("item", &link_item), ("done", "true")],
        )
        .await?)
    .await?;
    // Removing the link and undoing it keeps Lee's mark.
    ok(app
        .call(&author, "playlists/remove", &[("item", &link_item)])
        .await?)
    .await?;
    ok(app
        .call(&author, "playlists/undo", &[("playlist", &ids)])
        .await?)
    .await?;
    assert_eq!(playlist(&app, &lee, id).await?["done_count"], 1);
    // The lesson, then the course, complete themselves.
    ok(app.call(&lee, "courses/enrol", &[("slug", &slug)]).await?).await?;
    ok(app
        .call(&lee, "courses/done", &[("lesson", &lesson.to_string())])
        .await?)
    .await?;
    let p = playlist(&app, &lee, id).await?;
    assert_eq!(p["done_count"], 3, "{p}");
    // The author's own progress is their own.
    assert_eq!(playlist(&app, &author, id).await?["done_count"], 0);

    // Space-only visibility.
    let form = [
        ("name", "Warehouse"),
        ("slug", "warehouse"),
        ("description", "Warehouse team"),
        ("visibility", "private"),
        ("join_policy", "open"),
        ("parent", ""),
    ];
    ok(app.call(&author, "spaces/create", &form).await?).await?;
    let details = [
        ("playlist", ids.as_str()),
        ("title", "Safe at work"),
        ("description", "For the warehouse."),
        ("visibility", "space"),
        ("space", "nowhere"),
    ];
    let res = app.call(&author, "playlists/details", &details).await?;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await?;
    assert!(field_message(&body, "space").is_some());
    let details = [
        ("playlist", ids.as_str()),
        ("title", "Safe at work"),
        ("description", "For the warehouse."),
        ("visibility", "space"),
        ("space", "warehouse"),
    ];
    ok(app.call(&author, "playlists/details", &details).await?).await?;
    assert_eq!(
        app.get(&lee, "playlists/get", &[("id", &ids)])
            .await?
            .status(),
        404
    );
    ok(app
        .call(&lee, "spaces/join", &[("slug", "warehouse")])
        .await?)
    .await?;
    let p = playlist(&app, &lee, id).await?;
    assert_eq!(p["description"], "For the warehouse.");

    // Shared to the space's wall; popular in Lee's spaces for others there.
    ok(app
        .call(
            &lee,
            "playlists/share",
            &[("playlist", &ids), ("space", "warehouse")],
        )
        .await?)
    .await?;
    let wall = ok(app
        .get(
            &author,
            "walls/space",
            &[("slug", "warehouse"), ("before", "")],
        )
        .await?)
    .await?;
    assert!(
        wall.to_string().contains(&format!("/playlists/{id}")),
        "{wall}"
    );
    let res = app
        .call(
            &lee,
            "playlists/share",
            &[("playlist", &ids), ("space", "elsewhere")],
        )
        .await?;
    assert_eq!(res.status(), 422);
    let catalog = ok(app.get(&author, "playlists/list", &[("q", "")]).await?).await?;
    assert_eq!(catalog["popular"][0]["title"], "Safe at work");
    let catalog = ok(app.get(&lee, "playlists/list", &[("q", "safe")]).await?).await?;
    assert_eq!(catalog["playlists"][0]["title"], "Safe at work");
    assert_eq!(catalog["may_curate"], false);

    // When the site lets members curate, Lee copies it to his own playlists.
    assert_eq!(
        app.call(&lee, "playlists/fork", &[("playlist", &ids)])
            .await?
            .status(),
        403
    );
    ok(app
        .call(&author, "playlists/curation", &[("everyone", "true")])
        .await?)
    .await?;
    let copy = ok(app
        .call(&lee, "playlists/fork", &[("playlist", &ids)])
        .await?)
    .await?;
    let copy = copy.as_i64().unwrap_or_default();
    let c = playlist(&app, &lee, copy).await?;
    assert_eq!(c["title"], "Safe at work (copy)");
    assert_eq!(c["mine"], true);
    assert_eq!(c["published"], false);
    assert_eq!(titles(&c), titles(&playlist(&app, &lee, id).await?));
    assert_eq!(c["forked_from"]["href"], format!("/playlists/{id}"));
    app.finish().await;
    Ok(())
}

crate::on_both_backends!(build_follow_and_complete);
