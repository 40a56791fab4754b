//! Ask-the-Expert, forums and search, on SQLite and on PostgreSQL: votes, accepted answers,
//! reputation, routing to experts and the queue, and what search shows to whom.

use crate::common::{
    field_message, field_value, search_query, titles, Backend, TestApp, TestResult,
};
use serde_json::Value;

type Client = reqwest::Client;
type Res<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

async fn start(b: Backend) -> Result<Option<TestApp>, String> {
    TestApp::spawn(b, |_| {}).await
}

use crate::common::ok_json as ok;

async fn declare_expertise(app: &TestApp, c: &Client, name: &str, expertise: &str) -> Res<()> {
    let handle = app.me(c).await?["handle"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let form = [
        ("display_name", name),
        ("handle", handle.as_str()),
        ("job_title", "Platform engineer"),
        ("department", "Infrastructure"),
        ("location", ""),
        ("bio", ""),
        ("skills", "kubernetes"),
        ("expertise", expertise),
        ("links", ""),
    ];
    ok(app.call(c, "profiles/update", &form).await?).await?;
    Ok(())
}

async fn ask(app: &TestApp, c: &Client, space: &str, title: &str, tags: &str) -> Res<i64> {
    let form = [
        ("kind", "question"),
        ("space", space),
        ("title", title),
        (
            "body",
            "We build it with cargo. What is the **right** way to ship it?",
        ),
        ("tags", tags),
    ];
    let v = ok(app.call(c, "topics/create", &form).await?).await?;
    Ok(v.as_i64().ok_or("no topic id")?)
}

async fn answer(app: &TestApp, c: &Client, topic: i64, body: &str) -> Res<i64> {
    let t = topic.to_string();
    let form = [("topic", t.as_str()), ("body", body), ("parent", "")];
    let v = ok(app.call(c, "topics/reply", &form).await?).await?;
    Ok(v.as_i64().ok_or("no reply id")?)
}

async fn topic(app: &TestApp, c: &Client, id: i64) -> Res<Value> {
    ok(app.get(c, "topics/get", &[("id", &id.to_string())]).await?).await
}

async fn vote(app: &TestApp, c: &Client, reply: i64, value: i64) -> Res<u16> {
    let (r, v) = (reply.to_string(), value.to_string());
    let res = app
        .call(
            c,
            "topics/vote",
            &[("reply", r.as_str()), ("value", v.as_str())],
        )
        .await?;
    Ok(res.status().as_u16())
}

async fn kinds_of_notifications(app: &TestApp, c: &Client) -> Res<Vec<String>> {
    let page = ok(app.get(c, "notifications/list", &[("before", "")]).await?).await?;
    Ok(page["items"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|n| n["kind"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default())
}

async fn queue_titles(app: &TestApp, c: &Client) -> Res<Vec<String>> {
    let q = ok(app.get(c, "topics/queue", &[]).await?).await?;
    Ok(titles(&q["items"]))
}

async fn search(app: &TestApp, c: &Client, q: &str, kind: &str) -> Res<Value> {
    let query = search_query(q, kind, "");
    ok(app.get(c, "search", &query).await?).await
}

fn urls(results: &Value) -> Vec<String> {
    results["hits"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|h| h["url"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

async fn questions_votes_and_acceptance(b: Backend) -> TestResult {
    let Some(app) = start(b).await? else {
        return Ok(());
    };
    let ana = app.person("Ana").await?;
    let eve = app.person("Eve").await?;
    let bo = app.person("Bo").await?;
    let cy = app.person("Cy").await?;
    declare_expertise(&app, &eve, "Eve", "Rust, Deployment").await?;

    // A question needs a title and at least one topic; what was typed is kept.
    let bad = [
        ("kind", "question"),
        ("space", ""),
        ("title", "Hi"),
        ("body", "Anything?"),
        ("tags", ""),
    ];
    let res = app.call(&ana, "topics/create", &bad).await?;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await?;
    assert!(field_message(&body, "title").is_some(), "{body}");
    assert_eq!(field_value(&body, "body").as_deref(), Some("Anything?"));

    let q = ask(
        &app,
        &ana,
        "",
        "How do I deploy a Rust service?",
        "rust, ops",
    )
    .await?;
    // Routed to the expert of the topic, not to others.
    assert!(kinds_of_notifications(&app, &eve)
        .await?
        .contains(&"Question".to_owned()));
    assert!(kinds_of_notifications(&app, &bo).await?.is_empty());
    assert_eq!(
        queue_titles(&app, &eve).await?,
        vec!["How do I deploy a Rust service?"]
    );
    assert!(queue_titles(&app, &bo).await?.is_empty());

    let by_bo = answer(&app, &bo, q, "Copy the binary with scp.").await?;
    let by_eve = answer(
        &app,
        &eve,
        q,
        "Build a **static** binary and ship it in a container.",
    )
    .await?;
    assert!(kinds_of_notifications(&app, &ana)
        .await?
        .contains(&"Answer".to_owned()));
    // Answered questions leave the queue.
    assert!(queue_titles(&app, &eve).await?.is_empty());

    // Votes: one per person, changeable, never on one's own answer.
    assert_eq!(vote(&app, &cy, by_eve, 1).await?, 200);
    assert_eq!(vote(&app, &cy, by_eve, 1).await?, 200);
    assert_eq!(vote(&app, &ana, by_eve, 1).await?, 200);
    assert_eq!(vote(&app, &cy, by_bo, -1).await?, 200);
    assert_eq!(vote(&app, &bo, by_bo, 1).await?, 409);
    assert_eq!(vote(&app, &cy, by_bo, 5).await?, 422);
    let t = topic(&app, &cy, q).await?;
    let scores: Vec<(i64, i64)> = t["replies"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|r| {
                    (
                        r["id"].as_i64().unwrap_or(0),
                        r["score"].as_i64().unwrap_or(0),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(scores, vec![(by_eve, 2), (by_bo, -1)]);
    assert_eq!(t["solved"], false);

    // Only the asker (or a moderator) accepts.
    let accept = |c: &Client, r: i64| {
        let r = r.to_string();
        let c = c.clone();
        let url = app.url("/api/topics/accept");
        async move { c.post(url).form(&[("reply", r)]).send().await }
    };
    assert_eq!(accept(&bo, by_bo).await?.status(), 403);
    assert_eq!(accept(&ana, by_bo).await?.status(), 200);
    let t = topic(&app, &cy, q).await?;
    assert_eq!(t["solved"], true);
    // The accepted answer comes first, even with a lower score.
    assert_eq!(t["replies"][0]["id"].as_i64(), Some(by_bo));
    assert_eq!(t["replies"][0]["accepted"], true);
    // Accepting another moves the mark.
    assert_eq!(accept(&ana, by_eve).await?.status(), 200);
    let t = topic(&app, &cy, q).await?;
    assert_eq!(t["replies"][0]["id"].as_i64(), Some(by_eve));
    assert_eq!(t["replies"][1]["accepted"], false);
    assert!(kinds_of_notifications(&app, &eve)
        .await?
        .contains(&"Accepted".to_owned()));

    // Reputation: two upvotes and an accepted answer for Eve; a downvote for Bo.
    let handle = |c: &Client| {
        let c = c.clone();
        let app = &app;
        async move {
            Ok::<String, reqwest::Error>(
                app.me(&c).await?["handle"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
            )
        }
    };
    let eve_handle = handle(&eve).await?;
    let p = ok(app
        .get(&cy, "profiles/get", &[("handle", &eve_handle)])
        .await?)
    .await?;
    assert_eq!(p["reputation"].as_i64(), Some(10 + 10 + 15));
    let bo_handle = handle(&bo).await?;
    let p = ok(app
        .get(&cy, "profiles/get", &[("handle", &bo_handle)])
        .await?)
    .await?;
    assert_eq!(p["reputation"].as_i64(), Some(-2));

    // The question shows in the unanswered / solved lists as it should.
    let list = |filter: &'static str| {
        let c = cy.clone();
        let app = &app;
        async move {
            let q = [
                ("kind", "question"),
                ("space", ""),
                ("tag", ""),
                ("filter", filter),
                ("after", ""),
            ];
            ok(app.get(&c, "topics/list", &q).await?).await
        }
    };
    assert_eq!(titles(&list("solved").await?["items"]).len(), 1);
    assert!(titles(&list("unanswered").await?["items"]).is_empty());

    // Similar questions, with their accepted answer, while a title is typed.
    let similar = ok(app
        .get(
            &cy,
            "topics/similar",
            &[("title", "deploying rust to production")],
        )
        .await?)
    .await?;
    assert_eq!(similar[0]["id"].as_i64(), Some(q));
    assert!(similar[0]["accepted"]
        .as_str()
        .unwrap_or_default()
        .contains("static"));

    // The Ask-the-Expert forum of the topic lists its expert and its questions.
    let forum = ok(app
        .get(&cy, "topics/experts", &[("tag", "rust"), ("after", "")])
        .await?)
    .await?;
    assert_eq!(forum["experts"][0]["person"]["text"], "Eve");
    assert_eq!(titles(&forum["questions"]["items"]).len(), 1);
    app.finish().await;
    Ok(())
}

async fn private_questions_stay_private(b: Backend) -> TestResult {
    let Some(app) = start(b).await? else {
        return Ok(());
    };
    let ana = app.person("Ana").await?;
    let eve = app.person("Eve").await?;
    declare_expertise(&app, &eve, "Eve", "rust").await?;
    let form = [
        ("name", "Core team"),
        ("slug", "core"),
        ("description", "Private work"),
        ("visibility", "private"),
        ("join_policy", "invite"),
        ("parent", ""),
    ];
    ok(app.call(&ana, "spaces/create", &form).await?).await?;
    let q = ask(
        &app,
        &ana,
        "core",
        "Which rust edition do we target?",
        "rust",
    )
    .await?;
    // Eve is an expert but may not read the space: not told, not queued, cannot open it,
    // cannot find it.
    assert!(kinds_of_notifications(&app, &eve).await?.is_empty());
    assert!(queue_titles(&app, &eve).await?.is_empty());
    let res = app
        .get(&eve, "topics/get", &[("id", &q.to_string())])
        .await?;
    assert_eq!(res.status(), 404);
    assert!(urls(&search(&app, &eve, "edition", "").await?).is_empty());
    // Members find it, and cannot post in a space they do not belong to.
    assert_eq!(
        urls(&search(&app, &ana, "edition", "").await?),
        vec![format!("/t/{q}")]
    );
    let res = app
        .call(
            &eve,
            "topics/create",
            &[
                ("kind", "thread"),
                ("space", "core"),
                ("title", "Let me in"),
                ("body", "Please"),
                ("tags", ""),
            ],
        )
        .await?;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await?;
    assert!(field_message(&body, "space").is_some(), "{body}");
    let t = q.to_string();
    let res = app
        .call(
            &eve,
            "topics/reply",
            &[("topic", t.as_str()), ("body", "hi"), ("parent", "")],
        )
        .await?;
    assert_eq!(res.status(), 404);
    app.finish().await;
    Ok(())
}

async fn search_ranks_filters_and_logs(b: Backend) -> TestResult {
    let Some(app) = start(b).await? else {
        return Ok(());
    };
    let admin = app.person("Ana").await?;
    let eve = app.person("Eve").await?;
    let cy = app.person("Cy").await?;
    declare_expertise(&app, &eve, "Eve", "kubernetes").await?;
    let form = [
        ("name", "Platform guild"),
        ("slug", "platform"),
        ("description", "Everything about kubernetes clusters"),
        ("visibility", "public"),
        ("join_policy", "open"),
        ("parent", ""),
    ];
    ok(app.call(&admin, "spaces/create", &form).await?).await?;
    ok(app
        .call(
            &admin,
            "walls/post",
            &[
                ("slug", "platform"),
                ("body", "Our kubernetes upgrade is on Friday."),
            ],
        )
        .await?)
    .await?;
    let q = ask(
        &app,
        &admin,
        "",
        "Why does kubernetes evict my pods?",
        "kubernetes",
    )
    .await?;
    let a = answer(
        &app,
        &eve,
        q,
        "Memory limits: the kubelet evicts pods over them.",
    )
    .await?;
    let accept = app
        .call(
            &admin,
            "topics/accept",
            &[("reply", a.to_string().as_str())],
        )
        .await?;
    assert_eq!(accept.status(), 200);

    // Everything matching, the title match ranked above a body match.
    let r = search(&app, &cy, "kubernetes", "").await?;
    let found = urls(&r);
    for want in [
        format!("/t/{q}"),
        "/s/platform".to_owned(),
        "/u/eve".to_owned(),
    ] {
        assert!(found.contains(&want), "{want} in {found:?}");
    }
    assert!(
        found.iter().any(|u| u.starts_with("/s/platform#post-")),
        "{found:?}"
    );
    // Highlighted words are marked as hits; titles and text are returned as plain text.
    let question = r["hits"]
        .as_array()
        .and_then(|a| a.iter().find(|h| h["url"] == format!("/t/{q}")))
        .ok_or("question not found")?;
    let marked: Vec<&str> = question["title"]
        .as_array()
        .map(|s| {
            s.iter()
                .filter(|x| x["hit"] == true)
                .filter_map(|x| x["text"].as_str())
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(marked, vec!["kubernetes"]);
    // Who knows about it: Eve, for her accepted answer.
    assert_eq!(r["knows"][0]["person"]["text"], "Eve");
    assert_eq!(r["knows"][0]["accepted"], 1);

    // Filters by kind: people, questions and answers.
    assert_eq!(
        urls(&search(&app, &cy, "kubernetes", "people").await?),
        vec!["/u/eve"]
    );
    let mut qa = urls(&search(&app, &cy, "evicts", "questions").await?);
    qa.sort();
    assert_eq!(qa, vec![format!("/t/{q}"), format!("/t/{q}#reply-{a}")]);
    // People by job title and department.
    assert_eq!(
        urls(&search(&app, &cy, "infrastructure", "").await?),
        vec!["/u/eve"]
    );

    // Stemming: "evicting" finds "evict".
    assert!(!urls(&search(&app, &cy, "evicting", "").await?).is_empty());
    // Query syntax is never passed through.
    let odd = search(&app, &cy, "\"kubernetes*\" -(", "").await?;
    assert!(!urls(&odd).is_empty());

    // Every search is logged; zero-result searches are listed for admins.
    let none = search(&app, &cy, "zanzibar", "").await?;
    assert!(urls(&none).is_empty());
    let missed = ok(app.get(&admin, "search/missed", &[]).await?).await?;
    assert_eq!(missed[0]["term"], "zanzibar");
    assert_eq!(app.get(&cy, "search/missed", &[]).await?.status(), 403);
    // Opening a result is noted and redirects there; only local addresses.
    let log = r["log_id"].as_i64().unwrap_or(0).to_string();
    let url = format!("/t/{q}");
    let res = app
        .get(
            &cy,
            "search/open",
            &[("log", log.as_str()), ("url", url.as_str())],
        )
        .await?;
    assert!(res.status().is_success(), "{}", res.status());
    let res = app
        .get(
            &cy,
            "search/open",
            &[("log", log.as_str()), ("url", "https://evil.example/")],
        )
        .await?;
    assert_eq!(res.status(), 400);
    // Browsers drop tabs and line breaks from an address ("/\t/evil.example" is
    // "//evil.example" to them), and a line break cannot go in a header at all: both refused.
    for url in [
        "/\t/evil.example",
        "/\n/evil.example",
        "/a\r\nSet-Cookie: x=1",
    ] {
        let res = app
            .get(&cy, "search/open", &[("log", log.as_str()), ("url", url)])
            .await?;
        assert_eq!(res.status(), 400, "{url:?}");
        assert!(res.headers().get("location").is_none(), "{url:?}");
    }
    app.finish().await;
    Ok(())
}

async fn appointed_experts_get_their_space_questions(b: Backend) -> TestResult {
    let Some(app) = start(b).await? else {
        return Ok(());
    };
    let ana = app.person("Ana").await?;
    let bo = app.person("Bo").await?;
    let form = [
        ("name", "Finance"),
        ("slug", "finance"),
        ("description", "Money matters"),
        ("visibility", "public"),
        ("join_policy", "open"),
        ("parent", ""),
    ];
    ok(app.call(&ana, "spaces/create", &form).await?).await?;
    // Only moderators appoint, and only people who exist.
    let bo_handle = format!(
        "@{}",
        app.me(&bo).await?["handle"].as_str().unwrap_or_default()
    );
    let appoint = [
        ("slug", "finance"),
        ("tag", "Budgets"),
        ("handle", bo_handle.as_str()),
        ("on", "true"),
    ];
    assert_eq!(
        app.call(&bo, "topics/appoint", &appoint).await?.status(),
        403
    );
    let nobody = [
        ("slug", "finance"),
        ("tag", "budgets"),
        ("handle", "nobody"),
        ("on", "true"),
    ];
    let res = app.call(&ana, "topics/appoint", &nobody).await?;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await?;
    assert!(field_message(&body, "handle").is_some(), "{body}");
    ok(app.call(&ana, "topics/appoint", &appoint).await?).await?;

    // A question on the topic in the space reaches Bo; one elsewhere does not.
    ask(&app, &ana, "", "Who approves travel budgets?", "budgets").await?;
    assert!(kinds_of_notifications(&app, &bo).await?.is_empty());
    ask(
        &app,
        &ana,
        "finance",
        "When are budgets due this year?",
        "budgets",
    )
    .await?;
    assert_eq!(kinds_of_notifications(&app, &bo).await?, vec!["Question"]);
    assert_eq!(
        queue_titles(&app, &bo).await?,
        vec!["When are budgets due this year?"]
    );
    let forum = ok(app
        .get(&bo, "topics/experts", &[("tag", "budgets"), ("after", "")])
        .await?)
    .await?;
    assert_eq!(forum["experts"][0]["appointed"], true);
    app.finish().await;
    Ok(())
}

async fn tags_pages_and_suggestions(b: Backend) -> TestResult {
    let Some(app) = start(b).await? else {
        return Ok(());
    };
    let ana = app.person("Ana").await?;
    let cy = app.person("Cy").await?;
    for (slug, visibility) in [("open", "public"), ("closed", "private")] {
        let form = [
            ("name", slug),
            ("slug", slug),
            ("description", ""),
            ("visibility", visibility),
            ("join_policy", "invite"),
            ("parent", ""),
        ];
        ok(app.call(&ana, "spaces/create", &form).await?).await?;
    }
    let post = |slug: &'static str, body: &'static str| {
        let app = &app;
        let ana = ana.clone();
        async move {
            ok(app
                .call(&ana, "walls/post", &[("slug", slug), ("body", body)])
                .await?)
            .await
        }
    };
    let open_post = post("open", "Great #Onboarding session today, thanks all").await?;
    post("closed", "Secret #onboarding plans").await?;
    ask(
        &app,
        &ana,
        "",
        "Where is the onboarding checklist?",
        "onboarding, hr",
    )
    .await?;

    let page = ok(app.get(&cy, "tags/page", &[("tag", "Onboarding")]).await?).await?;
    assert_eq!(page["tag"], "onboarding");
    let posts: Vec<&str> = page["posts"]
        .as_array()
        .map(|a| a.iter().filter_map(|p| p["text"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(posts, vec!["Great #Onboarding session today, thanks all"]);
    assert_eq!(
        titles(&page["topics"]),
        vec!["Where is the onboarding checklist?"]
    );
    // The member of the private space sees its post too.
    let page = ok(app.get(&ana, "tags/page", &[("tag", "onboarding")]).await?).await?;
    assert_eq!(page["posts"].as_array().map(Vec::len), Some(2));
    // Hashtags are searchable with the tag filter.
    let query = search_query("session", "", "onboarding");
    let r = ok(app.get(&cy, "search", &query).await?).await?;
    assert_eq!(urls(&r), vec![format!("/s/open#post-{open_post}")]);

    // Suggestions while typing: tags in use, most used first.
    let s = ok(app.get(&cy, "tags/suggest", &[("prefix", "onb")]).await?).await?;
    assert_eq!(s[0], "onboarding");
    let s = ok(app.get(&cy, "tags/suggest", &[("prefix", "%")]).await?).await?;
    assert_eq!(s, serde_json::json!([]));
    app.finish().await;
    Ok(())
}

crate::on_both_backends!(
    tags_pages_and_suggestions,
    appointed_experts_get_their_space_questions,
    questions_votes_and_acceptance,
    private_questions_stay_private,
    search_ranks_filters_and_logs,
);
