//! Spaces and walls: every permission rule, on SQLite and on PostgreSQL, tried as a member, as
//! a signed-in non-member and as a signed-out visitor.

use crate::common::{field_message, field_value, Backend, TestApp, TestResult};
use serde_json::Value;

type Client = reqwest::Client;

async fn start(b: Backend) -> Result<Option<TestApp>, String> {
    TestApp::spawn(b, |_| {}).await
}

async fn create(
    app: &TestApp,
    c: &Client,
    slug: &str,
    visibility: &str,
    policy: &str,
) -> Result<u16, reqwest::Error> {
    let res = app.create_space(c, slug, visibility, policy).await?;
    Ok(res.status().as_u16())
}

async fn post(
    app: &TestApp,
    c: &Client,
    slug: &str,
    body: &str,
) -> Result<reqwest::Response, reqwest::Error> {
    app.call(c, "walls/post", &[("slug", slug), ("body", body)])
        .await
}

async fn wall(app: &TestApp, c: &Client, slug: &str) -> Result<reqwest::Response, reqwest::Error> {
    app.get(c, "walls/space", &[("slug", slug), ("before", "")])
        .await
}

async fn directory(
    app: &TestApp,
    c: &Client,
    q: &str,
) -> Result<Vec<String>, Box<dyn std::error::Error + Send + Sync>> {
    let res = app
        .get(c, "spaces/list", &[("q", q), ("filter", ""), ("after", "")])
        .await?;
    let body: Value = res.json().await?;
    Ok(body["spaces"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s["slug"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default())
}

async fn creating_checks_every_field(b: Backend) -> TestResult {
    let Some(app) = start(b).await? else {
        return Ok(());
    };
    let ana = app.person("Ana").await?;
    let bad = [
        ("name", "x"),
        ("slug", "Bad Slug"),
        ("description", ""),
        ("visibility", "everyone"),
        ("join_policy", "maybe"),
        ("parent", "nowhere"),
    ];
    let res = app.call(&ana, "spaces/create", &bad).await?;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await?;
    for field in ["name", "slug", "visibility", "join_policy", "parent"] {
        assert!(field_message(&body, field).is_some(), "{field}: {body}");
    }
    assert_eq!(create(&app, &ana, "guild", "public", "open").await?, 200);
    assert_eq!(
        create(&app, &ana, "guild", "public", "open").await?,
        409,
        "taken slug"
    );
    // A sub-space of a space one belongs to shows its parent in the breadcrumb.
    let sub = [
        ("name", "Sub guild"),
        ("slug", ""),
        ("description", ""),
        ("visibility", "public"),
        ("join_policy", "open"),
        ("parent", "guild"),
    ];
    assert_eq!(app.call(&ana, "spaces/create", &sub).await?.status(), 200);
    let view: Value = app
        .get(&ana, "spaces/get", &[("slug", "sub-guild")])
        .await?
        .json()
        .await?;
    assert_eq!(view["breadcrumb"][0][0], "guild");
    assert_eq!(view["summary"]["my_role"], "Owner");

    let visitor = app.new_client()?;
    assert_eq!(create(&app, &visitor, "mine", "public", "open").await?, 401);
    app.finish().await;
    Ok(())
}

async fn public_spaces_are_open_to_everyone_signed_in(b: Backend) -> TestResult {
    let Some(app) = start(b).await? else {
        return Ok(());
    };
    let ana = app.person("Ana").await?;
    let bo = app.person("Bo").await?;
    create(&app, &ana, "rust-guild", "public", "open").await?;
    assert_eq!(
        post(&app, &ana, "rust-guild", "Hello **guild**")
            .await?
            .status(),
        200
    );

    assert_eq!(directory(&app, &bo, "rust").await?, vec!["rust-guild"]);
    let page: Value = wall(&app, &bo, "rust-guild").await?.json().await?;
    assert_eq!(
        page["posts"][0]["body_html"],
        "<p>Hello <strong>guild</strong></p>\n"
    );
    assert_eq!(page["can_post"], false, "readers must join to post");
    assert_eq!(post(&app, &bo, "rust-guild", "me too").await?.status(), 403);

    assert_eq!(
        app.call(&bo, "spaces/join", &[("slug", "rust-guild")])
            .await?
            .status(),
        200
    );
    assert_eq!(post(&app, &bo, "rust-guild", "me too").await?.status(), 200);
    let view: Value = app
        .get(&bo, "spaces/get", &[("slug", "rust-guild")])
        .await?
        .json()
        .await?;
    assert_eq!(view["summary"]["member_count"], 2);

    // Signed-out visitors see nothing at all.
    let visitor = app.new_client()?;
    assert_eq!(
        app.get(
            &visitor,
            "spaces/list",
            &[("q", ""), ("filter", ""), ("after", "")]
        )
        .await?
        .status(),
        401
    );
    assert_eq!(wall(&app, &visitor, "rust-guild").await?.status(), 401);
    assert_eq!(
        app.get(&visitor, "spaces/get", &[("slug", "rust-guild")])
            .await?
            .status(),
        401
    );
    app.finish().await;
    Ok(())
}

/// The post ids on a wall as `c` sees it.
async fn post_ids(
    app: &TestApp,
    c: &Client,
    slug: &str,
) -> Result<Vec<i64>, Box<dyn std::error::Error + Send + Sync>> {
    let page: Value = wall(app, c, slug).await?.json().await?;
    Ok(page["posts"]
        .as_array()
        .map(|a| a.iter().filter_map(|p| p["id"].as_i64()).collect())
        .unwrap_or_default())
}

async fn private_content_is_for_members_and_requests_need_approval(b: Backend) -> TestResult {
    let Some(app) = start(b).await? else {
        return Ok(());
    };
    let ana = app.person("Ana").await?;
    let bo = app.person("Bo").await?;
    create(&app, &ana, "leadership", "private", "request").await?;
    let id: i64 = post(&app, &ana, "leadership", "Only for us")
        .await?
        .json()
        .await?;
    let id_text = id.to_string();

    // Listed, but the content is closed to a non-member, by every path.
    assert_eq!(directory(&app, &bo, "").await?, vec!["leadership"]);
    let view: Value = app
        .get(&bo, "spaces/get", &[("slug", "leadership")])
        .await?
        .json()
        .await?;
    assert_eq!(view["can_read"], false);
    assert_eq!(wall(&app, &bo, "leadership").await?.status(), 403);
    let members: Value = app
        .get(&bo, "spaces/members", &[("slug", "leadership")])
        .await?
        .json()
        .await?;
    assert_eq!(members, serde_json::json!([]));
    let by_id = [
        ("post_id", id_text.as_str()),
        ("parent_id", ""),
        ("body", "sneaky"),
    ];
    assert_eq!(app.call(&bo, "walls/comment", &by_id).await?.status(), 404);
    let react = [("post_id", id_text.as_str()), ("kind", "like")];
    assert_eq!(app.call(&bo, "walls/react", &react).await?.status(), 404);
    assert_eq!(
        app.call(&bo, "walls/delete", &[("post_id", id_text.as_str())])
            .await?
            .status(),
        404
    );
    assert_eq!(
        app.get(&bo, "spaces/requests", &[("slug", "leadership")])
            .await?
            .status(),
        403
    );

    // Bo asks; only a moderator decides.
    let joined: Value = app
        .call(&bo, "spaces/join", &[("slug", "leadership")])
        .await?
        .json()
        .await?;
    assert_eq!(joined, false, "a request, not membership");
    let view: Value = app
        .get(&bo, "spaces/get", &[("slug", "leadership")])
        .await?
        .json()
        .await?;
    assert_eq!(view["request_pending"], true);
    let bo_id = app.me(&bo).await?["id"]
        .as_i64()
        .unwrap_or_default()
        .to_string();
    let approve = [
        ("slug", "leadership"),
        ("user_id", bo_id.as_str()),
        ("decision", "approve"),
    ];
    assert_eq!(
        app.call(&bo, "spaces/decide_request", &approve)
            .await?
            .status(),
        403
    );
    let waiting: Value = app
        .get(&ana, "spaces/requests", &[("slug", "leadership")])
        .await?
        .json()
        .await?;
    assert_eq!(waiting[0]["display_name"], "Bo");
    assert_eq!(
        app.call(&ana, "spaces/decide_request", &approve)
            .await?
            .status(),
        200
    );

    assert_eq!(post_ids(&app, &bo, "leadership").await?, vec![id]);
    assert_eq!(app.call(&bo, "walls/comment", &by_id).await?.status(), 200);

    // After leaving, the content is closed again.
    assert_eq!(
        app.call(&bo, "spaces/leave", &[("slug", "leadership")])
            .await?
            .status(),
        200
    );
    assert_eq!(wall(&app, &bo, "leadership").await?.status(), 403);
    // The only owner cannot leave.
    assert_eq!(
        app.call(&ana, "spaces/leave", &[("slug", "leadership")])
            .await?
            .status(),
        409
    );
    app.finish().await;
    Ok(())
}

async fn secret_spaces_do_not_exist_for_outsiders(b: Backend) -> TestResult {
    let Some(app) = start(b).await? else {
        return Ok(());
    };
    let ana = app.person("Ana").await?;
    let bo = app.person("Bo").await?;
    create(&app, &ana, "skunkworks", "secret", "invite").await?;
    let id: i64 = post(&app, &ana, "skunkworks", "Project X")
        .await?
        .json()
        .await?;
    let id_text = id.to_string();
    assert_eq!(directory(&app, &ana, "skunk").await?, vec!["skunkworks"]);

    assert!(directory(&app, &bo, "").await?.is_empty());
    assert!(directory(&app, &bo, "skunk").await?.is_empty());
    assert_eq!(
        app.get(&bo, "spaces/get", &[("slug", "skunkworks")])
            .await?
            .status(),
        404
    );
    assert_eq!(wall(&app, &bo, "skunkworks").await?.status(), 404);
    assert_eq!(post(&app, &bo, "skunkworks", "hi").await?.status(), 404);
    assert_eq!(
        app.call(&bo, "spaces/join", &[("slug", "skunkworks")])
            .await?
            .status(),
        404
    );
    let by_id = [
        ("post_id", id_text.as_str()),
        ("parent_id", ""),
        ("body", "found you"),
    ];
    assert_eq!(app.call(&bo, "walls/comment", &by_id).await?.status(), 404);
    let react = [("post_id", id_text.as_str()), ("kind", "like")];
    assert_eq!(app.call(&bo, "walls/react", &react).await?.status(), 404);
    // A sub-space cannot be hung under it from outside either.
    let sub = [
        ("name", "Inside"),
        ("slug", "inside"),
        ("description", ""),
        ("visibility", "public"),
        ("join_policy", "open"),
        ("parent", "skunkworks"),
    ];
    assert_eq!(app.call(&bo, "spaces/create", &sub).await?.status(), 422);

    let visitor = app.new_client()?;
    assert_eq!(
        app.get(&visitor, "spaces/get", &[("slug", "skunkworks")])
            .await?
            .status(),
        401
    );
    app.finish().await;
    Ok(())
}

async fn comments_reactions_and_deletion_follow_the_roles(b: Backend) -> TestResult {
    let Some(app) = start(b).await? else {
        return Ok(());
    };
    let ana = app.person("Ana").await?;
    let bo = app.person("Bo").await?;
    let cy = app.person("Cy").await?;
    create(&app, &ana, "guild", "public", "open").await?;
    for c in [&bo, &cy] {
        app.call(c, "spaces/join", &[("slug", "guild")]).await?;
    }
    let id: i64 = post(&app, &bo, "guild", "Bo's post").await?.json().await?;
    let id_text = id.to_string();

    let first: i64 = app
        .call(
            &cy,
            "walls/comment",
            &[
                ("post_id", id_text.as_str()),
                ("parent_id", ""),
                ("body", "Nice"),
            ],
        )
        .await?
        .json()
        .await?;
    let first_text = first.to_string();
    let reply = [
        ("post_id", id_text.as_str()),
        ("parent_id", first_text.as_str()),
        ("body", "Thanks"),
    ];
    let second: i64 = app.call(&bo, "walls/comment", &reply).await?.json().await?;
    let second_text = second.to_string();
    let too_deep = [
        ("post_id", id_text.as_str()),
        ("parent_id", second_text.as_str()),
        ("body", "deeper"),
    ];
    assert_eq!(
        app.call(&cy, "walls/comment", &too_deep).await?.status(),
        400
    );

    let like = [("post_id", id_text.as_str()), ("kind", "like")];
    assert_eq!(
        app.call(&cy, "walls/react", &like)
            .await?
            .json::<Value>()
            .await?,
        true
    );
    assert_eq!(
        app.call(&ana, "walls/react", &like)
            .await?
            .json::<Value>()
            .await?,
        true
    );
    assert_eq!(
        app.call(&ana, "walls/react", &like)
            .await?
            .json::<Value>()
            .await?,
        false,
        "toggled off"
    );
    let unknown = [("post_id", id_text.as_str()), ("kind", "angry")];
    assert_eq!(app.call(&cy, "walls/react", &unknown).await?.status(), 400);

    let page: Value = wall(&app, &cy, "guild").await?.json().await?;
    let p = &page["posts"][0];
    assert_eq!(p["comments"].as_array().map(Vec::len), Some(2));
    assert_eq!(p["comments"][1]["parent_id"].as_i64(), Some(first));
    assert_eq!(p["reactions"][0]["kind"], "Like");
    assert_eq!(p["reactions"][0]["count"], 1);
    assert_eq!(p["reactions"][0]["mine"], true);
    assert_eq!(p["can_delete"], false, "Cy is neither author nor moderator");

    // Delete: not by another member; by the owner (moderator) yes.
    let del = [("post_id", id_text.as_str())];
    assert_eq!(app.call(&cy, "walls/delete", &del).await?.status(), 403);
    assert_eq!(app.call(&ana, "walls/delete", &del).await?.status(), 200);
    assert!(post_ids(&app, &cy, "guild").await?.is_empty());

    // Every action left an activity record.
    let verbs: Vec<(String,)> = sqlx::query_as("SELECT verb FROM activities ORDER BY id")
        .fetch_all(&app.state.db.pool)
        .await?;
    let verbs: Vec<&str> = verbs.iter().map(|v| v.0.as_str()).collect();
    for verb in [
        "created",
        "joined",
        "posted",
        "commented",
        "reacted",
        "deleted",
    ] {
        assert!(verbs.contains(&verb), "{verb} in {verbs:?}");
    }
    app.finish().await;
    Ok(())
}

async fn posts_are_checked_rendered_safely_and_paged(b: Backend) -> TestResult {
    let Some(app) = start(b).await? else {
        return Ok(());
    };
    let ana = app.person("Ana").await?;
    create(&app, &ana, "guild", "public", "open").await?;
    let empty = post(&app, &ana, "guild", "   ").await?;
    assert_eq!(empty.status(), 422);
    assert_eq!(
        field_message(&empty.json().await?, "body").as_deref(),
        Some("Write something first.")
    );
    let huge = post(&app, &ana, "guild", &"x".repeat(100 * 1024)).await?;
    assert_eq!(huge.status(), 422);
    let body: Value = huge.json().await?;
    assert!(
        field_message(&body, "body").is_some_and(|m| m.contains("at most 20000")),
        "{body}"
    );

    post(
        &app,
        &ana,
        "guild",
        "<script>alert(1)</script>\n\n[site](https://example.com)",
    )
    .await?;
    let page: Value = wall(&app, &ana, "guild").await?.json().await?;
    let html = page["posts"][0]["body_html"].as_str().unwrap_or_default();
    assert!(!html.contains("<script"), "{html}");
    assert!(html.contains(r#"rel="nofollow noopener""#), "{html}");

    for i in 0..25 {
        post(&app, &ana, "guild", &format!("post {i}")).await?;
    }
    let first: Value = wall(&app, &ana, "guild").await?.json().await?;
    assert_eq!(first["posts"].as_array().map(Vec::len), Some(20));
    let next = first["next"].as_str().unwrap_or_default().to_owned();
    assert!(!next.is_empty());
    let second: Value = app
        .get(&ana, "walls/space", &[("slug", "guild"), ("before", &next)])
        .await?
        .json()
        .await?;
    assert_eq!(second["posts"].as_array().map(Vec::len), Some(6));
    assert!(second["next"].is_null());
    let last_of_first = first["posts"][19]["id"].as_i64().unwrap_or_default();
    let first_of_second = second["posts"][0]["id"].as_i64().unwrap_or_default();
    assert!(first_of_second < last_of_first, "newest first, no overlap");
    let junk = app
        .get(
            &ana,
            "walls/space",
            &[("slug", "guild"), ("before", "junk!")],
        )
        .await?;
    assert_eq!(junk.status(), 400);
    app.finish().await;
    Ok(())
}

async fn pages_never_leak_to_outsiders_and_work_without_javascript(b: Backend) -> TestResult {
    let Some(app) = start(b).await? else {
        return Ok(());
    };
    let ana = app.person("Ana").await?;
    let bo = app.person("Bo").await?;
    create(&app, &ana, "leadership", "private", "request").await?;
    create(&app, &ana, "skunkworks", "secret", "invite").await?;
    post(&app, &ana, "leadership", "Quarterly plans inside").await?;
    post(&app, &ana, "skunkworks", "Project X inside").await?;

    let page = |c: &Client, path: &str| c.get(app.url(path)).header("accept", "text/html").send();
    let directory = page(&bo, "/spaces").await?.text().await?;
    assert!(
        directory.contains("Space leadership"),
        "private spaces are listed"
    );
    assert!(!directory.contains("skunkworks") && !directory.contains("Space skunkworks"));

    let private = page(&bo, "/s/leadership").await?;
    assert_eq!(private.status(), 200);
    let html = private.text().await?;
    assert!(html.contains("for members only") && html.contains("Request to join"));
    assert!(
        !html.contains("Quarterly plans inside"),
        "no post text for non-members"
    );

    let secret = page(&bo, "/s/skunkworks").await?;
    assert_eq!(secret.status(), 404);
    let html = secret.text().await?;
    assert!(!html.contains("Project X") && !html.contains("Space skunkworks"));

    let visitor = app.new_client()?;
    let out = page(&visitor, "/s/leadership").await?;
    assert_eq!(out.status(), 302);
    assert_eq!(
        out.headers().get("location").and_then(|v| v.to_str().ok()),
        Some("/sign-in?next=/s/leadership")
    );

    // Without JavaScript: a form post, a redirect back, the post on the page.
    let res = ana
        .post(app.url("/api/walls/post"))
        .header("accept", "text/html")
        .header("referer", app.url("/s/leadership"))
        .form(&[("slug", "leadership"), ("body", "Posted *without* scripts")])
        .send()
        .await?;
    assert_eq!(res.status(), 302);
    let html = page(&ana, "/s/leadership").await?.text().await?;
    assert!(
        html.contains("Posted <em>without</em> scripts"),
        "post rendered on the page"
    );
    assert!(
        html.contains("Requests to join"),
        "owners see the requests panel"
    );
    app.finish().await;
    Ok(())
}

async fn authors_edit_and_moderators_pin(b: Backend) -> TestResult {
    let Some(app) = start(b).await? else {
        return Ok(());
    };
    let ana = app.person("Ana").await?;
    let bo = app.person("Bo").await?;
    create(&app, &ana, "guild", "public", "open").await?;
    app.call(&bo, "spaces/join", &[("slug", "guild")]).await?;
    let old: i64 = post(&app, &bo, "guild", "first").await?.json().await?;
    post(&app, &ana, "guild", "second").await?;
    let old_text = old.to_string();

    let edit = |body: &'static str| [("post_id", old_text.as_str()), ("body", body)];
    assert_eq!(
        app.call(&ana, "walls/edit", &edit("not mine"))
            .await?
            .status(),
        403
    );
    assert_eq!(
        app.call(&bo, "walls/edit", &edit("  ")).await?.status(),
        422
    );
    assert_eq!(
        app.call(&bo, "walls/edit", &edit("first, *fixed*"))
            .await?
            .status(),
        200
    );

    let pin = |on: &'static str| [("post_id", old_text.as_str()), ("pinned", on)];
    assert_eq!(
        app.call(&bo, "walls/pin", &pin("true")).await?.status(),
        403,
        "members do not pin"
    );
    assert_eq!(
        app.call(&ana, "walls/pin", &pin("true")).await?.status(),
        200
    );
    let page: Value = wall(&app, &bo, "guild").await?.json().await?;
    assert_eq!(
        page["posts"][0]["id"].as_i64(),
        Some(old),
        "pinned first though older"
    );
    assert_eq!(page["posts"][0]["pinned"], true);
    assert_eq!(page["posts"][0]["edited"], true);
    assert_eq!(
        page["posts"][0]["body_html"],
        "<p>first, <em>fixed</em></p>\n"
    );
    assert_eq!(
        page["posts"][0]["body_md"], "first, *fixed*",
        "the author gets the source"
    );
    assert_eq!(
        page["posts"].as_array().map(Vec::len),
        Some(2),
        "no duplicate in the stream"
    );
    let ana_view: Value = wall(&app, &ana, "guild").await?.json().await?;
    assert!(ana_view["posts"][0]["body_md"].is_null(), "others do not");

    assert_eq!(
        app.call(&ana, "walls/pin", &pin("false")).await?.status(),
        200
    );
    let page: Value = wall(&app, &bo, "guild").await?.json().await?;
    assert_eq!(
        page["posts"][1]["id"].as_i64(),
        Some(old),
        "back in time order"
    );
    app.finish().await;
    Ok(())
}

async fn owners_archive_and_delete_spaces(b: Backend) -> TestResult {
    let Some(app) = start(b).await? else {
        return Ok(());
    };
    let ana = app.person("Ana").await?;
    let bo = app.person("Bo").await?;
    create(&app, &ana, "guild", "public", "open").await?;
    app.call(&bo, "spaces/join", &[("slug", "guild")]).await?;
    let id: i64 = post(&app, &bo, "guild", "before").await?.json().await?;
    let id_text = id.to_string();

    let archive = |on: &'static str| [("slug", "guild"), ("archived", on)];
    assert_eq!(
        app.call(&bo, "spaces/archive", &archive("true"))
            .await?
            .status(),
        403
    );
    assert_eq!(
        app.call(&ana, "spaces/archive", &archive("true"))
            .await?
            .status(),
        200
    );
    assert_eq!(
        post(&app, &bo, "guild", "after").await?.status(),
        409,
        "read-only"
    );
    let comment = [
        ("post_id", id_text.as_str()),
        ("parent_id", ""),
        ("body", "late"),
    ];
    assert_eq!(
        app.call(&bo, "walls/comment", &comment).await?.status(),
        409
    );
    let cy = app.person("Cy").await?;
    assert_eq!(
        app.call(&cy, "spaces/join", &[("slug", "guild")])
            .await?
            .status(),
        409
    );
    let page: Value = wall(&app, &cy, "guild").await?.json().await?;
    assert_eq!(
        page["posts"].as_array().map(Vec::len),
        Some(1),
        "still readable"
    );
    assert_eq!(
        app.call(&ana, "spaces/archive", &archive("false"))
            .await?
            .status(),
        200
    );
    assert_eq!(post(&app, &bo, "guild", "after").await?.status(), 200);

    let sub = [
        ("name", "Sub guild"),
        ("slug", "sub-guild"),
        ("description", ""),
        ("visibility", "public"),
        ("join_policy", "open"),
        ("parent", "guild"),
    ];
    app.call(&ana, "spaces/create", &sub).await?;
    let delete = |confirm: &'static str| [("slug", "guild"), ("confirm_name", confirm)];
    assert_eq!(
        app.call(&bo, "spaces/delete", &delete("Space guild"))
            .await?
            .status(),
        403
    );
    let wrong = app.call(&ana, "spaces/delete", &delete("guild")).await?;
    assert_eq!(wrong.status(), 422);
    assert!(field_message(&wrong.json().await?, "confirm_name")
        .is_some_and(|m| m.contains("Space guild")));
    assert_eq!(
        app.call(&ana, "spaces/delete", &delete("Space guild"))
            .await?
            .status(),
        409,
        "has a sub-space"
    );
    let sub_delete = [("slug", "sub-guild"), ("confirm_name", "Sub guild")];
    assert_eq!(
        app.call(&ana, "spaces/delete", &sub_delete).await?.status(),
        200
    );
    assert_eq!(
        app.call(&ana, "spaces/delete", &delete("Space guild"))
            .await?
            .status(),
        200
    );
    assert_eq!(
        app.get(&ana, "spaces/get", &[("slug", "guild")])
            .await?
            .status(),
        404
    );
    let (posts,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM posts")
        .fetch_one(&app.state.db.pool)
        .await?;
    assert_eq!(posts, 0, "its posts went with it");
    app.finish().await;
    Ok(())
}

async fn owners_set_roles_and_moderators_remove_members(b: Backend) -> TestResult {
    let Some(app) = start(b).await? else {
        return Ok(());
    };
    let ana = app.person("Ana").await?;
    let bo = app.person("Bo").await?;
    let cy = app.person("Cy").await?;
    let dee = app.person("Dee").await?;
    create(&app, &ana, "guild", "public", "open").await?;
    for c in [&bo, &cy, &dee] {
        app.call(c, "spaces/join", &[("slug", "guild")]).await?;
    }
    let id = |j: Value| j["id"].as_i64().unwrap_or_default().to_string();
    let (ana_id, bo_id, cy_id, dee_id) = (
        id(app.me(&ana).await?),
        id(app.me(&bo).await?),
        id(app.me(&cy).await?),
        id(app.me(&dee).await?),
    );
    let role = |user: &str, role: &str| {
        [
            ("slug", "guild".to_owned()),
            ("user_id", user.to_owned()),
            ("role", role.to_owned()),
        ]
    };
    let remove = |user: &str| [("slug", "guild".to_owned()), ("user_id", user.to_owned())];
    let call = |c: &Client, endpoint: &'static str, form: Vec<(&'static str, String)>| {
        let c = c.clone();
        let url = app.url(&format!("/api/{endpoint}"));
        async move {
            c.post(url)
                .form(&form)
                .send()
                .await
                .map(|r| r.status().as_u16())
        }
    };

    assert_eq!(
        call(&bo, "spaces/set_role", role(&cy_id, "moderator").to_vec()).await?,
        403,
        "members do not set roles"
    );
    assert_eq!(
        call(&bo, "spaces/remove_member", remove(&cy_id).to_vec()).await?,
        403,
        "members do not remove"
    );
    assert_eq!(
        call(&ana, "spaces/set_role", role(&bo_id, "king").to_vec()).await?,
        400
    );
    assert_eq!(
        call(&ana, "spaces/set_role", role(&bo_id, "moderator").to_vec()).await?,
        200
    );
    assert_eq!(
        call(&ana, "spaces/set_role", role(&dee_id, "moderator").to_vec()).await?,
        200
    );

    // A moderator removes a member, but not another moderator nor the owner, and sets no roles.
    assert_eq!(
        call(&bo, "spaces/remove_member", remove(&cy_id).to_vec()).await?,
        200
    );
    assert_eq!(post(&app, &cy, "guild", "still here?").await?.status(), 403);
    assert_eq!(
        call(&bo, "spaces/remove_member", remove(&dee_id).to_vec()).await?,
        403
    );
    assert_eq!(
        call(&bo, "spaces/remove_member", remove(&ana_id).to_vec()).await?,
        403
    );
    assert_eq!(
        call(&bo, "spaces/set_role", role(&bo_id, "owner").to_vec()).await?,
        403
    );
    // The owner removes a moderator.
    assert_eq!(
        call(&ana, "spaces/remove_member", remove(&dee_id).to_vec()).await?,
        200
    );

    // The last owner cannot step down; after handing over, she can.
    assert_eq!(
        call(&ana, "spaces/set_role", role(&ana_id, "member").to_vec()).await?,
        409
    );
    assert_eq!(
        call(&ana, "spaces/set_role", role(&bo_id, "owner").to_vec()).await?,
        200
    );
    assert_eq!(
        call(&ana, "spaces/set_role", role(&ana_id, "member").to_vec()).await?,
        200
    );
    let members: Value = app
        .get(&bo, "spaces/members", &[("slug", "guild")])
        .await?
        .json()
        .await?;
    assert_eq!(members[0]["person"]["display_name"], "Bo");
    assert_eq!(members[0]["role"], "Owner");
    let view: Value = app
        .get(&ana, "spaces/get", &[("slug", "guild")])
        .await?
        .json()
        .await?;
    assert_eq!(view["summary"]["member_count"], 2, "Ana and Bo remain");
    app.finish().await;
    Ok(())
}

async fn invitations_open_secret_spaces_to_the_invited_only(b: Backend) -> TestResult {
    let Some(app) = start(b).await? else {
        return Ok(());
    };
    let ana = app.person("Ana").await?;
    let bo = app.person("Bo Invited").await?;
    let cy = app.person("Cy").await?;
    create(&app, &ana, "skunkworks", "secret", "invite").await?;
    post(&app, &ana, "skunkworks", "Project X").await?;
    let bo_id = app.me(&bo).await?["id"]
        .as_i64()
        .unwrap_or_default()
        .to_string();

    // Only moderators search for and invite people.
    let search = [("slug", "skunkworks"), ("q", "invited")];
    assert_eq!(
        app.get(&cy, "spaces/invite_candidates", &search)
            .await?
            .status(),
        404,
        "secret to Cy"
    );
    let found: Value = app
        .get(&ana, "spaces/invite_candidates", &search)
        .await?
        .json()
        .await?;
    assert_eq!(found[0]["display_name"], "Bo Invited");
    assert_eq!(found.as_array().map(Vec::len), Some(1));
    // Part of an email address finds no one (it would give addresses away letter by letter);
    // the whole address finds its person.
    for (q, found) in [
        ("bo.inv", 0),
        ("@example.com", 0),
        ("BO.INVITED@example.com", 1),
    ] {
        let people: Value = app
            .get(
                &ana,
                "spaces/invite_candidates",
                &[("slug", "skunkworks"), ("q", q)],
            )
            .await?
            .json()
            .await?;
        assert_eq!(
            people.as_array().map(Vec::len),
            Some(found),
            "{q}: {people}"
        );
    }
    let invite = [("slug", "skunkworks"), ("user_id", bo_id.as_str())];
    assert_eq!(app.call(&cy, "spaces/invite", &invite).await?.status(), 404);
    assert_eq!(
        app.call(&ana, "spaces/invite", &invite).await?.status(),
        200
    );
    let again: Value = app
        .get(&ana, "spaces/invite_candidates", &search)
        .await?
        .json()
        .await?;
    assert_eq!(
        again,
        serde_json::json!([]),
        "the invited are not offered again"
    );

    // Bo now sees that the space exists, but not its content until he accepts.
    let mine: Value = app
        .get(&bo, "spaces/invitations", &[])
        .await?
        .json()
        .await?;
    assert_eq!(mine[0]["slug"], "skunkworks");
    let view: Value = app
        .get(&bo, "spaces/get", &[("slug", "skunkworks")])
        .await?
        .json()
        .await?;
    assert_eq!(view["invited"], true);
    assert_eq!(view["can_read"], false);
    assert_eq!(wall(&app, &bo, "skunkworks").await?.status(), 403);
    assert!(
        directory(&app, &cy, "skunk").await?.is_empty(),
        "still secret to others"
    );

    assert_eq!(
        app.call(&bo, "spaces/join", &[("slug", "skunkworks")])
            .await?
            .json::<Value>()
            .await?,
        true
    );
    assert_eq!(post_ids(&app, &bo, "skunkworks").await?.len(), 1);
    let mine: Value = app
        .get(&bo, "spaces/invitations", &[])
        .await?
        .json()
        .await?;
    assert_eq!(mine, serde_json::json!([]));

    // Declining removes the invitation, and the secret space is gone from view again.
    let cy_id = app.me(&cy).await?["id"]
        .as_i64()
        .unwrap_or_default()
        .to_string();
    let invite_cy = [("slug", "skunkworks"), ("user_id", cy_id.as_str())];
    assert_eq!(
        app.call(&ana, "spaces/invite", &invite_cy).await?.status(),
        200
    );
    assert_eq!(
        app.get(&cy, "spaces/get", &[("slug", "skunkworks")])
            .await?
            .status(),
        200
    );
    assert_eq!(
        app.call(&cy, "spaces/leave", &[("slug", "skunkworks")])
            .await?
            .status(),
        200
    );
    assert_eq!(
        app.get(&cy, "spaces/get", &[("slug", "skunkworks")])
            .await?
            .status(),
        404
    );
    assert_eq!(
        app.call(&ana, "spaces/invite", &invite).await?.status(),
        409,
        "already a member"
    );
    app.finish().await;
    Ok(())
}

async fn list(
    app: &TestApp,
    c: &Client,
    params: &[(&str, &str)],
) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
    let mut query = vec![("q", ""), ("filter", ""), ("after", "")];
    for (k, v) in params {
        query.retain(|(q, _)| q != k);
        query.push((k, v));
    }
    Ok(app.get(c, "spaces/list", &query).await?.json().await?)
}

fn slugs(dir: &Value) -> Vec<String> {
    dir["spaces"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s["slug"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

async fn create_tagged(
    app: &TestApp,
    c: &Client,
    slug: &str,
    visibility: &str,
    tags: &str,
) -> Result<reqwest::Response, reqwest::Error> {
    let name = format!("Space {slug}");
    let form = [
        ("name", name.as_str()),
        ("slug", slug),
        ("description", ""),
        ("visibility", visibility),
        ("join_policy", "open"),
        ("parent", ""),
        ("tags", tags),
    ];
    app.call(c, "spaces/create", &form).await
}

async fn directory_sorts_filters_and_topics(b: Backend) -> TestResult {
    let Some(app) = start(b).await? else {
        return Ok(());
    };
    let ana = app.person("Ana").await?;
    let bo = app.person("Bo").await?;
    let cy = app.person("Cy").await?;
    assert_eq!(
        create_tagged(&app, &ana, "alpha", "public", "Leadership, Coaching")
            .await?
            .status(),
        200
    );
    assert_eq!(
        create_tagged(&app, &ana, "beta", "private", "leadership")
            .await?
            .status(),
        200
    );
    assert_eq!(
        create_tagged(&app, &ana, "gamma", "public", "sales")
            .await?
            .status(),
        200
    );
    assert_eq!(
        create_tagged(&app, &ana, "delta", "secret", "leadership")
            .await?
            .status(),
        200
    );
    let bad = create_tagged(&app, &ana, "epsilon", "public", "ok, <bad>").await?;
    assert_eq!(bad.status(), 422);
    let body: Value = bad.json().await?;
    assert!(field_message(&body, "tags").is_some(), "{body}");
    // Alpha gets three members, gamma two.
    for c in [&bo, &cy] {
        app.call(c, "spaces/join", &[("slug", "alpha")]).await?;
    }
    app.call(&bo, "spaces/join", &[("slug", "gamma")]).await?;

    let by_members = list(&app, &bo, &[("sort", "members")]).await?;
    assert_eq!(slugs(&by_members)[..2], ["alpha", "gamma"], "{by_members}");
    let newest = list(&app, &bo, &[("sort", "new")]).await?;
    assert_eq!(
        slugs(&newest),
        ["gamma", "beta", "alpha"],
        "secret delta is never listed"
    );
    // A post makes its space the most recently active (times are in whole seconds).
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let posted = app
        .call(
            &ana,
            "walls/post",
            &[("slug", "beta"), ("body", "Fresh news")],
        )
        .await?;
    assert_eq!(posted.status(), 200);
    let active = list(&app, &bo, &[("sort", "active")]).await?;
    assert_eq!(slugs(&active)[0], "beta", "{active}");
    let topic = list(&app, &bo, &[("tag", "Leadership")]).await?;
    let mut found = slugs(&topic);
    found.sort();
    assert_eq!(
        found,
        ["alpha", "beta"],
        "the secret space hides from tag pages too"
    );
    assert!(topic["spaces"][0]["tags"]
        .as_array()
        .is_some_and(|t| t.contains(&Value::from("leadership"))));
    let public = list(&app, &bo, &[("filter", "public")]).await?;
    let mut found = slugs(&public);
    found.sort();
    assert_eq!(found, ["alpha", "gamma"]);
    let mine = list(&app, &cy, &[("filter", "mine")]).await?;
    assert_eq!(slugs(&mine), ["alpha"]);

    // Moderators change topics; members cannot.
    let retag = [("slug", "gamma"), ("tags", "sales, negotiation")];
    assert_eq!(app.call(&bo, "spaces/tags", &retag).await?.status(), 403);
    assert_eq!(app.call(&ana, "spaces/tags", &retag).await?.status(), 200);
    let space: Value = app
        .get(&bo, "spaces/get", &[("slug", "gamma")])
        .await?
        .json()
        .await?;
    assert_eq!(
        space["summary"]["tags"],
        serde_json::json!(["negotiation", "sales"])
    );
    let html = bo
        .get(app.url("/spaces?tag=leadership&sort=members"))
        .header("accept", "text/html")
        .send()
        .await?
        .text()
        .await?;
    assert!(
        html.contains("Space alpha")
            && !html.contains("Space delta")
            && !html.contains("Space gamma")
    );
    app.finish().await;
    Ok(())
}

async fn admins_can_limit_space_creation_to_authors(b: Backend) -> TestResult {
    let Some(app) = start(b).await? else {
        return Ok(());
    };
    let admin = app.person("Ada Admin").await?;
    let member = app.person("Mo Member").await?;
    let author = app.person("Au Thor").await?;
    sqlx::query("UPDATE users SET role = 'author' WHERE email = 'au.thor@example.com'")
        .execute(&app.state.db.pool)
        .await?;
    let make = |slug: &'static str| {
        [
            ("name", "A space"),
            ("slug", slug),
            ("description", ""),
            ("visibility", "public"),
            ("join_policy", "open"),
            ("parent", ""),
        ]
    };
    assert_eq!(
        app.call(&member, "spaces/create", &make("first"))
            .await?
            .status(),
        200
    );
    let limit = [("authors_only", "true")];
    assert_eq!(
        app.call(&member, "spaces/set-creation-policy", &limit)
            .await?
            .status(),
        403
    );
    assert_eq!(
        app.call(&admin, "spaces/set-creation-policy", &limit)
            .await?
            .status(),
        200
    );
    assert_eq!(
        app.call(&member, "spaces/create", &make("second"))
            .await?
            .status(),
        403
    );
    assert_eq!(
        app.call(&author, "spaces/create", &make("third"))
            .await?
            .status(),
        200
    );
    assert_eq!(
        app.call(&admin, "spaces/create", &make("fourth"))
            .await?
            .status(),
        200
    );
    let policy: Value = app
        .get(&member, "spaces/creation-policy", &[])
        .await?
        .json()
        .await?;
    assert_eq!(policy, serde_json::json!([false, true]));
    let html = member
        .get(app.url("/spaces"))
        .header("accept", "text/html")
        .send()
        .await?
        .text()
        .await?;
    assert!(!html.contains("Create a space") && html.contains("Authors create spaces"));
    let open = [("authors_only", "false")];
    assert_eq!(
        app.call(&admin, "spaces/set-creation-policy", &open)
            .await?
            .status(),
        200
    );
    assert_eq!(
        app.call(&member, "spaces/create", &make("fifth"))
            .await?
            .status(),
        200
    );
    app.finish().await;
    Ok(())
}

async fn covers_are_for_moderators_and_follow_visibility(b: Backend) -> TestResult {
    let Some(app) = start(b).await? else {
        return Ok(());
    };
    let ana = app.person("Ana").await?;
    let bo = app.person("Bo").await?;
    create(&app, &ana, "hidden", "secret", "invite").await?;
    let upload = |c: &Client, slug: &'static str| {
        let form = reqwest::multipart::Form::new().text("slug", slug).part(
            "cover",
            reqwest::multipart::Part::bytes(crate::common::png(900, 500)).file_name("c.png"),
        );
        c.post(app.url("/media/cover")).multipart(form).send()
    };
    assert_eq!(
        upload(&bo, "hidden").await?.status(),
        404,
        "outsiders cannot even find it"
    );
    let res = upload(&ana, "hidden").await?;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await?;
    let url = body["cover"].as_str().unwrap_or_default().to_owned();
    let res = ana.get(app.url(&url)).send().await?;
    assert_eq!(res.status(), 200);
    let img = image::load_from_memory(&res.bytes().await?)?;
    assert_eq!((img.width(), img.height()), (1200, 400));
    assert_eq!(
        bo.get(app.url(&url)).send().await?.status(),
        404,
        "no cover of a secret space"
    );
    let space: Value = app
        .get(&ana, "spaces/get", &[("slug", "hidden")])
        .await?
        .json()
        .await?;
    assert_eq!(space["summary"]["cover"], url.as_str());
    app.finish().await;
    Ok(())
}

async fn post_picture(
    app: &TestApp,
    c: &Client,
    slug: &str,
    body: &str,
    picture: Option<Vec<u8>>,
) -> Result<reqwest::Response, reqwest::Error> {
    let mut form = reqwest::multipart::Form::new()
        .text("wall", "space")
        .text("key", slug.to_owned())
        .text("body", body.to_owned());
    form = match picture {
        Some(bytes) => form.part(
            "picture",
            reqwest::multipart::Part::bytes(bytes).file_name("p.png"),
        ),
        None => form.part(
            "picture",
            reqwest::multipart::Part::bytes(Vec::new()).file_name(""),
        ),
    };
    c.post(app.url("/api/walls/post-with-picture"))
        .multipart(form)
        .send()
        .await
}

async fn posts_carry_pictures_only_members_see(b: Backend) -> TestResult {
    let Some(app) = start(b).await? else {
        return Ok(());
    };
    let ana = app.person("Ana").await?;
    let bo = app.person("Bo").await?;
    create(&app, &ana, "club", "private", "request").await?;

    let res = post_picture(
        &app,
        &ana,
        "club",
        "Our *board*",
        Some(crate::common::png(3000, 1000)),
    )
    .await?;
    assert_eq!(res.status(), 200, "{}", res.text().await?);
    let res = post_picture(&app, &ana, "club", "", Some(crate::common::png(40, 40))).await?;
    assert_eq!(res.status(), 200, "a picture alone is a post");
    let res = post_picture(&app, &ana, "club", "  ", None).await?;
    assert_eq!(res.status(), 422, "nothing at all is not");
    let res = post_picture(
        &app,
        &ana,
        "club",
        "keep me",
        Some(b"not an image".to_vec()),
    )
    .await?;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await?;
    assert!(
        field_message(&body, "picture").is_some_and(|m| m.contains("not a picture")),
        "{body}"
    );
    assert_eq!(
        field_value(&body, "body").as_deref(),
        Some("keep me"),
        "typed text kept"
    );
    assert_eq!(
        post_picture(&app, &bo, "club", "hi", Some(crate::common::png(10, 10)))
            .await?
            .status(),
        403
    );

    let page: Value = wall(&app, &ana, "club").await?.json().await?;
    assert_eq!(page["posts"].as_array().map(Vec::len), Some(2));
    let first = &page["posts"][1];
    assert!(first["body_html"]
        .as_str()
        .is_some_and(|h| h.contains("<em>board</em>")));
    let url = first["picture"].as_str().unwrap_or_default().to_owned();
    let res = ana.get(app.url(&url)).send().await?;
    assert_eq!(res.status(), 200);
    let img = image::load_from_memory(&res.bytes().await?)?;
    assert_eq!(
        (img.width(), img.height()),
        (1600, 533),
        "shrunk, shape kept"
    );
    assert_eq!(
        bo.get(app.url(&url)).send().await?.status(),
        404,
        "non-members: no such picture"
    );
    assert_eq!(
        app.new_client()?.get(app.url(&url)).send().await?.status(),
        401
    );

    // Without JavaScript the form comes back to the space page.
    let form = reqwest::multipart::Form::new()
        .text("wall", "space")
        .text("key", "club")
        .text("body", "From a plain form");
    let res = ana
        .post(app.url("/api/walls/post-with-picture"))
        .header("accept", "text/html")
        .header("referer", app.url("/s/club"))
        .multipart(form)
        .send()
        .await?;
    assert_eq!(res.status(), 302);

    let id = first["id"].as_i64().unwrap_or_default().to_string();
    assert_eq!(
        app.call(&ana, "walls/delete", &[("post_id", id.as_str())])
            .await?
            .status(),
        200
    );
    assert_eq!(
        ana.get(app.url(&url)).send().await?.status(),
        404,
        "gone with its post"
    );
    app.finish().await;
    Ok(())
}

crate::on_both_backends!(
    posts_carry_pictures_only_members_see,
    directory_sorts_filters_and_topics,
    admins_can_limit_space_creation_to_authors,
    covers_are_for_moderators_and_follow_visibility,
    invitations_open_secret_spaces_to_the_invited_only,
    owners_set_roles_and_moderators_remove_members,
    authors_edit_and_moderators_pin,
    owners_archive_and_delete_spaces,
    pages_never_leak_to_outsiders_and_work_without_javascript,
    creating_checks_every_field,
    public_spaces_are_open_to_everyone_signed_in,
    private_content_is_for_members_and_requests_need_approval,
    secret_spaces_do_not_exist_for_outsiders,
    comments_reactions_and_deletion_follow_the_roles,
    posts_are_checked_rendered_safely_and_paged,
);
