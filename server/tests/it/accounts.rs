//! Registration, sign-in, sign-out, password change, duplicate email, weak password, rate
//! limits and session expiry: each on SQLite and on PostgreSQL.

use crate::common::{field_message, Backend, TestApp, TestResult};
use serde_json::Value;

const PASSWORD: &str = "correct horse battery";

async fn start(b: Backend) -> Result<Option<TestApp>, String> {
    TestApp::spawn(b, |_| {}).await
}

/// Registers through the form's fields only: no setup link, no invitation.
async fn register_plain(
    app: &TestApp,
    client: &reqwest::Client,
    name: &str,
    email: &str,
    extra: &[(&str, &str)],
) -> Result<reqwest::Response, reqwest::Error> {
    let mut form = vec![
        ("display_name", name),
        ("email", email),
        ("password", PASSWORD),
    ];
    form.extend_from_slice(extra);
    app.call(client, "auth/register", &form).await
}

async fn registration_signs_in_and_only_the_setup_link_makes_the_admin(b: Backend) -> TestResult {
    let Some(app) = start(b).await? else {
        return Ok(());
    };
    // The first account on a fresh site is a member like any other: whoever finds a new
    // site first does not become its admin.
    let mal = app.new_client()?;
    let res = register_plain(&app, &mal, "Mal", "mal@example.com", &[]).await?;
    assert_eq!(res.status(), 200);
    let cookie = crate::common::set_cookie(&res);
    assert!(cookie.starts_with("cohort_session="), "{cookie}");
    for attr in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=2592000"] {
        assert!(cookie.contains(attr), "cookie lacks {attr}: {cookie}");
    }
    assert!(
        !cookie.contains("Secure"),
        "plain http must not set Secure: {cookie}"
    );
    assert_eq!(app.me(&mal).await?["role"], "Member");
    // A wrong setup token is no way in either.
    let eve = app.new_client()?;
    let res = register_plain(&app, &eve, "Eve", "eve@example.com", &[("setup", "guess")]).await?;
    assert_eq!(res.status(), 200);
    assert_eq!(app.me(&eve).await?["role"], "Member");
    // The page opened from the setup link says what it makes.
    let page = app
        .client
        .get(app.url(&format!("/register?setup={}", crate::common::SETUP_TOKEN)))
        .send()
        .await?;
    assert_eq!(page.status(), 200);
    assert!(page.text().await?.contains("Create the site admin account"));

    let ana = app.new_client()?;
    let res = app
        .register(&ana, "Ana Lima", " Ana@Example.com ", PASSWORD)
        .await?;
    assert_eq!(res.status(), 200);
    let me = app.me(&ana).await?;
    assert_eq!(me["display_name"], "Ana Lima");
    assert_eq!(me["email"], "ana@example.com");
    assert_eq!(me["role"], "Admin");

    // Spent: the same link now makes members.
    let bo = app.new_client()?;
    let res = app.register(&bo, "Bo", "bo@example.com", PASSWORD).await?;
    assert_eq!(res.status(), 200);
    assert_eq!(app.me(&bo).await?["role"], "Member");
    let token = app::server::accounts::registration::setup_token(&app.state.db, None).await?;
    assert_eq!(token, None, "no setup link once there is an admin");
    app.finish().await;
    Ok(())
}

async fn a_taken_address_is_refused_without_saying_it_is_taken(b: Backend) -> TestResult {
    let Some(app) = start(b).await? else {
        return Ok(());
    };
    let c = app.new_client()?;
    assert_eq!(
        app.register(&c, "Ana", "ana@example.com", PASSWORD)
            .await?
            .status(),
        200
    );
    let other = app.new_client()?;
    let res = app
        .register(&other, "Another Ana", "ANA@example.com", PASSWORD)
        .await?;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await?;
    let msg = field_message(&body, "email").unwrap_or_default();
    assert!(msg.contains("cannot be used to register"), "{body}");
    for telling in ["exists", "taken", "already registered"] {
        assert!(!msg.contains(telling), "{msg}");
    }
    // What was typed comes back for the form (not the password).
    let values = body["Validation"]["values"].to_string();
    assert!(
        values.contains("Another Ana") && !values.contains(PASSWORD),
        "{values}"
    );
    assert!(app.me(&other).await?.is_null());
    app.finish().await;
    Ok(())
}

/// An admin closes registration, then opens it by invitation: each link makes one account.
async fn admins_close_registration_or_open_it_by_invitation(b: Backend) -> TestResult {
    let Some(app) = start(b).await? else {
        return Ok(());
    };
    let admin = app.person("Ada Admin").await?;
    let member = app.person("Bo Member").await?;
    let mode = |m: &'static str| [("mode", m)];
    assert_eq!(
        app.call(&member, "admin/set_registration", &mode("closed"))
            .await?
            .status(),
        403
    );
    assert_eq!(
        app.call(&admin, "admin/set_registration", &mode("shut"))
            .await?
            .status(),
        422
    );
    let res = app
        .call(&admin, "admin/set_registration", &mode("closed"))
        .await?;
    assert!(
        res.status().is_success() || res.status().is_redirection(),
        "{}",
        res.status()
    );

    // Closed: the page says so with 403, and so does a registration sent anyway.
    let page = app.new_client()?.get(app.url("/register")).send().await?;
    assert_eq!(page.status(), 403);
    assert!(page.text().await?.contains("Registration is closed"));
    let cy = app.new_client()?;
    let res = register_plain(&app, &cy, "Cy", "cy@example.com", &[]).await?;
    assert_eq!(res.status(), 403);
    assert!(res.text().await?.contains("Registration is closed"));
    assert!(app.me(&cy).await?.is_null());

    // By invitation: without a link, no; with one, once.
    app.call(&admin, "admin/set_registration", &mode("invitation"))
        .await?;
    let res = register_plain(&app, &cy, "Cy", "cy@example.com", &[]).await?;
    assert_eq!(res.status(), 403);
    assert!(res.text().await?.contains("by invitation only"));
    assert_eq!(
        app.call(&member, "admin/invite", &[("note", "Cy")])
            .await?
            .status(),
        403
    );
    let made: Value = app
        .call(&admin, "admin/invite", &[("note", "Cy from Welding")])
        .await?
        .json()
        .await?;
    let link = made["link"].as_str().unwrap_or_default().to_owned();
    assert!(link.starts_with(&app.base), "{made}");
    let token = link.split("invite=").nth(1).unwrap_or_default().to_owned();
    let page = app
        .new_client()?
        .get(app.url(&format!("/register?invite={token}")))
        .send()
        .await?;
    assert_eq!(page.status(), 200);
    assert!(page.text().await?.contains("You were invited to join."));
    let res = register_plain(&app, &cy, "Cy", "cy@example.com", &[("invite", &token)]).await?;
    assert_eq!(res.status(), 200);
    assert_eq!(app.me(&cy).await?["role"], "Member");
    let dee = app.new_client()?;
    let res = register_plain(&app, &dee, "Dee", "dee@example.com", &[("invite", &token)]).await?;
    assert_eq!(res.status(), 403);
    assert!(res.text().await?.contains("has been used or has expired"));
    let list: Value = app
        .call(&admin, "admin/invitations", &[])
        .await?
        .json()
        .await?;
    assert_eq!(list[0]["used_by"], "Cy", "{list}");
    assert_eq!(list[0]["open"], false);

    // A revoked link makes nothing; a taken address does not spend a link.
    let second: Value = app
        .call(&admin, "admin/invite", &[("note", "")])
        .await?
        .json()
        .await?;
    let second_token = second["link"]
        .as_str()
        .unwrap_or_default()
        .split("invite=")
        .nth(1)
        .unwrap_or_default()
        .to_owned();
    let res = register_plain(
        &app,
        &dee,
        "Dee",
        "cy@example.com",
        &[("invite", &second_token)],
    )
    .await?;
    assert_eq!(res.status(), 422);
    let id = second["id"].to_string();
    let res = app
        .call(&admin, "admin/revoke_invitation", &[("id", &id)])
        .await?;
    assert!(
        res.status().is_success() || res.status().is_redirection(),
        "{}",
        res.status()
    );
    let res = register_plain(
        &app,
        &dee,
        "Dee",
        "dee@example.com",
        &[("invite", &second_token)],
    )
    .await?;
    assert_eq!(res.status(), 403);
    assert!(app.me(&dee).await?.is_null());

    // The setup link stays the way in while a site has no admin, whatever the mode; here
    // there is one, so it makes nothing.
    let res = app
        .register(&dee, "Dee", "dee@example.com", PASSWORD)
        .await?;
    assert_eq!(res.status(), 403);
    app.finish().await;
    Ok(())
}

async fn weak_passwords_and_bad_fields_are_refused_per_field(b: Backend) -> TestResult {
    let Some(app) = start(b).await? else {
        return Ok(());
    };
    let c = app.new_client()?;
    let res = app.register(&c, "", "not-an-email", "short").await?;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await?;
    assert_eq!(
        field_message(&body, "display_name").as_deref(),
        Some("Enter your name.")
    );
    assert_eq!(
        field_message(&body, "email").as_deref(),
        Some("Enter an email address like name@example.com.")
    );
    assert_eq!(
        field_message(&body, "password").as_deref(),
        Some("Use at least 10 characters.")
    );

    for weak in ["password123", "aaaaaaaaaaaa", "ana.lima@example.com"] {
        let res = app
            .register(&c, "Ana Lima", "ana.lima@example.com", weak)
            .await?;
        assert_eq!(res.status(), 422, "{weak} should be refused");
        let body: Value = res.json().await?;
        assert!(field_message(&body, "password").is_some(), "{body}");
    }
    // Nothing was created by the refused attempts.
    let ok = app
        .register(&c, "Ana Lima", "ana.lima@example.com", PASSWORD)
        .await?;
    assert_eq!(ok.status(), 200);
    app.finish().await;
    Ok(())
}

async fn sign_out_then_sign_in_again(b: Backend) -> TestResult {
    let Some(app) = start(b).await? else {
        return Ok(());
    };
    let c = app.new_client()?;
    app.register(&c, "Ana", "ana@example.com", PASSWORD).await?;
    let res = app.call(&c, "auth/sign_out", &[]).await?;
    assert_eq!(res.status(), 200);
    let cleared = crate::common::set_cookie(&res);
    assert!(cleared.contains("Max-Age=0"), "{cleared}");
    assert!(app.me(&c).await?.is_null());

    let res = app.sign_in(&c, "ANA@example.com", PASSWORD).await?;
    assert_eq!(res.status(), 200);
    assert_eq!(app.me(&c).await?["display_name"], "Ana");
    app.finish().await;
    Ok(())
}

async fn signed_out_sessions_stay_dead(b: Backend) -> TestResult {
    let Some(app) = start(b).await? else {
        return Ok(());
    };
    let c = app.new_client()?;
    let res = app.register(&c, "Ana", "ana@example.com", PASSWORD).await?;
    let token_pair = crate::common::session_pair(&res);
    app.call(&c, "auth/sign_out", &[]).await?;
    // Replaying the old cookie does not sign anyone in.
    let replay = app
        .new_client()?
        .get(app.url("/api/auth/me"))
        .header("cookie", token_pair)
        .send()
        .await?
        .json::<Value>()
        .await?;
    assert!(replay.is_null());
    app.finish().await;
    Ok(())
}

async fn unknown_email_and_wrong_password_fail_alike(b: Backend) -> TestResult {
    let Some(app) = start(b).await? else {
        return Ok(());
    };
    let c = app.new_client()?;
    app.register(&c, "Ana", "ana@example.com", PASSWORD).await?;
    app.call(&c, "auth/sign_out", &[]).await?;

    let wrong = app
        .sign_in(&c, "ana@example.com", "not the password")
        .await?;
    let unknown = app
        .sign_in(&c, "nobody@example.com", "not the password")
        .await?;
    assert_eq!(wrong.status(), 401);
    assert_eq!(unknown.status(), 401);
    let (w, u): (Value, Value) = (wrong.json().await?, unknown.json().await?);
    assert_eq!(
        field_message(&w, ""),
        Some("Email or password is incorrect.".into())
    );
    assert_eq!(field_message(&w, ""), field_message(&u, ""));
    assert!(app.me(&c).await?.is_null());

    let empty = app.sign_in(&c, "ana@example.com", "").await?;
    assert_eq!(empty.status(), 422);
    app.finish().await;
    Ok(())
}

async fn password_change_needs_the_current_one_and_ends_other_sessions(b: Backend) -> TestResult {
    let Some(app) = start(b).await? else {
        return Ok(());
    };
    let laptop = app.new_client()?;
    let phone = app.new_client()?;
    app.register(&laptop, "Ana", "ana@example.com", PASSWORD)
        .await?;
    app.sign_in(&phone, "ana@example.com", PASSWORD).await?;
    const NEW: &str = "a brand new passphrase";

    let signed_out = app.new_client()?;
    let res = app
        .call(
            &signed_out,
            "auth/change_password",
            &[("current_password", PASSWORD), ("new_password", NEW)],
        )
        .await?;
    assert_eq!(res.status(), 401);

    let res = app
        .call(
            &laptop,
            "auth/change_password",
            &[
                ("current_password", "wrong one here"),
                ("new_password", NEW),
            ],
        )
        .await?;
    assert_eq!(res.status(), 422);
    let body: Value = res.json().await?;
    assert!(field_message(&body, "current_password").is_some(), "{body}");

    let res = app
        .call(
            &laptop,
            "auth/change_password",
            &[("current_password", PASSWORD), ("new_password", "short")],
        )
        .await?;
    assert_eq!(res.status(), 422);

    let res = app
        .call(
            &laptop,
            "auth/change_password",
            &[("current_password", PASSWORD), ("new_password", NEW)],
        )
        .await?;
    assert_eq!(res.status(), 200);
    assert_eq!(
        app.me(&laptop).await?["display_name"],
        "Ana",
        "this session stays"
    );
    assert!(app.me(&phone).await?.is_null(), "other sessions end");

    let fresh = app.new_client()?;
    assert_eq!(
        app.sign_in(&fresh, "ana@example.com", PASSWORD)
            .await?
            .status(),
        401
    );
    assert_eq!(
        app.sign_in(&fresh, "ana@example.com", NEW).await?.status(),
        200
    );
    app.finish().await;
    Ok(())
}

/// Failures in a row on one account slow its next attempts down; they never lock the owner out
/// for the window (they did: ten wrong guesses by anyone locked the account for 15 minutes).
async fn sign_in_is_slowed_per_account_and_limited_per_address(b: Backend) -> TestResult {
    let Some(app) = TestApp::spawn(b, |s| {
        s.sign_in_limit_per_account = Some(3);
        s.sign_in_delay_ms = Some(100);
        s.sign_in_limit_per_ip = Some(8);
    })
    .await?
    else {
        return Ok(());
    };
    let c = app.new_client()?;
    app.register(&c, "Ana", "ana@example.com", PASSWORD).await?;
    app.call(&c, "auth/sign_out", &[]).await?;
    for _ in 0..4 {
        assert_eq!(
            app.sign_in(&c, "ana@example.com", "wrong password!")
                .await?
                .status(),
            401
        );
    }
    // The owner still gets in, after a short wait at most (told by Retry-After).
    assert_eq!(
        sign_in_after_waiting(&app, &c, 2).await?,
        200,
        "a right password gets in"
    );
    assert!(!app.me(&c).await?.is_null());
    app.call(&c, "auth/sign_out", &[]).await?;

    // Per address: other accounts from the same address run into the address limit.
    let mut last = 0;
    for _ in 0..6 {
        last = app
            .sign_in(&c, "someone@example.com", "wrong password!")
            .await?
            .status()
            .as_u16();
    }
    assert_eq!(last, 429, "8 attempts from this address already");
    app.finish().await;
    Ok(())
}

/// Ana signs in with her password; told to wait (never longer than `most_secs`), she waits
/// as told and tries once more. The status of the last answer.
async fn sign_in_after_waiting(
    app: &TestApp,
    c: &reqwest::Client,
    most_secs: u64,
) -> Result<u16, reqwest::Error> {
    let res = app.sign_in(c, "ana@example.com", PASSWORD).await?;
    if res.status() != 429 {
        return Ok(res.status().as_u16());
    }
    let retry = retry_after(&res);
    assert!(
        retry <= most_secs,
        "Retry-After {retry}: slowed down, not locked"
    );
    tokio::time::sleep(std::time::Duration::from_secs(retry)).await;
    Ok(app
        .sign_in(c, "ana@example.com", PASSWORD)
        .await?
        .status()
        .as_u16())
}

fn retry_after(res: &reqwest::Response) -> u64 {
    res.headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or_default()
}

/// Guesses sent all at once queue up one behind the other: the count is taken atomically, so
/// they cannot all pass a check before any is counted (they did).
async fn parallel_guesses_wait_their_turn(b: Backend) -> TestResult {
    let Some(app) = TestApp::spawn(b, |s| {
        s.sign_in_limit_per_account = Some(3);
        s.sign_in_delay_ms = Some(200);
    })
    .await?
    else {
        return Ok(());
    };
    let c = app.new_client()?;
    app.register(&c, "Ana", "ana@example.com", PASSWORD).await?;
    app.call(&c, "auth/sign_out", &[]).await?;
    let guesses = (0..16).map(|_| {
        let c = c.clone();
        let app = &app;
        async move {
            app.sign_in(&c, "ana@example.com", "wrong password!")
                .await
                .map(|r| (r.status().as_u16(), retry_after(&r)))
        }
    });
    let answers = futures_util::future::join_all(guesses).await;
    let mut refused = 0;
    for answer in answers {
        let (status, retry) = answer?;
        assert!(matches!(status, 401 | 429), "{status}");
        if status == 429 {
            refused += 1;
            assert!((1..=8).contains(&retry), "Retry-After {retry}");
        }
    }
    // 3 pass at once, then turns 200, 400, 800 and 1,600 ms apart: past 3.2 s of waiting the
    // rest are refused (9 when they all arrive together).
    assert!(refused >= 1, "{refused} of 16 refused");
    // The refused ones took no turn: the owner waits at most the longest turn.
    assert_eq!(sign_in_after_waiting(&app, &c, 8).await?, 200);
    app.finish().await;
    Ok(())
}

async fn registration_is_rate_limited_per_address(b: Backend) -> TestResult {
    let Some(app) = TestApp::spawn(b, |s| s.register_limit_per_ip = Some(2)).await? else {
        return Ok(());
    };
    let c = app.new_client()?;
    assert_eq!(
        app.register(&c, "A", "a@example.com", PASSWORD)
            .await?
            .status(),
        200
    );
    assert_eq!(
        app.register(&c, "B", "b@example.com", PASSWORD)
            .await?
            .status(),
        200
    );
    let res = app.register(&c, "C", "c@example.com", PASSWORD).await?;
    assert_eq!(res.status(), 429);
    let body: Value = res.json().await?;
    assert!(body.get("RateLimited").is_some(), "{body}");
    app.finish().await;
    Ok(())
}

async fn expired_sessions_are_signed_out(b: Backend) -> TestResult {
    let Some(app) = TestApp::spawn(b, |s| s.session_ttl_hours = Some(1)).await? else {
        return Ok(());
    };
    let c = app.new_client()?;
    let res = app.register(&c, "Ana", "ana@example.com", PASSWORD).await?;
    let cookie = crate::common::set_cookie(&res);
    assert!(cookie.contains("Max-Age=3600"), "{cookie}");
    let (expires, created): (i64, i64) =
        sqlx::query_as("SELECT expires_at, created_at FROM sessions")
            .fetch_one(&app.state.db.pool)
            .await?;
    assert_eq!(expires - created, 3600);
    assert!(!app.me(&c).await?.is_null());

    // An hour later (moved in the database, not waited for), the session is over.
    sqlx::query("UPDATE sessions SET expires_at = expires_at - 3601")
        .execute(&app.state.db.pool)
        .await?;
    assert!(app.me(&c).await?.is_null());
    let res = app
        .call(
            &c,
            "auth/change_password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "another passphrase"),
            ],
        )
        .await?;
    assert_eq!(res.status(), 401);
    app.finish().await;
    Ok(())
}

async fn right_passwords_never_lock_an_account_out(b: Backend) -> TestResult {
    let Some(app) = TestApp::spawn(b, |s| {
        s.sign_in_limit_per_account = Some(3);
        s.sign_in_delay_ms = Some(10);
    })
    .await?
    else {
        return Ok(());
    };
    let c = app.new_client()?;
    app.register(&c, "Ana", "ana@example.com", PASSWORD).await?;
    for _ in 0..5 {
        let res = app.sign_in(&c, "ana@example.com", PASSWORD).await?;
        assert_eq!(res.status(), 200, "successes are not counted");
    }
    // Two failures, then a success, twice: a success starts the count again, so six
    // attempts with four failures never reach the limit of three.
    for _ in 0..2 {
        for _ in 0..2 {
            let res = app
                .sign_in(&c, "ana@example.com", "wrong password!")
                .await?;
            assert_eq!(res.status(), 401);
        }
        let res = app.sign_in(&c, "ana@example.com", PASSWORD).await?;
        assert_eq!(res.status(), 200);
    }
    // Signing in again replaced the earlier sessions instead of piling them up.
    let (sessions,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM sessions")
        .fetch_one(&app.state.db.pool)
        .await?;
    assert_eq!(sessions, 1);
    app.finish().await;
    Ok(())
}

crate::on_both_backends!(
    right_passwords_never_lock_an_account_out,
    registration_signs_in_and_only_the_setup_link_makes_the_admin,
    a_taken_address_is_refused_without_saying_it_is_taken,
    admins_close_registration_or_open_it_by_invitation,
    weak_passwords_and_bad_fields_are_refused_per_field,
    sign_out_then_sign_in_again,
    signed_out_sessions_stay_dead,
    unknown_email_and_wrong_password_fail_alike,
    password_change_needs_the_current_one_and_ends_other_sessions,
    sign_in_is_slowed_per_account_and_limited_per_address,
    parallel_guesses_wait_their_turn,
    registration_is_rate_limited_per_address,
    expired_sessions_are_signed_out,
);
