//! Accounts: creation, credentials and roles.

use sqlx::AnyConnection;

use crate::domain::user::{CurrentUser, DisplayName, Email, Role, UserId};
use crate::error::{AppError, AppResult, FormErrors};
use crate::server::infra::db::{is_unique_violation, now, Backend, Db};

/// Whether a new account gets a fixed role or, as on a fresh site, admin for the very first one.
#[derive(Debug, Clone, Copy)]
pub enum NewRole {
    /// Admin when no account exists yet, member otherwise.
    FirstIsAdmin,
    Fixed(Role),
}

/// Creates an account. A taken email is a `Conflict` on the `email` field.
pub async fn create(
    db: &Db,
    name: &DisplayName,
    email: &Email,
    password_hash: &str,
    role: NewRole,
) -> AppResult<CurrentUser> {
    let new = NewUser {
        name,
        email,
        password_hash,
    };
    let inserted = match role {
        NewRole::Fixed(r) => new.insert(&mut *db.pool.acquire().await?, r.as_str()).await,
        NewRole::FirstIsAdmin => {
            let any: Option<(i64,)> = sqlx::query_as("SELECT id FROM users LIMIT 1")
                .fetch_optional(&db.pool)
                .await?;
            if any.is_some() {
                new.insert(&mut *db.pool.acquire().await?, Role::Member.as_str())
                    .await
            } else {
                // A fresh site: decide "first account" under a lock, so two registrations
                // racing cannot both become admin (SQLite already serialises writers).
                let mut tx = db.begin().await?;
                if db.backend == Backend::Postgres {
                    sqlx::query("LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE")
                        .execute(&mut *tx)
                        .await?;
                }
                let role = "CASE WHEN EXISTS (SELECT 1 FROM users) THEN 'member' ELSE 'admin' END";
                let row = new.insert_with(&mut tx, role, None).await;
                if row.is_ok() {
                    tx.commit().await?;
                }
                row
            }
        }
    };
    match inserted {
        Ok((id, role)) => Ok(CurrentUser {
            id: UserId(id),
            display_name: name.as_str().to_owned(),
            email: email.as_str().to_owned(),
            role: Role::parse(&role).unwrap_or(Role::Member),
            handle: crate::server::profiles::assign_handle(db, UserId(id), name.as_str()).await?,
        }),
        Err(e) if is_unique_violation(&e) => Err(AppError::Conflict(FormErrors::single(
            "email",
            "An account with this email already exists. Sign in instead?",
        ))),
        Err(e) => Err(e.into()),
    }
}

struct NewUser<'a> {
    name: &'a DisplayName,
    email: &'a Email,
    password_hash: &'a str,
}

impl NewUser<'_> {
    async fn insert(
        &self,
        conn: &mut AnyConnection,
        role: &str,
    ) -> Result<(i64, String), sqlx::Error> {
        self.insert_with(conn, "$5", Some(role)).await
    }

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
