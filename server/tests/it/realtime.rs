//! Feeds, notifications and real-time delivery, on SQLite and on PostgreSQL: what every feed
//! shows and hides, notifications of every kind, the WebSocket's checks, catch-up after a
//! reconnect that returns exactly the missed events, and two instances sharing one database.

use std::time::Duration;

use crate::common::{session_pair, Backend, TestApp, TestResult};
use app::domain::ids::PostId;
use app::domain::realtime::{ClientMsg, EventBody, ServerMsg};
use futures_util::{SinkExt, StreamExt};
use serde_json::Value;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

type Client = reqwest::Client;
type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;
type Res<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

const PASSWORD: &str = "correct horse battery";

async fn start(b: Backend) -> Result<Option<TestApp>, String> {
    TestApp::spawn(b, |_| {}).await
}

/// A new person: their browser and their session cookie (for the WebSocket).
async fn person(app: &TestApp, name: &str) -> Res<(Client, String)> {
    let c = app.new_client()?;
    let email = format!("{}@example.com", name.to_lowercase());
    let res = app.register(&c, name, &email, PASSWORD).await?;
    assert_eq!(res.status(), 200, "registering {name}");
    Ok((c, session_pair(&res)))
}

async fn ok(res: reqwest::Response) -> Res<Value> {
    let status = res.status();
    let url = res.url().to_string();
    let text = res.text().await?;
    assert!(status.is_success(), "{url}: {status}: {text}");
    Ok(serde_json::from_str(&text).unwrap_or(Value::Null))
}

async fn create_space(app: &TestApp, c: &Client, slug: &str, visibility: &str) -> Res<()> {
    let name = format!("Space {slug}");
    let form = [
        ("name", name.as_str()),
        ("slug", slug),
        ("description", "Where we learn"),
        ("visibility", visibility),
        ("join_policy", "open"),
        ("parent", ""),
    ];
    ok(app.call(c, "spaces/create", &form).await?).await?;
    Ok(())
}

async fn post(app: &TestApp, c: &Client, slug: &str, body: &str) -> Res<i64> {
    let v = ok(app
        .call(c, "walls/post", &[("slug", slug), ("body", body)])
        .await?)
    .await?;
    Ok(v.as_i64().unwrap_or_default())
}

async fn feed(app: &TestApp, c: &Client, of: &str, key: &str, filter: &str) -> Res<Value> {
    let q = [("of", of), ("key", key), ("filter", filter), ("before", "")];
    ok(app.get(c, "feed/get", &q).await?).await
}

/// Each item as "actor action target: excerpt".
fn lines(feed: &Value) -> Vec<String> {
    feed["items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|i| {
                    let others = match i["others"].as_i64().unwrap_or(0) {
                        0 => String::new(),
                        n => format!(" and {n} others"),
                    };
                    format!(
                        "{}{} {} {}: {}",
                        i["actor"]["text"].as_str().unwrap_or(""),
                        others,
                        i["action"].as_str().unwrap_or(""),
                        i["target"]["text"].as_str().unwrap_or(""),
                        i["excerpt"].as_str().unwrap_or("")
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn shows(feed: &Value, text: &str) -> bool {
    lines(feed).iter().any(|l| l.contains(text))
}

async fn feeds_show_only_what_the_reader_may_see(b: Backend) -> TestResult {
    let Some(app) = start(b).await? else {
        return Ok(());
    };
    let (ana, _) = person(&app, "Ana").await?;
    let (ben, _) = person(&app, "Ben").await?;
    let (cat, _) = person(&app, "Cat").await?;
    create_space(&app, &ana, "inner", "private").await?;
    create_space(&app, &ana, "open", "public").await?;
    create_space(&app, &ana, "hidden", "secret").await?;
    ok(app
        .call(
            &ben,
            "profiles/follow",
            &[("handle", "ana"), ("follow", "true")],
        )
        .await?)
    .await?;
    ok(app.call(&cat, "spaces/join", &[("slug", "inner")]).await?).await?;
    post(&app, &ana, "inner", "private plans").await?;
    let public_post = post(&app, &ana, "open", "public news").await?;
    post(&app, &ana, "hidden", "secret stuff").await?;
    ok(app
        .call(&ana, "profiles/status", &[("status", "learning Rust")])
        .await?)
    .await?;

    // Ben follows Ana: her public post and status, never the private or secret ones.
    let home = feed(&app, &ben, "home", "", "all").await?;
    assert!(
        shows(&home, "Ana posted in Space open: public news"),
        "{:?}",
        lines(&home)
    );
    assert!(
        shows(&home, "Ana updated their status : learning Rust"),
        "{:?}",
        lines(&home)
    );
    assert!(!shows(&home, "private plans") && !shows(&home, "secret stuff"));
    // Cat belongs to the private space but follows nobody.
    let home = feed(&app, &cat, "home", "", "all").await?;
    assert!(shows(&home, "private plans"), "{:?}", lines(&home));
    assert!(!shows(&home, "public news") && !shows(&home, "secret stuff"));
    // After leaving, the private space's activity is gone from Cat's feed.
    ok(app.call(&cat, "spaces/leave", &[("slug", "inner")]).await?).await?;
    let home = feed(&app, &cat, "home", "", "all").await?;
    assert!(!shows(&home, "private plans"), "{:?}", lines(&home));

    // A person's activity and the site's "what's new" show only what the reader may read.
    let anas = feed(&app, &ben, "person", "ana", "all").await?;
    assert!(shows(&anas, "public news") && !shows(&anas, "private plans"));
    assert!(!shows(&anas, "secret stuff"));
    let site = feed(&app, &cat, "site", "", "all").await?;
    assert!(shows(&site, "public news"), "{:?}", lines(&site));
    assert!(!shows(&site, "private plans") && !shows(&site, "learning Rust"));
    // Space feeds: members only for private spaces, not even there for secret ones.
    let q = |slug: &'static str| {
        [
            ("of", "space"),
            ("key", slug),
            ("filter", "all"),
            ("before", ""),
        ]
    };
    assert_eq!(app.get(&ben, "feed/get", &q("inner")).await?.status(), 403);
    assert_eq!(app.get(&ben, "feed/get", &q("hidden")).await?.status(), 404);
    assert_eq!(app.get(&ana, "feed/get", &q("hidden")).await?.status(), 200);
    let visitor = app.new_client()?;
    assert_eq!(
        app.get(&visitor, "feed/get", &q("open")).await?.status(),
        401
    );

    // Filters: posts only; no questions yet.
    let posts = feed(&app, &ben, "home", "", "posts").await?;
    assert!(lines(&posts)
        .iter()
        .all(|l| !l.contains("created the space")));
    let questions = feed(&app, &ben, "home", "", "questions").await?;
    assert_eq!(questions["items"].as_array().map(Vec::len), Some(0));

    // Several people commenting on one post make one item.
    ok(app.call(&ben, "spaces/join", &[("slug", "open")]).await?).await?;
    ok(app
        .call(
            &ben,
            "walls/comment",
            &[
                ("post_id", &public_post.to_string()),
                ("parent_id", ""),
                ("body", "nice"),
            ],
        )
        .await?)
    .await?;
    ok(app.call(&cat, "spaces/join", &[("slug", "open")]).await?).await?;
    ok(app
        .call(
            &cat,
            "walls/comment",
            &[
                ("post_id", &public_post.to_string()),
                ("parent_id", ""),
                ("body", "agreed"),
            ],
        )
        .await?)
    .await?;
    let space = feed(&app, &ana, "space", "open", "posts").await?;
    assert!(
        shows(
            &space,
            "Cat and 1 others commented on a post in Space open: agreed"
        ),
        "{:?}",
        lines(&space)
    );
    app.finish().await;
    Ok(())
}

async fn feeds_page_with_keyset_cursors(b: Backend) -> TestResult {
    let Some(app) = start(b).await? else {
        return Ok(());
    };
    let (ana, _) = person(&app, "Ana").await?;
    create_space(&app, &ana, "busy", "public").await?;
    for i in 0..45 {
        post(&app, &ana, "busy", &format!("post number {i}")).await?;
    }
    let first = feed(&app, &ana, "space", "busy", "posts").await?;
    let items = first["items"].as_array().map(Vec::len).unwrap_or(0);
    assert_eq!(items, 40);
    // An item is "post number N" exactly, so "post number 4" does not match "post number 44".
    let has = |page: &Value, n: i32| {
        let end = format!(": post number {n}");
        lines(page).iter().any(|l| l.ends_with(&end))
    };
    assert!(has(&first, 44) && has(&first, 5) && !has(&first, 4));
    let cursor = first["next"].as_str().unwrap_or_default().to_owned();
    assert!(!cursor.is_empty());
    let q = [
        ("of", "space"),
        ("key", "busy"),
        ("filter", "posts"),
        ("before", cursor.as_str()),
    ];
    let second = ok(app.get(&ana, "feed/get", &q).await?).await?;
    assert!(has(&second, 0) && has(&second, 4));
    assert!(!has(&second, 5) && !has(&second, 44));
    assert!(second["next"].is_null());
    let bad = [
        ("of", "space"),
        ("key", "busy"),
        ("filter", "posts"),
        ("before", "junk"),
    ];
    assert_eq!(app.get(&ana, "feed/get", &bad).await?.status(), 400);
    app.finish().await;
    Ok(())
}

/// Every page of a home feed, as lines, newest first.
async fn whole_home_feed(app: &TestApp, c: &Client) -> Res<Vec<String>> {
    let mut all = Vec::new();
    let mut before = String::new();
    loop {
        let q = [
            ("of", "home"),
            ("key", ""),
            ("filter", "all"),
            ("before", before.as_str()),
        ];
        let page = ok(app.get(c, "feed/get", &q).await?).await?;
        all.extend(lines(&page));
        match page["next"].as_str() {
            Some(next) => before = next.to_owned(),
            None => return Ok(all),
        }
    }
}

/// The home feed merges its sources (own activity, wall, spaces, people followed) whether the
/// reader has a few of them (each read from its own index) or many (the log read newest
/// first): both ways give the same items, in order, across pages.
async fn home_feed_reads_every_source(b: Backend) -> TestResult {
    let Some(app) = start(b).await? else {
        return Ok(());
    };
    let (ana, _) = person(&app, "Ana").await?;
    let (ben, _) = person(&app, "Ben").await?;
    let (cat, _) = person(&app, "Cat").await?;
    create_space(&app, &ana, "guild", "public").await?;
    create_space(&app, &ana, "hidden", "secret").await?;
    ok(app.call(&ben, "spaces/join", &[("slug", "guild")]).await?).await?;
    let follow = [("handle", "ana"), ("follow", "true")];
    ok(app.call(&ben, "profiles/follow", &follow).await?).await?;
    // Ben's sources interleave: the space, Ana's activity, his wall (Cat, whom he does not
    // follow, posts there and comments), and himself; 50 posts, more than a page.
    for i in 0..10 {
        post(&app, &ana, "guild", &format!("guild note {i}")).await?;
        post(&app, &ana, "hidden", &format!("secret note {i}")).await?;
        let on_wall = [
            ("handle", "ben"),
            ("body", &format!("wall note {i}") as &str),
        ];
        let wall_post = ok(app.call(&cat, "walls/post-on-profile", &on_wall).await?).await?;
        let (post_id, body) = (wall_post.to_string(), format!("wall reply {i}"));
        let reply = [
            ("post_id", post_id.as_str()),
            ("parent_id", ""),
            ("body", &body),
        ];
        ok(app.call(&cat, "walls/comment", &reply).await?).await?;
        let mine = [
            ("handle", "ana"),
            ("body", &format!("ana wall {i}") as &str),
        ];
        ok(app.call(&ana, "walls/post-on-profile", &mine).await?).await?;
        post(&app, &ben, "guild", &format!("ben note {i}")).await?;
    }
    let few = whole_home_feed(&app, &ben).await?;
    for want in [
        "Ana posted in Space guild: guild note 9",
        "Ana posted in Space guild: guild note 0",
        "Cat posted on the wall of Ben: wall note 0",
        "Cat commented on a post on the wall of Ben: wall reply 9",
        "Ana posted on the wall of Ana: ana wall 3",
        "Ben posted in Space guild: ben note 0",
    ] {
        assert!(few.iter().any(|l| l == want), "{want} in {few:?}");
    }
    assert!(!few.iter().any(|l| l.contains("secret note")), "{few:?}");
    // Nothing twice (Ana's posts in the guild come from two sources) and newest first.
    let guild: Vec<&String> = few.iter().filter(|l| l.contains("guild note")).collect();
    assert_eq!(guild.len(), 10, "{few:?}");
    assert!(guild[0].ends_with("guild note 9") && guild[9].ends_with("guild note 0"));

    // With more than a hundred spaces Ben's feed is read the other way; it shows the same.
    for i in 0..101 {
        create_space(&app, &ben, &format!("club-{i}"), "public").await?;
    }
    let many = whole_home_feed(&app, &ben).await?;
    let without_clubs: Vec<String> = many
        .into_iter()
        .filter(|l| !l.contains("Space club-"))
        .collect();
    assert_eq!(without_clubs, few);
    app.finish().await;
    Ok(())
}

async fn notifications_of(app: &TestApp, c: &Client) -> Res<Value> {
    ok(app.get(c, "notifications/list", &[("before", "")]).await?).await
}

fn sentences(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|n| {
                    format!(
                        "{} {} {}",
                        n["actor"].as_str().unwrap_or(""),
                        n["kind"].as_str().unwrap_or(""),
                        n["others"].as_i64().unwrap_or(0)
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

async fn notifications_of_every_kind(b: Backend) -> TestResult {
    let Some(app) = start(b).await? else {
        return Ok(());
    };
    let (ana, _) = person(&app, "Ana").await?;
    let (ben, _) = person(&app, "Ben").await?;
    let (cat, _) = person(&app, "Cat").await?;
    create_space(&app, &ana, "guild", "public").await?;
    ok(app.call(&ben, "spaces/join", &[("slug", "guild")]).await?).await?;
    ok(app.call(&cat, "spaces/join", &[("slug", "guild")]).await?).await?;
    let p = post(&app, &ana, "guild", "hello @ben").await?.to_string();
    let comment = ok(app
        .call(
            &ben,
            "walls/comment",
            &[("post_id", &p), ("parent_id", ""), ("body", "hi")],
        )
        .await?)
    .await?;
    let comment = comment.as_i64().unwrap_or_default().to_string();
    ok(app
        .call(
            &ana,
            "walls/comment",
            &[
                ("post_id", &p),
                ("parent_id", &comment),
                ("body", "welcome"),
            ],
        )
        .await?)
    .await?;
    for who in [&ben, &cat] {
        ok(app
            .call(who, "walls/react", &[("post_id", &p), ("kind", "like")])
            .await?)
        .await?;
    }
    ok(app
        .call(
            &cat,
            "profiles/follow",
            &[("handle", "ana"), ("follow", "true")],
        )
        .await?)
    .await?;

    let anas = notifications_of(&app, &ana).await?;
    assert_eq!(
        sentences(&anas),
        vec!["Cat Follow 0", "Cat Reaction 1", "Ben Comment 0"],
        "reactions fold into one"
    );
    assert_eq!(anas["unread"], 3);
    assert_eq!(anas["items"][1]["url"], format!("/s/guild#post-{p}"));
    let bens = notifications_of(&app, &ben).await?;
    assert_eq!(sentences(&bens), vec!["Ana Reply 0", "Ana Mention 0"]);

    // Join requests reach moderators; invitations reach the invited.
    let form = [
        ("name", "Circle"),
        ("slug", "circle"),
        ("description", "d"),
        ("visibility", "private"),
        ("join_policy", "request"),
        ("parent", ""),
    ];
    ok(app.call(&ana, "spaces/create", &form).await?).await?;
    ok(app.call(&ben, "spaces/join", &[("slug", "circle")]).await?).await?;
    let cat_id = app.me(&cat).await?["id"]
        .as_i64()
        .unwrap_or_default()
        .to_string();
    ok(app
        .call(
            &ana,
            "spaces/invite",
            &[("slug", "circle"), ("user_id", &cat_id)],
        )
        .await?)
    .await?;
    assert_eq!(
        sentences(&notifications_of(&app, &ana).await?)[0],
        "Ben JoinRequest 0"
    );
    let cats = notifications_of(&app, &cat).await?;
    assert_eq!(sentences(&cats)[0], "Ana Invitation 0");
    assert_eq!(cats["items"][0]["url"], "/s/circle");

    // Read one, then all; someone else's cannot be touched.
    let first = anas["items"][0]["id"]
        .as_i64()
        .unwrap_or_default()
        .to_string();
    assert_eq!(
        app.call(&ben, "notifications/read", &[("id", &first)])
            .await?
            .status(),
        404
    );
    ok(app
        .call(&ana, "notifications/read", &[("id", &first)])
        .await?)
    .await?;
    assert_eq!(
        ok(app.get(&ana, "notifications/unread", &[]).await?).await?,
        3
    );
    ok(app.call(&ana, "notifications/read_all", &[]).await?).await?;
    assert_eq!(
        ok(app.get(&ana, "notifications/unread", &[]).await?).await?,
        0
    );
    // Opening one marks it read and leads to what it is about.
    // As a browser follows a link (a script's call gets the address in a header instead).
    let open = cat
        .get(app.url("/api/notifications/open"))
        .query(&[("id", &cats["items"][0]["id"].to_string())])
        .header("accept", "text/html")
        .send()
        .await?;
    assert!(open.status().is_redirection(), "{}", open.status());
    assert_eq!(
        open.headers().get("location").and_then(|v| v.to_str().ok()),
        Some("/s/circle")
    );
    assert_eq!(
        ok(app.get(&cat, "notifications/unread", &[]).await?).await?,
        0
    );

    // Preferences: reactions off, a weekly digest for mentions; a bad digest is refused.
    let prefs = [
        ("prefs[mention_app]", "on"),
        ("prefs[mention_email]", "weekly"),
        ("prefs[reaction_email]", "off"),
    ];
    ok(app.call(&ana, "notifications/set_prefs", &prefs).await?).await?;
    let stored = ok(app.get(&ana, "notifications/prefs", &[]).await?).await?;
    let find = |kind: &str| {
        stored
            .as_array()
            .and_then(|a| a.iter().find(|p| p["kind"] == kind).cloned())
            .unwrap_or(Value::Null)
    };
    assert_eq!(find("Mention")["email"], "Weekly");
    assert_eq!(find("Reaction")["in_app"], false);
    let bad = app
        .call(
            &ana,
            "notifications/set_prefs",
            &[("prefs[mention_email]", "hourly")],
        )
        .await?;
    assert_eq!(bad.status(), 422);
    let p2 = post(&app, &ana, "guild", "another").await?.to_string();
    ok(app
        .call(&ben, "walls/react", &[("post_id", &p2), ("kind", "like")])
        .await?)
    .await?;
    assert_eq!(
        ok(app.get(&ana, "notifications/unread", &[]).await?).await?,
        0
    );
    app.finish().await;
    Ok(())
}

// --- WebSocket --------------------------------------------------------------------------------

async fn open_ws(app: &TestApp, cookie: &str, origin: &str) -> Res<Ws> {
    let mut req = format!("ws://{}/ws", app.addr).into_client_request()?;
    req.headers_mut().insert("origin", origin.parse()?);
    if !cookie.is_empty() {
        req.headers_mut().insert("cookie", cookie.parse()?);
    }
    let (ws, _) = tokio_tungstenite::connect_async(req).await?;
    Ok(ws)
}

/// The next message from the server, waiting at most 10 s.
async fn next(ws: &mut Ws) -> Res<ServerMsg> {
    loop {
        let msg = tokio::time::timeout(Duration::from_secs(10), ws.next())
            .await
            .map_err(|_| "no message within 10 s")?
            .ok_or("the socket closed")??;
        if let Message::Text(text) = msg {
            return Ok(serde_json::from_str(text.as_str())?);
        }
    }
}

/// The first message that `wanted` accepts, passing over any other (an event from earlier in the
/// test can still be on its way), waiting at most 10 s in all.
async fn until(ws: &mut Ws, wanted: impl Fn(&ServerMsg) -> bool) -> Res<ServerMsg> {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    let mut passed = Vec::new();
    loop {
        let msg = tokio::time::timeout_at(deadline, next(ws))
            .await
            .map_err(|_| {
                format!("the expected message did not come within 10 s; came: {passed:?}")
            })??;
        if wanted(&msg) {
            return Ok(msg);
        }
        passed.push(msg);
    }
}

/// Whether the server closes the socket (a Close frame, the end of the stream or a broken
/// connection) within 10 s, passing over whatever it sends first.
async fn closes(ws: &mut Ws) -> bool {
    loop {
        match tokio::time::timeout(Duration::from_secs(10), ws.next()).await {
            Err(_) => return false,
            Ok(None | Some(Err(_)) | Some(Ok(Message::Close(_)))) => return true,
            Ok(Some(Ok(_))) => continue,
        }
    }
}

async fn subscribe(ws: &mut Ws, topics: &[&str], since: Option<i64>) -> Res<()> {
    let msg = ClientMsg::Subscribe {
        topics: topics.iter().map(|t| (*t).to_owned()).collect(),
        since,
    };
    ws.send(Message::Text(serde_json::to_string(&msg)?.into()))
        .await?;
    Ok(())
}

/// Opens a socket and listens to `topics` from the id the server greets with, so no event that
/// comes while the subscription travels is missed.
async fn listen(app: &TestApp, cookie: &str, topics: &[&str]) -> Res<Ws> {
    let mut ws = open_ws(app, cookie, &app.base).await?;
    let ServerMsg::Hello { last } = next(&mut ws).await? else {
        return Err("expected a greeting".into());
    };
    subscribe(&mut ws, topics, Some(last)).await?;
    Ok(ws)
}

/// The topic of a space's wall, as the wall reports it.
async fn space_topic(app: &TestApp, c: &Client, slug: &str) -> Res<String> {
    let wall = ok(app
        .get(c, "walls/space", &[("slug", slug), ("before", "")])
        .await?)
    .await?;
    Ok(wall["topic"].as_str().unwrap_or_default().to_owned())
}

/// The id and verb of an activity event.
fn activity(msg: &ServerMsg) -> Option<(i64, String)> {
    match msg {
        ServerMsg::Event {
            id,
            body: EventBody::Activity { verb, .. },
            ..
        } => Some((*id, verb.as_str().to_owned())),
        _ => None,
    }
}

async fn websocket_checks_origin_session_and_topics(b: Backend) -> TestResult {
    let Some(app) = start(b).await? else {
        return Ok(());
    };
    let (ana, ana_cookie) = person(&app, "Ana").await?;
    let (_ben, ben_cookie) = person(&app, "Ben").await?;
    create_space(&app, &ana, "inner", "private").await?;
    let topic = space_topic(&app, &ana, "inner").await?;

    let refused = |r: Res<Ws>, status: u16| match r {
        Err(e) => assert!(e.to_string().contains(&status.to_string()), "{e}"),
        Ok(_) => panic!("the upgrade should be refused with {status}"),
    };
    refused(open_ws(&app, "", &app.base).await, 401);
    refused(open_ws(&app, &ana_cookie, "http://evil.example").await, 403);

    // Ben may not listen to a private space he is not in.
    let mut ws = open_ws(&app, &ben_cookie, &app.base).await?;
    assert!(matches!(next(&mut ws).await?, ServerMsg::Hello { .. }));
    subscribe(&mut ws, &[&topic, "user:1", "site", "nonsense"], None).await?;
    match until(&mut ws, |m| matches!(m, ServerMsg::Denied { .. })).await? {
        ServerMsg::Denied { topics } => {
            assert_eq!(
                topics,
                vec!["nonsense".to_owned(), topic.clone(), "user:1".to_owned()]
            )
        }
        other => panic!("expected a refusal, got {other:?}"),
    }

    // A subscription just under the 64 KiB message limit (about 62 KB) is read, and its
    // nonsense refused...
    let many: Vec<String> = (0..7_000).map(|i| format!("x:{i}")).collect();
    let many: Vec<&str> = many.iter().map(String::as_str).collect();
    subscribe(&mut ws, &many, None).await?;
    match until(&mut ws, |m| matches!(m, ServerMsg::Denied { .. })).await? {
        ServerMsg::Denied { topics } => assert_eq!(topics.len(), many.len()),
        other => panic!("expected a refusal, got {other:?}"),
    }
    // ...and a message over it closes the connection: a Close frame, the end of the stream or
    // a broken connection (also while the message is still being written), never silence.
    let too_big = "x".repeat(65 * 1024);
    let closed = ws.send(Message::Text(too_big.into())).await.is_err() || closes(&mut ws).await;
    assert!(closed, "a message over 64 KiB should close the connection");
    app.finish().await;
    Ok(())
}

/// A subscription costs a bounded number of look-ups however long it is; a browser that sends
/// faster than it may is disconnected; and one person's sockets are capped.
async fn websocket_bounds_lookups_messages_and_sockets(b: Backend) -> TestResult {
    let Some(app) = start(b).await? else {
        return Ok(());
    };
    let (ana, ana_cookie) = person(&app, "Ana").await?;
    let (_ben, ben_cookie) = person(&app, "Ben").await?;
    create_space(&app, &ana, "askers", "public").await?;
    let mut topics = Vec::new();
    for i in 0..app::server::live::MAX_TOPIC_LOOKUPS + 3 {
        let title = format!("Question number {i}");
        let form = [
            ("kind", "question"),
            ("space", "askers"),
            ("title", title.as_str()),
            ("body", "How do we do this well?"),
            ("tags", "practice"),
        ];
        let id = ok(app.call(&ana, "topics/create", &form).await?).await?;
        topics.push(format!("topic:{}", id.as_i64().ok_or("no topic id")?));
    }
    let mut ws = open_ws(&app, &ana_cookie, &app.base).await?;
    assert!(matches!(next(&mut ws).await?, ServerMsg::Hello { .. }));
    let wanted: Vec<&str> = topics.iter().map(String::as_str).collect();
    subscribe(&mut ws, &wanted, None).await?;
    match until(&mut ws, |m| matches!(m, ServerMsg::Denied { .. })).await? {
        ServerMsg::Denied { topics } => assert_eq!(topics.len(), 3, "{topics:?}"),
        other => panic!("expected a refusal, got {other:?}"),
    }

    // A burst of messages past the allowance closes the connection.
    let mut refused = false;
    for _ in 0..600 {
        if subscribe(&mut ws, &["site"], None).await.is_err() {
            refused = true;
            break;
        }
    }
    assert!(
        refused || closes(&mut ws).await,
        "a flood of messages should close the connection"
    );

    // Ben may have so many sockets open at once; the next is refused with 429.
    let mut open = Vec::new();
    for _ in 0..server::ws::MOST_SOCKETS_PER_PERSON {
        let mut w = open_ws(&app, &ben_cookie, &app.base).await?;
        assert!(matches!(next(&mut w).await?, ServerMsg::Hello { .. }));
        open.push(w);
    }
    match open_ws(&app, &ben_cookie, &app.base).await {
        Err(e) => assert!(e.to_string().contains("429"), "{e}"),
        Ok(_) => panic!("one socket too many should be refused"),
    }
    drop(open);
    app.finish().await;
    Ok(())
}

async fn reconnecting_replays_exactly_the_missed_events(b: Backend) -> TestResult {
    let Some(app) = start(b).await? else {
        return Ok(());
    };
    let (ana, _) = person(&app, "Ana").await?;
    let (ben, ben_cookie) = person(&app, "Ben").await?;
    create_space(&app, &ana, "guild", "private").await?;
    ok(app.call(&ben, "spaces/join", &[("slug", "guild")]).await?).await?;
    let topic = space_topic(&app, &ben, "guild").await?;

    // Live: Ben hears Ana's post as it happens.
    let mut ws = listen(&app, &ben_cookie, &[&topic]).await?;
    post(&app, &ana, "guild", "first").await?;
    let posted = |m: &ServerMsg| activity(m).is_some_and(|(_, verb)| verb == "posted");
    let (seen, _) = activity(&until(&mut ws, posted).await?).ok_or("an activity event")?;

    // Ben drops off; Ana posts twice and someone else acts elsewhere.
    ws.close(None).await?;
    drop(ws);
    let second = post(&app, &ana, "guild", "second").await?;
    create_space(&app, &ana, "elsewhere", "private").await?;
    let third = post(&app, &ana, "guild", "third").await?;

    // Back with the last id he saw: exactly the two missed posts, in order, then live again.
    let mut ws = open_ws(&app, &ben_cookie, &app.base).await?;
    assert!(matches!(next(&mut ws).await?, ServerMsg::Hello { .. }));
    subscribe(&mut ws, &[&topic], Some(seen)).await?;
    let mut objects = Vec::new();
    for _ in 0..2 {
        match next(&mut ws).await? {
            ServerMsg::Event {
                id,
                topic: t,
                body: EventBody::Activity { object, verb, .. },
            } => {
                assert!(id > seen && t == topic && verb.as_str() == "posted");
                objects.push(object);
            }
            other => panic!("expected a missed post, got {other:?}"),
        }
    }
    assert_eq!(objects, vec![second, third]);
    let fourth = post(&app, &ana, "guild", "fourth").await?;
    match next(&mut ws).await? {
        ServerMsg::Event {
            body: EventBody::Activity { object, .. },
            ..
        } => assert_eq!(object, fourth, "nothing else came between"),
        other => panic!("expected the live post, got {other:?}"),
    }

    // Too far behind: told to refetch rather than sent a flood.
    let db = &app.state.db;
    let upto = app::server::infra::events::last_id(db).await?;
    let topics = vec![topic.clone()];
    let missed = app::server::infra::events::missed(db, &topics, 0, upto, 2).await?;
    assert_eq!(missed, app::server::infra::events::CatchUp::TooFar);
    app.finish().await;
    Ok(())
}

async fn notifications_and_counts_arrive_live(b: Backend) -> TestResult {
    let Some(app) = start(b).await? else {
        return Ok(());
    };
    let (ana, ana_cookie) = person(&app, "Ana").await?;
    let (ben, _) = person(&app, "Ben").await?;
    create_space(&app, &ana, "guild", "public").await?;
    ok(app.call(&ben, "spaces/join", &[("slug", "guild")]).await?).await?;
    let p = post(&app, &ana, "guild", "react to me").await?;
    let ana_id = app.me(&ana).await?["id"].as_i64().unwrap_or_default();
    let topic = space_topic(&app, &ana, "guild").await?;
    let own = format!("user:{ana_id}");
    let mut ws = listen(&app, &ana_cookie, &[&own, &topic]).await?;
    ok(app
        .call(
            &ben,
            "walls/react",
            &[("post_id", &p.to_string()), ("kind", "like")],
        )
        .await?)
    .await?;
    // Both arrive, in either order, whatever else comes before them (the post's own event can
    // still be on its way).
    let count = EventBody::Notifications { unread: 1 };
    let changed = EventBody::PostChanged { post: PostId(p) };
    let mut heard = Vec::new();
    while !(heard.contains(&count) && heard.contains(&changed)) {
        match next(&mut ws).await {
            Ok(ServerMsg::Event { body, .. }) => heard.push(body),
            Ok(_) => {}
            Err(e) => return Err(format!("{e}; heard: {heard:?}").into()),
        }
    }
    // The wall's live read shows the new count.
    let live = ok(app
        .get(&ana, "walls/post_live", &[("post_id", &p.to_string())])
        .await?)
    .await?;
    assert_eq!(live["reactions"][0]["count"], 1);
    // Presence: Ana is online in the space while her socket is open.
    let online = ok(app.get(&ben, "spaces/online", &[("slug", "guild")]).await?).await?;
    assert_eq!(online[0]["text"], "Ana", "{online}");
    app.finish().await;
    Ok(())
}

crate::on_both_backends!(
    home_feed_reads_every_source,
    feeds_show_only_what_the_reader_may_see,
    feeds_page_with_keyset_cursors,
    notifications_of_every_kind,
    websocket_checks_origin_session_and_topics,
    websocket_bounds_lookups_messages_and_sockets,
    reconnecting_replays_exactly_the_missed_events,
    notifications_and_counts_arrive_live,
);

/// Two instances on one PostgreSQL: a post made through A reaches a socket on B.
#[tokio::test]
async fn two_instances_share_events_through_postgres() -> TestResult {
    crate::common::within_limit(async {
        let Some(a) = start(Backend::Postgres).await? else {
            return Ok(());
        };
        let b = TestApp::spawn_on(a.db.clone(), |_| {}).await?;
        let (ana, _) = person(&a, "Ana").await?;
        create_space(&a, &ana, "guild", "public").await?;
        let topic = space_topic(&a, &ana, "guild").await?;
        let res = b
            .sign_in(&b.new_client()?, "ana@example.com", PASSWORD)
            .await?;
        let cookie_on_b = session_pair(&res);
        let mut ws = listen(&b, &cookie_on_b, &[&topic]).await?;
        let id = post(&a, &ana, "guild", "through A").await?;
        let posted = |m: &ServerMsg| activity(m).is_some_and(|(_, verb)| verb == "posted");
        match until(&mut ws, posted).await? {
            ServerMsg::Event {
                body: EventBody::Activity { object, verb, .. },
                ..
            } => assert_eq!((object, verb.as_str()), (id, "posted")),
            other => panic!("expected the post, got {other:?}"),
        }
        let mut b = b;
        b.stop_server().await;
        a.finish().await;
        Ok(())
    })
    .await
}
