//! Profiles, status updates, follows, profile walls, @mentions and avatars, on SQLite and on
//! PostgreSQL; what a profile shows never includes what the viewer may not see.

use crate::common::{field_message, field_value, search_query, Backend, TestApp, TestResult};
use serde_json::Value;

type Client = reqwest::Client;

async fn start(b: Backend) -> Result<Option<TestApp>, String> {
    TestApp::spawn(b, |_| {}).await
}

async fn profile(
    app: &TestApp,
    c: &Client,
    handle: &str,
) -> Result<reqwest::Response, reqwest::Error> {
    app.get(c, "profiles/get", &[("handle", handle)]).await
}

async fn handle_of(app: &TestApp, c: &Client) -> Result<String, reqwest::Error> {
    Ok(app.me(c).await?["handle"]
        .as_str()
        .unwrap_or_default()
        .to_owned())
}

fn profile_form<'a>(overrides: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        ("display_name", "Ana Lima"),
        ("handle", "ana"),
        ("job_title", "Learning designer"),
        ("department", "People & Culture"),
        ("location", "Lisbon"),
        ("bio", "I design **courses**. <script>alert(1)</script>"),
        ("skills", "Facilitation, SQL, facilitation"),
        ("expertise", "Onboarding, Coaching"),
        (
            "links",
            "Blog https://ana.example/blog\nhttps://git.example/ana",
        ),
    ];
    for (k, v) in overrides {
        if let Some(slot) = form.iter_mut().find(|(f, _)| f == k) {
            slot.1 = v;
        }
    }
    form
}

async fn handles_are_unique_and_profiles_are_edited(b: Backend) -> TestResult {
    let Some(app) = start(b).await? else {
        return Ok(());
    };
    let ana = app.person("Ana").await?;
    let other_ana = app.new_client()?;
    let res = app
        .register(
            &other_ana,
            "Ana",
            "another.ana@example.com",
            "correct horse battery",
        )
        .await?;
    assert_eq!(res.status(), 200);
    let bo = app.person("Bo Chen").await?;
    assert_eq!(handle_of(&app, &ana).await?, "ana");
    let second = handle_of(&app, &other_ana).await?;
    assert!(second.starts_with("ana") && second != "ana", "{second}");
    assert_eq!(handle_of(&app, &bo).await?, "bo_chen");

    // Every bad field is reported at once, each keeping what was typed.
    let long_title = "x".repeat(101);
    let bad = profile_form(&[
        ("handle", "a!"),
        ("job_title", &long_title),
        ("links", "not a link"),
        ("skills", "ok, <b>"),
    ]);
    let res = app.call(&ana, "profiles/update", &bad).await?;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await?;
    for field in ["handle", "job_title", "links", "skills"] {
        assert!(field_message(&body, field).is_some(), "{field}: {body}");
    }
    assert_eq!(
        field_value(&body, "location").as_deref(),
        Some("Lisbon"),
        "{body}"
    );

    // A taken handle, in any case.
    let taken = profile_form(&[("handle", "@Bo_Chen")]);
    let res = app.call(&ana, "profiles/update", &taken).await?;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await?;
    assert!(
        field_message(&body, "handle").is_some_and(|m| m.contains("taken")),
        "{body}"
    );

    let res = app
        .call(&ana, "profiles/update", &profile_form(&[]))
        .await?;
    assert_eq!(res.status(), 200, "{}", res.text().await?);
    let p: Value = profile(&app, &bo, "ana").await?.json().await?;
    assert_eq!(p["person"]["display_name"], "Ana Lima");
    assert_eq!(p["person"]["job_title"], "Learning designer");
    assert_eq!(p["department"], "People & Culture");
    assert_eq!(p["skills"], serde_json::json!(["facilitation", "sql"]));
    assert_eq!(
        p["expertise"],
        serde_json::json!(["coaching", "onboarding"])
    );
    assert_eq!(p["links"][0]["url"], "https://ana.example/blog");
    assert_eq!(p["links"][1]["label"], "git.example/ana");
    let bio = p["bio_html"].as_str().unwrap_or_default();
    assert!(
        bio.contains("<strong>courses</strong>") && !bio.contains("<script"),
        "{bio}"
    );
    assert_eq!(p["is_me"], false);

    // The edit form gets the saved values back; unknown handles are 404; visitors sign in.
    let form: Value = app.get(&ana, "profiles/form", &[]).await?.json().await?;
    assert_eq!(form["skills"], "facilitation, sql");
    assert_eq!(profile(&app, &bo, "nobody_here").await?.status(), 404);
    let visitor = app.new_client()?;
    assert_eq!(profile(&app, &visitor, "ana").await?.status(), 401);
    let page = visitor
        .get(app.url("/u/ana"))
        .header("accept", "text/html")
        .send()
        .await?;
    assert_eq!(page.status(), 302);
    app.finish().await;
    Ok(())
}

async fn status_updates_and_follows(b: Backend) -> TestResult {
    let Some(app) = start(b).await? else {
        return Ok(());
    };
    let ana = app.person("Ana").await?;
    let bo = app.person("Bo").await?;
    let bo_handle = handle_of(&app, &bo).await?;

    let long = "x".repeat(281);
    let res = app
        .call(&ana, "profiles/status", &[("status", long.as_str())])
        .await?;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await?;
    assert!(field_message(&body, "status").is_some_and(|m| m.contains("280")));
    assert_eq!(
        field_value(&body, "status").as_deref(),
        Some(long.as_str()),
        "typed text kept"
    );
    let res = app
        .call(
            &ana,
            "profiles/status",
            &[("status", "Preparing the onboarding course")],
        )
        .await?;
    assert_eq!(res.status(), 200);
    let p: Value = profile(&app, &bo, "ana").await?.json().await?;
    assert_eq!(p["status"][0], "Preparing the onboarding course");
    assert_eq!(p["activity"][0]["text"], "Updated their status");

    let follow = |on: &'static str| [("handle", "ana"), ("follow", on)];
    assert_eq!(
        app.call(&bo, "profiles/follow", &follow("true"))
            .await?
            .status(),
        200
    );
    assert_eq!(
        app.call(&bo, "profiles/follow", &follow("true"))
            .await?
            .status(),
        200,
        "twice is fine"
    );
    let p: Value = profile(&app, &bo, "ana").await?.json().await?;
    assert_eq!(
        (p["followers"].as_i64(), p["followed"].as_bool()),
        (Some(1), Some(true))
    );
    let list: Value = app
        .get(
            &ana,
            "profiles/follows",
            &[("handle", "ana"), ("list", "followers"), ("after", "")],
        )
        .await?
        .json()
        .await?;
    assert_eq!(list["people"][0]["handle"], bo_handle.as_str());
    let list: Value = app
        .get(
            &ana,
            "profiles/follows",
            &[("handle", &bo_handle), ("list", "following"), ("after", "")],
        )
        .await?
        .json()
        .await?;
    assert_eq!(list["people"][0]["handle"], "ana");
    let html = bo
        .get(app.url(&format!("/u/{bo_handle}/following")))
        .header("accept", "text/html")
        .send()
        .await?
        .text()
        .await?;
    assert!(
        html.contains(r#"href="/u/ana""#),
        "following page lists Ana"
    );

    assert_eq!(
        app.call(&bo, "profiles/follow", &follow("false"))
            .await?
            .status(),
        200
    );
    let p: Value = profile(&app, &bo, "ana").await?.json().await?;
    assert_eq!(
        (p["followers"].as_i64(), p["followed"].as_bool()),
        (Some(0), Some(false))
    );
    let me = [("handle", bo_handle.as_str()), ("follow", "true")];
    assert_eq!(app.call(&bo, "profiles/follow", &me).await?.status(), 400);
    let ghost = [("handle", "ghost_person"), ("follow", "true")];
    assert_eq!(
        app.call(&bo, "profiles/follow", &ghost).await?.status(),
        404
    );
    let visitor = app.new_client()?;
    assert_eq!(
        app.call(&visitor, "profiles/follow", &follow("true"))
            .await?
            .status(),
        401
    );
    app.finish().await;
    Ok(())
}

async fn profile_walls_and_mentions(b: Backend) -> TestResult {
    let Some(app) = start(b).await? else {
        return Ok(());
    };
    let ana = app.person("Ana").await?;
    let bo = app.person("Bo").await?;
    let cy = app.person("Cy").await?;
    let bo_handle = handle_of(&app, &bo).await?;

    let on_ana = |body: &'static str| [("handle", "ana"), ("body", body)];
    let res = app
        .call(
            &bo,
            "walls/post-on-profile",
            &on_ana("Welcome @Ana, see @nobody_x"),
        )
        .await?;
    assert_eq!(res.status(), 200);
    let id: i64 = res.json().await?;
    let res = app
        .call(&bo, "walls/post-on-profile", &on_ana("   "))
        .await?;
    assert_eq!(res.status(), 422);

    let wall: Value = app
        .get(&cy, "walls/person", &[("handle", "ana"), ("before", "")])
        .await?
        .json()
        .await?;
    let html = wall["posts"][0]["body_html"].as_str().unwrap_or_default();
    assert!(
        html.contains(r#"<a href="/u/ana" rel="nofollow noopener">@Ana</a>"#),
        "{html}"
    );
    assert!(!html.contains("/u/nobody_x"), "only real people are linked");
    assert_eq!(wall["posts"][0]["author_handle"], bo_handle.as_str());
    assert_eq!(wall["can_post"], true);
    assert_eq!(wall["posts"][0]["can_pin"], false);

    let id_text = id.to_string();
    let thanks = format!("Thanks @{bo_handle}");
    let comment = [
        ("post_id", id_text.as_str()),
        ("parent_id", ""),
        ("body", thanks.as_str()),
    ];
    assert_eq!(
        app.call(&ana, "walls/comment", &comment).await?.status(),
        200
    );
    let pin = [("post_id", id_text.as_str()), ("pinned", "true")];
    assert_eq!(app.call(&ana, "walls/pin", &pin).await?.status(), 400);
    let del = [("post_id", id_text.as_str())];
    assert_eq!(
        app.call(&cy, "walls/delete", &del).await?.status(),
        403,
        "not Cy's wall or post"
    );
    assert_eq!(
        app.call(&ana, "walls/delete", &del).await?.status(),
        200,
        "the wall's owner moderates it"
    );

    // Mentions were recorded for the feeds: Bo mentioned Ana; Ana mentioned Bo.
    let (mentions,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM activities WHERE verb = 'mentioned'")
            .fetch_one(&app.state.db.pool)
            .await?;
    assert_eq!(mentions, 2);

    // Without JavaScript: a form post on the wall comes back to the profile.
    let res = cy
        .post(app.url("/api/walls/post-on-profile"))
        .header("accept", "text/html")
        .header("referer", app.url("/u/ana"))
        .form(&on_ana("Hello from a *form*"))
        .send()
        .await?;
    assert_eq!(res.status(), 302);
    let page = cy
        .get(app.url("/u/ana"))
        .header("accept", "text/html")
        .send()
        .await?
        .text()
        .await?;
    assert!(
        page.contains("Hello from a <em>form</em>"),
        "post shown on the profile"
    );
    // A handle typed as people write it finds the wall, and the post's search result links
    // to the wall by its real handle.
    let typed = [("handle", " @Ana"), ("body", "Our #onboarding notes")];
    let res = app.call(&bo, "walls/post-on-profile", &typed).await?;
    assert_eq!(res.status(), 200);
    let tagged: i64 = res.json().await?;
    let query = search_query("notes", "", "onboarding");
    let found: Value = app.get(&cy, "search", &query).await?.json().await?;
    assert_eq!(found["hits"][0]["url"], format!("/u/ana#post-{tagged}"));
    assert_eq!(found["hits"].as_array().map(Vec::len), Some(1));
    app.finish().await;
    Ok(())
}

async fn profiles_never_show_private_spaces_to_outsiders(b: Backend) -> TestResult {
    let Some(app) = start(b).await? else {
        return Ok(());
    };
    let ana = app.person("Ana").await?;
    let bo = app.person("Bo").await?;
    for (slug, visibility) in [
        ("open-guild", "public"),
        ("board", "private"),
        ("skunkworks", "secret"),
    ] {
        let name = format!("Space {slug}");
        let form = [
            ("name", name.as_str()),
            ("slug", slug),
            ("description", ""),
            ("visibility", visibility),
            ("join_policy", "invite"),
            ("parent", ""),
        ];
        assert_eq!(app.call(&ana, "spaces/create", &form).await?.status(), 200);
        let body = format!("Plans in {slug} for @bo");
        app.call(
            &ana,
            "walls/post",
            &[("slug", slug), ("body", body.as_str())],
        )
        .await?;
    }
    let seen: Value = profile(&app, &bo, "ana").await?.json().await?;
    let text = seen.to_string();
    assert!(text.contains("Space open-guild"), "{text}");
    assert!(
        !text.contains("board") && !text.contains("skunkworks"),
        "{text}"
    );
    let page = bo
        .get(app.url("/u/ana"))
        .header("accept", "text/html")
        .send()
        .await?
        .text()
        .await?;
    assert!(page.contains("Space open-guild"));
    assert!(!page.contains("Space board") && !page.contains("skunkworks"));
    let own: Value = profile(&app, &ana, "ana").await?.json().await?;
    assert_eq!(
        own["spaces"].as_array().map(Vec::len),
        Some(3),
        "Ana sees all of hers"
    );
    app.finish().await;
    Ok(())
}

/// A JPEG carrying an EXIF block with a marker that must not survive.
fn jpeg_with_exif(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_pixel(w, h, image::Rgb([10, 120, 200]));
    let mut plain = std::io::Cursor::new(Vec::new());
    let _ = img.write_to(&mut plain, image::ImageFormat::Jpeg);
    let plain = plain.into_inner();
    let mut exif = b"Exif\0\0II*\0\x08\0\0\0\0\0GPS-SECRET-MARKER".to_vec();
    let len = (exif.len() + 2) as u16;
    let mut out = vec![0xFF, 0xD8, 0xFF, 0xE1];
    out.extend_from_slice(&len.to_be_bytes());
    out.append(&mut exif);
    out.extend_from_slice(&plain[2..]);
    out
}

async fn upload(
    app: &TestApp,
    c: &Client,
    bytes: Vec<u8>,
    html: bool,
) -> Result<reqwest::Response, reqwest::Error> {
    let part = reqwest::multipart::Part::bytes(bytes).file_name("me.jpg");
    let form = reqwest::multipart::Form::new().part("avatar", part);
    let mut req = c.post(app.url("/media/avatar")).multipart(form);
    if html {
        req = req.header("accept", "text/html");
    }
    req.send().await
}

async fn avatars_are_resized_and_stripped(b: Backend) -> TestResult {
    let Some(app) = TestApp::spawn(b, |s| s.max_image_kb = Some(64)).await? else {
        return Ok(());
    };
    let ana = app.person("Ana").await?;
    let bo = app.person("Bo").await?;
    let res = upload(&app, &ana, jpeg_with_exif(400, 300), false).await?;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await?;
    let url = body["avatar"].as_str().unwrap_or_default().to_owned();
    assert!(url.starts_with("/media/avatar/"), "{body}");

    let res = bo.get(app.url(&url)).send().await?;
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "image/jpeg");
    let bytes = res.bytes().await?;
    assert!(
        !bytes.windows(10).any(|w| w == b"GPS-SECRET"),
        "EXIF is gone"
    );
    let img = image::load_from_memory(&bytes)?;
    assert_eq!((img.width(), img.height()), (256, 256));
    let p: Value = profile(&app, &bo, "ana").await?.json().await?;
    assert_eq!(p["avatar_large"], url.as_str());
    assert_eq!(
        app.new_client()?.get(app.url(&url)).send().await?.status(),
        401
    );

    // Not a picture; too large (64 KiB here); errors come back to the form without JavaScript.
    let res = upload(&app, &ana, b"just some text".to_vec(), false).await?;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await?;
    assert!(field_message(&body, "avatar").is_some_and(|m| m.contains("not a picture")));
    let res = upload(&app, &ana, vec![0xFF; 200 * 1024], false).await?;
    assert!(
        matches!(res.status().as_u16(), 413 | 422),
        "{}",
        res.status()
    );
    // A small file claiming 12,000 by 12,000 pixels (over 500 MB decoded) is refused from its
    // header, with the reason; so is one just over the pixel budget.
    for (w, h) in [(12_000, 12_000), (8_000, 8_000)] {
        let res = upload(&app, &ana, crate::common::png_claiming(w, h), false).await?;
        assert_eq!(res.status(), 422);
        let body: Value = res.json().await?;
        let message = field_message(&body, "avatar").unwrap_or_default();
        assert!(message.contains("too many pixels"), "{message}");
    }
    let res = upload(&app, &ana, b"nope".to_vec(), true).await?;
    assert_eq!(res.status(), 303);
    let to = res.headers()["location"].to_str()?;
    assert!(to.starts_with("/profile/edit?avatar_error="), "{to}");
    let p: Value = profile(&app, &bo, "ana").await?.json().await?;
    assert_eq!(
        p["avatar_large"],
        url.as_str(),
        "the saved picture stays after a bad upload"
    );

    let remove = reqwest::multipart::Form::new().text("remove", "true");
    let res = ana
        .post(app.url("/media/avatar"))
        .multipart(remove)
        .send()
        .await?;
    assert_eq!(res.status(), 200);
    let p: Value = profile(&app, &bo, "ana").await?.json().await?;
    assert!(p["avatar_large"].is_null());
    app.finish().await;
    Ok(())
}

crate::on_both_backends!(
    handles_are_unique_and_profiles_are_edited,
    status_updates_and_follows,
    profile_walls_and_mentions,
    profiles_never_show_private_spaces_to_outsiders,
    avatars_are_resized_and_stripped,
);
