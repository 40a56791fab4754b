//! The HTTP platform: health, security headers, the Origin check, forms without JavaScript,
//! several instances on one database, and the admin command.

use crate::common::{Backend, TestApp, TestDb, TestResult};
use serde_json::Value;

const PASSWORD: &str = "correct horse battery";

async fn health_reports_backend_and_migration(b: Backend) -> TestResult {
    let Some(app) = TestApp::spawn(b, |_| {}).await? else {
        return Ok(());
    };
    let res = app.client.get(app.url("/healthz")).send().await?;
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await?;
    assert_eq!(body["status"], "ok");
    assert_eq!(
        body["database"],
        if b == Backend::Sqlite {
            "sqlite"
        } else {
            "postgres"
        }
    );
    assert_eq!(
        body["migration_version"].as_i64(),
        app.state.db.latest_known_migration()
    );

    // The database goes away: the server says so with 503.
    app.state.db.pool.close().await;
    let res = app.client.get(app.url("/healthz")).send().await?;
    assert_eq!(res.status(), 503);
    let body: Value = res.json().await?;
    assert_eq!(body["status"], "unavailable");
    app.finish().await;
    Ok(())
}

async fn state_changes_need_this_sites_origin(b: Backend) -> TestResult {
    let Some(app) = TestApp::spawn(b, |_| {}).await? else {
        return Ok(());
    };
    let form = [
        ("display_name", "Eve"),
        ("email", "eve@example.com"),
        ("password", PASSWORD),
    ];
    let bare = reqwest::Client::new();
    let url = app.url("/api/auth/register");
    let none = bare.post(&url).form(&form).send().await?;
    assert_eq!(none.status(), 403);
    let evil = bare
        .post(&url)
        .header("origin", "http://evil.example")
        .form(&form)
        .send()
        .await?;
    assert_eq!(evil.status(), 403);
    let evil_ref = bare
        .post(&url)
        .header("referer", "http://evil.example/page")
        .form(&form)
        .send()
        .await?;
    assert_eq!(evil_ref.status(), 403);
    let same = bare
        .post(&url)
        .header("referer", app.url("/register"))
        .form(&form)
        .send()
        .await?;
    assert_eq!(
        same.status(),
        200,
        "a same-site Referer is enough when Origin is missing"
    );
    let count: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users")
        .fetch_one(&app.state.db.pool)
        .await?;
    assert_eq!(
        count.0, 1,
        "only the same-origin request created an account"
    );
    app.finish().await;
    Ok(())
}

async fn forms_work_without_javascript(b: Backend) -> TestResult {
    let Some(app) = TestApp::spawn(b, |_| {}).await? else {
        return Ok(());
    };
    let c = app.new_client()?;
    let post = |path: &str, form: &[(&str, &str)], from: &str| {
        c.post(app.url(path))
            .header("accept", "text/html,application/xhtml+xml")
            .header("referer", app.url(from))
            .form(form)
            .send()
    };
    // A refused registration goes back to the form with the error and what was typed.
    let res = post(
        "/api/auth/register",
        &[
            ("display_name", "Ana Lima"),
            ("email", "ana@example.com"),
            ("password", "short"),
            ("next", ""),
        ],
        "/register",
    )
    .await?;
    assert_eq!(res.status(), 302);
    let back = res
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(
        back.contains("/register") && back.contains("__err="),
        "{back}"
    );
    let page = c.get(&back).send().await?.text().await?;
    assert!(
        page.contains("Use at least 10 characters."),
        "error shown on the page"
    );
    assert!(page.contains("value=\"Ana Lima\""), "name kept");
    assert!(page.contains("value=\"ana@example.com\""), "email kept");

    // A good one signs in and goes home, where the name shows in the top bar.
    let res = post(
        "/api/auth/register",
        &[
            ("display_name", "Ana Lima"),
            ("email", "ana@example.com"),
            ("password", PASSWORD),
            ("next", ""),
        ],
        "/register",
    )
    .await?;
    assert_eq!(res.status(), 302);
    assert_eq!(
        res.headers().get("location").and_then(|v| v.to_str().ok()),
        Some("/")
    );
    let home = c.get(app.url("/")).send().await?.text().await?;
    assert!(home.contains("Ana Lima"), "name in the top bar");
    assert!(home.contains("Sign out"));

    let res = post("/api/auth/sign_out", &[], "/").await?;
    assert_eq!(res.status(), 302);
    let home = c.get(app.url("/")).send().await?.text().await?;
    assert!(!home.contains("Ana Lima") && home.contains("Sign in"));

    let res = post(
        "/api/auth/sign_in",
        &[
            ("email", "ana@example.com"),
            ("password", PASSWORD),
            ("next", "/account"),
        ],
        "/sign-in?next=/account",
    )
    .await?;
    assert_eq!(
        res.headers().get("location").and_then(|v| v.to_str().ok()),
        Some("/account")
    );
    let account = c.get(app.url("/account")).send().await?.text().await?;
    assert!(account.contains("Change password") && account.contains("ana@example.com"));
    app.finish().await;
    Ok(())
}

async fn pages_are_rendered_with_security_headers(b: Backend) -> TestResult {
    let Some(app) = TestApp::spawn(b, |_| {}).await? else {
        return Ok(());
    };
    let res = app.client.get(app.url("/sign-in")).send().await?;
    assert_eq!(res.status(), 200);
    let h = res.headers().clone();
    let get = |n: &str| {
        h.get(n)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let csp = get("content-security-policy");
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|s| s.split('\'').next())
        .unwrap_or_default()
        .to_owned();
    assert!(!nonce.is_empty() && !csp.contains("unsafe-inline"), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"));
    assert_eq!(get("x-content-type-options"), "nosniff");
    assert_eq!(get("x-frame-options"), "DENY");
    assert_eq!(get("referrer-policy"), "strict-origin-when-cross-origin");
    assert!(
        !get("x-request-id").is_empty(),
        "every response carries a request id"
    );
    let html = res.text().await?;
    assert!(
        html.contains(&format!("nonce=\"{nonce}\"")),
        "the hydration script carries the nonce"
    );
    assert!(html.contains("<label for=\"field-email\">Email</label>"));

    let missing = app.client.get(app.url("/no-such-page")).send().await?;
    assert_eq!(missing.status(), 404);
    assert!(missing.text().await?.contains("Page not found"));
    app.finish().await;
    Ok(())
}

async fn https_deployments_get_secure_cookies(b: Backend) -> TestResult {
    let Some(app) = TestApp::spawn(b, |s| {
        s.public_url = Some("https://learn.example.com".into())
    })
    .await?
    else {
        return Ok(());
    };
    let form = [
        ("display_name", "Ana"),
        ("email", "ana@example.com"),
        ("password", PASSWORD),
    ];
    let url = app.url("/api/auth/register");
    // With a public URL set, only that origin may change state: not even this host's own.
    let local = app
        .register(&app.client, "Ana", "ana@example.com", PASSWORD)
        .await?;
    assert_eq!(local.status(), 403);
    let res = reqwest::Client::new()
        .post(&url)
        .header("origin", "https://learn.example.com")
        .form(&form)
        .send()
        .await?;
    assert_eq!(res.status(), 200);
    let cookie = crate::common::set_cookie(&res);
    assert!(cookie.contains("; Secure"), "{cookie}");
    assert!(res.headers().contains_key("strict-transport-security"));
    app.finish().await;
    Ok(())
}

/// `server backup` copies a running SQLite database consistently, and the copy serves as it
/// was; on PostgreSQL it points to pg_dump instead.
async fn backups_copy_a_running_database(b: Backend) -> TestResult {
    let Some(app) = TestApp::spawn(b, |_| {}).await? else {
        return Ok(());
    };
    let ana = app.person("Ana").await?;
    let form = [("handle", "ana"), ("body", "Kept in the backup")];
    let handle = app.me(&ana).await?["handle"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let form = [("handle", handle.as_str()), form[1]];
    assert_eq!(
        app.call(&ana, "walls/post-on-profile", &form)
            .await?
            .status(),
        200
    );
    if b == Backend::Postgres {
        let made = server::backup::backup(
            &app.state.db,
            &app.db.blob_dir(),
            std::path::Path::new("unused.db"),
        )
        .await;
        assert!(made.is_err_and(|e| e.contains("pg_dump")));
        app.finish().await;
        return Ok(());
    }
    // A folder of this test's own (the PostgreSQL run of this test shares the process).
    let dir = std::env::temp_dir().join(format!("cohort_backup_sqlite_{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let copy = dir.join("cohort.db");
    // A file in the blob store goes into the copy too.
    app.state
        .blobs
        .put_bytes("lesson-files/kept", b"kept too")
        .await?;
    let blob_dir = app.db.blob_dir();
    let made = server::backup::backup(&app.state.db, &blob_dir, &copy).await;
    assert!(
        made.as_ref()
            .is_ok_and(|m| m.contains("Copied") && m.contains("1 files")),
        "{made:?}"
    );
    assert!(
        server::backup::backup(&app.state.db, &blob_dir, &copy)
            .await
            .is_err(),
        "an existing file is never overwritten"
    );
    app.finish().await;
    // Restoring: the copy where the database goes, its blobs where the blob store goes.
    std::fs::rename(server::backup::blobs_beside(&copy), dir.join("blobs"))?;

    // The copy serves as the original did.
    let restored = crate::common::TestDb::Sqlite {
        url: format!("sqlite:{}", copy.display()),
        dir: dir.clone(),
    };
    let app = TestApp::spawn_on(restored, |_| {}).await?;
    let ana = app.new_client()?;
    let res = app
        .sign_in(&ana, "ana@example.com", "correct horse battery")
        .await?;
    assert_eq!(res.status(), 200);
    let wall = crate::common::ok_json(
        app.get(
            &ana,
            "walls/person",
            &[("handle", handle.as_str()), ("before", "")],
        )
        .await?,
    )
    .await?;
    assert!(wall.to_string().contains("Kept in the backup"), "{wall}");
    let kept = app
        .state
        .blobs
        .read_range("lesson-files/kept", 0, 8)
        .await?;
    assert_eq!(kept, b"kept too".to_vec());
    app.finish().await;
    Ok(())
}

crate::on_both_backends!(
    backups_copy_a_running_database,
    health_reports_backend_and_migration,
    state_changes_need_this_sites_origin,
    forms_work_without_javascript,
    pages_are_rendered_with_security_headers,
    https_deployments_get_secure_cookies,
);

/// Two instances on one PostgreSQL database: signed in through one, recognised by the other.
#[tokio::test]
async fn two_instances_share_sessions_through_postgres() -> TestResult {
    let Some(db) = TestDb::create(Backend::Postgres).await? else {
        return Ok(());
    };
    let mut a = TestApp::spawn_on(db.clone(), |_| {}).await?;
    let mut b = TestApp::spawn_on(db.clone(), |_| {}).await?;
    let res = a
        .register(&a.client, "Ana", "ana@example.com", PASSWORD)
        .await?;
    assert_eq!(res.status(), 200);
    let pair = crate::common::session_pair(&res);
    let on_b: Value = b
        .client
        .get(b.url("/api/auth/me"))
        .header("cookie", &pair)
        .send()
        .await?
        .json()
        .await?;
    assert_eq!(on_b["display_name"], "Ana");
    // Signing out through B ends the session for A too.
    let out = b
        .client
        .post(b.url("/api/auth/sign_out"))
        .header("cookie", &pair)
        .send()
        .await?;
    assert_eq!(out.status(), 200);
    let on_a: Value = a
        .client
        .get(a.url("/api/auth/me"))
        .send()
        .await?
        .json()
        .await?;
    assert!(on_a.is_null());
    a.stop_server().await;
    b.stop_server().await;
    db.drop_db().await;
    Ok(())
}

/// `server create-admin` makes a new admin, or promotes an existing account.
#[tokio::test]
async fn create_admin_from_the_command_line() -> TestResult {
    let Some(app) = TestApp::spawn(Backend::Sqlite, |_| {}).await? else {
        return Ok(());
    };
    let c = app.new_client()?;
    app.register(&c, "First", "first@example.com", PASSWORD)
        .await?;
    app.register(&c, "Bo", "bo@example.com", PASSWORD).await?;
    let promoted = server::admin::create_admin(&app.config, "bo@example.com", "Bo").await?;
    assert!(promoted.contains("now a site admin"), "{promoted}");
    let (role,): (String,) =
        sqlx::query_as("SELECT role FROM users WHERE email = 'bo@example.com'")
            .fetch_one(&app.state.db.pool)
            .await?;
    assert_eq!(role, "admin");
    // A new account needs a password from the environment (or standard input).
    std::env::set_var("COHORT_ADMIN_PASSWORD", "an admin passphrase");
    let created = server::admin::create_admin(&app.config, "root@example.com", "Root").await?;
    assert!(created.contains("Created site admin"), "{created}");
    let signed = app
        .sign_in(
            &app.new_client()?,
            "root@example.com",
            "an admin passphrase",
        )
        .await?;
    assert_eq!(signed.status(), 200);
    assert_eq!(signed.json::<Value>().await?["role"], "Admin");
    app.finish().await;
    Ok(())
}
