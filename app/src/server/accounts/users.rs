//! Accounts: creation, credentials and roles.

use sqlx::AnyConnection;

use crate::domain::user::{CurrentUser, DisplayName, Email, Role, UserId};
use crate::error::{AppError, AppResult, FormErrors};
use crate::server::infra::db::{is_unique_violation, now, Backend, Db};

/// Which role a new account gets, and what the registration spends to get it.
#[derive(Debug, Clone, Copy)]
pub enum NewRole<'a> {
    Fixed(Role),
    /// A member who registered with this invitation token; the insert spends it, and fails
    /// with `Refused` when the token is unknown, used or expired.
    Invited(&'a str),
    /// The site admin, through the setup link: admin while the site has no admin, member once
    /// it has one. Making the admin spends the setup link.
    SetupAdmin,
}

/// Creates an account. A taken email is refused on the `email` field, in words that do not
/// say whether it is taken.
pub async fn create(
    db: &Db,
    name: &DisplayName,
    email: &Email,
    password_hash: &str,
    role: NewRole<'_>,
) -> AppResult<CurrentUser> {
    let new = NewUser {
        name,
        email,
        password_hash,
    };
    let mut tx = db.begin().await?;
    let mut invitation = None;
    let inserted = match role {
        NewRole::Fixed(r) => new.insert_with(&mut tx, "$5", Some(r.as_str())).await,
        NewRole::Invited(token) => {
            let at = now();
            let claimed: Option<(i64,)> = sqlx::query_as(
                "UPDATE site_invitations SET used_at = $1
                 WHERE token = $2 AND used_at IS NULL AND expires_at > $1 RETURNING id",
            )
            .bind(at)
            .bind(token)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((id,)) = claimed else {
                return Err(AppError::Refused(FormErrors::single(
                    crate::error::FORM,
                    crate::domain::registration::RegistrationOffer::InvitationNeeded {
                        spent: true,
                    }
                    .refusal()
                    .unwrap_or_default(),
                )));
            };
            invitation = Some(id);
            new.insert_with(&mut tx, "$5", Some(Role::Member.as_str()))
                .await
        }
        NewRole::SetupAdmin => {
            // Decide "no admin yet" under a lock, so two registrations racing cannot both
            // become admin (SQLite already serialises writers).
            if db.backend == Backend::Postgres {
                sqlx::query("LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE")
                    .execute(&mut *tx)
                    .await?;
            }
            let role = "CASE WHEN EXISTS (SELECT 1 FROM users WHERE role = 'admin') \
                        THEN 'member' ELSE 'admin' END";
            new.insert_with(&mut tx, role, None).await
        }
    };
    let (id, role) = match inserted {
        Ok(row) => row,
        Err(e) if is_unique_violation(&e) => {
            return Err(AppError::Validation(FormErrors::single(
                "email",
                "This email address cannot be used to register. If you already have an account, sign in instead.",
            )))
        }
        Err(e) => return Err(e.into()),
    };
    if let Some(invitation) = invitation {
        sqlx::query("UPDATE site_invitations SET used_by = $1 WHERE id = $2")
            .bind(id)
            .bind(invitation)
            .execute(&mut *tx)
            .await?;
    }
    if role == Role::Admin.as_str() {
        sqlx::query("DELETE FROM site_settings WHERE key = 'setup_token'")
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(CurrentUser {
        id: UserId(id),
        display_name: name.as_str().to_owned(),
        email: email.as_str().to_owned(),
        role: Role::parse(&role).unwrap_or(Role::Member),
        handle: crate::server::profiles::assign_handle(db, UserId(id), name.as_str()).await?,
    })
}

struct NewUser<'a> {
    name: &'a DisplayName,
    email: &'a Email,
    password_hash: &'a str,
}

impl NewUser<'_> {
    /// Inserts with `role_sql` as the role expression (`$5` binds `role`).
    async fn insert_with(
        &self,
        conn: &mut AnyConnection,
        role_sql: &str,
        role: Option<&str>,
    ) -> Result<(i64, String), sqlx::Error> {
        let sql = format!(
            "INSERT INTO users (email, display_name, password_hash, role, created_at, updated_at)
             SELECT $1, $2, $3, {role_sql}, $4, $4
             RETURNING id, role"
        );
        let mut q = sqlx::query_as::<_, (i64, String)>(&sql)
            .bind(self.email.as_str())
            .bind(self.name.as_str())
            .bind(self.password_hash)
            .bind(now());
        if let Some(r) = role {
            q = q.bind(r);
        }
        q.fetch_one(conn).await
    }
}

/// The id and password hash of the account with this email.
pub async fn credentials_by_email(db: &Db, email: &Email) -> AppResult<Option<(UserId, String)>> {
    let row: Option<(i64, String)> =
        sqlx::query_as("SELECT id, password_hash FROM users WHERE email = $1")
            .bind(email.as_str())
            .fetch_optional(&db.pool)
            .await?;
    Ok(row.map(|(id, h)| (UserId(id), h)))
}

pub async fn password_hash(db: &Db, user: UserId) -> AppResult<Option<String>> {
    let row: Option<(String,)> = sqlx::query_as("SELECT password_hash FROM users WHERE id = $1")
        .bind(user.0)
        .fetch_optional(&db.pool)
        .await?;
    Ok(row.map(|(h,)| h))
}

pub async fn set_password_hash(db: &Db, user: UserId, hash: &str) -> AppResult<()> {
    sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
        .bind(hash)
        .bind(now())
        .bind(user.0)
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Gives an existing account a site role; false when no account has that email.
pub async fn set_role(db: &Db, email: &Email, role: Role) -> AppResult<bool> {
    let done = sqlx::query("UPDATE users SET role = $1, updated_at = $2 WHERE email = $3")
        .bind(role.as_str())
        .bind(now())
        .bind(email.as_str())
        .execute(&db.pool)
        .await?;
    Ok(done.rows_affected() > 0)
}
