use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::domain::ids::LessonId;
use crate::domain::scorm::PlayerFrame;
use crate::error::AppError;

/// Where the lesson page's frame opens SCO `sco`: the player on the content origin, with a
/// token for this person and this SCO (the content origin never sees the session).
#[server(name = ScormLaunch, endpoint = "scorm/launch", input = GetUrl)]
pub async fn scorm_launch(lesson: LessonId, sco: i64) -> Result<PlayerFrame, AppError> {
    use crate::server::infra::request::parts;
    use crate::server::packages::grants;
    use crate::server::{accounts, infra::state::state};

    let st = state()?;
    let viewer = accounts::require_viewer(&st).await?;
    let site = st.origins.site(&parts()?);
    let token = grants::issue(&st.db, viewer, lesson, sco, &site).await?;
    let origin = st.origins.content(&site);
    Ok(PlayerFrame {
        url: format!("{origin}/player/{token}"),
        origin,
    })
}
