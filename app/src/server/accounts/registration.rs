//! Who may register: the site's mode (open, invitation only, closed), admins' invitation
//! links, and the setup link that creates the first site admin.

use crate::domain::registration::{
    Invitation, RegistrationMode, RegistrationOffer, INVITATION_DAYS, MOST_NOTE_CHARS,
};
use crate::error::{AppError, AppResult, FormErrors, FORM};
use crate::server::accounts::users::NewRole;
use crate::server::infra::db::{now, Db};
use crate::server::infra::{sessions, settings};
use crate::server::policy::Viewer;

const MODE: &str = "registration";
const SETUP_TOKEN: &str = "setup_token";

/// The site's registration mode (open until an admin changes it).
pub async fn mode(db: &Db) -> AppResult<RegistrationMode> {
    let value = settings::get(db, MODE).await?;
    Ok(value
        .as_deref()
        .and_then(RegistrationMode::parse)
        .unwrap_or(RegistrationMode::Open))
}

/// Sets the registration mode (site admins).
pub async fn set_mode(db: &Db, viewer: Viewer, mode: &str) -> AppResult<()> {
    if !viewer.admin {
        return Err(AppError::Forbidden);
    }
    let mode = RegistrationMode::parse(mode).ok_or_else(|| {
        AppError::Validation(FormErrors::single("mode", "Choose who can register."))
    })?;
    settings::set(db, MODE, mode.as_str()).await
}

/// What the registration page offers for these link parameters.
pub async fn offer(
    db: &Db,
    invite: Option<&str>,
    setup: Option<&str>,
) -> AppResult<RegistrationOffer> {
    if let Some(given) = setup.filter(|s| !s.is_empty()) {
        if setup_matches(db, given).await? {
            return Ok(RegistrationOffer::SiteAdmin);
        }
    }
    Ok(match mode(db).await? {
        RegistrationMode::Open => RegistrationOffer::Open,
        RegistrationMode::Closed => RegistrationOffer::Closed,
        RegistrationMode::Invitation => match invite.filter(|s| !s.is_empty()) {
            None => RegistrationOffer::InvitationNeeded { spent: false },
            Some(token) if invitation_open(db, token).await? => RegistrationOffer::Invited,
            Some(_) => RegistrationOffer::InvitationNeeded { spent: true },
        },
    })
}

/// The role a registration gets, or why it is refused (`Refused`, with the page's words).
pub async fn admit<'a>(
    db: &Db,
    invite: Option<&'a str>,
    setup: Option<&str>,
) -> AppResult<NewRole<'a>> {
    let offer = offer(db, invite, setup).await?;
    match offer {
        RegistrationOffer::SiteAdmin => Ok(NewRole::SetupAdmin),
        // The token is spent with the insert, which checks it again.
        RegistrationOffer::Invited => Ok(NewRole::Invited(invite.unwrap_or_default())),
        RegistrationOffer::Open => Ok(NewRole::Fixed(crate::domain::user::Role::Member)),
        _ => Err(AppError::Refused(FormErrors::single(
            FORM,
            offer.refusal().unwrap_or_default(),
        ))),
    }
}

/// At start-up: while the site has no admin, the token of the setup link that creates one
/// (the configured one, or the one made at an earlier start, or a new one); `None` once there
/// is an admin.
pub async fn setup_token(db: &Db, configured: Option<&str>) -> AppResult<Option<String>> {
    if has_admin(db).await? {
        sqlx::query("DELETE FROM site_settings WHERE key = $1")
            .bind(SETUP_TOKEN)
            .execute(&db.pool)
            .await?;
        return Ok(None);
    }
    if let Some(c) = configured {
        settings::set(db, SETUP_TOKEN, c).await?;
        return Ok(Some(c.to_owned()));
    }
    // Kept from an earlier start; or a new one, unless another instance starting at the same
    // moment made one first: every instance prints the same link.
    sqlx::query(
        "INSERT INTO site_settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING",
    )
    .bind(SETUP_TOKEN)
    .bind(sessions::new_token())
    .execute(&db.pool)
    .await?;
    settings::get(db, SETUP_TOKEN).await
}

async fn has_admin(db: &Db) -> AppResult<bool> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT id FROM users WHERE role = 'admin' LIMIT 1")
        .fetch_optional(&db.pool)
        .await?;
    Ok(row.is_some())
}

/// Whether `given` is the setup link's token and the site still has no admin.
async fn setup_matches(db: &Db, given: &str) -> AppResult<bool> {
    let Some(kept) = settings::get(db, SETUP_TOKEN).await? else {
        return Ok(false);
    };
    Ok(same(kept.as_bytes(), given.as_bytes()) && !has_admin(db).await?)
}

/// Compares two secrets in a time that does not depend on where they differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

async fn invitation_open(db: &Db, token: &str) -> AppResult<bool> {
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT id FROM site_invitations WHERE token = $1 AND used_at IS NULL AND expires_at > $2",
    )
    .bind(token)
    .bind(now())
    .fetch_optional(&db.pool)
    .await?;
    Ok(row.is_some())
}

/// Makes an invitation link (site admins). `site` is the site's origin, for the link.
pub async fn invite(db: &Db, viewer: Viewer, site: &str, note: &str) -> AppResult<Invitation> {
    if !viewer.admin {
        return Err(AppError::Forbidden);
    }
    let note = note.trim();
    if note.chars().count() > MOST_NOTE_CHARS {
        return Err(AppError::Validation(
            FormErrors::single(
                "note",
                format!("Keep the note under {MOST_NOTE_CHARS} characters."),
            )
            .keep("note", note),
        ));
    }
    let token = sessions::new_token();
    let at = now();
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO site_invitations (token, note, created_by, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(&token)
    .bind(note)
    .bind(viewer.id)
    .bind(at)
    .bind(at + INVITATION_DAYS * 24 * 3600)
    .fetch_one(&db.pool)
    .await?;
    invitations(db, viewer, site)
        .await?
        .into_iter()
        .find(|i| i.id == id)
        .ok_or_else(|| AppError::internal("a new invitation is not listed"))
}

/// The invitation links of the last 90 days, newest first (site admins).
pub async fn invitations(db: &Db, viewer: Viewer, site: &str) -> AppResult<Vec<Invitation>> {
    if !viewer.admin {
        return Err(AppError::Forbidden);
    }
    let at = now();
    type Row = (
        i64,
        String,
        String,
        Option<String>,
        i64,
        i64,
        Option<String>,
        Option<i64>,
    );
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT i.id, i.token, i.note, c.display_name, i.created_at, i.expires_at,
                u.display_name, i.used_at
         FROM site_invitations i
         LEFT JOIN users c ON c.id = i.created_by
         LEFT JOIN users u ON u.id = i.used_by
         WHERE i.created_at > $1
         ORDER BY i.created_at DESC, i.id DESC LIMIT 200",
    )
    .bind(at - 90 * 24 * 3600)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, token, note, created_by, created_at, expires_at, used_by, used_at)| Invitation {
                id,
                link: format!("{site}/register?invite={token}"),
                note,
                created_by,
                created_at,
                expires_at,
                used_by,
                open: used_at.is_none() && expires_at > at,
                used_at,
            },
        )
        .collect())
}

/// Ends an unused invitation link now (site admins).
pub async fn revoke(db: &Db, viewer: Viewer, id: i64) -> AppResult<()> {
    if !viewer.admin {
        return Err(AppError::Forbidden);
    }
    let done = sqlx::query(
        "UPDATE site_invitations SET expires_at = $1 WHERE id = $2 AND used_at IS NULL",
    )
    .bind(now())
    .bind(id)
    .execute(&db.pool)
    .await?;
    if done.rows_affected() == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn secrets_compare_whole() {
        assert!(super::same(b"abc", b"abc"));
        assert!(!super::same(b"abc", b"abd"));
        assert!(!super::same(b"abc", b"ab"));
    }
}
