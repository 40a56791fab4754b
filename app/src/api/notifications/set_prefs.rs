use std::collections::HashMap;

use leptos::prelude::*;

use crate::error::AppError;

/// Stores the signed-in person's notification preferences. The form sends, per kind,
/// `prefs[<kind>_app]=on` when in-app notifications are wanted (a checkbox: absent means off)
/// and `prefs[<kind>_email]` = `off`, `daily` or `weekly`.
#[server(name = SetNotificationPrefs, endpoint = "notifications/set_prefs")]
pub async fn set_notification_prefs(
    #[server(default)] prefs: HashMap<String, String>,
) -> Result<(), AppError> {
    use crate::domain::notification::{EmailDigest, NotificationKind, NotificationPref};
    use crate::error::FormErrors;
    use crate::server::{accounts, infra::state::state, notifications};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    let mut errors = FormErrors::new();
    let mut parsed = Vec::new();
    for kind in NotificationKind::ALL {
        let field = format!("{}_email", kind.as_str());
        let email = match prefs.get(&field).map(String::as_str) {
            None | Some("") => EmailDigest::Off,
            Some(v) => match EmailDigest::parse(v) {
                Some(e) => e,
                None => {
                    errors.add(
                        &format!("prefs[{field}]"),
                        "Choose no e-mail, a daily digest or a weekly digest.",
                    );
                    continue;
                }
            },
        };
        let in_app = prefs
            .get(&format!("{}_app", kind.as_str()))
            .is_some_and(|v| !v.is_empty() && v != "off" && v != "false");
        parsed.push(NotificationPref {
            kind,
            in_app,
            email,
        });
    }
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    notifications::set_prefs(&st.db, viewer, &parsed).await
}
