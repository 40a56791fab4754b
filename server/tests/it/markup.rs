//! User text never becomes markup in a served page: titles (the `<title>` element) and text areas
//! (their content), whether the text was stored (a thread's title, a person's name, a quoted
//! reply) or reflected (a search, a tag, a form sent back with its error). The server writes both
//! elements' text as it is, so each payload below would end its element and redirect the reader
//! if it were not escaped. On SQLite and on PostgreSQL.

use crate::common::{ok_json, Backend, TestApp, TestResult};
type Client = reqwest::Client;
type Res<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

const END_TITLE: &str =
    r#"</title><meta http-equiv="refresh" content="0;url=https://evil.example">"#;
const END_TEXTAREA: &str =
    r#"</textarea><meta http-equiv="refresh" content="0;url=https://evil.example">"#;

/// The page at `path` (with `query`) as `c` gets it: 200 and its HTML.
async fn page(app: &TestApp, c: &Client, path: &str, query: &[(&str, &str)]) -> Res<String> {
    let res = c.get(app.url(path)).query(query).send().await?;
    assert_eq!(res.status(), 200, "{path}");
    Ok(res.text().await?)
}

/// The page carries the payload as text only: no element came out of it.
fn only_text(html: &str, what: &str) {
    assert!(
        !html.contains(r#"<meta http-equiv="refresh""#),
        "{what}: the payload became markup"
    );
    assert!(
        !html.contains("</title><meta"),
        "{what}: the title was ended"
    );
    assert!(
        !html.contains("</textarea><meta"),
        "{what}: the text area was ended"
    );
}

/// The text of the page's `<title>`.
fn title_of(html: &str) -> &str {
    let start = html
        .find("<title>")
        .map(|i| i + "<title>".len())
        .unwrap_or(0);
    let end = html[start..]
        .find("</title>")
        .map(|i| start + i)
        .unwrap_or(start);
    &html[start..end]
}

async fn titles_and_text_areas_keep_user_text_as_text(b: Backend) -> TestResult {
    let Some(app) = TestApp::spawn(b, |_| {}).await? else {
        return Ok(());
    };
    let ana = app.person("Ana").await?;
    let bo = app.person("Bo").await?;
    let eve = app.new_client()?;
    let res = app
        .register(&eve, END_TITLE, "eve@example.com", "correct horse battery")
        .await?;
    assert_eq!(res.status(), 200, "a name may hold any characters");

    // Stored: a thread's title, shown in its page's title.
    let form = [
        ("kind", "question"),
        ("space", ""),
        ("title", END_TITLE),
        ("body", "Anything to add?"),
        ("tags", "safety"),
    ];
    let topic = ok_json(app.call(&ana, "topics/create", &form).await?)
        .await?
        .as_i64()
        .ok_or("no topic id")?;
    let html = page(&app, &bo, &format!("/t/{topic}"), &[]).await?;
    only_text(&html, "a thread's title");
    assert!(
        title_of(&html).starts_with("&lt;/title&gt;&lt;meta http-equiv=&quot;refresh"),
        "{}",
        title_of(&html)
    );

    // Stored: a person's name, in the title of their profile.
    let me = app.me(&eve).await?;
    let handle = me["handle"].as_str().unwrap_or_default().to_owned();
    let html = page(&app, &bo, &format!("/u/{handle}"), &[]).await?;
    only_text(&html, "a person's name");

    // Reflected: a search and a tag, from the address.
    only_text(
        &page(&app, &bo, "/search", &[("q", END_TITLE)]).await?,
        "a search",
    );
    let tag = app::domain::nav::encode_query(END_TITLE);
    only_text(
        &page(&app, &bo, &format!("/tags/{tag}"), &[]).await?,
        "a tag",
    );

    // Stored: a reply quoted into the reply box.
    let t = topic.to_string();
    let reply = [
        ("topic", t.as_str()),
        ("body", END_TEXTAREA),
        ("parent", ""),
    ];
    let reply = ok_json(app.call(&bo, "topics/reply", &reply).await?)
        .await?
        .as_i64()
        .ok_or("no reply id")?;
    let html = page(
        &app,
        &ana,
        &format!("/t/{topic}"),
        &[("quote", &reply.to_string())],
    )
    .await?;
    only_text(&html, "a quoted reply");
    assert!(
        html.contains("&lt;/textarea&gt;&lt;meta"),
        "the quote is in the box, as text"
    );

    // Reflected: a form sent back, without JavaScript, with its error and what was typed.
    let res = ana
        .post(app.url("/api/topics/create"))
        .header("accept", "text/html,application/xhtml+xml")
        .header("referer", app.url("/questions/ask"))
        .form(&[
            ("kind", "question"),
            ("space", ""),
            ("title", ""),
            ("body", END_TEXTAREA),
            ("tags", "safety"),
        ])
        .send()
        .await?;
    assert!(res.status().is_redirection(), "{}", res.status());
    let back = res.headers()["location"].to_str()?.to_owned();
    assert!(back.contains("__err="), "{back}");
    let html = ana.get(&back).send().await?.text().await?;
    only_text(&html, "a form sent back with its error");
    assert!(
        html.contains("&lt;/textarea&gt;&lt;meta"),
        "what was typed is kept, as text"
    );
    app.finish().await;
    Ok(())
}

crate::on_both_backends!(titles_and_text_areas_keep_user_text_as_text);
