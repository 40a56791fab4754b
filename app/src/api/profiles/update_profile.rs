// One argument per profile field, as the form sends them.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;

use crate::error::AppError;

/// Saves the signed-in person's profile; every field error comes back at once.
#[server(name = UpdateProfile, endpoint = "profiles/update")]
pub async fn update_profile(
    display_name: String,
    handle: String,
    job_title: String,
    department: String,
    location: String,
    bio: String,
    skills: String,
    expertise: String,
    links: String,
) -> Result<(), AppError> {
    use crate::server::profiles::{self, ProfileInput};
    use crate::server::{accounts, infra::state::state};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    let input = ProfileInput {
        display_name,
        handle,
        job_title,
        department,
        location,
        bio,
        skills,
        expertise,
        links,
    };
    profiles::update(&st.db, viewer, &input).await
}
