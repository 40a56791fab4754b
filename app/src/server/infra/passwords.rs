//! Password hashing (argon2id, off the async runtime).

use std::sync::OnceLock;

use tokio::sync::{Semaphore, SemaphorePermit};

use argon2::{Argon2, PasswordHash, PasswordHasher, PasswordVerifier};
use password_hash::rand_core::OsRng;
use password_hash::SaltString;

use crate::error::{AppError, AppResult};

/// Hashes a password with argon2id (OWASP parameters: 19 MiB, 2 passes).
#[tracing::instrument(skip_all)]
pub async fn hash_password(password: String) -> AppResult<String> {
    let _permit = hashing_permit().await?;
    tokio::task::spawn_blocking(move || hash_now(&password))
        .await
        .map_err(AppError::internal)?
}

/// Each hash takes 19 MiB and a core for a moment: a flood of sign-ins must queue, not exhaust
/// memory.
async fn hashing_permit() -> AppResult<SemaphorePermit<'static>> {
    static PERMITS: OnceLock<Semaphore> = OnceLock::new();
    let permits = PERMITS.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Semaphore::new(cores * 2)
    });
    permits.acquire().await.map_err(AppError::internal)
}

fn hash_now(password: &str) -> AppResult<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(AppError::internal)
}

/// Checks a password against a stored hash. With no hash (unknown account) it still does the
/// same work, so response times do not tell which accounts exist.
#[tracing::instrument(skip_all)]
pub async fn verify_password(password: String, stored: Option<String>) -> AppResult<bool> {
    let _permit = hashing_permit().await?;
    tokio::task::spawn_blocking(move || {
        let (hash, known) = match stored {
            Some(h) => (h, true),
            None => (dummy_hash()?, false),
        };
        let parsed = PasswordHash::new(&hash).map_err(AppError::internal)?;
        let ok = Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        Ok(ok && known)
    })
    .await
    .map_err(AppError::internal)?
}

fn dummy_hash() -> AppResult<String> {
    static DUMMY: OnceLock<String> = OnceLock::new();
    if let Some(h) = DUMMY.get() {
        return Ok(h.clone());
    }
    let h = hash_now("cohort-timing-equaliser")?;
    Ok(DUMMY.get_or_init(|| h).clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_only_the_right_password() -> AppResult<()> {
        let h = hash_password("correct horse battery".into()).await?;
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery".into(), Some(h.clone())).await?);
        assert!(!verify_password("wrong horse battery".into(), Some(h)).await?);
        assert!(!verify_password("cohort-timing-equaliser".into(), None).await?);
        Ok(())
    }
}
