//! Where the viewer stands in a forum (a space's, or the site's): who reads, posts and
//! moderates there. Blogs of spaces stand on the same rules.

use crate::domain::ids::SpaceId;
use crate::domain::space::{SpaceRole, Visibility};
use crate::error::{AppError, AppResult};
use crate::server::infra::db::Db;
use crate::server::infra::sql::Args;
use crate::server::policy::{space_listed, space_readable, Viewer, Who};

/// A space (or, with an empty address, the site) as a place to post in.
pub struct ForumPlace {
    pub space: Option<SpaceId>,
    pub slug: String,
    /// The space's name; empty for the site.
    pub name: String,
    /// A public space (everyone signed in reads it), or the site.
    pub public: bool,
    /// Members post (everyone signed in, on the site); archived spaces are read-only.
    pub member: bool,
    pub archived: bool,
    /// Space moderators and site admins (the site's forum: admins).
    pub moderates: bool,
}

/// The place at `slug` if the viewer may read it: `NotFound` for what they may not know of,
/// `Forbidden` for a private space they are not in.
pub async fn forum_place(db: &Db, viewer: Viewer, slug: &str) -> AppResult<ForumPlace> {
    let slug = slug.trim();
    if slug.is_empty() {
        return Ok(ForumPlace {
            space: None,
            slug: String::new(),
            name: String::new(),
            public: true,
            member: viewer.is_signed_in(),
            archived: false,
            moderates: viewer.admin,
        });
    }
    let mut args = Args::new();
    let at = args.add(slug);
    let who = Who::viewer(&mut args, viewer);
    let sql = format!(
        "SELECT s.id, s.name, s.visibility, s.archived_at, m.role,
                CASE WHEN {} THEN 1 ELSE 0 END
         FROM spaces s LEFT JOIN space_members m ON m.space_id = s.id AND m.user_id = {}
         WHERE s.slug = {at} AND {}",
        space_readable("s", &who),
        who.id,
        space_listed("s", &who)
    );
    type Row = (SpaceId, String, String, Option<i64>, Option<String>, i64);
    let row: Option<Row> = sqlx::query_as_with(&sql, args)
        .fetch_optional(&db.pool)
        .await?;
    let (id, name, visibility, archived, role, readable) = row.ok_or(AppError::NotFound)?;
    if readable == 0 {
        return Err(AppError::Forbidden);
    }
    let role = role.as_deref().and_then(SpaceRole::parse);
    Ok(ForumPlace {
        space: Some(id),
        slug: slug.to_owned(),
        name,
        public: Visibility::parse(&visibility) == Some(Visibility::Public),
        member: role.is_some(),
        archived: archived.is_some(),
        moderates: viewer.admin || role.is_some_and(SpaceRole::moderates),
    })
}
