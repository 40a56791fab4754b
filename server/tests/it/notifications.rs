//! Every notification checks that its recipient may read what it is about (the write
//! pipeline's rule): people mentioned in a private space they are not in, and authors who have
//! left it, hear nothing of it; invitations and join requests still reach their people. On
//! SQLite and on PostgreSQL.

use crate::common::{ok_json, Backend, TestApp, TestResult};
type Client = reqwest::Client;
type Res<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

async fn create(app: &TestApp, c: &Client, slug: &str, visibility: &str, policy: &str) -> Res<()> {
    let res = app.create_space(c, slug, visibility, policy).await?;
    assert_eq!(res.status(), 200);
    Ok(())
}

async fn post(app: &TestApp, c: &Client, slug: &str, body: &str) -> Res<i64> {
    let res = app
        .call(c, "walls/post", &[("slug", slug), ("body", body)])
        .await?;
    Ok(ok_json(res).await?.as_i64().unwrap_or_default())
}

async fn comment(app: &TestApp, c: &Client, post: i64, body: &str) -> Res<()> {
    let post = post.to_string();
    let form = [
        ("post_id", post.as_str()),
        ("parent_id", ""),
        ("body", body),
    ];
    assert_eq!(app.call(c, "walls/comment", &form).await?.status(), 200);
    Ok(())
}

/// (kind, url) of each of the person's notifications, newest first.
async fn notifications(app: &TestApp, c: &Client) -> Res<Vec<(String, String)>> {
    let page = ok_json(app.get(c, "notifications/list", &[("before", "")]).await?).await?;
    Ok(page["items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|n| {
                    let s = |k: &str| n[k].as_str().unwrap_or_default().to_owned();
                    (s("kind"), s("url"))
                })
                .collect()
        })
        .unwrap_or_default())
}

async fn handle(app: &TestApp, c: &Client) -> Res<String> {
    Ok(app.me(c).await?["handle"]
        .as_str()
        .unwrap_or_default()
        .to_owned())
}

async fn recipients_must_be_able_to_read_what_they_are_told_of(b: Backend) -> TestResult {
    let Some(app) = TestApp::spawn(b, |_| {}).await? else {
        return Ok(());
    };
    let ana = app.person("Ana").await?;
    let bo = app.person("Bo").await?;
    let cy = app.person("Cy").await?;
    let (bo_handle, cy_handle) = (handle(&app, &bo).await?, handle(&app, &cy).await?);
    // A private space Cy joins and Bo does not.
    create(&app, &ana, "leadership", "private", "open").await?;
    let joined = app
        .call(&cy, "spaces/join", &[("slug", "leadership")])
        .await?;
    assert_eq!(joined.status(), 200);

    // Both are mentioned; only the member, who may read it, is told.
    let text = format!("Plans for @{bo_handle} and @{cy_handle}");
    post(&app, &ana, "leadership", &text).await?;
    let to_cy = notifications(&app, &cy).await?;
    assert!(
        to_cy
            .iter()
            .any(|(k, u)| k == "Mention" && u.starts_with("/s/leadership")),
        "{to_cy:?}"
    );
    let to_bo = notifications(&app, &bo).await?;
    assert!(
        !to_bo.iter().any(|(_, u)| u.contains("leadership")),
        "Bo may not read the space: {to_bo:?}"
    );
    // Nor is Bo's mention recorded where feeds could show it.
    let bo_id = app.me(&bo).await?["id"].as_i64().unwrap_or_default();
    let (recorded,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM activities WHERE verb = 'mentioned' AND object_id = $1",
    )
    .bind(bo_id)
    .fetch_one(&app.state.db.pool)
    .await?;
    assert_eq!(recorded, 0);

    // Cy posts, then leaves: comments on Cy's post no longer reach Cy.
    let cy_post = post(&app, &cy, "leadership", "Before I go").await?;
    comment(&app, &ana, cy_post, "Thanks, Cy").await?;
    let before = notifications(&app, &cy).await?;
    assert!(before.iter().any(|(k, _)| k == "Comment"), "{before:?}");
    let listed = ok_json(
        app.get(&cy, "notifications/list", &[("before", "")])
            .await?,
    )
    .await?;
    let comment_id = listed["items"]
        .as_array()
        .and_then(|items| items.iter().find(|n| n["kind"] == "Comment"))
        .and_then(|n| n["id"].as_i64())
        .ok_or("the comment notice's id")?
        .to_string();
    let left = app
        .call(&cy, "spaces/leave", &[("slug", "leadership")])
        .await?;
    assert_eq!(left.status(), 200);
    comment(&app, &ana, cy_post, "Anyone else?").await?;
    let after = notifications(&app, &cy).await?;
    assert!(
        !after.iter().any(|(_, u)| u.contains("leadership")),
        "no new notice after leaving, and the earlier ones are no longer listed: {after:?}"
    );
    let unread = ok_json(app.get(&cy, "notifications/unread", &[]).await?).await?;
    assert_eq!(unread, 0, "nor counted");
    let opened = app
        .get(&cy, "notifications/open", &[("id", comment_id.as_str())])
        .await?;
    assert_eq!(
        opened.status(),
        404,
        "nor opened, which would give its address"
    );

    // What is about a space itself still reaches its people: an invitation to a secret
    // space, and a request to join to its moderators.
    create(&app, &ana, "vault", "secret", "invite").await?;
    let invite = [("slug", "vault"), ("user_id", &bo_id.to_string())];
    let invited = app.call(&ana, "spaces/invite", &invite).await?;
    assert_eq!(invited.status(), 200);
    let to_bo = notifications(&app, &bo).await?;
    assert!(
        to_bo
            .iter()
            .any(|(k, u)| k == "Invitation" && u == "/s/vault"),
        "{to_bo:?}"
    );
    create(&app, &ana, "council", "private", "request").await?;
    let asked = app.call(&bo, "spaces/join", &[("slug", "council")]).await?;
    assert_eq!(asked.status(), 200);
    let to_ana = notifications(&app, &ana).await?;
    assert!(
        to_ana
            .iter()
            .any(|(k, u)| k == "JoinRequest" && u == "/s/council"),
        "{to_ana:?}"
    );

    // On a person's wall, which everyone signed in reads, mentions reach everyone.
    let on_profile = [
        ("handle", "ana"),
        ("body", &format!("Hi @{bo_handle}") as &str),
    ];
    let posted = app.call(&cy, "walls/post-on-profile", &on_profile).await?;
    assert_eq!(posted.status(), 200);
    let to_bo = notifications(&app, &bo).await?;
    assert!(
        to_bo
            .iter()
            .any(|(k, u)| k == "Mention" && u.starts_with("/u/ana")),
        "{to_bo:?}"
    );
    app.finish().await;
    Ok(())
}

crate::on_both_backends!(recipients_must_be_able_to_read_what_they_are_told_of);
