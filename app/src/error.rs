//! The one application error type, shared by browser and server.
//!
//! Server fns return it; the server maps it to an HTTP status (see [`AppError::status`]);
//! forms show [`FormErrors`] next to the field they belong to. Internal causes are logged on the
//! server where they happen and never reach the user.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

/// The field name of messages about the whole form rather than one field.
pub const FORM: &str = "";

/// One problem with one form field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The form field's `name`.
    pub field: String,
    /// A sentence a person can act on.
    pub message: String,
}

/// Field errors of a submitted form, plus the non-secret values that were typed, so a form
/// re-rendered without JavaScript loses nothing but passwords.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormErrors {
    pub fields: Vec<FieldError>,
    pub values: Vec<(String, String)>,
}

impl FormErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn single(field: &str, message: impl Into<String>) -> Self {
        let mut errors = Self::new();
        errors.add(field, message);
        errors
    }

    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.fields.push(FieldError {
            field: field.to_owned(),
            message: message.into(),
        });
    }

    /// Keeps a typed value to refill the form with (never call it for a password).
    pub fn keep(mut self, field: &str, value: &str) -> Self {
        self.values.push((field.to_owned(), value.to_owned()));
        self
    }

    /// The form-level message, or the first field's.
    pub fn summary(&self) -> String {
        self.message_for(FORM)
            .or_else(|| self.fields.first().map(|e| e.message.clone()))
            .unwrap_or_else(|| "Please correct the highlighted fields.".into())
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    pub fn message_for(&self, field: &str) -> Option<String> {
        self.fields
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.clone())
    }

    pub fn value_of(&self, field: &str) -> Option<String> {
        self.values
            .iter()
            .find(|(k, _)| k == field)
            .map(|(_, v)| v.clone())
    }
}

/// Every way a request can fail, as a user or a client sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("That page or item does not exist.")]
    NotFound,
    /// Not signed in, or the credentials given are wrong (a form-level message, field `""`).
    #[error("{}", .0.summary())]
    Unauthorized(FormErrors),
    #[error("You are not allowed to do that.")]
    Forbidden,
    /// Not allowed, with the reason shown on the form (registration when it is closed, say).
    #[error("{}", .0.summary())]
    Refused(FormErrors),
    /// Input that breaks a rule; shown next to the fields.
    #[error("Please correct the highlighted fields.")]
    Validation(FormErrors),
    /// Input that clashes with what exists (a taken email, say); shown next to the fields.
    #[error("Please correct the highlighted fields.")]
    Conflict(FormErrors),
    /// Too many requests too fast; what was typed is kept for the form.
    #[error("Too many attempts. Please wait {retry_after_secs} seconds and try again.")]
    RateLimited {
        retry_after_secs: u64,
        #[serde(default)]
        kept: FormErrors,
    },
    /// The request itself is malformed (missing or unreadable arguments).
    #[error("The request could not be understood: {0}")]
    BadRequest(String),
    /// The browser could not reach the server.
    #[error("Could not reach the server. Check your connection and try again.")]
    Network,
    #[error("Something went wrong on our side. Please try again.")]
    Internal,
}

impl AppError {
    /// The HTTP status this error is sent with.
    pub fn status(&self) -> u16 {
        match self {
            AppError::NotFound => 404,
            AppError::Unauthorized(_) => 401,
            AppError::Forbidden | AppError::Refused(_) => 403,
            AppError::Validation(_) => 422,
            AppError::Conflict(_) => 409,
            AppError::RateLimited { .. } => 429,
            AppError::BadRequest(_) => 400,
            AppError::Network => 503,
            AppError::Internal => 500,
        }
    }

    /// A wait of `retry_after_secs` before trying again.
    pub fn rate_limited(retry_after_secs: u64) -> Self {
        AppError::RateLimited {
            retry_after_secs,
            kept: FormErrors::new(),
        }
    }

    /// This error with what was typed in `field` kept for the form, where it carries a form.
    pub fn keeping(self, field: &str, value: &str) -> Self {
        match self {
            AppError::Validation(f) => AppError::Validation(f.keep(field, value)),
            AppError::Conflict(f) => AppError::Conflict(f.keep(field, value)),
            AppError::Unauthorized(f) => AppError::Unauthorized(f.keep(field, value)),
            AppError::Refused(f) => AppError::Refused(f.keep(field, value)),
            AppError::RateLimited {
                retry_after_secs,
                kept,
            } => AppError::RateLimited {
                retry_after_secs,
                kept: kept.keep(field, value),
            },
            other => other,
        }
    }

    pub fn sign_in_required() -> Self {
        AppError::Unauthorized(FormErrors::single(FORM, "Please sign in to continue."))
    }

    /// Errors that belong next to form fields, if this is one.
    pub fn form_errors(&self) -> Option<&FormErrors> {
        match self {
            AppError::Validation(f)
            | AppError::Conflict(f)
            | AppError::Unauthorized(f)
            | AppError::Refused(f)
            | AppError::RateLimited { kept: f, .. } => Some(f),
            _ => None,
        }
    }

    /// Logs an unexpected failure where it happened and hides it from the user.
    #[cfg(feature = "ssr")]
    #[track_caller]
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        let at = std::panic::Location::caller();
        tracing::error!(%cause, location = %at, "internal error");
        AppError::Internal
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    #[track_caller]
    fn from(e: sqlx::Error) -> Self {
        AppError::internal(e)
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(m)
            | ServerFnErrorErr::MissingArg(m)
            | ServerFnErrorErr::Deserialization(m) => AppError::BadRequest(m),
            ServerFnErrorErr::Request(_) => AppError::Network,
            ServerFnErrorErr::UnsupportedRequestMethod(m) => AppError::BadRequest(m),
            _ => AppError::Internal,
        }
    }
}

/// The result type of services and server fns.
pub type AppResult<T> = Result<T, AppError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_are_real_http_codes() {
        assert_eq!(AppError::Validation(FormErrors::new()).status(), 422);
        assert_eq!(AppError::Conflict(FormErrors::new()).status(), 409);
        assert_eq!(AppError::sign_in_required().status(), 401);
        assert_eq!(
            AppError::sign_in_required().to_string(),
            "Please sign in to continue."
        );
        assert_eq!(AppError::rate_limited(3).status(), 429);
        let kept = AppError::rate_limited(3).keeping("body", "Hello");
        assert_eq!(
            kept.form_errors()
                .and_then(|f| f.value_of("body"))
                .as_deref(),
            Some("Hello")
        );
    }

    #[test]
    fn form_errors_find_fields_and_values() {
        let f = FormErrors::single("email", "Enter an email address.").keep("email", "a@b");
        assert_eq!(
            f.message_for("email").as_deref(),
            Some("Enter an email address.")
        );
        assert_eq!(f.message_for("password"), None);
        assert_eq!(f.value_of("email").as_deref(), Some("a@b"));
    }

    #[test]
    fn errors_survive_the_wire() -> Result<(), String> {
        let e = AppError::Conflict(FormErrors::single("email", "taken").keep("email", "x@y.z"));
        let back = AppError::de(e.ser());
        assert_eq!(back, e);
        Ok(())
    }
}
