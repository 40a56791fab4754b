//! Forums and blogs, on SQLite and on PostgreSQL: categories and moving threads, pinned
//! threads and keyset pages, editing and deleting topics and replies, blog articles from
//! draft through schedule to published, public articles read signed out and in the Atom
//! feed, comments, reactions, and who may follow a topic live.

use crate::common::{
    field_message, field_value, ok_json as ok, search_query, titles, Backend, TestApp, TestResult,
};
use app::server::policy::Viewer;
use serde_json::Value;

type Client = reqwest::Client;
type Res<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

async fn start(b: Backend) -> Result<Option<TestApp>, String> {
    TestApp::spawn(b, |_| {}).await
}

async fn space(app: &TestApp, c: &Client, slug: &str, visibility: &str) -> Res<()> {
    let form = [
        ("name", slug),
        ("slug", slug),
        ("description", "A place to work together"),
        ("visibility", visibility),
        ("join_policy", "open"),
        ("parent", ""),
    ];
    ok(app.call(c, "spaces/create", &form).await?).await?;
    Ok(())
}

async fn thread(app: &TestApp, c: &Client, space: &str, category: &str, title: &str) -> Res<i64> {
    let form = [
        ("kind", "thread"),
        ("space", space),
        ("category", category),
        ("title", title),
        ("body", "Let us talk about it."),
        ("tags", ""),
    ];
    let v = ok(app.call(c, "topics/create", &form).await?).await?;
    Ok(v.as_i64().ok_or("no topic id")?)
}

async fn forum(app: &TestApp, c: &Client, space: &str, category: &str, after: &str) -> Res<Value> {
    let q = [
        ("space", space),
        ("category", category),
        ("tag", ""),
        ("after", after),
    ];
    ok(app.get(c, "forums/get", &q).await?).await
}

async fn topic(app: &TestApp, c: &Client, id: i64) -> Res<reqwest::Response> {
    Ok(app.get(c, "topics/get", &[("id", &id.to_string())]).await?)
}

async fn handle(app: &TestApp, c: &Client) -> Res<String> {
    Ok(app.me(c).await?["handle"]
        .as_str()
        .unwrap_or_default()
        .to_owned())
}

async fn viewer(app: &TestApp, c: &Client) -> Res<Viewer> {
    let me = app.me(c).await?;
    let id = app::domain::ids::UserId(me["id"].as_i64().ok_or("no id")?);
    Ok(Viewer::signed_in(id, me["role"] == "Admin"))
}

/// An article as the editor sends it.
struct Article<'a> {
    id: i64,
    blog: &'a str,
    title: &'a str,
    status: &'a str,
    publish_at: &'a str,
    public: bool,
}

async fn save(app: &TestApp, c: &Client, a: &Article<'_>) -> Res<reqwest::Response> {
    let id = a.id.to_string();
    let form = [
        ("id", id.as_str()),
        ("blog", a.blog),
        ("title", a.title),
        (
            "body",
            "Onboarding starts with a **buddy** and a first small change.",
        ),
        ("tags", "onboarding, culture"),
        ("status", a.status),
        ("publish_at", a.publish_at),
        ("public", if a.public { "on" } else { "" }),
    ];
    Ok(app.call(c, "blogs/save", &form).await?)
}

async fn blog_titles(app: &TestApp, c: &Client, key: &str) -> Res<Vec<String>> {
    let b = ok(app
        .get(c, "blogs/get", &[("blog", key), ("after", "")])
        .await?)
    .await?;
    Ok(titles(&b["articles"]["items"]))
}

async fn search_urls(app: &TestApp, c: &Client, q: &str) -> Res<Vec<String>> {
    let query = search_query(q, "", "");
    let r = ok(app.get(c, "search", &query).await?).await?;
    Ok(r["hits"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|h| h["url"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default())
}

async fn forum_categories_and_moving(b: Backend) -> TestResult {
    let Some(app) = start(b).await? else {
        return Ok(());
    };
    let admin = app.person("Admin").await?;
    let ana = app.person("Ana").await?;
    let bo = app.person("Bo").await?;
    space(&app, &ana, "guild", "public").await?;
    ok(app.call(&bo, "spaces/join", &[("slug", "guild")]).await?).await?;

    // Moderators keep categories; members do not; names are checked and kept when refused.
    let add = |name: &'static str| [("space", "guild"), ("name", name), ("description", "")];
    let res = app.call(&bo, "forums/add_category", &add("Help")).await?;
    assert_eq!(res.status(), 403);
    ok(app.call(&ana, "forums/add_category", &add("Help")).await?).await?;
    ok(app
        .call(&ana, "forums/add_category", &add("Releases"))
        .await?)
    .await?;
    let res = app.call(&ana, "forums/add_category", &add("Help")).await?;
    assert_eq!(res.status(), 409);
    let res = app.call(&ana, "forums/add_category", &add("x")).await?;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await?;
    assert!(field_message(&body, "name").is_some(), "{body}");
    // The site forum's categories are the admins'.
    let site = [("space", ""), ("name", "General"), ("description", "")];
    assert_eq!(
        app.call(&bo, "forums/add_category", &site).await?.status(),
        403
    );
    ok(app.call(&admin, "forums/add_category", &site).await?).await?;

    let f = forum(&app, &bo, "guild", "", "").await?;
    let cats: Vec<(i64, String)> = f["categories"]
        .as_array()
        .ok_or("no categories")?
        .iter()
        .map(|c| {
            (
                c["id"].as_i64().unwrap_or_default(),
                c["name"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        cats.iter().map(|c| c.1.as_str()).collect::<Vec<_>>(),
        ["Help", "Releases"]
    );
    assert_eq!(f["title"], "Forum of guild");
    assert_eq!(f["moderates"], false);
    let (help, releases) = (cats[0].0.to_string(), cats[1].0.to_string());
    let general = forum(&app, &admin, "", "", "").await?["categories"][0]["id"]
        .as_i64()
        .ok_or("no site category")?
        .to_string();

    // A thread goes in one of its own forum's categories, not another forum's.
    let t = thread(&app, &bo, "guild", &help, "The build is red").await?;
    let wrong = [
        ("kind", "thread"),
        ("space", "guild"),
        ("category", general.as_str()),
        ("title", "Elsewhere"),
        ("body", "Where does this go?"),
        ("tags", ""),
    ];
    let res = app.call(&bo, "topics/create", &wrong).await?;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await?;
    assert!(field_message(&body, "category").is_some(), "{body}");
    assert_eq!(field_value(&body, "title").as_deref(), Some("Elsewhere"));
    let in_help = forum(&app, &bo, "guild", &help, "").await?;
    assert_eq!(titles(&in_help["topics"]["items"]), ["The build is red"]);
    assert_eq!(in_help["topics"]["items"][0]["category"], "Help");
    assert!(titles(&forum(&app, &bo, "guild", &releases, "").await?["topics"]["items"]).is_empty());

    // Moderators move threads between categories; members cannot.
    let tid = t.to_string();
    let to = |c: &str| [("topic", tid.clone()), ("category", c.to_owned())];
    let to_releases = to(&releases);
    let refs: Vec<(&str, &str)> = to_releases.iter().map(|(a, b)| (*a, b.as_str())).collect();
    assert_eq!(app.call(&bo, "topics/move", &refs).await?.status(), 403);
    ok(app.call(&ana, "topics/move", &refs).await?).await?;
    assert!(titles(&forum(&app, &bo, "guild", &help, "").await?["topics"]["items"]).is_empty());
    assert_eq!(
        titles(&forum(&app, &bo, "guild", &releases, "").await?["topics"]["items"]),
        ["The build is red"]
    );
    let to_general = to(&general);
    let refs: Vec<(&str, &str)> = to_general.iter().map(|(a, b)| (*a, b.as_str())).collect();
    assert_eq!(app.call(&ana, "topics/move", &refs).await?.status(), 422);

    // Removing a category keeps its threads.
    let rm = [("category", releases.as_str()), ("space", "guild")];
    assert_eq!(
        app.call(&bo, "forums/remove_category", &rm).await?.status(),
        403
    );
    ok(app.call(&ana, "forums/remove_category", &rm).await?).await?;
    let v: Value = topic(&app, &bo, t).await?.json().await?;
    assert_eq!(v["category"], Value::Null);
    assert_eq!(
        titles(&forum(&app, &bo, "guild", "", "").await?["topics"]["items"]),
        ["The build is red"]
    );
    app.finish().await;
    Ok(())
}

async fn forum_pages_pin_and_page_by_cursor(b: Backend) -> TestResult {
    let Some(app) = start(b).await? else {
        return Ok(());
    };
    let admin = app.person("Admin").await?;
    let bo = app.person("Bo").await?;
    let mut ids = Vec::new();
    for i in 0..35 {
        ids.push(thread(&app, &bo, "", "", &format!("Thread number {i:02}")).await?);
    }
    // Each has been active at its own second, oldest first.
    for (n, id) in ids.iter().enumerate() {
        sqlx::query("UPDATE topics SET last_activity_at = $1 WHERE id = $2")
            .bind(1_000_000 + n as i64)
            .bind(*id)
            .execute(&app.state.db.pool)
            .await?;
    }
    let pin = [("topic", ids[3].to_string()), ("action", "pin".into())];
    let refs: Vec<(&str, &str)> = pin.iter().map(|(a, b)| (*a, b.as_str())).collect();
    assert_eq!(app.call(&bo, "topics/moderate", &refs).await?.status(), 403);
    ok(app.call(&admin, "topics/moderate", &refs).await?).await?;

    let first = forum(&app, &bo, "", "", "").await?;
    let first_titles = titles(&first["topics"]["items"]);
    // The pinned thread heads the page, then the latest active.
    assert_eq!(first_titles[0], "Thread number 03");
    assert_eq!(first_titles[1], "Thread number 34");
    assert_eq!(first_titles.len(), 31);
    let cursor = first["topics"]["next"].as_str().ok_or("no next page")?;
    let second = forum(&app, &bo, "", "", cursor).await?;
    let second_titles = titles(&second["topics"]["items"]);
    assert_eq!(
        second_titles,
        [
            "Thread number 04",
            "Thread number 02",
            "Thread number 01",
            "Thread number 00"
        ]
    );
    assert_eq!(second["topics"]["next"], Value::Null);
    assert!(second_titles.iter().all(|t| !first_titles.contains(t)));
    // A cursor that was tampered with is refused plainly.
    let res = app
        .get(
            &bo,
            "forums/get",
            &[
                ("space", ""),
                ("category", ""),
                ("tag", ""),
                ("after", "zzz"),
            ],
        )
        .await?;
    assert_eq!(res.status(), 400);
    app.finish().await;
    Ok(())
}

async fn editing_and_deleting_topics_and_replies(b: Backend) -> TestResult {
    let Some(app) = start(b).await? else {
        return Ok(());
    };
    let _admin = app.person("Admin").await?;
    let ana = app.person("Ana").await?;
    let bo = app.person("Bo").await?;
    let cy = app.person("Cy").await?;
    let form = [
        ("kind", "question"),
        ("space", ""),
        ("title", "How do we rotate the signing keys?"),
        ("body", "Once a year, by hand?"),
        ("tags", "security"),
    ];
    let q = ok(app.call(&ana, "topics/create", &form).await?)
        .await?
        .as_i64()
        .ok_or("no id")?;
    let qs = q.to_string();
    let reply = [
        ("topic", qs.as_str()),
        ("body", "Use the vault's rotation job."),
        ("parent", ""),
    ];
    let a = ok(app.call(&bo, "topics/reply", &reply).await?)
        .await?
        .as_i64()
        .ok_or("no id")?;
    let a_s = a.to_string();

    // Only its author edits an answer; the text is checked and kept.
    let edit = |body: &'static str| [("reply", a_s.clone()), ("body", body.to_owned())];
    let e = edit("Use the vault's monthly rotation job.");
    let refs: Vec<(&str, &str)> = e.iter().map(|(x, y)| (*x, y.as_str())).collect();
    assert_eq!(
        app.call(&ana, "topics/edit_reply", &refs).await?.status(),
        403
    );
    ok(app.call(&bo, "topics/edit_reply", &refs).await?).await?;
    let e = edit("   ");
    let refs: Vec<(&str, &str)> = e.iter().map(|(x, y)| (*x, y.as_str())).collect();
    assert_eq!(
        app.call(&bo, "topics/edit_reply", &refs).await?.status(),
        422
    );
    let v: Value = topic(&app, &cy, q).await?.json().await?;
    assert_eq!(v["replies"][0]["edited"], true);
    assert!(v["replies"][0]["body_md"]
        .as_str()
        .unwrap_or_default()
        .contains("monthly"));

    // The asker edits the question; search follows, for its answers too.
    let change = [
        ("topic", qs.as_str()),
        ("title", "How do we rotate the HSM signing keys?"),
        ("body", "Once a year, by hand?"),
        ("tags", "security, hsm"),
    ];
    assert_eq!(app.call(&cy, "topics/edit", &change).await?.status(), 403);
    ok(app.call(&ana, "topics/edit", &change).await?).await?;
    let bad = [
        ("topic", qs.as_str()),
        ("title", "How?"),
        ("body", "x"),
        ("tags", ""),
    ];
    let res = app.call(&ana, "topics/edit", &bad).await?;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await?;
    assert!(field_message(&body, "tags").is_some(), "{body}");
    let found = search_urls(&app, &cy, "HSM").await?;
    assert!(found.contains(&format!("/t/{q}")), "{found:?}");
    assert!(found.contains(&format!("/t/{q}#reply-{a}")), "{found:?}");

    // An accepted answer that is deleted leaves the question unsolved.
    ok(app
        .call(&ana, "topics/accept", &[("reply", a_s.as_str())])
        .await?)
    .await?;
    assert_eq!(
        app.call(&cy, "topics/delete_reply", &[("reply", a_s.as_str())])
            .await?
            .status(),
        403
    );
    ok(app
        .call(&bo, "topics/delete_reply", &[("reply", a_s.as_str())])
        .await?)
    .await?;
    let v: Value = topic(&app, &cy, q).await?.json().await?;
    assert_eq!(v["solved"], false);
    assert_eq!(v["replies"].as_array().map(Vec::len), Some(0));
    assert!(!search_urls(&app, &cy, "rotation")
        .await?
        .iter()
        .any(|u| u.contains("#reply-")));

    // Deleting asks for confirmation, and only the author or a moderator may.
    let res = app
        .call(
            &ana,
            "topics/delete",
            &[("topic", qs.as_str()), ("confirm", "")],
        )
        .await?;
    assert_eq!(res.status(), 422);
    let yes = [("topic", qs.as_str()), ("confirm", "yes")];
    assert_eq!(app.call(&cy, "topics/delete", &yes).await?.status(), 403);
    let back = ok(app.call(&ana, "topics/delete", &yes).await?).await?;
    assert_eq!(back, "/questions");
    assert_eq!(topic(&app, &cy, q).await?.status(), 404);
    assert!(search_urls(&app, &cy, "HSM").await?.is_empty());

    // A space's moderator deletes a member's thread.
    space(&app, &ana, "ops", "public").await?;
    ok(app.call(&bo, "spaces/join", &[("slug", "ops")]).await?).await?;

    // Only members take part in a space's questions: an outsider cannot vote.
    let form = [
        ("kind", "question"),
        ("space", "ops"),
        ("title", "Who owns the pager rota?"),
        ("body", "Nobody seems to know."),
        ("tags", "oncall"),
    ];
    let oq = ok(app.call(&ana, "topics/create", &form).await?)
        .await?
        .as_i64()
        .ok_or("no id")?
        .to_string();
    let answer = [
        ("topic", oq.as_str()),
        ("body", "The platform team."),
        ("parent", ""),
    ];
    let oa = ok(app.call(&bo, "topics/reply", &answer).await?)
        .await?
        .as_i64()
        .ok_or("no id")?
        .to_string();
    let up = [("reply", oa.as_str()), ("value", "1")];
    assert_eq!(app.call(&cy, "topics/vote", &up).await?.status(), 403);

    // Answering a reply that was deleted meanwhile says so and keeps the text.
    let late = [
        ("topic", oq.as_str()),
        ("body", "Agreed, the platform team."),
        ("parent", oa.as_str()),
    ];
    ok(app
        .call(&bo, "topics/delete_reply", &[("reply", oa.as_str())])
        .await?)
    .await?;
    let res = app.call(&ana, "topics/reply", &late).await?;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await?;
    assert_eq!(
        field_value(&body, "body").as_deref(),
        Some("Agreed, the platform team.")
    );

    // Someone who left a private space hears no more of its threads.
    space(&app, &ana, "council", "private").await?;
    // Bo is a member (as if invited and accepted).
    sqlx::query(
        "INSERT INTO space_members (space_id, user_id, role, joined_at)
         SELECT s.id, u.id, 'member', 0 FROM spaces s, users u
         WHERE s.slug = 'council' AND u.display_name = 'Bo'",
    )
    .execute(&app.state.db.pool)
    .await?;
    let ct = thread(&app, &bo, "council", "", "Budget talks")
        .await?
        .to_string();
    ok(app
        .call(&bo, "spaces/leave", &[("slug", "council")])
        .await?)
    .await?;
    let before = ok(app.get(&bo, "notifications/unread", &[]).await?).await?;
    let reply = [
        ("topic", ct.as_str()),
        ("body", "Confidential numbers."),
        ("parent", ""),
    ];
    ok(app.call(&ana, "topics/reply", &reply).await?).await?;
    let after = ok(app.get(&bo, "notifications/unread", &[]).await?).await?;
    assert_eq!(before, after);

    let t = thread(&app, &bo, "ops", "", "Spam about watches").await?;
    let ts = t.to_string();
    let yes = [("topic", ts.as_str()), ("confirm", "yes")];
    assert_eq!(app.call(&ana, "topics/delete", &yes).await?.status(), 200);
    assert_eq!(topic(&app, &bo, t).await?.status(), 404);
    app.finish().await;
    Ok(())
}

async fn blogs_from_draft_to_published(b: Backend) -> TestResult {
    let Some(app) = start(b).await? else {
        return Ok(());
    };
    let _admin = app.person("Admin").await?;
    let ana = app.person("Ana").await?;
    let bo = app.person("Bo").await?;
    let anonymous = app.new_client()?;
    let h = handle(&app, &ana).await?;
    let key = format!("u:{h}");
    ok(app
        .call(
            &bo,
            "profiles/follow",
            &[("handle", h.as_str()), ("follow", "true")],
        )
        .await?)
    .await?;

    // A draft is its author's only: not on the blog for others, not found, not in feeds.
    let mut a = Article {
        id: 0,
        blog: &key,
        title: "Zebrafish onboarding",
        status: "draft",
        publish_at: "",
        public: false,
    };
    assert_eq!(save(&app, &bo, &a).await?.status(), 403);
    let id = ok(save(&app, &ana, &a).await?)
        .await?
        .as_i64()
        .ok_or("no id")?;
    assert_eq!(topic(&app, &bo, id).await?.status(), 404);
    assert!(blog_titles(&app, &bo, &key).await?.is_empty());
    assert_eq!(
        blog_titles(&app, &ana, &key).await?,
        ["Zebrafish onboarding"]
    );
    assert!(search_urls(&app, &bo, "zebrafish").await?.is_empty());
    let b_view = ok(app
        .get(&ana, "blogs/get", &[("blog", key.as_str()), ("after", "")])
        .await?)
    .await?;
    assert_eq!(b_view["articles"]["items"][0]["status"], "Draft");
    assert_eq!(b_view["may_write"], true);

    // Bad input is explained next to its field, and what was typed comes back.
    a.id = id;
    a.status = "scheduled";
    a.publish_at = "2020-01-01T09:00";
    let res = save(&app, &ana, &a).await?;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await?;
    assert!(field_message(&body, "publish_at").is_some(), "{body}");
    assert_eq!(
        field_value(&body, "title").as_deref(),
        Some("Zebrafish onboarding")
    );

    // Published: everyone signed in reads it, search finds it, followers see it in their feed.
    a.status = "published";
    a.public = true;
    ok(save(&app, &ana, &a).await?).await?;
    assert_eq!(topic(&app, &bo, id).await?.status(), 200);
    assert_eq!(
        blog_titles(&app, &bo, &key).await?,
        ["Zebrafish onboarding"]
    );
    assert_eq!(
        search_urls(&app, &bo, "zebrafish").await?,
        [format!("/t/{id}")]
    );
    let feed = ok(app
        .get(
            &bo,
            "feed/get",
            &[
                ("of", "home"),
                ("key", ""),
                ("filter", "all"),
                ("before", ""),
            ],
        )
        .await?)
    .await?;
    assert!(feed.to_string().contains("published the article"), "{feed}");

    // Comments tell the author; reactions count.
    let ids = id.to_string();
    let comment = [
        ("topic", ids.as_str()),
        ("body", "Mentoring helped me a lot."),
        ("parent", ""),
    ];
    ok(app.call(&bo, "topics/reply", &comment).await?).await?;
    let notes = ok(app
        .get(&ana, "notifications/list", &[("before", "")])
        .await?)
    .await?;
    assert!(notes.to_string().contains("\"Comment\""), "{notes}");
    ok(app
        .call(
            &bo,
            "topics/react",
            &[("topic", ids.as_str()), ("kind", "like")],
        )
        .await?)
    .await?;
    let v: Value = topic(&app, &ana, id).await?.json().await?;
    let like = v["reactions"]
        .as_array()
        .and_then(|r| r.iter().find(|x| x["kind"] == "Like").cloned())
        .ok_or("no like")?;
    assert_eq!(like["count"], 1);
    assert_eq!(v["replies"].as_array().map(Vec::len), Some(1));

    // Public articles are read signed out and fill the Atom feed; others ask to sign in.
    let private = Article {
        id: 0,
        blog: &key,
        title: "Members-only retrospective",
        status: "published",
        publish_at: "",
        public: false,
    };
    let hidden = ok(save(&app, &ana, &private).await?)
        .await?
        .as_i64()
        .ok_or("no id")?;
    assert_eq!(topic(&app, &anonymous, id).await?.status(), 200);
    assert_eq!(topic(&app, &anonymous, hidden).await?.status(), 401);
    let res = anonymous
        .get(app.url(&format!("/u/{h}/blog/feed.xml")))
        .send()
        .await?;
    assert_eq!(res.status(), 200);
    assert!(res
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/atom+xml")));
    let xml = res.text().await?;
    assert!(xml.contains("<title>Zebrafish onboarding</title>"), "{xml}");
    assert!(xml.contains(&format!("/t/{id}")), "{xml}");
    assert!(!xml.contains("retrospective"), "{xml}");
    // With no public URL set, links follow the host asked for, which only the asker's cache
    // may keep; a host that is no host name gives no link of its making.
    let res = anonymous
        .get(app.url(&format!("/u/{h}/blog/feed.xml")))
        .header("host", "evil.example\"><x")
        .send()
        .await?;
    assert_eq!(res.headers()["cache-control"], "private, max-age=300");
    let xml = res.text().await?;
    assert!(!xml.contains("evil.example"), "{xml}");
    assert!(xml.contains(&format!("http://localhost/t/{id}")), "{xml}");
    let res = anonymous
        .get(app.url("/u/nobody-here/blog/feed.xml"))
        .send()
        .await?;
    assert_eq!(res.status(), 404);

    // Taken back to draft, the article's comments are not found either; out again, they are.
    assert!(!search_urls(&app, &bo, "mentoring").await?.is_empty());
    a.status = "draft";
    ok(save(&app, &ana, &a).await?).await?;
    assert!(search_urls(&app, &bo, "mentoring").await?.is_empty());
    assert!(search_urls(&app, &bo, "zebrafish").await?.is_empty());
    a.status = "published";
    ok(save(&app, &ana, &a).await?).await?;
    assert!(!search_urls(&app, &bo, "mentoring").await?.is_empty());

    // Scheduled: hidden until its time, then published by the server.
    let later = app::domain::time::format_input(app::server::infra::db::now() + 86_400);
    let scheduled = Article {
        id: 0,
        blog: &key,
        title: "Quarterly learning plans",
        status: "scheduled",
        publish_at: &later,
        public: false,
    };
    let s = ok(save(&app, &ana, &scheduled).await?)
        .await?
        .as_i64()
        .ok_or("no id")?;
    assert_eq!(topic(&app, &bo, s).await?.status(), 404);
    assert_eq!(app::server::blogs::publish_due(&app.state.db).await?, 0);
    sqlx::query("UPDATE topics SET published_at = published_at - 172800 WHERE id = $1")
        .bind(s)
        .execute(&app.state.db.pool)
        .await?;
    // The server's own scheduler may have taken it first; either way it goes out once.
    assert!(app::server::blogs::publish_due(&app.state.db).await? <= 1);
    assert_eq!(app::server::blogs::publish_due(&app.state.db).await?, 0);
    let v: Value = topic(&app, &bo, s).await?.json().await?;
    assert_eq!(v["status"], "Published");
    assert_eq!(
        search_urls(&app, &bo, "quarterly").await?,
        [format!("/t/{s}")]
    );
    app.finish().await;
    Ok(())
}

async fn space_blogs_are_their_moderators(b: Backend) -> TestResult {
    let Some(app) = start(b).await? else {
        return Ok(());
    };
    let _admin = app.person("Admin").await?;
    let ana = app.person("Ana").await?;
    let bo = app.person("Bo").await?;
    let cy = app.person("Cy").await?;
    space(&app, &ana, "academy", "public").await?;
    space(&app, &ana, "board", "private").await?;
    ok(app.call(&bo, "spaces/join", &[("slug", "academy")]).await?).await?;

    // Members read and comment; moderators write.
    let form = app
        .get(&bo, "blogs/form", &[("id", "0"), ("blog", "s:academy")])
        .await?;
    assert_eq!(form.status(), 403);
    let news = Article {
        id: 0,
        blog: "s:academy",
        title: "New course catalogue",
        status: "published",
        publish_at: "",
        public: true,
    };
    assert_eq!(save(&app, &bo, &news).await?.status(), 403);
    let id = ok(save(&app, &ana, &news).await?)
        .await?
        .as_i64()
        .ok_or("no id")?;
    assert_eq!(
        blog_titles(&app, &bo, "s:academy").await?,
        ["New course catalogue"]
    );
    let res = app
        .new_client()?
        .get(app.url("/s/academy/blog/feed.xml"))
        .send()
        .await?;
    assert!(res.text().await?.contains("New course catalogue"));

    // A private space's articles stay inside it: never public, never read by outsiders.
    let secret = Article {
        id: 0,
        blog: "s:board",
        title: "Budget for next year",
        status: "published",
        publish_at: "",
        public: true,
    };
    let res = save(&app, &ana, &secret).await?;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await?;
    assert!(field_message(&body, "public").is_some(), "{body}");
    let inside = Article {
        public: false,
        ..secret
    };
    let hidden = ok(save(&app, &ana, &inside).await?)
        .await?
        .as_i64()
        .ok_or("no id")?;
    assert_eq!(topic(&app, &cy, hidden).await?.status(), 404);
    assert_eq!(
        app.get(&cy, "blogs/get", &[("blog", "s:board"), ("after", "")])
            .await?
            .status(),
        403
    );
    let res = app
        .new_client()?
        .get(app.url("/s/board/blog/feed.xml"))
        .send()
        .await?;
    assert_eq!(res.status(), 404);

    // Tag suggestions come from what the reader may see.
    let form = [
        ("kind", "thread"),
        ("space", "board"),
        ("category", ""),
        ("title", "Layoffs plan"),
        ("body", "Not for everyone's eyes."),
        ("tags", "zzrestructuring"),
    ];
    ok(app.call(&ana, "topics/create", &form).await?).await?;
    let mine = ok(app.get(&ana, "tags/suggest", &[("prefix", "zzr")]).await?).await?;
    assert_eq!(mine, serde_json::json!(["zzrestructuring"]));
    let theirs = ok(app.get(&cy, "tags/suggest", &[("prefix", "zzr")]).await?).await?;
    assert_eq!(theirs, serde_json::json!([]));

    // Who may follow a topic live: its readers.
    let (bo_v, cy_v) = (viewer(&app, &bo).await?, viewer(&app, &cy).await?);
    let wanted = vec![format!("topic:{id}"), format!("topic:{hidden}")];
    let (allowed, denied) = app::server::live::authorise(&app.state.db, cy_v, &wanted).await?;
    assert_eq!(allowed, [format!("topic:{id}")]);
    assert_eq!(denied, [format!("topic:{hidden}")]);
    let (allowed, _) = app::server::live::authorise(&app.state.db, bo_v, &wanted).await?;
    assert_eq!(allowed, [format!("topic:{id}")]);
    app.finish().await;
    Ok(())
}

crate::on_both_backends!(
    forum_categories_and_moving,
    forum_pages_pin_and_page_by_cursor,
    editing_and_deleting_topics_and_replies,
    blogs_from_draft_to_published,
    space_blogs_are_their_moderators,
);
