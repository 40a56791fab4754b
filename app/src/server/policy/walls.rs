//! Who may read and write on a wall: where the viewer stands on it.

use crate::domain::ids::{PostId, SpaceId, UserId};
use crate::domain::realtime::topic;
use crate::domain::space::SpaceRole;
use crate::error::{AppError, AppResult, FormErrors, FORM};
use crate::server::infra::db::Db;
use crate::server::infra::sql::Args;
use crate::server::policy::{space_listed, space_readable, Viewer, Who};
use crate::server::profiles;

/// Which wall: a space's (by slug) or a person's (by handle).
#[derive(Debug, Clone, Copy)]
pub enum WallOf<'a> {
    Space(&'a str),
    Person(&'a str),
}

/// Where the viewer stands on the wall a post is on.
pub struct WallStanding {
    pub space: Option<SpaceId>,
    /// Whose wall, for a person's.
    pub profile: Option<UserId>,
    pub archived: bool,
    /// The viewer may read the wall (public space, member, site admin; every profile wall).
    pub readable: bool,
    /// The viewer may post, comment and react (space members; everyone on profile walls).
    pub may_post: bool,
    /// The viewer may delete others' posts (space moderators, the profile's owner, admins).
    pub moderates: bool,
}

impl WallStanding {
    pub fn in_space(
        viewer: Viewer,
        space: SpaceId,
        role: Option<SpaceRole>,
        archived: bool,
        readable: bool,
    ) -> Self {
        WallStanding {
            space: Some(space),
            profile: None,
            archived,
            readable,
            may_post: role.is_some(),
            moderates: role.is_some_and(SpaceRole::moderates) || viewer.admin,
        }
    }

    /// Every signed-in person may read and write on a profile wall; its owner moderates it.
    pub fn on_profile(viewer: Viewer, owner: UserId) -> Self {
        WallStanding {
            space: None,
            profile: Some(owner),
            archived: false,
            readable: true,
            may_post: true,
            moderates: viewer.is(owner) || viewer.admin,
        }
    }

    /// The topic of the wall the viewer stands on.
    pub fn topic(&self) -> String {
        match (self.space, self.profile) {
            (Some(space), _) => topic::space(space),
            (None, Some(owner)) => topic::profile(owner),
            (None, None) => String::new(),
        }
    }

    /// Space members (and anyone on a profile wall) post, comment and react; archived spaces
    /// are read-only.
    pub fn require_poster(&self, what: &str) -> AppResult<()> {
        if !self.may_post {
            return Err(AppError::Forbidden);
        }
        if self.archived {
            let msg = format!("This space is archived, so you cannot {what} here.");
            return Err(AppError::Conflict(FormErrors::single(FORM, msg)));
        }
        Ok(())
    }
}

pub async fn wall_standing(db: &Db, viewer: Viewer, wall: WallOf<'_>) -> AppResult<WallStanding> {
    match wall {
        WallOf::Space(slug) => standing_in_space(db, viewer, slug).await,
        WallOf::Person(handle) => Ok(WallStanding::on_profile(
            viewer,
            profiles::id_of(db, handle).await?,
        )),
    }
}

pub async fn standing_in_space(db: &Db, viewer: Viewer, slug: &str) -> AppResult<WallStanding> {
    let mut args = Args::new();
    let slug = args.add(slug);
    let who = Who::viewer(&mut args, viewer);
    let sql = format!(
        "SELECT s.id, s.archived_at, m.role, CASE WHEN {} THEN 1 ELSE 0 END FROM spaces s
         LEFT JOIN space_members m ON m.space_id = s.id AND m.user_id = {}
         WHERE s.slug = {slug} AND {}",
        space_readable("s", &who),
        who.id,
        space_listed("s", &who)
    );
    let row: Option<(SpaceId, Option<i64>, Option<String>, i64)> = sqlx::query_as_with(&sql, args)
        .fetch_optional(&db.pool)
        .await?;
    let (space, archived, role, readable) = row.ok_or(AppError::NotFound)?;
    let role = role.as_deref().and_then(SpaceRole::parse);
    Ok(WallStanding::in_space(
        viewer,
        space,
        role,
        archived.is_some(),
        readable == 1,
    ))
}

/// The standing on the wall a post is on, if the viewer may read that wall; `NotFound`
/// otherwise, so guessed ids reveal nothing.
pub async fn post_standing(db: &Db, viewer: Viewer, post: PostId) -> AppResult<WallStanding> {
    let mut args = Args::new();
    let post = args.add(post);
    let who = Who::viewer(&mut args, viewer);
    let sql = format!(
        "SELECT p.space_id, p.profile_id, s.archived_at, m.role,
                CASE WHEN p.space_id IS NULL OR {} THEN 1 ELSE 0 END
         FROM posts p LEFT JOIN spaces s ON s.id = p.space_id
         LEFT JOIN space_members m ON m.space_id = p.space_id AND m.user_id = {}
         WHERE p.id = {post}",
        space_readable("s", &who),
        who.id
    );
    type Row = (
        Option<SpaceId>,
        Option<UserId>,
        Option<i64>,
        Option<String>,
        i64,
    );
    let row: Option<Row> = sqlx::query_as_with(&sql, args)
        .fetch_optional(&db.pool)
        .await?;
    match row {
        Some((Some(space), _, archived, role, 1)) => {
            let role = role.as_deref().and_then(SpaceRole::parse);
            Ok(WallStanding::in_space(
                viewer,
                space,
                role,
                archived.is_some(),
                true,
            ))
        }
        Some((None, Some(owner), _, _, 1)) => Ok(WallStanding::on_profile(viewer, owner)),
        _ => Err(AppError::NotFound),
    }
}

/// Whether the viewer may read the post (and so its picture); `NotFound` otherwise.
pub async fn require_post_readable(db: &Db, viewer: Viewer, post: PostId) -> AppResult<()> {
    post_standing(db, viewer, post).await.map(|_| ())
}
